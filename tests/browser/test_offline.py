"""The site works offline: no page asks for anything outside the site."""
import json
import pathlib
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

from conftest import link_target, set_width

ALLOWED_SCHEMES = {"file", "data"}

# (tag, attribute) pairs whose URLs the browser loads by itself.
RESOURCE_ATTRS = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"),
    ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
    ("track", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data"),
    ("input", "src"), ("image", "href"), ("use", "href"),
}
# <link rel=...> that load something.
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest",
                "mask-icon"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)


class Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.resources = []   # (what, url) the page loads
        self.links = []       # (what, url) navigations (a href, link alternate…)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in RESOURCE_ATTRS:
                urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] \
                    if name == "srcset" else [value]
                for u in urls:
                    self.resources.append(("<%s %s>" % (tag, name), u))
            if name == "style":
                for m in CSS_URL.finditer(value):
                    self.resources.append(("style attribute", m.group(2) or m.group(4)))
        if tag == "link" and a.get("href") is not None:
            rels = set((a.get("rel") or "").lower().split())
            kind = "<link rel=%s>" % a.get("rel")
            (self.resources if rels & LOADING_RELS else self.links).append((kind, a["href"]))
        if tag == "a" and a.get("href") is not None:
            self.links.append(("<a href>", a["href"]))
        if tag == "form" and a.get("action") is not None:
            self.links.append(("<form action>", a["action"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def is_local(u):
    """Relative URL, fragment, or data: — no scheme, no host."""
    p = urlparse(u.strip())
    if p.scheme == "data":
        return True
    return p.scheme == "" and p.netloc == "" and not u.strip().startswith("//")


def test_no_request_leaves_the_site(driver, html_pages, url):
    set_width(driver, 1280)
    driver.get_log("performance")  # drain
    outside, seen = [], 0
    for page in html_pages:
        driver.get(url(page))
        driver.execute_script("return document.readyState")
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method = message.get("method", "")
            params = message.get("params", {})
            if method == "Network.requestWillBeSent":
                target = params["request"]["url"]
            elif method == "Network.webSocketCreated":
                target = params["url"]
            else:
                continue
            seen += 1
            scheme = urlparse(target).scheme
            if scheme not in ALLOWED_SCHEMES:
                outside.append("%s: %s" % (page, target))
    # Each page itself plus its stylesheet at least: the log must really have recorded requests.
    assert seen >= 2 * len(html_pages), "the performance log recorded only %d requests" % seen
    assert not outside, "requests outside file:/data: —\n" + "\n".join(outside)


def test_resources_are_relative(site, html_pages):
    problems = []
    for page in html_pages:
        refs = Refs()
        refs.feed((site / page).read_text(encoding="utf-8"))
        for what, u in refs.resources:
            if not is_local(u):
                problems.append("%s: %s loads %s" % (page, what, u))
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        for m in CSS_URL.finditer(text):
            u = m.group(2) or m.group(4)
            if not is_local(u):
                problems.append("%s: url(%s)" % (css.relative_to(site), u))
    assert not problems, "resources not relative:\n" + "\n".join(problems)


def test_relative_links_resolve(site, html_pages):
    """Every relative href/src points at a file of the build; same-page fragments at an id."""
    problems = []
    for page in html_pages:
        refs = Refs()
        refs.feed((site / page).read_text(encoding="utf-8"))
        for what, u in refs.resources + refs.links:
            p = urlparse(u)
            if p.scheme or p.netloc or u.startswith("//"):
                continue  # absolute: external links, canonical/alternate URLs, mailto:
            if p.path == "":
                if p.fragment and p.fragment not in refs.ids:
                    problems.append("%s: %s %s: no element with that id" % (page, what, u))
                continue
            target = link_target(site, page, u)
            if not target.is_file() or site.resolve() not in target.parents:
                problems.append("%s: %s %s: no such file in the site" % (page, what, u))
    assert not problems, "broken links:\n" + "\n".join(problems)
