"""The benchmark's ground: on a small corpus, överens and Hugo make the same pages with the
same cross-links (and the checker notices when they do not), and a second överens build
with nothing changed leaves every output file as it was. No timings here: those are
`make bench`'s (bench/RESULTS.md)."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402
import verify  # noqa: E402

OVERENS = Path(os.environ.get("OVERENS", REPO / ".build" / "release" / "overens"))
THEME = REPO / "theme"
FILES = 100
SEED = 7


def overens_build(content, out):
    subprocess.run([str(OVERENS), "build", "--quiet", "--content", str(content), "--theme", str(THEME), "--output", str(out)],
                   check=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A 100-file corpus built by both; (corpus, overens output, hugo output)."""
    if not OVERENS.exists():
        pytest.fail("no overens binary at %s; run `make build` (or set OVERENS)" % OVERENS)
    if not shutil.which("hugo"):
        pytest.fail("hugo is not installed; `make test-bench` installs it")
    root = tmp_path_factory.mktemp("bench")
    c = root / "corpus"
    corpus.generate(FILES, SEED, c)
    o, h = root / "overens", root / "hugo"
    overens_build(c / "content", o)
    subprocess.run(["hugo", "--quiet", "--source", str(c / "hugo"), "--destination", str(h)], check=True)
    return c, o, h


def snapshot(folder):
    """Every file under folder (hidden ones too): its bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def test_corpus_is_deterministic_and_like_a_real_site(tmp_path):
    corpus.generate(FILES, SEED, tmp_path / "a")
    corpus.generate(FILES, SEED, tmp_path / "b")
    corpus.generate(FILES, SEED + 1, tmp_path / "c")
    a, b, c = (snapshot(tmp_path / x / "content") for x in "abc")
    assert {k: v[0] for k, v in a.items()} == {k: v[0] for k, v in b.items()}, "the same seed must give the same corpus"
    assert {k: v[0] for k, v in a.items()} != {k: v[0] for k, v in c.items()}, "another seed must give another corpus"

    md = {k: v[0].decode("utf-8") for k, v in a.items() if k.endswith(".md")}
    assert len(md) == FILES
    assert all(k.replace(".sv.md", ".en.md") in md for k in md if k.endswith(".sv.md")), "every entry in both languages"
    bodies = [text.split("---\n", 2)[2] for text in md.values()]
    sizes = sorted(len(b.encode()) for b in bodies)
    assert sizes[len(sizes) // 10] >= 1500 and sizes[-len(sizes) // 10] <= 3000, "bodies are 1.5-3 KB"
    for text in bodies:
        refs = set(re.findall(r"\]\(((?:goal|action|party|principle|news|page):[a-z0-9-]+)\)", text))
        assert 3 <= len(refs) <= 8, "3-8 cross-reference links per body"
        assert re.search(r"\]\(https://", text), "external links"
    assert any("|---|" in b for b in bodies) and any(re.search(r"(?m)^## ", b) for b in bodies)
    assert any(re.search(r"(?m)^(- |1\. )", b) for b in bodies)


def test_overens_and_hugo_make_the_same_pages_and_cross_links(built):
    c, o, h = built
    ok, report = verify.verify(c, {"overens": str(o), "hugo": str(h)})
    assert ok, report
    manifest_pages = len(verify.Site(c).pages)
    assert report.count("%d HTML pages" % manifest_pages) == 2, report


def first(c, kind, lists=None):
    """The first entry of `kind` (whose page lists some entry of kind `lists`)."""
    site = verify.Site(c)
    for (k, i), e in sorted(site.entries.items()):
        if k == kind and (lists is None or any(x[0] == lists for x in site.related[(k, i)])):
            return e
    raise AssertionError("no %s in the corpus" % kind)


def page_path(c, e, lang="sv"):
    site = verify.Site(c)
    return site.path_of[(lang, e["kind"], e["id"])]


def edit(path, pattern, repl=""):
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=1, flags=re.S)
    assert n == 1, "the mutation did not apply to %s" % path
    path.write_text(new, encoding="utf-8")


MUTATIONS = {  # name: (output, page of kind, that lists kind, pattern, replacement, expected report)
    # An action no longer lists one of its goals.
    "action without a goal": ("hugo", "action", "goal", r'(aria-labelledby="goals-heading">.*?)<li class="goal[^"]*">.*?</li>',
                              r"\1", "missing cross-links (related)"),
    # A goal no longer lists one of its actions (the other direction).
    "goal without an action": ("overens", "goal", "action", r'(aria-labelledby="actions-heading">.*?)<li><span class="action-number">[^<]*</span> <a [^>]*>[^<]*</a>[^\n]*</li>',
                               r"\1", "missing cross-links (related)"),
    # A news item no longer names a party it names.
    "news without a party": ("hugo", "news", "party", r'(<h3>[^<]*</h3>\s*<ul class="link-list">\s*)<li><a href="[^"]*/(?:parter|parties)/[^"]*">[^<]*</a></li>',
                             r"\1", "missing cross-links (related)"),
    # An inline [text](goal:ID) link lost in the text.
    "text without an inline link": ("overens", "action", None, r'(<div class="body">.*?)<a href="(?!https:)[^"]*">([^<]*)</a>',
                                    r"\1\2", "missing cross-links (text)"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_verify_fails_when_a_cross_link_is_missing(built, tmp_path, name):
    c, o, h = built
    side, kind, lists, pattern, repl, expected = MUTATIONS[name]
    outputs = {"overens": tmp_path / "overens", "hugo": tmp_path / "hugo"}
    shutil.copytree(o, outputs["overens"])
    shutil.copytree(h, outputs["hugo"])
    e = first(c, kind, lists)
    edit(outputs[side] / page_path(c, e), pattern, repl)
    ok, report = verify.verify(c, {k: str(v) for k, v in outputs.items()})
    assert not ok, "verify passed a %s output with a %s:\n%s" % (side, name, report)
    assert "%s: %s" % (side, expected) in report, report
    other = "hugo" if side == "overens" else "overens"
    assert "%s: missing" % other not in report, report


def test_verify_fails_on_a_table_cell_and_a_missing_page(built, tmp_path):
    c, o, h = built
    out = tmp_path / "hugo"
    shutil.copytree(h, out)
    edit(out / "insatser" / "index.html", r'<td class="yes [^"]*">', '<td class="no">')
    e = first(c, "party")
    (out / page_path(c, e, "en")).unlink()
    ok, report = verify.verify(c, {"overens": str(o), "hugo": str(out)})
    assert not ok
    assert "hugo: actions x goals table" in report, report
    assert "hugo: missing pages" in report and "hugo: broken relative links" in report, report
    assert "page sets differ" in report, report


def test_a_build_with_nothing_changed_leaves_every_file_as_it_was(built, tmp_path):
    c, _, _ = built
    out = tmp_path / "site"
    overens_build(c / "content", out)
    before = snapshot(out)
    assert sum(1 for k in before if k.endswith(".html")) > FILES
    time.sleep(0.05)  # a rewrite now would show in the modification times
    overens_build(c / "content", out)
    after = snapshot(out)
    assert sorted(after) == sorted(before), "files added or removed: %s" % sorted(set(after) ^ set(before))
    changed = [k for k in before if after[k][0] != before[k][0]]
    touched = [k for k in before if after[k][1] != before[k][1]]
    assert not changed, "bytes changed: %s" % changed[:10]
    assert not touched, "modification time changed: %s" % touched[:10]
