"""The benchmark's photos (bench/corpus.py --images): the same bytes for the same seed,
2000 x 1500 JPEGs, each shown in one news item in both languages and credited; and the
image measure of bench/run.py going through its steps on a tiny corpus. No timings here."""

import argparse
import json
import os
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402
import run  # noqa: E402

OVERENS = Path(os.environ.get("OVERENS", REPO / ".build" / "release" / "overens"))
FILES = 60
PHOTOS = 3


def jpeg_size(data):
    """Width and height from a JPEG's frame header (SOF0-SOF15 but DHT, JPG and DAC)."""
    assert data[:3] == b"\xff\xd8\xff", "not a JPEG"
    i = 2
    while i + 9 < len(data):
        assert data[i] == 0xFF, "lost in the markers at %d" % i
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    raise AssertionError("no frame header")


def photos(folder):
    return {p.name: p.read_bytes() for p in sorted((folder / "content" / "images").glob("*.jpg"))}


def test_photos_are_deterministic_and_shown_in_news(tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        corpus.generate(FILES, seed, tmp_path / name, images=PHOTOS)
    a, b, c = (photos(tmp_path / x) for x in "abc")
    assert sorted(a) == ["photo-001.jpg", "photo-002.jpg", "photo-003.jpg"]
    assert a == b, "the same seed must give the same photos"
    assert all(a[n] != c[n] for n in a), "another seed must give other photos"
    assert len(set(a.values())) == PHOTOS, "every photo its own bytes"
    for name, data in a.items():
        assert jpeg_size(data) == (2000, 1500), name
        assert 200_000 < len(data) < 3_000_000, "%s: %d bytes, not like a photo" % (name, len(data))

    content = tmp_path / "a" / "content"
    credits = (content / "images" / "credits.yml").read_text(encoding="utf-8")
    texts = {p.relative_to(content).as_posix(): p.read_text(encoding="utf-8") for p in content.glob("*/*.md")}
    for name in a:
        assert re.search(r"(?m)^%s:\n  credit: \"Foto: " % re.escape(name), credits), credits
        shown = sorted(k for k, text in texts.items() if "](image:%s \"" % name in text)
        assert len(shown) == 2 and all(k.startswith("news/") for k in shown), "%s: %s" % (name, shown)
        assert shown[0].replace(".en.md", "") == shown[1].replace(".sv.md", ""), "one news item in both languages"
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert [x["file"] for x in manifest["images"]] == sorted(a)
    hugo = tmp_path / "a" / "hugo" / "content"
    assert not any("image:" in p.read_text(encoding="utf-8") for p in hugo.rglob("*.md")), "Hugo's copy has no images"


def test_corpus_without_images_is_as_before(tmp_path):
    corpus.generate(FILES, 7, tmp_path / "x")
    assert not (tmp_path / "x" / "content" / "images").exists()
    assert not any("image:" in p.read_text(encoding="utf-8") for p in (tmp_path / "x" / "content").glob("*/*.md"))


def test_image_measure_goes_through_its_steps(tmp_path):
    if not OVERENS.exists():
        pytest.fail("no overens binary at %s; run `make build` (or set OVERENS)" % OVERENS)
    args = argparse.Namespace(out=str(tmp_path), images=2, image_files=40, image_runs=1, runs=2, seed=7,
                              overens=str(OVERENS), theme=str(REPO / "theme"))
    lines = []
    result = run.bench_images(args, lines.append)
    assert result["photos"] == 2 and result["files"] == 40
    assert [len(result[k].runs) for k in ("first", "unchanged", "edited")] == [1, 2, 2]
    news = tmp_path / "corpus-images-2" / "content" / "news" / result["edited_file"]
    assert "Redigerad för mätning" not in news.read_text(encoding="utf-8"), "the edited text is restored"
    info = {k: "?" for k in ("date", "cpu", "memory", "os", "load_before", "load_after", "overens_commit", "hugo", "swift")}
    info["nproc"] = 2
    text = run.report(info, [], None, None, None, args, result)
    assert "2 photos (2000 × 1500 JPEGs" in text, text
    measured = r"[0-9.]+× \| (met|\*\*missed\*\*)" if result["written"] else r"not measured"
    assert re.search(r"\| rebuild with every photo unchanged: ≤ 0\.05× the first build \| %s \|" % measured, text), text
