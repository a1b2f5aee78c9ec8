"""What every page has, read from the HTML: skip link, landmarks, breadcrumbs, the language
switcher, a Content-Security-Policy that allows nothing from other hosts, goals shown with
colour and a text label."""
import re
from html.parser import HTMLParser

from conftest import LANGS, LANGUAGE_NAME, LANGUAGES, page_lang


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs) in document order
        self.stack = []
        self.switcher = []      # <a> inside .language-switcher: attrs + text
        self.breadcrumbs = 0
        self._texts = []        # open <a> elements collecting their text
        self.ui_langs = []      # (tag, language in force) of the theme's own headings and regions

    VOID = ("meta", "link", "br", "img", "input", "hr", "source", "wbr")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag not in self.VOID:
            self.stack.append((tag, a))
        classes = [c for _, x in self.stack for c in (x.get("class") or "").split()]
        if tag == "a" and "language-switcher" in classes:
            self._texts.append({"attrs": a, "text": ""})
        if tag == "nav" and "breadcrumbs" in (a.get("class") or ""):
            self.breadcrumbs += 1
        if tag in ("h2", "h3", "nav", "footer", "header") or (tag == "p" and "note" in (a.get("class") or "")):
            # The language in force here: the nearest lang attribute.
            lang = next((x["lang"] for _, x in reversed(self.stack) if x.get("lang")), None)
            self.ui_langs.append((tag, lang))

    def handle_endtag(self, tag):
        # `<hr />` is reported as a start and an end: a void element has nothing to close.
        if tag in self.VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "a" and self._texts:
            self.switcher.append(self._texts.pop())

    def handle_data(self, data):
        for t in self._texts:
            t["text"] += data


def read(site, page):
    p = Page()
    p.feed((site / page).read_text(encoding="utf-8"))
    return p


def test_skip_link_and_landmarks(site, html_pages):
    """The first link skips to <main>; one banner, main menu, main and footer per page;
    breadcrumbs on every page but the home pages and 404."""
    problems = []
    for page in html_pages:
        p = read(site, page)
        links = [a for t, a in p.tags if t == "a"]
        main = [a for t, a in p.tags if t == "main"]
        if len(main) != 1:
            problems.append("%s: %d <main>" % (page, len(main)))
        elif not links or links[0].get("href") != "#" + (main[0].get("id") or "?") \
                or "skip-link" not in (links[0].get("class") or ""):
            problems.append("%s: the first link is not a skip link to <main id>: %s" % (page, links[:1]))
        headers = [a for t, a in p.tags if t == "header"]
        footers = [a for t, a in p.tags if t == "footer"]
        navs = [a for t, a in p.tags if t == "nav"]
        if len(headers) != 1 or len(footers) != 1:
            problems.append("%s: %d <header>, %d <footer>" % (page, len(headers), len(footers)))
        if not navs or any(not (n.get("aria-label") or n.get("aria-labelledby")) for n in navs):
            problems.append("%s: a <nav> without a name (or none at all)" % page)
        if len({n.get("aria-label") for n in navs}) != len(navs):
            problems.append("%s: two <nav> with the same name" % page)
        is_home = page in {LANGS[lang] + "index.html" for lang in LANGUAGES}
        if page != "404.html" and not is_home and p.breadcrumbs != 1:
            problems.append("%s: %d breadcrumb trails" % (page, p.breadcrumbs))
        h1 = [t for t, _ in p.tags if t == "h1"]
        if len(h1) != 1:
            problems.append("%s: %d <h1>" % (page, len(h1)))
    assert not problems, "\n".join(problems[:40])


def test_language_switcher(site, html_pages):
    """Each page links to each other language's version; the link names that language in
    that language (English, Svenska) and carries lang and hreflang for it."""
    problems = []
    for page in html_pages:
        here = page_lang(page)
        others = [l for l in LANGUAGES if l != here]
        links = read(site, page).switcher
        got = {}
        for link in links:
            a, text = link["attrs"], " ".join(link["text"].split())
            lang = a.get("hreflang")
            got[lang] = a
            if a.get("lang") != lang:
                problems.append("%s: switcher link %r has lang=%s, hreflang=%s" % (page, text, a.get("lang"), lang))
            if text != LANGUAGE_NAME.get(lang):
                problems.append("%s: switcher link to %s says %r, expected %r" % (page, lang, text, LANGUAGE_NAME.get(lang)))
            target = ((site / page).parent / (a.get("href") or "")).resolve()
            if not target.is_file():
                problems.append("%s: switcher link to %s leads nowhere (%s)" % (page, lang, a.get("href")))
                continue
            target_html = target.read_text(encoding="utf-8")
            m = re.search(r'<html[^>]*\blang="([^"]+)"', target_html)
            if not m or m.group(1) != lang:
                problems.append("%s: switcher link to %s opens a page in %s" % (page, lang, m and m.group(1)))
        if page != "404.html" and sorted(got) != sorted(others):
            problems.append("%s: switcher offers %s, expected %s" % (page, sorted(got), others))
    assert not problems, "\n".join(problems[:40])


def test_content_security_policy(site, html_pages):
    """A CSP meta tag on every page that allows scripts, styles, fonts and images from the
    site itself only (data: images at most) and nothing else."""
    problems = []
    for page in html_pages:
        metas = [a for t, a in read(site, page).tags
                 if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
        if len(metas) != 1:
            problems.append("%s: %d CSP meta tags" % (page, len(metas)))
            continue
        policy = {}
        for part in (metas[0].get("content") or "").split(";"):
            words = part.split()
            if words:
                policy[words[0].lower()] = words[1:]
        default = policy.get("default-src")
        if default is None:
            problems.append("%s: CSP has no default-src" % page)
            continue
        for directive in ("default-src", "script-src", "style-src", "img-src", "font-src",
                          "connect-src", "media-src", "frame-src", "object-src"):
            sources = policy.get(directive, default)
            allowed = {"'self'", "'none'"} | ({"data:"} if directive in ("img-src", "font-src") else set())
            bad = [s for s in sources if s.lower() not in allowed]
            if bad:
                problems.append("%s: CSP %s allows %s" % (page, directive, " ".join(bad)))
    assert not problems, "\n".join(problems[:40])


def test_goals_have_colour_and_label(site, html_pages):
    """Wherever a goal's colour marks something, its number or name is there as text too."""
    problems = []
    for page in html_pages:
        text = (site / page).read_text(encoding="utf-8")
        for m in re.finditer(r'<(li|td|th|article)\b[^>]*class="([^"]*\bgoal-\d+\b[^"]*)"[^>]*>(.*?)</\1>', text, re.S):
            inner = re.sub(r"<[^>]+>", " ", m.group(3))
            words = " ".join(inner.split())
            if not re.search(r"\w", words):
                problems.append("%s: <%s class=%s> shows a colour with no text" % (page, m.group(1), m.group(2)))
            if m.group(1) == "td" and "yes" in m.group(2).split() and not re.search(r'class="goal-badge"[^>]*>\d+<', m.group(3)):
                problems.append("%s: a table cell marks a goal by colour without its number" % page)
    assert not problems, "\n".join(problems[:40])


def test_interface_words_keep_the_page_language(site, html_pages):
    """On a page shown in another language (no translation yet), only the untranslated
    text carries that language: the theme's headings, menus, notes and footer stay in the
    page's language, so a screen reader reads each with the right voice."""
    problems = []
    for page in html_pages:
        want = page_lang(page)
        for tag, lang in read(site, page).ui_langs:
            if lang != want:
                problems.append("%s: a <%s> of the interface is marked lang=%s" % (page, tag, lang))
    assert not problems, "\n".join(problems[:40])
