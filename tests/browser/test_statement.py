"""The accessibility statement, in every language: what the Act (2018:1937) and DIGG's
regulations (MDFFS 2019:2) require it to say, and a link to it from every page.

The statement is the page of each language that links DIGG's complaint form."""
import datetime
import re
from html.parser import HTMLParser

import pytest

from conftest import LANGUAGES, SITE_YML, link_target, page_lang

DIGG = "https://www.digg.se/tdosanmalan"

MONTHS = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}

# What the statement must say, per language: (requirement, pattern over the page's text).
REQUIRED = {
    "sv": [
        ("the law it answers to", r"2018:1937"),
        ("compliance status in DIGG's words", r"\b(helt|delvis|inte) förenlig\b"),
        ("the standard: WCAG 2.1 level AA", r"WCAG\)? 2\.1|2\.1.*WCAG"),
        ("level AA", r"\bAA\b"),
        ("the standard: EN 301 549", r"EN 301 549"),
        ("content that is not accessible, and why", r"[Ii]nnehåll som inte är tillgängligt"),
        ("disproportionate burden (12 §)", r"oskäligt betungande"),
        ("content outside the law (9 §)", r"9 §"),
        ("the method: self-assessment or third party", r"självskattning|extern part"),
        ("automated test with axe-core", r"axe-core"),
        ("validation with the Nu HTML Checker", r"Nu HTML Checker"),
        ("manual checks", r"manuellt|manuell"),
        ("date of the assessment", r"bedömdes[^.]*?\b\d{1,2} (%s) \d{4}"),
        ("date of the last update", r"uppdaterades senast[^.]*?\b\d{1,2} (%s) \d{4}"),
        ("how to report problems", r"[Rr]apportera brister"),
        ("how to ask for content in another format", r"annat format"),
        ("enforcement by Digg", r"Digg"),
    ],
    "en": [
        ("the law it answers to", r"2018:1937"),
        ("compliance status", r"\b(fully|partially|not) compliant\b"),
        ("the standard: WCAG 2.1 level AA", r"WCAG\)? 2\.1|2\.1.*WCAG"),
        ("level AA", r"\bAA\b"),
        ("the standard: EN 301 549", r"EN 301 549"),
        ("content that is not accessible, and why", r"[Cc]ontent that is not accessible"),
        ("disproportionate burden (section 12)", r"[Dd]isproportionate burden"),
        ("content outside the law (section 9)", r"section 9"),
        ("the method: self-assessment or third party", r"self-assessment|third party"),
        ("automated test with axe-core", r"axe-core"),
        ("validation with the Nu HTML Checker", r"Nu HTML Checker"),
        ("manual checks", r"by hand|manual"),
        ("date of the assessment", r"assessed on\b[^.]*?\b\d{1,2} (%s) \d{4}"),
        ("date of the last update", r"last updated on\b[^.]*?\b\d{1,2} (%s) \d{4}"),
        ("how to report problems", r"[Rr]eport(ing)? (accessibility )?problems"),
        ("how to ask for content in another format", r"another format"),
        ("enforcement by Digg", r"Digg"),
    ],
}

# For a language with no list above: what any language writes the same way.
NEUTRAL = [("the law it answers to", r"2018:1937"), ("WCAG 2.1", r"WCAG\)? 2\.1|2\.1.*WCAG"),
           ("level AA", r"\bAA\b"), ("EN 301 549", r"EN 301 549"), ("axe-core", r"axe-core")]


class Text(HTMLParser):
    """The text of <main>, its links, and every link of the page."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.text, self.main_links, self.links = 0, [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.depth += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if self.depth:
                self.main_links.append(a)
        if tag in ("script", "template"):
            self.depth -= 100

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "template"):
            self.depth += 100

    def handle_data(self, data):
        if self.depth > 0:
            self.text.append(data)


def read(site, page):
    t = Text()
    t.feed((site / page).read_text(encoding="utf-8"))
    t.plain = " ".join(" ".join(t.text).split())
    return t


@pytest.fixture(scope="session")
def statements(site, html_pages):
    """The statement page of each language: the one page there that links DIGG's form."""
    found = {}
    for page in html_pages:
        if DIGG in read(site, page).links:
            found.setdefault(page_lang(page), []).append(page)
    return found


def publisher(lang):
    """site.yml's publisher in that language (a mapping or one string), if any."""
    m = re.search(r"^publisher:[ \t]*\n((?:[ \t]+\S[^\n]*\n?)+)", SITE_YML, re.M)
    if m:
        for key, value in re.findall(r"^[ \t]+(\w+):[ \t]*(.+)$", m.group(1), re.M):
            if key == lang:
                return value.strip().strip("'\"")
    m = re.search(r"^publisher:[ \t]*(\S.*)$", SITE_YML, re.M)
    return m.group(1).strip().strip("'\"") if m else None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_statement_says_what_the_law_requires(site, statements, lang):
    pages = statements.get(lang, [])
    assert len(pages) == 1, "expected one accessibility statement in %s (a page linking %s), found %s" % (
        lang, DIGG, pages)
    page = pages[0]
    t = read(site, page)
    problems = []
    who = publisher(lang)
    if who and who not in t.plain:
        problems.append("does not say who publishes the site (%s)" % who)
    months = "|".join(MONTHS.get(lang, MONTHS["en"]))
    for what, pattern in REQUIRED.get(lang, NEUTRAL):
        if not re.search(pattern.replace("%s", months), t.plain, re.I):
            problems.append("does not state %s (/%s/)" % (what, pattern.replace("%s", "…")))
    # A way to reach the publisher that needs no JavaScript: an e-mail link with the address shown.
    mail = [a for a in t.main_links if a["href"].startswith("mailto:")]
    if not mail:
        problems.append("has no mailto: contact")
    elif not any(a["href"][len("mailto:"):].split("?")[0] in t.plain for a in mail):
        problems.append("does not show the e-mail address as text")
    if not any(a["href"] == DIGG for a in t.main_links):
        problems.append("does not link DIGG's complaint form in <main>")
    # Dates named in the statement lie in the past (or today).
    month_index = {m.lower(): i + 1 for i, m in enumerate(MONTHS.get(lang, MONTHS["en"]))}
    for d, m, y in re.findall(r"\b(\d{1,2}) (%s) (\d{4})" % months, t.plain):
        when = datetime.date(int(y), month_index[m.lower()], int(d))
        if when > datetime.date.today():
            problems.append("names a date in the future: %s" % when)
    assert not problems, "%s:\n  %s" % (page, "\n  ".join(problems))


def test_statement_linked_from_every_page(site, html_pages, statements):
    """DIGG: the statement is reachable from every page (here: from the footer)."""
    problems = []
    for page in html_pages:
        lang = page_lang(page)
        targets = {(site / s).resolve() for s in statements.get(lang, []) + statements.get(LANGUAGES[0], [])}
        if not any(link_target(site, page, href) in targets
                   for href in read(site, page).links if not re.match(r"[a-z]+:", href)):
            problems.append(page)
    assert not problems, "pages without a link to the accessibility statement:\n" + "\n".join(problems[:40])
