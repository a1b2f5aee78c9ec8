"""The iCalendar files (RFC 5545): each event's <slug>.ics and each language's calendar.ics,
read byte by byte and with the `icalendar` package. The site is built twice, a second apart,
from a copy of content/ plus four events written for these tests:

(a) a timed event across the end of summer time (2023-10-28T12:00 to 2023-10-29T12:00 in
    Europe/Stockholm: DTSTART 10:00Z, DTEND 11:00Z the next day, 25 hours later);
(b) an all-day event over three days (VALUE=DATE, DTEND the day after the last day);
(c) a timed event with no end;
(d) an event whose title holds a comma, a semicolon and a backslash, whose place holds a
    comma and a semicolon, and whose summary is long Swedish text (å, ä, ö, dashes, a colon)
    with a run of two- and three-octet characters, so lines are folded inside them.

Checked: every physical line ends in CRLF, is at most 75 octets and whole UTF-8; continuation
lines start with a space; unfolding gives back the logical line, and unescaping the
original text; the parser reads what the entries say; UIDs are unique in each calendar and,
with DTSTAMP and every byte, the same in both builds."""
import datetime as dt
import html
import re
import shutil
import time

import icalendar  # scripts/browser-deps.sh installs it
import pytest

from conftest import BASE_URL, CONTENT, FOLDERS, LANGS, LANGUAGES, ROOT
from test_events import build, write

UTC = dt.timezone.utc

LONG_SV = ("Ett längre sammandrag för att pröva radbrytningen: på samrådet möts företrädare för "
           "föreningar, kommuner och regionen för att tala om återväxt, ärenden och övergångar – "
           "och om hur överenskommelsen ska följas upp i Skåne under året som kommer. "
           "Åäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäö, och –––––––––––––––––––––––– slut.")
LONG_EN = ("A longer summary to try folding: at the consultation, representatives of associations, "
           "municipalities and the region meet to speak about renewal, cases and transitions; and "
           "about following up the agreement in Skåne (Skåne, Malmö, Höör) during the coming year.")

EVENTS = {
    "ical-sommartid": {
        "neutral": "start: 2023-10-28T12:00\nend: 2023-10-29T12:00\n",
        "title": {"sv": "Dygnet när sommartiden slutar", "en": "The day summer time ends"},
        "dtstart": "20231028T100000Z", "dtend": "20231029T110000Z",
    },
    "ical-heldagar": {
        "neutral": "start: 2024-05-15\nend: 2024-05-17\n",
        "title": {"sv": "Tre hela dagar i maj", "en": "Three whole days in May"},
        "dtstart": "20240515", "dtend": "20240518",
    },
    "ical-utan-slut": {
        "neutral": "start: 2024-02-01T09:00\n",
        "title": {"sv": "Möte utan sluttid", "en": "Meeting with no end time"},
        "dtstart": "20240201T080000Z", "dtend": None,
    },
    "ical-tecken": {
        "neutral": "start: 2024-03-05T13:15\nend: 14:45\n"
                   "online: https://example.org/live?rum=1&sprak=sv\n"
                   "registration: https://example.org/anmalan\n",
        # Single-quoted YAML: the backslash is the text's own.
        "title": {"sv": r"Samråd, del 1; frågor om snedstreck \ och semikolon; återväxt, ärenden och övergångar i Skåne",
                  "en": r"Consultation, part 1; questions on backslash \ and semicolons; renewal, cases and transitions"},
        "place": {"sv": "Malmö, Stortorget 1; sal Öresund", "en": "Malmö, Stortorget 1; room Öresund"},
        "summary": {"sv": LONG_SV, "en": LONG_EN},
        "dtstart": "20240305T121500Z", "dtend": "20240305T134500Z",
    },
}


def yaml_single(text):
    return "'%s'" % text.replace("'", "''")


def add_fixtures(content):
    for ident, e in EVENTS.items():
        for lang in LANGUAGES:
            head = "title: %s\n" % yaml_single(e["title"][lang])
            if lang == LANGUAGES[0]:
                head += e["neutral"]
            else:
                head += "slug: %s-en\n" % ident
            if "place" in e:
                head += "place: %s\n" % yaml_single(e["place"][lang])
            if "summary" in e:
                head += "summary: %s\n" % yaml_single(e["summary"][lang])
            write(content / "events" / ("%s.%s.md" % (ident, lang)), "---\n%s---\nText.\n" % head)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two builds of the same content, more than a second apart: (site, site again, the
    UTC times each build began and ended)."""
    if set(LANGUAGES) != {"sv", "en"} or LANGUAGES[0] != "sv":
        pytest.skip("the iCalendar fixture is written for sv (default) and en, the site has %s" % LANGUAGES)
    base = tmp_path_factory.mktemp("icalendar")
    content = base / "content"
    shutil.copytree(ROOT / CONTENT, content)
    add_fixtures(content)
    windows, sites = [], []
    for n in (1, 2):
        began = dt.datetime.now(UTC)
        sites.append(build(content, base / ("site%d" % n), cache=base / "cache"))
        windows.append((began, dt.datetime.now(UTC)))
        time.sleep(1.1)
    return sites[0], sites[1], windows


@pytest.fixture(scope="module")
def site(builds):
    return builds[0]


def event_ics(lang, ident):
    return FOLDERS[lang]["event"] + (ident if lang == LANGUAGES[0] else ident + "-en") + ".ics"


def calendar_ics(lang):
    return LANGS[lang] + "calendar.ics"


def all_ics(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.ics"))


def unfold(raw):
    """Logical lines: CRLF followed by one space or tab joins (RFC 5545 3.1)."""
    return re.sub(rb"\r\n[ \t]", b"", raw).decode("utf-8").split("\r\n")[:-1]


def unescape(value):
    """A TEXT value's escapes undone (RFC 5545 3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def escape(text):
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def logical(raw, name):
    """The values of every logical line named `name` (without parameters), in order."""
    out = []
    for line in unfold(raw):
        m = re.match(r"([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)\Z", line, re.S)
        assert m, "not a content line: %r" % line
        if m.group(1).upper() == name:
            out.append((m.group(2), m.group(3)))
    return out


def vevents(raw):
    """Each VEVENT's logical lines."""
    events, current = [], None
    for line in unfold(raw):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return events


def test_files(site):
    """An .ics beside every event's page, and calendar.ics for each language."""
    problems = []
    for lang in LANGUAGES:
        folder = site / FOLDERS[lang]["event"]
        pages = [p for p in folder.glob("*.html") if p.name != "index.html"]
        assert len(pages) >= len(EVENTS)
        for page in pages:
            if not page.with_suffix(".ics").is_file():
                problems.append("%s has no %s" % (page.relative_to(site), page.with_suffix(".ics").name))
        for ics in folder.glob("*.ics"):
            if not ics.with_suffix(".html").is_file():
                problems.append("%s has no page" % ics.relative_to(site))
        if not (site / calendar_ics(lang)).is_file():
            problems.append("no %s" % calendar_ics(lang))
    assert not problems, "\n".join(problems)


def test_physical_lines(site):
    """CRLF after every line and no bare CR or LF; at most 75 octets a line; each line
    whole UTF-8 (no fold inside a character); continuation lines start with a space and
    every other line is NAME[;params]:value; the file begins and ends the VCALENDAR; and
    the fixture's long lines were folded at all."""
    problems = []
    folded = set()
    for rel in all_ics(site):
        raw = (site / rel).read_bytes()
        if not raw.endswith(b"\r\n"):
            problems.append("%s does not end in CRLF" % rel)
        lines = raw.split(b"\r\n")[:-1]
        for n, line in enumerate(lines, 1):
            where = "%s line %d" % (rel, n)
            if b"\r" in line or b"\n" in line:
                problems.append("%s: a bare CR or LF in %r" % (where, line[:80]))
            if len(line) > 75:
                problems.append("%s: %d octets: %r" % (where, len(line), line))
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as e:
                problems.append("%s: not whole UTF-8 (%s): %r" % (where, e, line))
                continue
            if not text:
                problems.append("%s is empty" % where)
            elif text[0] in " \t":
                if n == 1:
                    problems.append("%s: the file begins with a continuation" % where)
                if text[0] != " ":
                    problems.append("%s: continuation starts with a tab (this generator folds with a space)" % where)
                folded.add(rel)
            elif not re.match(r"[A-Z][A-Z0-9-]*(;[^:]*)?:", text):
                problems.append("%s: neither a continuation nor NAME:value: %r" % (where, text))
        if lines[:1] != [b"BEGIN:VCALENDAR"] or lines[-1:] != [b"END:VCALENDAR"]:
            problems.append("%s: does not begin with BEGIN:VCALENDAR and end with END:VCALENDAR" % rel)
    for lang in LANGUAGES:
        for rel in (event_ics(lang, "ical-tecken"), calendar_ics(lang)):
            if rel not in folded:
                problems.append("%s has no folded line: the fixture's long text was not folded" % rel)
    assert not problems, "\n".join(problems[:60])


def parse(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    errors = [(c.name, e) for c in cal.walk() for e in getattr(c, "errors", [])]
    assert not errors, "%s: the parser reports %s" % (path, errors)
    return cal


def test_parses(site):
    """Every file is one VCALENDAR 2.0 with PRODID; every VEVENT has UID, DTSTAMP (UTC) and
    DTSTART; an event's file has its one event, the same as in its language's calendar.ics,
    which has every event of that language once, each UID once."""
    problems = []
    for lang in LANGUAGES:
        cal = parse(site / calendar_ics(lang))
        events = cal.walk("VEVENT")
        pages = [p for p in (site / FOLDERS[lang]["event"]).glob("*.html") if p.name != "index.html"]
        if len(events) != len(pages):
            problems.append("%s has %d events for %d event pages" % (calendar_ics(lang), len(events), len(pages)))
        uids = [str(e.get("UID")) for e in events]
        if len(set(uids)) != len(uids):
            problems.append("%s: UIDs repeat: %s" % (calendar_ics(lang), sorted(u for u in uids if uids.count(u) > 1)))
        by_uid = {str(e.get("UID")): e for e in events}
        for page in pages:
            rel = page.with_suffix(".ics").relative_to(site).as_posix()
            one = parse(page.with_suffix(".ics"))
            if str(one.get("VERSION")) != "2.0" or not str(one.get("PRODID") or "").strip():
                problems.append("%s: VERSION %r, PRODID %r" % (rel, one.get("VERSION"), one.get("PRODID")))
            found = one.walk("VEVENT")
            if len(found) != 1:
                problems.append("%s has %d events" % (rel, len(found)))
                continue
            event = found[0]
            for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                if event.get(name) is None:
                    problems.append("%s: no %s" % (rel, name))
            stamp = event.decoded("DTSTAMP") if event.get("DTSTAMP") is not None else None
            if not isinstance(stamp, dt.datetime) or stamp.utcoffset() != dt.timedelta(0):
                problems.append("%s: DTSTAMP %r is not a UTC date-time" % (rel, stamp))
            twin = by_uid.get(str(event.get("UID")))
            if twin is None:
                problems.append("%s: UID %s is not in %s" % (rel, event.get("UID"), calendar_ics(lang)))
            elif twin.to_ical() != event.to_ical():
                problems.append("%s differs from its event in %s" % (rel, calendar_ics(lang)))
        if str(cal.get("VERSION")) != "2.0":
            problems.append("%s: VERSION %r" % (calendar_ics(lang), cal.get("VERSION")))
        name = str(cal.get("X-WR-CALNAME") or "")
        if not name or "\\" in name:
            problems.append("%s: X-WR-CALNAME %r" % (calendar_ics(lang), name))
    assert not problems, "\n".join(problems)


def test_same_in_two_builds(builds):
    """Nothing in the files depends on the day of the build: every .ics is byte for byte
    the same, so the UIDs and DTSTAMPs are, and no DTSTAMP is the time of a build."""
    one, two, windows = builds
    assert all_ics(one) == all_ics(two)
    changed = [rel for rel in all_ics(one) if (one / rel).read_bytes() != (two / rel).read_bytes()]
    assert not changed, "differ between two builds: %s" % changed
    for lang in LANGUAGES:
        for site in (one, two):
            for event in parse(site / calendar_ics(lang)).walk("VEVENT"):
                stamp = event.decoded("DTSTAMP")
                for began, ended in windows:
                    assert not (began - dt.timedelta(seconds=2) <= stamp <= ended + dt.timedelta(seconds=2)), \
                        "%s: DTSTAMP %s is the build's time" % (event.get("UID"), stamp)


def test_uids_stable_and_named_by_id(builds):
    """A UID is made of the event's id and base_url's host: the same in both builds and in
    both languages' calendars (it is one event), different for different events."""
    one, two, _ = builds
    host = re.match(r"https?://([^/:]+)", BASE_URL).group(1) if BASE_URL else None
    uids = {}
    for site in (one, two):
        for lang in LANGUAGES:
            uids[(site, lang)] = sorted(str(e.get("UID")) for e in parse(site / calendar_ics(lang)).walk("VEVENT"))
    assert len({tuple(v) for v in uids.values()}) == 1, uids
    ours = [u for u in uids[(one, LANGUAGES[0])] if u.split("@")[0] in EVENTS]
    assert sorted(u.split("@")[0] for u in ours) == sorted(EVENTS), ours
    if host:
        assert all(u.endswith("@" + host) for u in uids[(one, LANGUAGES[0])]), uids[(one, LANGUAGES[0])]


def event_of(site, lang, ident):
    path = site / event_ics(lang, ident)
    return path.read_bytes(), parse(path).walk("VEVENT")[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_times(site, lang):
    """Timed events in UTC, right across the end of summer time; all-day events as dates
    with DTEND the day after the last; an event with no end has no DTEND (RFC 5545 3.6.1:
    it ends when it starts) or, if it has one, an end after its start."""
    problems = []
    for ident, e in EVENTS.items():
        raw, event = event_of(site, lang, ident)
        starts = logical(raw, "DTSTART")
        ends = logical(raw, "DTEND")
        all_day = len(e["dtstart"]) == 8
        want_start = (";VALUE=DATE" if all_day else "", e["dtstart"])
        if starts != [want_start]:
            problems.append("%s: DTSTART %s, expected %s" % (ident, starts, [want_start]))
        if e["dtend"]:
            want_end = (";VALUE=DATE" if all_day else "", e["dtend"])
            if ends != [want_end]:
                problems.append("%s: DTEND %s, expected %s" % (ident, ends, [want_end]))
        elif ends or logical(raw, "DURATION"):
            if not event.decoded("DTEND") > event.decoded("DTSTART"):
                problems.append("%s: DTEND %s is not after DTSTART" % (ident, ends))
        start = event.decoded("DTSTART")
        if all_day:
            if type(start) is not dt.date or start.strftime("%Y%m%d") != e["dtstart"]:
                problems.append("%s: the parser reads DTSTART as %r" % (ident, start))
        elif start != dt.datetime.strptime(e["dtstart"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC):
            problems.append("%s: the parser reads DTSTART as %r" % (ident, start))
    # (a) lasts 25 hours: 12:00 summer time to 12:00 winter time.
    _, event = event_of(site, lang, "ical-sommartid")
    if event.decoded("DTEND") - event.decoded("DTSTART") != dt.timedelta(hours=25):
        problems.append("ical-sommartid lasts %s, not 25 hours" % (event.decoded("DTEND") - event.decoded("DTSTART")))
    # The real content's all-day events of one day: no DTEND, or the next day.
    for event in parse(site / calendar_ics(lang)).walk("VEVENT"):
        start = event.decoded("DTSTART")
        if type(start) is dt.date and event.get("DTEND") is not None:
            end = event.decoded("DTEND")
            if type(end) is not dt.date or end <= start:
                problems.append("%s: all-day DTEND %r for DTSTART %r" % (event.get("UID"), end, start))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text(site, lang):
    """SUMMARY, LOCATION and DESCRIPTION: escaped as RFC 5545 3.3.11 says in the file,
    unfolded and unescaped (by the parser, and by hand) back to the entry's own words."""
    e = EVENTS["ical-tecken"]
    title, place, summary = e["title"][lang], e["place"][lang], e["summary"][lang]
    problems = []
    for rel in (event_ics(lang, "ical-tecken"), calendar_ics(lang)):
        raw = (site / rel).read_bytes()
        mine = [lines for lines in vevents(raw) if any(l.startswith("UID:ical-tecken@") for l in lines)]
        if len(mine) != 1:
            problems.append("%s: %d VEVENTs with the UID ical-tecken@..." % (rel, len(mine)))
            continue
        props = {}
        for line in mine[0]:
            name, _, value = line.partition(":")
            props[name] = value
        for name, text in (("SUMMARY", title), ("LOCATION", place)):
            if props.get(name) != escape(text):
                problems.append("%s: %s is written %r, expected %r" % (rel, name, props.get(name), escape(text)))
            if unescape(props.get(name, "")) != text:
                problems.append("%s: %s unescaped by hand is %r" % (rel, name, unescape(props.get(name, ""))))
        description = unescape(props.get("DESCRIPTION", ""))
        if description.split("\n")[0] != summary:
            problems.append("%s: DESCRIPTION begins %r, expected the summary %r" % (rel, description.split("\n")[0], summary))
        event = [v for v in parse(site / rel).walk("VEVENT") if str(v.get("UID")).startswith("ical-tecken@")][0]
        for name, text in (("SUMMARY", title), ("LOCATION", place)):
            if str(event.get(name)) != text:
                problems.append("%s: the parser reads %s as %r, expected %r" % (rel, name, str(event.get(name)), text))
        parsed = str(event.get("DESCRIPTION"))
        if parsed != description:
            problems.append("%s: the parser reads DESCRIPTION as %r, by hand %r" % (rel, parsed, description))
        for url in ("https://example.org/live?rum=1&sprak=sv", "https://example.org/anmalan"):
            if url not in parsed:
                problems.append("%s: DESCRIPTION lacks %s" % (rel, url))
        if BASE_URL:
            page = BASE_URL + event_ics(lang, "ical-tecken")[:-4] + ".html"
            if str(event.get("URL")) != page or parsed.split("\n")[-1] != page:
                problems.append("%s: URL %r and DESCRIPTION's last line %r, expected %s"
                                % (rel, str(event.get("URL")), parsed.split("\n")[-1], page))
    assert not problems, "\n".join(problems)


def test_every_title_reads_back(site):
    """Every event, real and fixture, in both languages: the SUMMARY of the .ics beside its
    page, as the parser reads it, is the page's <h1> (its HTML escapes undone)."""
    problems = []
    for lang in LANGUAGES:
        for page in sorted((site / FOLDERS[lang]["event"]).glob("*.html")):
            if page.name == "index.html":
                continue
            h1 = html.unescape(re.search(r"<h1>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S).group(1))
            summary = str(parse(page.with_suffix(".ics")).walk("VEVENT")[0].get("SUMMARY"))
            if summary != h1:
                problems.append("%s: SUMMARY %r, the page's h1 %r" % (page.with_suffix(".ics").relative_to(site), summary, h1))
    assert not problems, "\n".join(problems)
