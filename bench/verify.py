#!/usr/bin/env python3
"""Check that two builds of a benchmark corpus did the same work, before anyone times them.

    python3 bench/verify.py CORPUS overens=OUT1 hugo=OUT2

CORPUS is a folder written by bench/corpus.py (its manifest.json says what the site holds).
For each output this checks, against the manifest:

  pages       every page (home, search, section lists, every entry, in every language, 404)
              exists, and no other HTML page does (Hugo's per-language 404 and language-root
              redirect are allowed and reported)
  cross-links each entry page lists exactly the entries it should: an action its goals,
              parties and the news naming it; a goal its actions and news; a party its
              actions and news; news what it names; its text (<div class="body">) links
              exactly the entries its Markdown names; each section list links every entry
              of its kind; every entry page links its translation
  table       the actions x goals table marks exactly the goals each action serves
  links       every relative href/src of every HTML page resolves to a file in the output

and that all outputs have the same set of pages. Exits 1 with the problems listed, else 0.
Standard library only.
"""

import html
import json
import os
import posixpath
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

TAG = re.compile(r'<(/?)(a|link|script|img|main|div|table|tr|td|th)\b([^>]*)>', re.I)
ATTR = re.compile(r'\b(href|src|class)\s*=\s*"([^"]*)"')
SCHEME = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*:')
RELATIONS = {  # what an entry page of each kind lists, besides its inline links
    "action": ["goals", "parties", "news_by"],
    "goal": ["actions_by", "news_by"],
    "party": ["actions_by", "news_by"],
    "news": ["actions", "goals", "parties"],
}


class Site:
    """What the manifest says the site holds: each page's path and what it must link."""

    def __init__(self, corpus):
        m = json.loads((Path(corpus) / "manifest.json").read_text(encoding="utf-8"))
        self.languages = m["languages"]
        self.entries = {(e["kind"], e["id"]): e for e in m["entries"]}
        self.pages = {}  # site-relative path -> key
        for lang in self.languages:
            root = "" if lang == self.languages[0] else lang + "/"
            self.pages[root + "index.html"] = (lang, "home", "")
            self.pages[root + m["search_slug"][lang] + ".html"] = (lang, "search", "")
            for kind in ("goal", "principle", "action", "party", "news"):
                self.pages["%s%s/index.html" % (root, m["folders"][lang][kind])] = (lang, "section", kind)
            for e in m["entries"]:
                folder = "" if e["kind"] == "page" else m["folders"][lang][e["kind"]] + "/"
                self.pages["%s%s%s.html" % (root, folder, e["slug"][lang])] = (lang, e["kind"], e["id"])
        self.pages["404.html"] = (self.languages[0], "404", "")
        # A server shows 404.html at any address, so överens links it from base_url's path.
        yml = (Path(corpus) / "content" / "site.yml").read_text(encoding="utf-8")
        base = re.search(r"^base_url:\s*(\S+)", yml, re.M)
        self.base_path = (urlparse(base.group(1)).path.rstrip("/") + "/") if base else None
        self.path_of = {key: path for path, key in self.pages.items()}
        # Reverse links, computed here independently of both generators.
        by = defaultdict(set)
        for e in m["entries"]:
            if e["kind"] == "action":
                for g in e["goals"]:
                    by[("goal", g, "actions_by")].add(("action", e["id"]))
                for p in e["parties"]:
                    by[("party", p, "actions_by")].add(("action", e["id"]))
            if e["kind"] == "news":
                for rel, kind in (("actions", "action"), ("goals", "goal"), ("parties", "party")):
                    for x in e[rel]:
                        by[(kind, x, "news_by")].add(("news", e["id"]))
        self.related, self.inline = {}, {}
        kind_of = {"goals": "goal", "parties": "party", "actions": "action"}
        for (kind, eid), e in self.entries.items():
            self.inline[(kind, eid)] = {tuple(x) for x in e["links"]}
            want = set()
            for rel in RELATIONS.get(kind, []):
                if rel.endswith("_by"):
                    want |= by[(kind, eid, rel)]
                else:
                    want |= {(kind_of[rel], x) for x in e[rel]}
            self.related[(kind, eid)] = want
        self.table = {(e["id"], g) for e in m["entries"] if e["kind"] == "action" for g in e["goals"]}


class Problems:
    def __init__(self):
        self.items = defaultdict(list)

    def add(self, what, message):
        self.items[what].append(message)

    def __bool__(self):
        return bool(self.items)

    def report(self, limit=12):
        lines = []
        for what, messages in self.items.items():
            lines.append("%s: %d problem(s)" % (what, len(messages)))
            lines += ["  " + m for m in messages[:limit]]
            if len(messages) > limit:
                lines.append("  ... and %d more" % (len(messages) - limit))
        return "\n".join(lines)


def scan(text):
    """The links of one HTML page: every href/src; those of <main> outside the entry's
    text (its lists of related pages); those of the text (<div class="body">); and the
    actions x goals table as its header's links and its rows (links, marked cells)."""
    all_refs, main_refs, body_refs = [], [], []
    in_main = in_table = False
    body_depth = 0  # > 0 inside <div class="body">
    header, rows, row, first_row = [], [], None, True
    for m in TAG.finditer(text):
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if tag == "main":
            in_main = not closing
            continue
        a = dict(ATTR.findall(attrs)) if attrs else {}
        if tag == "div":
            if body_depth:
                body_depth += -1 if closing else 1
            elif not closing and "body" in a.get("class", "").split():
                body_depth = 1
            continue
        if tag == "table":
            if closing:
                in_table = False
            elif "matrix" in a.get("class", "").split():
                in_table = True
            continue
        ref = a.get("href") or a.get("src")
        if ref is not None and not closing:
            if "&" in ref:
                ref = html.unescape(ref)
            all_refs.append(ref)
            if body_depth:
                body_refs.append(ref)
            elif in_main:
                main_refs.append(ref)
        if not in_table or closing:
            if in_table and tag == "tr" and row is not None:
                if first_row:
                    header = row["links"]
                    first_row = False
                else:
                    rows.append(row)
                row = None
            continue
        if tag == "tr":
            row = {"links": [], "cells": []}
        elif row is not None and tag == "a" and ref is not None:
            row["links"].append(ref)
        elif row is not None and tag == "td":
            row["cells"].append("yes" in a.get("class", "").split())
    return all_refs, main_refs, body_refs, (header, rows)


def resolve(page, ref, base_path=None):
    """The site-relative path a relative link from `page` names, or None if not relative.
    404.html may link from the site's absolute path (`base_path`)."""
    if not ref or ref.startswith("#") or ref.startswith("//") or SCHEME.match(ref):
        return None
    ref = unquote(ref.split("#", 1)[0].split("?", 1)[0])
    if page == "404.html" and base_path and ref.startswith(base_path):
        return posixpath.normpath(ref[len(base_path):])
    if ref.startswith("/"):
        return "/" + ref  # root-relative: breaks from disk and in a sub-folder; reported
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), ref)) if ref else page


def check_output(site, name, out, problems):
    """Checks one output; returns its set of page keys."""
    out = Path(out)
    files = set()
    for dirpath, _, filenames in os.walk(out):
        rel = os.path.relpath(dirpath, out)
        for f in filenames:
            files.add(f if rel == "." else rel.replace(os.sep, "/") + "/" + f)
    folders = {posixpath.dirname(f) for f in files}
    html_files = sorted(f for f in files if f.endswith(".html"))
    keys, extras = set(), []
    links_checked = cross_checked = 0
    for path in html_files:
        text = (out / path).read_text(encoding="utf-8", errors="replace")
        key = site.pages.get(path)
        if key is None:
            lang = path.split("/")[0]
            if (lang in site.languages and path == lang + "/404.html") or 'http-equiv="refresh"' in text:
                extras.append(path)
            else:
                problems.add(name + ": unexpected pages", path)
            continue
        keys.add(key)
        all_refs, main_refs, body_refs, (header, rows) = scan(text)

        for ref in all_refs:
            target = resolve(path, ref, site.base_path)
            if target is None:
                continue
            links_checked += 1
            if target.startswith("/") or target.startswith("../"):
                problems.add(name + ": links leaving the site", "%s: %s" % (path, ref))
            elif target not in files:
                why = "names a folder, not a file" if target in folders or target == "." else "no such file"
                problems.add(name + ": broken relative links", "%s: %s (%s)" % (path, ref, why))

        def entry_keys(refs):
            found = set()
            for ref in refs:
                target = resolve(path, ref, site.base_path)
                k = site.pages.get(target) if target else None
                if k and k[1] not in ("home", "search", "section", "404"):
                    found.add(k)
            return found

        lang, kind, eid = key
        if (kind, eid) in site.entries:
            for where, refs, expected in (("related", main_refs, site.related), ("text", body_refs, site.inline)):
                want = {(lang, k, i) for k, i in expected[(kind, eid)]}
                got = entry_keys(refs)
                cross_checked += len(want)
                for k in sorted(want - got):
                    problems.add("%s: missing cross-links (%s)" % (name, where), "%s (%s %s) does not link %s %s (%s)" % (path, kind, eid, k[1], k[2], k[0]))
                for k in sorted(got - want):
                    problems.add("%s: unexpected cross-links (%s)" % (name, where), "%s (%s %s) links %s %s (%s)" % (path, kind, eid, k[1], k[2], k[0]))
            for other in site.languages:
                if other != lang and (other, kind, eid) not in entry_keys(all_refs):
                    problems.add(name + ": missing translation links", "%s does not link its %s translation" % (path, other))
        elif kind == "section":
            want = {(lang, k, i) for (k, i) in site.entries if k == eid}
            got = entry_keys(main_refs)
            cross_checked += len(want)
            for k in sorted(want - got):
                problems.add(name + ": section lists incomplete", "%s does not list %s %s" % (path, k[1], k[2]))
            if eid == "action":
                goals = [site.pages.get(resolve(path, r, site.base_path)) for r in header]
                pairs = set()
                for row in rows:
                    action = site.pages.get(resolve(path, row["links"][0], site.base_path)) if row["links"] else None
                    if action is None or len(row["cells"]) != len(goals):
                        problems.add(name + ": actions x goals table", "%s: malformed row %r" % (path, row["links"][:1]))
                        continue
                    pairs |= {(action[2], goals[i][2]) for i, yes in enumerate(row["cells"]) if yes and goals[i]}
                cross_checked += len(site.table)
                if len(rows) != sum(1 for k in site.entries if k[0] == "action"):
                    problems.add(name + ": actions x goals table", "%s: %d rows, expected one per action" % (path, len(rows)))
                for a, g in sorted(site.table - pairs):
                    problems.add(name + ": actions x goals table", "%s: action %s does not mark goal %s" % (path, a, g))
                for a, g in sorted(pairs - site.table):
                    problems.add(name + ": actions x goals table", "%s: action %s marks goal %s it does not serve" % (path, a, g))
    for key in sorted(set(site.pages.values()) - keys):
        problems.add(name + ": missing pages", "%s (%s %s %s)" % (site.path_of[key], *key))
    return keys, {"pages": len(html_files), "extras": extras, "links": links_checked, "cross": cross_checked}


def verify(corpus, outputs, quiet=False):
    """Checks every output; returns (ok, report text)."""
    site = Site(corpus)
    problems = Problems()
    lines, key_sets = [], {}
    for name, out in outputs.items():
        keys, stats = check_output(site, name, out, problems)
        key_sets[name] = keys
        extra = " (+%d allowed: %s)" % (len(stats["extras"]), ", ".join(stats["extras"])) if stats["extras"] else ""
        lines.append("%s: %d HTML pages%s; %d cross-links and %d relative links checked"
                     % (name, stats["pages"] - len(stats["extras"]), extra, stats["cross"], stats["links"]))
    names = list(key_sets)
    for other in names[1:]:
        if key_sets[other] != key_sets[names[0]]:
            problems.add("page sets differ", "%s has %d pages, %s has %d" % (names[0], len(key_sets[names[0]]), other, len(key_sets[other])))
    if problems:
        lines.append(problems.report())
    else:
        lines.append("verify: ok, the same %d pages and cross-links in %s" % (len(key_sets[names[0]]), " and ".join(names)))
    return not problems, "\n".join(lines)


def main(argv):
    if len(argv) < 2 or any("=" not in a for a in argv[1:]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    outputs = dict(a.split("=", 1) for a in argv[1:])
    ok, report = verify(argv[0], outputs)
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
