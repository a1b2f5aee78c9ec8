"""The design as a reader meets it (issue 14), in Chromium from file://:

- the home page's heading and first paragraph say what the agreement is, not the site's name;
- the main menu is one line at 1280 px in every language, and on a phone every destination
  is reachable through the menu button by keyboard alone, with script turned off, and the
  button is announced as a disclosure that says whether it is open;
- no page of any kind scrolls sideways at 320 px, with the phone menu closed or open;
- the actions × goals page is at most 2,500 px tall at 375 px;
- each chart has a title, a description and its figures as a table, and the figures are the
  number of actions the content links to each goal;
- axe-core finds nothing with forced colours (Windows high contrast) emulated;
- printed, a page shows the site's name, its address and its heading, links in black, and
  the table and charts within the width of an A4 sheet;
- screenshots of every kind of page a reader meets at 375 and 1280 px, for a person to look at;
- another region's content (four goals, thirty-five actions, two languages, no base_url)
  builds with this theme and reads well on a phone: no sideways scroll, four bars.
"""
import pathlib
import re
from html import unescape
import subprocess

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (BASE_URL, BINARY, CONTENT, FOLDERS, LANGS, LANGUAGES, ROOT, SCREENSHOTS,
                      SEARCH_PAGE, THEME, clear_viewport, set_viewport, set_width)
from test_axe import RUN_AXE, TAGS
from test_layout import OVERFLOW

DESIGN_SHOTS = SCREENSHOTS / "design"
TABLE_MAX_HEIGHT = 2500


# --- content, read the way an editor wrote it ------------------------------------------

def front_matter(path):
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---", text, re.S)
    return m.group(1) if m else ""


def field(fm, key):
    m = re.search(r"^%s:[ \t]*(.*)$" % re.escape(key), fm, re.M)
    return m.group(1).strip().strip("'\"") if m else None


def id_list(value):
    return [x.strip().strip("'\"") for x in (value or "").strip("[]").split(",") if x.strip()]


def site_setting(key, lang, content=None):
    """A per-language value of site.yml: `key: { sv: …, en: … }` or a block mapping."""
    text = ((content or ROOT / CONTENT) / "site.yml").read_text(encoding="utf-8")
    m = re.search(r"^%s:[ \t]*\{(.*)\}[ \t]*$" % re.escape(key), text, re.M)
    if m:
        for part in re.split(r",\s*(?=\w+:)", m.group(1)):
            k, _, v = part.partition(":")
            if k.strip() == lang:
                return v.strip().strip("'\"")
        return None
    m = re.search(r"^%s:[ \t]*\n((?:[ \t]+\S[^\n]*\n?)+)" % re.escape(key), text, re.M)
    if m:
        for k, v in re.findall(r"^[ \t]+(\w+):[ \t]*(.*)$", m.group(1), re.M):
            if k == lang:
                return v.strip().strip("'\"")
    return None


def goals_in_order(content):
    """Goal ids in their `order`, from the default language's files."""
    default = LANGUAGES[0]
    goals = []
    for path in sorted((content / "goals").glob("*.%s.md" % default)):
        fm = front_matter(path)
        goals.append((int(field(fm, "order") or 0), path.name.split(".")[0]))
    return [g for _, g in sorted(goals)]


def actions_per_goal(content):
    """How many actions name each goal in `goals:` (counted from the default language's files)."""
    counts = {}
    for path in (content / "actions").glob("*.%s.md" % LANGUAGES[0]):
        for goal in id_list(field(front_matter(path), "goals")):
            counts[goal] = counts.get(goal, 0) + 1
    return counts


def slug(content, kind_folder, ident, lang):
    path = content / kind_folder / ("%s.%s.md" % (ident, lang))
    value = field(front_matter(path), "slug") if path.exists() else None
    return value or ident


def page_url(relpath, base_url=BASE_URL):
    """What a printed page gives as its address: its URL with base_url, else its path."""
    return base_url + relpath if base_url else relpath


def text_of(driver, selector):
    els = driver.find_elements(By.CSS_SELECTOR, selector)
    return " ".join(els[0].text.split()) if els else ""


# --- pages to look at ------------------------------------------------------------------

def entry_pages(html_pages, lang, kind):
    folder = FOLDERS[lang][kind]
    return [p for p in html_pages if p.startswith(folder) and "/" not in p[len(folder):]
            and not p.endswith("index.html")]


def free_pages(html_pages, lang):
    prefix = LANGS[lang]
    return [p for p in html_pages if p.startswith(prefix) and "/" not in p[len(prefix):]
            and p not in (prefix + "index.html", SEARCH_PAGE[lang], "404.html")]


def every_kind(html_pages):
    """One page of every kind in every language: home, search, every section's index, the
    first entry of each section and a free page. (Not 404.html: with base_url set it links
    its style sheets from the server's root, which a file:// address does not have.)"""
    sample = []
    for lang in LANGUAGES:
        sample += [LANGS[lang] + "index.html", SEARCH_PAGE[lang]]
        for kind, folder in FOLDERS[lang].items():
            if folder + "index.html" in html_pages:
                sample.append(folder + "index.html")
            sample += entry_pages(html_pages, lang, kind)[:1]
        sample += free_pages(html_pages, lang)[:1]
    return [p for p in dict.fromkeys(sample) if p in html_pages]


def longest(site, pages):
    """The page with the most text in <main>: the fullest example of its kind."""
    def size(p):
        text = (site / p).read_text(encoding="utf-8")
        return len(re.sub(r"<[^>]+>", "", text.split("<main", 1)[-1].split("</main>", 1)[0]))
    return max(pages, key=size)


# --- 1. the home page says what the agreement is ---------------------------------------

def test_home_says_what_the_agreement_is(driver, url):
    problems = []
    set_width(driver, 1280)
    for lang in LANGUAGES:
        page = LANGS[lang] + "index.html"
        driver.get(url(page))
        name = site_setting("title", lang)
        h1 = text_of(driver, "main h1")
        first = text_of(driver, "main p")
        title = driver.title
        tagline, description = site_setting("tagline", lang), site_setting("description", lang)
        if not h1 or h1 == name:
            problems.append("%s: the heading is %r, the site's name" % (page, h1))
        if not first or first == name:
            problems.append("%s: the first paragraph is %r, the site's name" % (page, first))
        # From content, so an editor can change them: the tagline and the description.
        if tagline and h1 != tagline:
            problems.append("%s: the heading %r is not site.yml's tagline %r" % (page, h1, tagline))
        if description and first != description:
            problems.append("%s: the first paragraph is not site.yml's description: %r" % (page, first[:80]))
        # "What is this?": the first paragraph names the agreement and says what it is.
        if name not in first or not re.search(r"\b(är|is|are)\b", first):
            problems.append("%s: the first paragraph does not say what %s is: %r" % (page, name, first[:120]))
        if len(re.findall(r"[.!?](\s|$)", first)) < 2:
            problems.append("%s: the first paragraph is under two sentences: %r" % (page, first))
        parts = [p.strip() for p in title.split("–")]
        if len(parts) != len(set(parts)):
            problems.append("%s: <title> repeats itself: %r" % (page, title))
    assert not problems, "\n".join(problems)


# --- 2. navigation -----------------------------------------------------------------------

MENU_LINES = """
const bar = document.querySelector('.main-nav .menu-bar');
if (!bar || getComputedStyle(bar).display === 'none') return null;
const items = [...bar.children];
const tops = new Set(items.map(li => Math.round(li.getBoundingClientRect().top)));
return {height: bar.getBoundingClientRect().height,
        item: Math.max(...items.map(li => li.getBoundingClientRect().height)),
        lines: tops.size, labels: items.map(li => li.textContent.trim()),
        button: getComputedStyle(document.querySelector('.main-nav .menu')).display};
"""


def test_main_menu_is_one_line_at_1280(driver, html_pages, url):
    """In every language, on a page of every kind (the current item is bold, so wider)."""
    problems = []
    set_width(driver, 1280)
    for page in every_kind(html_pages):
        driver.get(url(page))
        r = driver.execute_script(MENU_LINES)
        if r is None:
            problems.append("%s: no menu row at 1280 px" % page)
            continue
        if r["lines"] != 1 or r["height"] > r["item"] * 1.5:
            problems.append("%s: the menu takes %d lines (%.0f px for items %.0f px high): %s"
                            % (page, r["lines"], r["height"], r["item"], r["labels"]))
        if r["button"] != "none":
            problems.append("%s: the phone's menu button shows at 1280 px" % page)
    assert not problems, "\n".join(problems)


FOCUSED = """
const el = document.activeElement;
if (!el || el === document.body) return null;
return {tag: el.tagName.toLowerCase(), cls: el.className || '', href: el.getAttribute('href'),
        text: el.textContent.trim(), inMenu: !!el.closest('.menu-list'),
        open: !!(el.closest('details.menu') && el.closest('details.menu').open)};
"""

DESTINATIONS = """
return [...document.querySelectorAll('.main-nav .menu-bar a')].map(a => a.getAttribute('href'));
"""


def tab_to_menu_button(driver, limit=20):
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for _ in range(limit):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        state = driver.execute_script(FOCUSED)
        if state and state["tag"] == "summary" and "menu-button" in state["cls"]:
            return state
    return None


def disclosure(driver, name):
    """The menu button as the accessibility tree has it: its role and whether it is expanded."""
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    for node in tree:
        if (node.get("name") or {}).get("value") == name and not node.get("ignored"):
            role = (node.get("role") or {}).get("value")
            props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            if role in ("DisclosureTriangle", "button"):
                return role, props.get("expanded")
    return None, None


@pytest.mark.parametrize("key", ["ENTER", "SPACE"])
def test_every_destination_by_keyboard_at_375(driver, html_pages, url, key):
    """With script turned off (a <details> needs none): Tab to the menu button, open it with
    Enter or Space, Tab to each link of the menu, in the menu's order."""
    problems = []
    set_width(driver, 375)
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        for lang in LANGUAGES:
            page = FOLDERS[lang]["action"] + "index.html"
            page = page if page in html_pages else LANGS[lang] + "index.html"
            driver.get(url(page))
            wanted = driver.execute_script(DESTINATIONS)
            if not wanted:
                problems.append("%s: no menu links" % page)
                continue
            visible = driver.execute_script(
                "return [...document.querySelectorAll('.main-nav a')].filter(a => a.checkVisibility()).length")
            if visible:
                problems.append("%s: %d menu links on screen before the menu is opened" % (page, visible))
            button = tab_to_menu_button(driver)
            if not button:
                problems.append("%s: Tab never reaches the menu button" % page)
                continue
            name = " ".join(button["text"].split())
            role, expanded = disclosure(driver, name)
            if role is None or expanded not in (False, None):
                problems.append("%s: the menu button %r is not announced as a closed disclosure (%s, %s)"
                                % (page, name, role, expanded))
            driver.switch_to.active_element.send_keys(getattr(Keys, key))
            if not driver.execute_script(FOCUSED)["open"]:
                problems.append("%s: %s does not open the menu" % (page, key))
                continue
            role, expanded = disclosure(driver, name)
            if expanded is not True:
                problems.append("%s: the open menu button is not announced as expanded (%s, %s)" % (page, role, expanded))
            reached = []
            for _ in range(len(wanted) + 3):
                driver.switch_to.active_element.send_keys(Keys.TAB)
                state = driver.execute_script(FOCUSED)
                if not state or not state["inMenu"]:
                    break
                reached.append(state["href"])
            if reached != wanted:
                problems.append("%s (%s): Tab reached %s, the menu has %s" % (page, lang, reached, wanted))
            # Each link is on screen and inside the page while the menu is open.
            r = driver.execute_script(OVERFLOW)
            if r["scroll"] > r["width"] or r["wide"]:
                problems.append("%s: the open menu sticks out sideways: %s" % (page, r["wide"]))
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        set_width(driver, 1280)
    assert not problems, "\n".join(problems)


def footer(html):
    return unescape(html.split("<footer", 1)[-1].split("</footer>", 1)[0])


def test_footer_gives_contact_details(site, html_pages):
    """Where site.yml gives an e-mail address, every page's footer links it (the other
    contact details are checked on another region's site, below)."""
    email = re.search(r"^contact_email:[ \t]*(\S+)", (ROOT / CONTENT / "site.yml").read_text(encoding="utf-8"), re.M)
    if not email:
        pytest.skip("site.yml gives no contact_email")
    missing = [p for p in html_pages if p != "404.html" and 'href="mailto:%s"' % email.group(1) not in footer((site / p).read_text(encoding="utf-8"))]
    assert not missing, "no e-mail link to %s in the footer of %s" % (email.group(1), missing[:10])


# --- 3. no sideways scroll, the table on a phone -----------------------------------------

def test_no_page_kind_scrolls_sideways_at_320(driver, html_pages, url):
    problems = []
    set_width(driver, 320)
    try:
        for page in every_kind(html_pages):
            driver.get(url(page))
            for state in ("closed", "open"):
                if state == "open":
                    driver.execute_script("document.querySelector('details.menu').open = true")
                r = driver.execute_script(OVERFLOW)
                if r["scroll"] > r["width"] or r["wide"]:
                    problems.append("%s (menu %s): scrollWidth %d > %d\n      %s" % (
                        page, state, r["scroll"], r["width"], "\n      ".join(r["wide"])))
    finally:
        set_width(driver, 1280)
    assert not problems, "\n".join(problems)


PAGE_HEIGHT = "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"


def test_actions_table_fits_a_phone(driver, html_pages, url):
    """At 375 px the actions × goals page is at most 2,500 px tall, each action is one row
    that names its goals, and nothing scrolls sideways."""
    problems = []
    set_viewport(driver, 375, 800)
    try:
        for lang in LANGUAGES:
            page = FOLDERS[lang]["action"] + "index.html"
            driver.get(url(page))
            height = driver.execute_script(PAGE_HEIGHT)
            if height > TABLE_MAX_HEIGHT:
                problems.append("%s: %d px tall at 375 px (at most %d)" % (page, height, TABLE_MAX_HEIGHT))
            rows = driver.execute_script("""
                return [...document.querySelectorAll('.action-rows > li')].filter(li => li.offsetParent)
                  .map(li => ({text: li.textContent.replace(/\\s+/g, ' ').trim(),
                               goals: li.querySelectorAll('.goal-badge').length}));""")
            actions = len(list((ROOT / CONTENT / "actions").glob("*.%s.md" % LANGUAGES[0])))
            if len(rows) != actions:
                problems.append("%s: %d action rows shown at 375 px, the content has %d actions" % (page, len(rows), actions))
            if any(r["goals"] == 0 for r in rows):
                problems.append("%s: a row names no goal: %s" % (page, [r["text"] for r in rows if not r["goals"]][:3]))
            r = driver.execute_script(OVERFLOW)
            if r["scroll"] > r["width"] or r["wide"]:
                problems.append("%s: scrolls sideways at 375 px: %s" % (page, r["wide"]))
    finally:
        clear_viewport(driver)
    assert not problems, "\n".join(problems)


STICKY = """
const th = document.querySelector('.matrix thead th');
window.scrollTo(0, document.querySelector('.matrix tbody tr:nth-child(12)').getBoundingClientRect().top + scrollY);
const top = th.getBoundingClientRect().top;
return {top, position: getComputedStyle(th).position, visible: getComputedStyle(document.querySelector('.table-scroll')).display};
"""


def test_table_header_stays_in_view_on_a_wide_screen(driver, html_pages, url):
    set_viewport(driver, 1280, 700)
    try:
        for lang in LANGUAGES:
            page = FOLDERS[lang]["action"] + "index.html"
            driver.get(url(page))
            r = driver.execute_script(STICKY)
            assert r["visible"] != "none", "%s: no table at 1280 px" % page
            assert r["position"] == "sticky" and -1 <= r["top"] <= 1, \
                "%s: scrolled to row 12, the header row is at %s px (%s)" % (page, r["top"], r["position"])
    finally:
        clear_viewport(driver)


# --- 4. charts ---------------------------------------------------------------------------

CHARTS = """
return [...document.querySelectorAll('svg.chart')].map(svg => {
  const fig = svg.closest('figure');
  const table = fig && fig.querySelector('table');
  const labelled = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const note = fig && fig.querySelector('.chart-note');
  return {
    id: (svg.querySelector(':scope > title') || {id: ''}).id.replace(/-title$/, ''),
    title: (svg.querySelector(':scope > title') || {}).textContent || '',
    desc: (svg.querySelector(':scope > desc') || {}).textContent || '',
    labelledby: labelled.map(id => !!document.getElementById(id)),
    role: svg.getAttribute('role'),
    note: !!(note && note.offsetParent),
    bars: [...svg.querySelectorAll('.bar')].map(g => ({
      label: (g.querySelector('.bar-label') || {}).textContent || '',
      value: Number((g.querySelector('.bar-value') || {}).textContent),
      fill: getComputedStyle(g.querySelector('rect')).fill})),
    rows: table ? [...table.querySelectorAll('tbody tr')].map(tr => ({
      href: (tr.querySelector('a') || {getAttribute: () => ''}).getAttribute('href') || '',
      label: tr.querySelector('th').textContent.trim(),
      value: Number(tr.querySelector('td').textContent)})) : null};
});
"""

GOAL_CHART = "chart-actions-per-goal"


def chart_pages(lang):
    return [LANGS[lang] + "index.html", FOLDERS[lang]["goal"] + "index.html", FOLDERS[lang]["action"] + "index.html"]


def check_charts(driver, url_of, pages, content, lang_of):
    goals = goals_in_order(content)
    counts = actions_per_goal(content)
    expected = [counts.get(g, 0) for g in goals]
    problems = []
    for page in pages:
        lang = lang_of(page)
        driver.get(url_of(page))
        charts = driver.execute_script(CHARTS)
        if not charts:
            problems.append("%s: no chart" % page)
        if not any(c["id"] == GOAL_CHART for c in charts):
            problems.append("%s: no chart of actions per goal" % page)
        for c in charts:
            if not c["title"].strip() or not c["desc"].strip():
                problems.append("%s: %s has no <title> or <desc>" % (page, c["id"]))
            if c["role"] != "img" or not c["labelledby"] or not all(c["labelledby"]):
                problems.append("%s: %s is not an image named by its title and description" % (page, c["id"]))
            if c["rows"] is None:
                problems.append("%s: %s has no data table beside it" % (page, c["id"]))
                continue
            if [b["value"] for b in c["bars"]] != [r["value"] for r in c["rows"]]:
                problems.append("%s: %s draws %s, its table says %s" % (page, c["id"], [b["value"] for b in c["bars"]], [r["value"] for r in c["rows"]]))
            for row in c["rows"]:
                if "%s: %d" % (row["label"].split(". ", 1)[-1], row["value"]) not in c["desc"]:
                    problems.append("%s: %s's description does not say %r: %d" % (page, c["id"], row["label"], row["value"]))
            if c["id"] != GOAL_CHART:
                if c["note"]:
                    problems.append("%s: %s carries the note about goals" % (page, c["id"]))
                continue
            if not c["note"]:
                problems.append("%s: the chart of goals does not say the links are the editors' reading" % page)
            values = [b["value"] for b in c["bars"]]
            if values != expected:
                problems.append("%s: bars %s, the content counts %s (goals %s)" % (page, values, expected, goals))
            slugs = [slug(content, "goals", g, lang) for g in goals]
            linked = [pathlib.PurePosixPath(r["href"]).stem for r in c["rows"]]
            if linked != slugs:
                problems.append("%s: the table's rows link %s, the goals in order are %s" % (page, linked, slugs))
            for i, bar in enumerate(c["bars"], 1):
                if not bar["label"].startswith("%d " % i):
                    problems.append("%s: bar %d is labelled %r, without its goal's number" % (page, i, bar["label"]))
            if len({b["fill"] for b in c["bars"]}) < min(len(goals), 8):
                problems.append("%s: the bars do not each have their goal's colour: %s" % (page, [b["fill"] for b in c["bars"]]))
    return problems


def test_charts_have_text_and_match_the_content(driver, url):
    pages = [p for lang in LANGUAGES for p in chart_pages(lang)]

    def lang_of(page):
        return next((l for l in LANGUAGES if LANGS[l] and page.startswith(LANGS[l])), LANGUAGES[0])
    set_width(driver, 1280)
    problems = check_charts(driver, url, pages, ROOT / CONTENT, lang_of)
    assert not problems, "\n".join(problems)


# --- 5. forced colours -----------------------------------------------------------------

def forced_colors(driver, on):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "forced-colors", "value": "active"}] if on else []})


FORCED_STATE = """
const out = {};
const shown = el => el && el.offsetParent !== null;
const links = [...document.querySelectorAll('.main-nav a')].filter(shown);
const cur = links.find(a => a.getAttribute('aria-current') === 'page');
const other = links.find(a => !a.hasAttribute('aria-current'));
const mark = a => { const cs = getComputedStyle(a);
  return a.closest('.menu-list') ? [cs.borderLeftWidth, cs.borderLeftColor] : [cs.borderBottomWidth, cs.borderBottomColor]; };
if (cur && other) out.menu = {current: mark(cur), other: mark(other), bg: getComputedStyle(document.body).backgroundColor};
const badge = [...document.querySelectorAll('.goal-badge')].find(shown);
if (badge) { const cs = getComputedStyle(badge); out.badge = [cs.borderTopStyle, cs.borderTopWidth]; }
const button = [...document.querySelectorAll('main .button, .menu-button')].find(shown);
if (button) { const cs = getComputedStyle(button); out.button = [cs.borderTopStyle, cs.borderTopWidth]; }
const bar = document.querySelector('svg.chart .bar rect');
if (bar) out.bar = [getComputedStyle(bar).fill, getComputedStyle(document.body).backgroundColor];
return out;
"""


def sample_for_axe(html_pages):
    return every_kind(html_pages)


@pytest.mark.parametrize("width", [1280, 375])
def test_forced_colours(driver, html_pages, url, axe_source, width):
    """Zero axe violations with forced colours on; the current menu item, buttons, badges
    and the chart's bars keep a shape the system's colours draw."""
    problems = []
    set_width(driver, width)
    forced_colors(driver, True)
    try:
        assert driver.execute_script("return matchMedia('(forced-colors: active)').matches")
        for page in sample_for_axe(html_pages):
            driver.get(url(page))
            if width == 375:
                driver.execute_script("var d = document.querySelector('details.menu'); if (d) d.open = true")
            if not driver.execute_script("return typeof window.axe === 'object'"):
                driver.execute_script(axe_source)
            result = driver.execute_async_script(RUN_AXE, TAGS)
            if "error" in result:
                problems.append("%s: axe.run failed: %s" % (page, result["error"]))
                continue
            for v in result["violations"]:
                for node in v["nodes"]:
                    problems.append("%s: %s at %s: %s" % (page, v["id"], node["target"], (node["summary"] or "").replace("\n", " ")))
            s = driver.execute_script(FORCED_STATE)
            menu = s.get("menu")
            if menu:
                width_px = float(menu["current"][0].rstrip("px") or 0)
                if width_px < 3 or menu["current"][1] in (menu["other"][1], menu["bg"]):
                    problems.append("%s: the current menu item is not marked by a visible border (%s vs %s)" % (page, menu["current"], menu["other"]))
                if menu["other"][1] != menu["bg"]:
                    problems.append("%s: other menu items show a border too (%s)" % (page, menu["other"]))
            for part in ("badge", "button"):
                if part in s and (s[part][0] == "none" or float(s[part][1].rstrip("px")) < 1):
                    problems.append("%s: the %s has no border in forced colours: %s" % (page, part, s[part]))
            if "bar" in s and s["bar"][0] == s["bar"][1]:
                problems.append("%s: the chart's bars are the background's colour" % page)
    finally:
        forced_colors(driver, False)
        set_width(driver, 1280)
    assert not problems, "%d problems in forced colours at %d px:\n%s" % (len(problems), width, "\n".join(problems))


# --- 6. print ----------------------------------------------------------------------------

A4_WIDTH = 794  # 210 mm at 96 px per inch

PRINT = """
const shown = el => el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
const header = document.querySelector('.print-header');
const h1 = document.querySelector('main h1');
const dark = [...document.querySelectorAll('main a')].filter(a => shown(a))
  .map(a => [a.textContent.trim().slice(0, 30), getComputedStyle(a).color]).filter(x => x[1] !== 'rgb(0, 0, 0)');
const buttons = [...document.querySelectorAll('main .button')].map(b => [getComputedStyle(b).color, getComputedStyle(b).borderTopStyle]);
const wide = [...document.querySelectorAll('main svg.chart, main .matrix, main table')].filter(shown)
  .map(el => [el.tagName, Math.round(el.getBoundingClientRect().right)]).filter(x => x[1] > document.documentElement.clientWidth);
return {header: shown(header) ? header.textContent.replace(/\\s+/g, ' ').trim() : null,
        headerTop: header ? header.getBoundingClientRect().top : null,
        h1: shown(h1) ? h1.textContent.trim() : null, h1Top: h1 ? h1.getBoundingClientRect().top : null,
        notBlack: dark.slice(0, 3), buttons, wide,
        hasMatrix: !!document.querySelector('.matrix'),
        table: shown(document.querySelector('.matrix')), phoneRows: shown(document.querySelector('.action-rows'))};
"""


def print_check(driver, url_of, pages, title_of, base_url):
    problems = []
    set_width(driver, A4_WIDTH)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for page in pages:
            driver.get(url_of(page))
            r = driver.execute_script(PRINT)
            title, address = title_of(page), page_url(page, base_url)
            if not r["header"] or title not in r["header"] or address not in r["header"]:
                problems.append("%s: printed, the page does not show %r and %r (it shows %r)" % (page, title, address, r["header"]))
            if not r["h1"] or r["headerTop"] is None or r["headerTop"] > r["h1Top"]:
                problems.append("%s: printed, no heading under the site's name" % page)
            if r["notBlack"]:
                problems.append("%s: links print in colour: %s" % (page, r["notBlack"]))
            for color, border in r["buttons"]:
                if color != "rgb(0, 0, 0)" or border == "none":
                    problems.append("%s: a button prints as %s without a frame (%s)" % (page, color, border))
            if r["wide"]:
                problems.append("%s: wider than an A4 sheet: %s" % (page, r["wide"]))
            if r["hasMatrix"] and (not r["table"] or r["phoneRows"]):
                problems.append("%s: the printed table page does not print the grid" % page)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        set_width(driver, 1280)
    return problems


def test_print_shows_site_and_address(driver, html_pages, url):
    pages = every_kind(html_pages)

    def title_of(page):
        lang = next((l for l in LANGUAGES if LANGS[l] and page.startswith(LANGS[l])), LANGUAGES[0])
        return site_setting("title", lang)
    problems = print_check(driver, url, pages, title_of, BASE_URL)
    assert not problems, "print:\n" + "\n".join(problems)


# --- 7. screenshots ----------------------------------------------------------------------

def design_pages(site, html_pages):
    lang = LANGUAGES[0]
    parties = entry_pages(html_pages, lang, "party")
    return {
        "home": LANGS[lang] + "index.html",
        "home-" + LANGUAGES[-1]: LANGS[LANGUAGES[-1]] + "index.html",
        "action": longest(site, entry_pages(html_pages, lang, "action")),
        "goal": longest(site, entry_pages(html_pages, lang, "goal")),
        "table": FOLDERS[lang]["action"] + "index.html",
        "table-" + LANGUAGES[-1]: FOLDERS[LANGUAGES[-1]]["action"] + "index.html",
        "party": longest(site, parties),
        "calendar": FOLDERS[lang]["event"] + "index.html",
        "search": SEARCH_PAGE[lang],
    }


def full_page(driver, width, path):
    set_viewport(driver, width, 800)
    height = driver.execute_script(PAGE_HEIGHT)
    set_viewport(driver, width, min(height, 12000))
    driver.save_screenshot(str(path))


def test_design_screenshots(driver, site, html_pages, url):
    """Every kind of page a reader meets, at a phone's and a desktop's width; the phone's
    menu open; the home page and the table in forced colours."""
    DESIGN_SHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for name, page in design_pages(site, html_pages).items():
            for width in (375, 1280):
                set_viewport(driver, width, 800)
                driver.get(url(page))
                if name == "search":
                    field_ = driver.find_element(By.ID, "search-input")
                    field_.send_keys("samverkan")
                    WebDriverWait(driver, 5, poll_frequency=0.05).until(
                        lambda d: d.find_element(By.ID, "search-status").text.strip())
                path = DESIGN_SHOTS / ("%s-%d.png" % (name, width))
                full_page(driver, width, path)
                written.append(path)
        set_viewport(driver, 375, 800)
        driver.get(url(LANGS[LANGUAGES[0]] + "index.html"))
        driver.execute_script("document.querySelector('details.menu').open = true")
        path = DESIGN_SHOTS / "menu-open-375.png"
        driver.save_screenshot(str(path))
        written.append(path)
        forced_colors(driver, True)
        for name in ("home", "table"):
            page = design_pages(site, html_pages)[name]
            for width in (375, 1280):
                set_viewport(driver, width, 800)
                driver.get(url(page))
                path = DESIGN_SHOTS / ("%s-forced-colours-%d.png" % (name, width))
                full_page(driver, width, path)
                written.append(path)
    finally:
        forced_colors(driver, False)
        clear_viewport(driver)
    print("design screenshots in %s" % DESIGN_SHOTS)
    assert all(p.stat().st_size > 1000 for p in written)


# --- 8. another region ------------------------------------------------------------------

REGION_GOALS = [
    ("halsa", "Regionen ska ha en god och jämlik hälsa för alla som bor och verkar här", "The region shall have good and equal health for everyone who lives and works here"),
    ("kunskap", "Regionen ska vara en plats där kunskap och bildning växer genom hela livet", "The region shall be a place where knowledge and learning grow throughout life"),
    ("klimat", "Regionen ska ställa om till ett samhälle utan klimatpåverkan", "The region shall become a society without climate impact"),
    ("delaktighet", "Regionen ska ge alla möjlighet att vara delaktiga i samhällets utveckling", "The region shall give everyone the chance to take part in how society develops"),
]

WORDS_SV = ["samverkan", "idéburna organisationer", "kommunerna", "folkbildning", "ungdomars delaktighet",
            "landsbygdens mötesplatser", "kunskapsutveckling", "civilsamhällets självständighet",
            "långsiktig finansiering", "socialt företagande", "integration", "äldres hälsa"]
WORDS_EN = ["cooperation", "non-profit organisations", "the municipalities", "popular education",
            "young people's participation", "rural meeting places", "knowledge development",
            "civil society's independence", "long-term funding", "social enterprise", "integration",
            "older people's health"]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def another_region(root):
    """Four goals, thirty-five actions (some with a short title, parties and a status, most
    without), three parties, a page, in Swedish and English; no base_url, no tagline."""
    content = root / "content"
    write(content / "site.yml", "languages: [sv, en]\n"
          "title: { sv: Överenskommelsen i Norrland, en: The Norrland Agreement }\n"
          "strategy: { sv: Norrland 2040, en: Norrland 2040 }\n"
          "description:\n"
          "  sv: Överenskommelsen i Norrland är ett avtal om samverkan mellan idéburen och offentlig sektor. Den gäller från 2019.\n"
          "  en: The Norrland Agreement is an agreement on cooperation between the non-profit and public sectors. It applies from 2019.\n"
          "contact_email: info@norrland.example\n"
          "contact:\n  organisation: { sv: Kansliet för överenskommelsen, en: The agreement's secretariat }\n"
          "  address: Storgatan 1, 901 00 Umeå\n  phone: \"+46 90 123 45 67\"\n")
    for order, (ident, sv, en) in enumerate(REGION_GOALS, 1):
        write(content / "goals" / ("%s.sv.md" % ident), "---\ntitle: %s\norder: %d\n---\nMålet i strategin.\n" % (sv, order))
        write(content / "goals" / ("%s.en.md" % ident), "---\ntitle: %s\n---\nThe goal in the strategy.\n" % en)
    parties = [("kommunforbundet", "public", "Kommunförbundet i Norrland", "The Norrland Association of Municipalities"),
               ("civilsamhallet", "nonprofit", "Civilsamhällets råd i Norrland", "The Norrland Civil Society Council"),
               ("folkhogskolorna", None, "Folkhögskolorna i Norrland", "The folk high schools of Norrland")]
    for ident, sector, sv, en in parties:
        write(content / "parties" / ("%s.sv.md" % ident), "---\ntitle: %s\n%s---\nEn part i överenskommelsen.\n" % (sv, "sector: %s\n" % sector if sector else ""))
        write(content / "parties" / ("%s.en.md" % ident), "---\ntitle: %s\n---\nA party to the agreement.\n" % en)
    goal_ids = [g for g, _, _ in REGION_GOALS]
    for n in range(1, 36):
        a, b = WORDS_SV[n % len(WORDS_SV)], WORDS_SV[(n * 5) % len(WORDS_SV)]
        ea, eb = WORDS_EN[n % len(WORDS_EN)], WORDS_EN[(n * 5) % len(WORDS_EN)]
        goals = sorted({goal_ids[n % 4], goal_ids[(n * 3) % 4]} if n % 3 else {goal_ids[n % 4]})
        extra = ""
        if n % 4 == 0:
            extra += "parties: [%s]\n" % parties[n % 3][0]
        if n % 5 == 0:
            extra += "status: %s\n" % ("planned", "ongoing", "completed")[n % 3]
        short_sv = "short_title: %s\n" % a.capitalize() if n % 2 else ""
        short_en = "short_title: %s\n" % ea.capitalize() if n % 2 else ""
        write(content / "actions" / ("insats-%02d.sv.md" % n),
              "---\ntitle: Utveckla %s och stärka %s i hela regionen genom nya arbetssätt (%d)\n%snumber: %d\ngoals: [%s]\n%s---\nInsatsen i planen.\n"
              % (a, b, n, short_sv, n, ", ".join(goals), extra))
        write(content / "actions" / ("insats-%02d.en.md" % n),
              "---\ntitle: Develop %s and strengthen %s across the region through new ways of working (%d)\n%s---\nThe action in the plan.\n"
              % (ea, eb, n, short_en))
    write(content / "pages" / "om.sv.md", "---\ntitle: Om överenskommelsen\nmenu: 1\n---\nOm avtalet.\n")
    write(content / "pages" / "om.en.md", "---\ntitle: About the agreement\n---\nAbout the agreement.\n")
    return content


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    root = tmp_path_factory.mktemp("region")
    content = another_region(root)
    out = root / "site"
    result = subprocess.run([str(BINARY), "build", "--quiet", "--content", str(content), "--theme", str(ROOT / THEME),
                             "--output", str(out)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("another region's site did not build (%d):\n%s%s" % (result.returncode, result.stdout, result.stderr))
    return content, out


def test_another_region_reads_well(driver, region):
    content, site = region
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    sample = every_kind(pages)
    problems = []
    for width in (375, 320):
        set_width(driver, width)
        for page in sample:
            driver.get((site / page).as_uri())
            r = driver.execute_script(OVERFLOW)
            if r["scroll"] > r["width"] or r["wide"]:
                problems.append("%s at %d px: scrolls sideways: %s" % (page, width, r["wide"]))
    set_width(driver, 1280)
    try:
        def lang_of(page):
            return next((l for l in LANGUAGES if LANGS[l] and page.startswith(LANGS[l])), LANGUAGES[0])
        for lang in ("sv", "en"):
            for page in chart_pages(lang):
                driver.get((site / page).as_uri())
                bars = driver.execute_script("return document.querySelectorAll('svg.chart[aria-labelledby^=\"%s-\"] .bar').length" % GOAL_CHART)
                if bars != 4:
                    problems.append("%s: the chart has %d bars, the region has 4 goals" % (page, bars))
        problems += check_charts(driver, lambda p: (site / p).as_uri(),
                                 [p for lang in ("sv", "en") for p in chart_pages(lang)], content, lang_of)
        for page in ("index.html", "en/index.html"):
            driver.get((site / page).as_uri())
            r = driver.execute_script(MENU_LINES)
            if not r or r["lines"] != 1:
                problems.append("%s: the menu is not one line at 1280 px: %s" % (page, r))
        for page, organisation in (("index.html", "Kansliet för överenskommelsen"), ("en/index.html", "The agreement's secretariat")):
            html = footer((site / page).read_text(encoding="utf-8"))
            for text in (organisation, "Storgatan 1, 901 00 Umeå", 'href="tel:+46901234567"', "info@norrland.example"):
                if text not in html:
                    problems.append("%s: the footer does not give %r" % (page, text))
        # 35 actions: the table still fits a phone's screen in width, one row each.
        set_viewport(driver, 375, 800)
        driver.get((site / "insatser/index.html").as_uri())
        rows = driver.execute_script("return [...document.querySelectorAll('.action-rows > li')].filter(li => li.offsetParent).length")
        if rows != 35:
            problems.append("insatser/index.html: %d rows at 375 px, expected 35" % rows)
        clear_viewport(driver)
        # Without base_url a printed page gives its path.
        problems += print_check(driver, lambda p: (site / p).as_uri(), ["index.html", "insatser/index.html", "insatser/insats-07.html"],
                                lambda p: "Överenskommelsen i Norrland", None)
        DESIGN_SHOTS.mkdir(parents=True, exist_ok=True)
        for page, name in (("index.html", "region-home"), ("insatser/index.html", "region-table")):
            for width in (375, 1280):
                set_viewport(driver, width, 800)
                driver.get((site / page).as_uri())
                full_page(driver, width, DESIGN_SHOTS / ("%s-%d.png" % (name, width)))
    finally:
        clear_viewport(driver)
        set_width(driver, 1280)
    assert not problems, "\n".join(problems)
