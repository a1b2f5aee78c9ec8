"""Screenshots for a person to look at, no sideways scrolling at 320 px, and print styles."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPORT, clear_viewport, set_viewport, set_width

WIDTHS = (375, 1280)
MAX_HEIGHT = 12000


def first(html_pages, prefix):
    pages = [p for p in html_pages if p.startswith(prefix) and not p.endswith("index.html")]
    assert pages, "no page under %s" % prefix
    return pages[0]


def shots(html_pages):
    return {
        "home": "index.html",
        "home-en": "en/index.html",
        "action": first(html_pages, "insatser/"),
        "goal": first(html_pages, "mal/"),
        "actions-table": "insatser/index.html",
        "search": "sok.html",
    }


def full_page(driver, width, path):
    set_viewport(driver, width, 800)
    height = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    set_viewport(driver, width, min(height, MAX_HEIGHT))
    driver.save_screenshot(str(path))


def test_screenshots(driver, html_pages, url, screenshots_dir):
    written = []
    try:
        for name, page in shots(html_pages).items():
            for width in WIDTHS:
                set_viewport(driver, width, 800)
                driver.get(url(page))
                if name == "search":
                    field = driver.find_element(By.ID, "search-input")
                    field.send_keys("överenskommelse")
                    WebDriverWait(driver, 5, poll_frequency=0.05).until(
                        lambda d: d.find_element(By.ID, "search-status").text.strip())
                path = screenshots_dir / ("%s-%d.png" % (name, width))
                full_page(driver, width, path)
                written.append(path)
    finally:
        clear_viewport(driver)
    REPORT["screenshots"] = len(written)
    print("screenshots in %s" % screenshots_dir)
    assert all(p.stat().st_size > 1000 for p in written)


OVERFLOW = """
const width = document.documentElement.clientWidth;
const scroll = document.documentElement.scrollWidth;
const clipped = el => {
  // An absolutely positioned element is clipped only by its containing block and above.
  let start = el.parentElement;
  if (getComputedStyle(el).position === 'absolute')
    while (start && start !== document.body && getComputedStyle(start).position === 'static') start = start.parentElement;
  if (getComputedStyle(el).position === 'fixed') return false;
  for (let p = start; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
  }
  return false;
};
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) continue;
  if (r.right > width + 1 && !clipped(el)) {
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    wide.push(el.tagName.toLowerCase() + cls + ' (right ' + Math.round(r.right) + 'px): ' +
              (el.textContent || '').trim().slice(0, 50));
  }
}
const bodyX = getComputedStyle(document.body).overflowX, htmlX = getComputedStyle(document.documentElement).overflowX;
return {width, scroll, wide: wide.slice(0, 5), hidden: bodyX === 'hidden' || htmlX === 'hidden'};
"""


def test_no_sideways_scroll_at_320(driver, html_pages, url):
    set_width(driver, 320)
    problems = []
    try:
        for page in html_pages:
            driver.get(url(page))
            r = driver.execute_script(OVERFLOW)
            if r["scroll"] > r["width"] or r["wide"]:
                problems.append("%s: scrollWidth %d > clientWidth %d\n      %s" % (
                    page, r["scroll"], r["width"], "\n      ".join(r["wide"])))
            if r["hidden"]:
                problems.append("%s: html/body overflow-x hidden hides overflow" % page)
    finally:
        set_width(driver, 1280)
    assert not problems, "horizontal overflow at 320 px:\n" + "\n".join(problems)


PRINT_STATE = """
const shown = el => el && getComputedStyle(el).display !== 'none';
const parts = {};
for (const sel of ['.site-header', '.main-nav', '.site-footer', '.breadcrumbs', '.skip-link']) {
  const el = document.querySelector(sel);
  if (el) parts[sel] = getComputedStyle(el).display;
}
const links = [];
for (const a of document.querySelectorAll('main a[href^="http"]')) {
  const after = getComputedStyle(a, '::after').content;
  links.push({href: a.getAttribute('href'), text: a.textContent, after: after});
}
const internal = [];
for (const a of document.querySelectorAll('main a:not([href^="http"]):not([href^="mailto:"])')) {
  const after = getComputedStyle(a, '::after').content;
  if (after && after !== 'none' && after !== 'normal') internal.push(a.getAttribute('href') + ' -> ' + after);
}
return {parts, links, internal: internal.slice(0, 3),
        print_css: [...document.styleSheets].some(s => s.href && /\/print\.[0-9a-f]{10}\.css$/.test(s.href))};
"""


def test_print_stylesheet(driver, site, html_pages, url):
    with_external = [p for p in html_pages
                     if 'href="http' in (site / p).read_text(encoding="utf-8").split("<main", 1)[-1]
                     .split("</main>", 1)[0]]
    assert with_external, "no page has an external link in <main> to check"
    pages = sorted(set(["index.html", "insatser/index.html", first(html_pages, "insatser/")]
                       + with_external))
    problems = []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for page in pages:
            driver.get(url(page))
            r = driver.execute_script(PRINT_STATE)
            if not r["print_css"]:
                problems.append("%s: print.css not linked" % page)
            for sel in (".site-header", ".main-nav", ".site-footer"):
                if r["parts"].get(sel, "none") != "none":
                    problems.append("%s: %s is display:%s in print" % (page, sel, r["parts"][sel]))
            for link in r["links"]:
                if link["href"] not in link["after"] and link["href"] not in link["text"]:
                    problems.append("%s: external link %r does not print its address (::after %s)"
                                    % (page, link["href"], link["after"]))
            for item in r["internal"]:
                problems.append("%s: internal link prints its relative path: %s" % (page, item))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not problems, "print stylesheet:\n" + "\n".join(problems)


FOCUS_STATE = """
const el = document.activeElement;
if (!el || el === document.body) return null;
const cs = getComputedStyle(el);
const r = el.getBoundingClientRect();
return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.value || '').trim().slice(0, 40),
        outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0, shadow: cs.boxShadow,
        visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight};
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_focus_is_visible(driver, html_pages, url, width):
    """Tab through the start of a few pages: every stop is on screen and drawn with an
    outline of at least 2 px (or a box shadow)."""
    pages = ["index.html", "insatser/index.html", first(html_pages, "insatser/"), "sok.html"]
    problems = []
    set_width(driver, width)
    try:
        for page in pages:
            driver.get(url(page))
            driver.execute_script("document.activeElement && document.activeElement.blur()")
            seen = 0
            for _ in range(40):
                driver.switch_to.active_element.send_keys(Keys.TAB)
                state = driver.execute_script(FOCUS_STATE)
                if state is None:
                    break
                seen += 1
                drawn = (state["outline"] not in ("none", "") and state["width"] >= 2) or \
                    state["shadow"] not in ("none", "")
                if not drawn:
                    problems.append("%s: focus on <%s> %r is not drawn (outline %s %spx)" % (
                        page, state["tag"], state["text"], state["outline"], state["width"]))
                if not state["visible"]:
                    problems.append("%s: focus on <%s> %r is off screen" % (page, state["tag"], state["text"]))
            if seen < 5:
                problems.append("%s: only %d Tab stops" % (page, seen))
    finally:
        set_width(driver, 1280)
    assert not problems, "at %d px:\n%s" % (width, "\n".join(problems[:30]))
