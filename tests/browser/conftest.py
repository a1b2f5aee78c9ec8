"""Shared fixtures for the browser and validity tests.

The site is built once per session from content/ + theme/ with the release binary
(`make test-browser` builds it first). One headless Chromium serves every test.
"""
import os
import pathlib
import subprocess
import sysconfig

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "release" / "overens"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Inputs of the build; override to test another theme or content folder.
CONTENT = os.environ.get("OVERENS_TEST_CONTENT", "content")
THEME = os.environ.get("OVERENS_TEST_THEME", "theme")

# Facts collected during the run, printed in the terminal summary (visible with -q too).
REPORT = {}

# The site's languages: Swedish at the root, English under en/.
LANGS = {"sv": "", "en": "en/"}


def pytest_terminal_summary(terminalreporter):
    lines = []
    if "axe_version" in REPORT:
        lines.append("axe-core version: %s" % REPORT["axe_version"])
    if "axe_pages" in REPORT:
        lines.append("axe-core checked %d pages" % REPORT["axe_pages"])
    if REPORT.get("screenshots"):
        lines.append("screenshots: %s (%d files)" % (SCREENSHOTS, REPORT["screenshots"]))
    if lines:
        terminalreporter.write_sep("-", "browser checks")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Path of a freshly built site."""
    if not BINARY.exists():
        pytest.fail("%s is missing: run `swift build -c release --product overens` "
                    "(or `make test-browser`)" % BINARY)
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(BINARY), "build", "--quiet", "--content", CONTENT, "--theme", THEME,
         "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("site build failed (%d):\n%s%s" % (result.returncode, result.stdout, result.stderr))
    return out


@pytest.fixture(scope="session")
def html_pages(site):
    """Every generated HTML page, relative to the site root, sorted."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert pages, "the build wrote no HTML pages"
    return pages


def page_lang(relpath):
    return "en" if relpath.startswith("en/") else "sv"


@pytest.fixture(scope="session")
def url(site):
    def make(relpath):
        return (site / relpath).as_uri()
    return make


@pytest.fixture(scope="session")
def driver():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--force-device-scale-factor=1",
                "--lang=sv-SE"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(30)
    drv.set_script_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture()
def fresh_logs(driver):
    """Drain the performance log so a test sees only its own requests."""
    driver.get_log("performance")
    return driver


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print("screenshots in %s" % SCREENSHOTS)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def axe_source():
    site_packages = pathlib.Path(sysconfig.get_paths()["purelib"])
    found = sorted(site_packages.glob("axe_playwright_python/**/axe.min.js"))
    if not found:
        pytest.fail("axe.min.js not found under %s: run scripts/browser-deps.sh" % site_packages)
    return found[0].read_text(encoding="utf-8")


def set_width(drv, width, height=900):
    """Make the *viewport* `width` CSS px wide (the window adds no chrome in headless mode,
    but check and correct it anyway)."""
    drv.set_window_size(width, height)
    inner = drv.execute_script("return window.innerWidth")
    if inner != width:
        drv.set_window_size(width + (width - inner), height)


def set_viewport(drv, width, height):
    """Exact viewport via CDP device metrics (used for full-page screenshots)."""
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def clear_viewport(drv):
    drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
