#!/usr/bin/env bash
# What the deploy tests (tests/deploy) need on a fresh Debian machine: nginx (the recipe in
# deploy/nginx.conf is run by Debian's own), rsync, openssl (the test's certificate), and a
# .venv (the same as scripts/browser-deps.sh makes) with pytest and check-jsonschema, whose
# bundled schemas validate deploy/github-pages.yml and deploy/gitlab-ci.yml offline.
# Idempotent: quick when everything is already there. Installing nginx does not start it
# here (the test starts its own on loopback), but on a machine where services start,
# Debian's nginx will listen on port 80 afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="nginx rsync openssl"
command -v python3 >/dev/null 2>&1 || packages="$packages python3"
if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages="$packages python3-venv"
fi
# shellcheck disable=SC2086
./scripts/apt-install.sh $packages

PIP_PINS="pytest==9.2.0 check-jsonschema==0.39.0"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python - "$PIP_PINS" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
for pin in sys.argv[1].split():
    name, want = pin.split("==")
    if version(name) != want:
        sys.exit(1)
PY
then
  # shellcheck disable=SC2086
  .venv/bin/python -m pip install -q --disable-pip-version-check $PIP_PINS
fi
echo "deploy-deps: ok ($(.venv/bin/check-jsonschema --version))"
