#!/usr/bin/env bash
# Writes Sources/overens/BuildCommit.generated.swift with the commit this tree was built
# from (`abc1234`, or `abc1234-dirty` when tracked files differ from it), for
# `overens --version`. Outside a git checkout it writes nothing and the binary says
# `unknown` (see Sources/overens/Version.swift). The file is rewritten only when its text
# changes, so an unchanged commit costs no recompilation.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/overens/BuildCommit.generated.swift
if ! commit=$(git rev-parse --short HEAD 2>/dev/null); then
  rm -f "$out"
  exit 0
fi
# Refresh the index's stat data first, so a file touched but not changed is not "dirty".
git update-index -q --refresh >/dev/null 2>&1 || true
git diff-index --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
text="// Written by scripts/build-commit.sh before each build; not in git.
extension BuildInfo {
    static let commit = \"$commit\"
}"
if [ ! -f "$out" ] || [ "$(cat "$out")" != "$text" ]; then
  printf '%s\n' "$text" > "$out"
fi
