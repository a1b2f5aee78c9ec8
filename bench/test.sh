#!/usr/bin/env bash
# `make test-bench`: installs Hugo and pytest if missing, then runs tests/bench (the corpus
# generator, the checker, and överens' no-change rebuild). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./bench/deps.sh --pytest
exec .venv/bin/python -m pytest -q tests/bench "$@"
