#!/usr/bin/env bash
# `make bench`: installs Hugo if missing, then runs the benchmark (bench/run.py; its
# arguments pass through, e.g. ./bench/run.sh --sizes 100,1000 --runs 3).
# Expects the release binary (.build/release/overens); `make bench` builds it first.
set -euo pipefail
cd "$(dirname "$0")/.."
./bench/deps.sh
exec python3 bench/run.py "$@"
