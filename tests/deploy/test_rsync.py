"""rsync to any host: after a change to one action, the command in docs/DEPLOY.md sends only
the files that changed.

A build keeps the bytes and the modification time of every file that did not change (it
hard-links them from the previous site), so rsync's quick check (size and time) skips them
without reading them. The test builds a site, rsyncs it into a folder (the "server"),
changes one action's title in both languages, builds again and rsyncs with
--itemize-changes: what rsync sends must be exactly the files whose bytes changed, a few of
them (the action's pages, the lists that show its title, the search indexes under their new
names with the search pages that load them, the open data), the previous indexes must be
deleted, and afterwards the folder must equal the site. Then a change to the words of one
language's text alone sends that page, that language's index and its search page.
"""
import filecmp
import os
import re
import subprocess

import pytest

from conftest import build, publishable_content, site_files

ACTION = "kris"
# The command of docs/DEPLOY.md, to a local folder instead of host:folder.
RSYNC = ["rsync", "-a", "--delete-after", "--delay-updates", "--itemize-changes"]
INDEX = re.compile(r"^assets/search-index\.(\w+)\.[0-9a-f]{10}\.js$")


def indexes(files):
    """The search indexes among `files`, by language."""
    return {m.group(1): f for f in files for m in [INDEX.match(f)] if m}


def rsync(site, target):
    """Runs the deploy command; returns (sent files, deleted files)."""
    result = subprocess.run(RSYNC + [str(site) + "/", str(target) + "/"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    sent, deleted = set(), set()
    for line in result.stdout.splitlines():
        flags, _, path = line.partition(" ")
        if flags.startswith(">f"):
            sent.add(path)
        elif flags.startswith("*deleting"):
            deleted.add(path.strip())
        elif flags[:2] not in (".d", "cd", ".f") and not line.startswith("created directory "):
            pytest.fail("unexpected line from rsync: %r" % line)
    return sent, deleted


def differing(site, target):
    """The files of `site` whose bytes differ from (or are missing in) `target`."""
    return {f for f in site_files(site)
            if not (target / f).is_file() or not filecmp.cmp(site / f, target / f, shallow=False)}


def age(*folders, seconds=3600):
    """Moves every file's modification time an hour back, in the site and on the server
    alike, as if the last deploy were an hour ago. rsync compares times to the second, so
    without this a file a build rewrote within the second of the last one would look
    unchanged, and the test would miss it."""
    seen = set()
    for folder in folders:
        for path in folder.rglob("*"):
            st = path.lstat()
            if not path.is_file() or (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            os.utime(path, ns=(st.st_atime_ns - seconds * 10**9, st.st_mtime_ns - seconds * 10**9), follow_symlinks=False)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, "%s no longer holds %r; pick another edit" % (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def title_edit(path):
    text = path.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith("title: "))
    edit(path, line, line + " (reviderad)")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    base = tmp_path_factory.mktemp("rsync")
    content = publishable_content(base)
    site, target, cache = base / "site", base / "server", base / "cache"
    build(content, site, cache)
    sent, deleted = rsync(site, target)
    files = site_files(site)
    assert sent == set(files) and not deleted, "the first rsync must send every file"
    return {"content": content, "site": site, "target": target, "cache": cache, "files": files}


def test_one_action_changed_sends_only_what_changed(deployed):
    content, site, target = deployed["content"], deployed["site"], deployed["target"]
    for lang in ("sv", "en"):
        title_edit(content / "actions" / ("%s.%s.md" % (ACTION, lang)))
    age(site, target)
    before = indexes(site_files(target))
    build(content, site, deployed["cache"])
    changed = differing(site, target)
    sent, deleted = rsync(site, target)

    unchanged_sent = sorted(sent - changed)
    assert not unchanged_sent, "rsync sent files whose bytes did not change (%d): %s" % (
        len(unchanged_sent), unchanged_sent[:20])
    assert sent == changed, "rsync did not send every changed file: %s" % sorted(changed - sent)
    assert deleted == set(before.values()), "only the previous search indexes go: %s" % sorted(deleted)
    # The action's page in each language, and not much more.
    assert any(f.startswith("insatser/%s" % ACTION) for f in sent), sorted(sent)
    assert any(f.startswith("en/actions/") and not f.endswith("index.html") for f in sent), sorted(sent)
    assert set(indexes(sent)) == {"sv", "en"}, sorted(sent)
    assert {"sok.html", "en/search.html"} <= sent, "the search pages load the new indexes: %s" % sorted(sent)
    assert len(sent) <= 25, "a title change sent %d of %d files: %s" % (len(sent), len(deployed["files"]), sorted(sent))
    print("\ntitle of one action changed in both languages: rsync sent %d of %d files: %s" % (
        len(sent), len(deployed["files"]), ", ".join(sorted(sent))))
    # And the server now has the site, byte for byte.
    assert not differing(site, target) and set(site_files(target)) == set(site_files(site))


def test_words_of_one_language_send_one_page(deployed):
    content, site, target = deployed["content"], deployed["site"], deployed["target"]
    source = content / "actions" / ("%s.sv.md" % ACTION)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.rstrip("\n") + "\n\nEtt nytt stycke i texten.\n", encoding="utf-8")
    age(site, target)
    before = indexes(site_files(target))
    build(content, site, deployed["cache"])
    changed = differing(site, target)
    sent, deleted = rsync(site, target)
    assert sent == changed and deleted == {before["sv"]}, (sorted(sent), sorted(changed), sorted(deleted))
    assert sent == {"insatser/%s.html" % ACTION, "sok.html", indexes(sent)["sv"]}, sorted(sent)


def test_a_removed_page_is_deleted(deployed):
    """--delete-after removes from the server what the site no longer has."""
    content, site, target = deployed["content"], deployed["site"], deployed["target"]
    for lang in ("sv", "en"):
        (content / "news" / ("testbild.%s.md" % lang)).unlink()
    age(site, target)
    build(content, site, deployed["cache"])
    gone = set(site_files(target)) - set(site_files(site))
    assert {"nyheter/testbild.html", "en/news/testbild.html"} <= gone, sorted(gone)
    changed = differing(site, target)
    sent, deleted = rsync(site, target)
    assert {f for f in deleted if not f.endswith("/")} == gone, (sorted(deleted), sorted(gone))
    assert sent == changed, sorted(sent ^ changed)
    assert not differing(site, target) and set(site_files(target)) == set(site_files(site))
