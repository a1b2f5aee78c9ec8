#!/usr/bin/env bash
# Gathers what `make install` and `make dist` install, from the release binary, into one
# folder:
#
#   OUT/overens                     the binary, stripped
#   OUT/man/overens.1.gz            the whole command line on one page
#   OUT/completions/overens.bash, _overens (zsh), overens.fish
#
# The manual page comes from swift-argument-parser's generate-manual plugin
# (`swift package plugin generate-manual`). The plugin builds every product of the package
# before it reads their help, so it is run in the debug configuration: the release build
# is linked with --static-swift-stdlib, which `swift package` cannot pass on, and a release
# build without it would compile everything again. The help text is the same source in
# both. Dates come from SOURCE_DATE_EPOCH (the last commit), so the page is the same
# bytes on every run.
#
# Usage: scripts/dist-files.sh BINARY OUT
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$1
out=$2
SWIFT=${SWIFT:-swift}

: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || stat -c %Y Package.swift)}"
export SOURCE_DATE_EPOCH

rm -rf "$out"
mkdir -p "$out/man" "$out/completions"

# The binary, without its symbols and debug information (as dh_strip does); the Swift
# runtime's metadata is in sections of its own and stays.
install -m 0755 "$binary" "$out/overens"
strip --remove-section=.comment --remove-section=.note "$out/overens"
# The one part of it that differs between two compilations of the same sources.
./scripts/normalize-swift-binary.sh "$out/overens"

# The manual page: one page with every subcommand and option. (With --multi-page the
# plugin also writes a page per subcommand, but names it `overens build` in its NAME
# section, which man-db cannot index; the one page says all they say.)
manual_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
plugin_out=.build/plugins/GenerateManual/outputs/overens
rm -rf "$plugin_out"
if ! "$SWIFT" package plugin generate-manual --configuration debug --date "$manual_date" \
    >.build/generate-manual.log 2>&1; then
  cat .build/generate-manual.log >&2
  echo "dist-files: swift package plugin generate-manual failed" >&2
  exit 1
fi
gzip -9n <"$plugin_out/overens.1" >"$out/man/overens.1.gz"

# Shell completions, from the binary that is shipped.
# bash sources its completions: no #! line (argument-parser writes one).
"$out/overens" --generate-completion-script bash | sed '1{/^#!/d}' >"$out/completions/overens.bash"
"$out/overens" --generate-completion-script zsh >"$out/completions/_overens"
"$out/overens" --generate-completion-script fish >"$out/completions/overens.fish"

chmod 0644 "$out"/man/* "$out"/completions/*
