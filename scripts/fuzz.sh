#!/usr/bin/env bash
# Fuzzes with libFuzzer, for a bounded time. `make fuzz` runs both targets:
#   content  front matter, Markdown and link resolution (and rendering of what comes out valid)
#   theme    templates and theme strings, rendering a fixed site
#   escape   the byte-level HTML escaper of every {{name}}, against a plain reference
#
#   FUZZ_TARGET    content (default), theme or escape
#   FUZZ_SECONDS   how long to fuzz (default 120)
#   FUZZ_CONFIG    release (default: fast, keeps Swift's bounds and overflow checks) or debug
#   FUZZ_SANITIZE  an extra sanitizer for the Swift code, e.g. address (default none)
#   FUZZ_LEN       the largest input libFuzzer makes, in bytes (default 65536)
#
# Extra arguments go to libFuzzer; a file argument reproduces one input instead:
#   ./scripts/fuzz.sh .build-fuzz/artifacts/crash-1234
# Inputs libFuzzer finds interesting are kept in .build-fuzz/corpus (not committed),
# seeded from Tests/OverensTests/FuzzCorpus/seeds (theme-seeds for the theme). A crash
# or timeout is written to .build-fuzz/artifacts/ and the script fails: fix it, then keep
# the input in Tests/OverensTests/FuzzCorpus/crashes/ (theme-crashes/) so
# FuzzRegressionTests replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
SECONDS_TO_RUN=${FUZZ_SECONDS:-120}
CONFIG=${FUZZ_CONFIG:-release}
MAX_LEN=${FUZZ_LEN:-65536}
SCRATCH=.build-fuzz
CORPUS=Tests/OverensTests/FuzzCorpus
TARGET=${FUZZ_TARGET:-content}
case "$TARGET" in
    content) SEEDS="$CORPUS/seeds"; CRASHES="$CORPUS/crashes"; WORK="$SCRATCH/corpus"; DICT="$CORPUS/overens.dict" ;;
    theme)   SEEDS="$CORPUS/theme-seeds"; CRASHES="$CORPUS/theme-crashes"; WORK="$SCRATCH/corpus-theme"; DICT="$CORPUS/theme.dict" ;;
    escape)  SEEDS="$CORPUS/escape-seeds"; CRASHES="$CORPUS/escape-seeds"; WORK="$SCRATCH/corpus-escape"; DICT="$CORPUS/escape.dict" ;;
    *) echo "FUZZ_TARGET is '$TARGET'; expected content, theme or escape" >&2; exit 2 ;;
esac

sanitizers=fuzzer
[ -n "${FUZZ_SANITIZE:-}" ] && sanitizers="fuzzer,${FUZZ_SANITIZE}"

# cmark-gfm and libvips come from Debian packages; the Makefile knows how to install them.
pkg-config --exists libcmark-gfm vips 2>/dev/null || make -s deps

# -DFUZZING swaps the replay tool for libFuzzer's driver. The C code built here
# (Yams' copy of libyaml) is instrumented for coverage too; cmark-gfm is a system library.
"$SWIFT" build --scratch-path "$SCRATCH" -c "$CONFIG" --product OverensFuzz \
    -Xswiftc "-sanitize=$sanitizers" -Xswiftc -parse-as-library -Xswiftc -DFUZZING \
    -Xcc -fsanitize=fuzzer-no-link
BIN="$SCRATCH/$CONFIG/OverensFuzz"

mkdir -p "$WORK" "$SCRATCH/artifacts"
# Swift's crash reporter would take over the signals libFuzzer needs to save the input.
export SWIFT_BACKTRACE=enable=no
# A stack overflow's report piped through the symbolizer broke the pipe and lost the input:
# report raw addresses (replay the saved input to read the frames).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-symbolize=0}
export OVERENS_THEME="$PWD/theme"
export OVERENS_FUZZ_TARGET="$TARGET"

if [ $# -gt 0 ] && [ -f "$1" ]; then
    exec "$BIN" "$@"
fi
echo "Fuzzing the $TARGET for ${SECONDS_TO_RUN}s; findings go to $SCRATCH/artifacts/"
exec "$BIN" "$WORK" "$SEEDS" "$CRASHES" \
    -max_total_time="$SECONDS_TO_RUN" -timeout=10 -max_len="$MAX_LEN" -rss_limit_mb=4096 \
    -dict="$DICT" -artifact_prefix="$SCRATCH/artifacts/" -print_final_stats=1 "$@"
