#!/usr/bin/env bash
# What hot-path.patch (beside this script) would give överens if swift-mustache took it:
# builds the checkout as `make build` does, and a copy of its files in a scratch folder
# against a patched copy of the pinned swift-mustache with the same release flags; checks
# that both binaries write the same bytes for the corpus, then times `overens check` of it
# with both, in turns.
#
#   bench/mustache-alone/try-patch.sh CORPUS [RUNS]
#
# CORPUS is a folder with content/ (python3 bench/corpus.py --files 10000 --out CORPUS).
# The patch changes only the order of swift-mustache's casts and skips splitting names
# that have no dot. The package's own tests run on the patched copy first (its Mustache spec
# tests download the spec, so they are left out on a machine with no network).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$(cd "${1:?usage: try-patch.sh CORPUS [RUNS]}" && pwd)
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

checkout="$repo/.build/checkouts/swift-mustache"
[ -d "$checkout" ] || (cd "$repo" && swift package resolve)
mkdir -p "$work/pm" "$work/repo"
cp -r "$checkout" "$work/pm/swift-mustache"
rm -rf "$work/pm/swift-mustache/.git"
patch -s -d "$work/pm/swift-mustache" -p1 < "$repo/bench/mustache-alone/hot-path.patch"
(cd "$work/pm/swift-mustache" && swift test --skip SpecTests 2>&1 | grep -E "Executed|error" | tail -2)

git -C "$repo" ls-files -z | tar -C "$repo" --null -T - -cf - | tar -x -C "$work/repo"
sed -i "s|.package(url: \"https://github.com/hummingbird-project/swift-mustache\", exact: \"2.1.1\")|.package(path: \"$work/pm/swift-mustache\")|" "$work/repo/Package.swift"
grep -q "$work/pm/swift-mustache" "$work/repo/Package.swift"
read -ra flags <<< "$(make -s --no-print-directory -C "$repo" --eval 'release-flags: ; @echo $(RELEASE_FLAGS)' release-flags)"
(cd "$work/repo" && swift build "${flags[@]}" --product overens 2>&1 | tail -1)
make -s -C "$repo" build
as_is="$repo/.build/release/overens"
patched="$work/repo/.build/release/overens"

theme="$repo/theme"
"$as_is" build --quiet --content "$corpus/content" --theme "$theme" --output "$work/site-as-is" --cache "$work/cache-a"
"$patched" build --quiet --content "$corpus/content" --theme "$theme" --output "$work/site-patched" --cache "$work/cache-b"
diff -r "$work/site-as-is" "$work/site-patched" >/dev/null && echo "same bytes: yes" || { echo "same bytes: NO"; exit 1; }

for i in $(seq "$runs"); do
    for which in as-is patched; do
        binary=$as_is; [ "$which" = patched ] && binary=$patched
        /usr/bin/time -f "$which: %e s wall, %U s user, %S s sys" "$binary" check --content "$corpus/content" --theme "$theme" 2>&1 >/dev/null | grep -v "^0 "
    done
done
