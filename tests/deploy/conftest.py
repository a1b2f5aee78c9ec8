"""Shared helpers for the deploy tests (tests/deploy): building a site the way a team
publishes it, with the release binary (`make test-deploy` builds it first).

The real content/ has no photo and no file, so `publishable_content` copies it and adds a
photo (tests/browser/fixtures/forum.jpg) with its credit, a small PDF with a document entry,
and a news item that shows the photo: then the site holds every type it can hold (HTML, CSS,
JS, XML, JSON, CSV, iCalendar, text, PDF, JPEG, WebP). Its base_url ends in the sub-path the
recipes publish under, /overenskommelsen/, as docs/DEPLOY.md says it must.
"""
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "release" / "overens"
THEME = ROOT / "theme"
DEPLOY = ROOT / "deploy"
PHOTO = ROOT / "tests" / "browser" / "fixtures" / "forum.jpg"
SUBPATH = "/overenskommelsen/"
BASE_URL = "https://overenskommelsen-skane.example" + SUBPATH


def minimal_pdf(text):
    """A one-page PDF 1.4 with one line of text and a correct xref table."""
    stream = b"BT /F1 14 Tf 72 770 Td (" + text.encode("latin-1") + b") Tj ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def publishable_content(folder):
    """A copy of content/ in `folder` with base_url under the sub-path, a photo and a PDF."""
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    site_yml = content / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    line = "base_url: %s" % BASE_URL
    text, n = re.subn(r"^base_url:.*$", line, text, flags=re.M)
    site_yml.write_text(text if n else line + "\n" + text, encoding="utf-8")

    (content / "images").mkdir(exist_ok=True)
    shutil.copyfile(PHOTO, content / "images" / "forum.jpg")
    write(content / "images" / "credits.yml", "forum.jpg: Anna Andersson\n")
    (content / "files").mkdir(exist_ok=True)
    (content / "files" / "avtal.pdf").write_bytes(minimal_pdf("Testavtal"))
    write(content / "documents" / "testavtal.sv.md",
          "---\ntitle: Testavtal\nkind: agreement\ndate: 2024-05-20\nfile: avtal.pdf\n---\nAvtalet.\n")
    write(content / "documents" / "testavtal.en.md",
          "---\ntitle: Test agreement\nfile: avtal.pdf\n---\nThe agreement.\n")
    write(content / "news" / "testbild.sv.md",
          "---\ntitle: Testnyhet med foto\ndate: 2024-05-27\nimage: forum.jpg\n"
          "image_alt: Färgtoning från blått till gult\n---\nSe [avtalet](doc:testavtal).\n")
    write(content / "news" / "testbild.en.md",
          "---\ntitle: Test news with a photo\nimage_alt: Colour gradient from blue to yellow\n---\n"
          "See [the agreement](doc:testavtal).\n")
    return content


def build(content, output, cache):
    """`overens build`, as a team's CI runs it; fails the test with the tool's output."""
    if not BINARY.exists():
        pytest.fail("%s is missing: run `swift build -c release --product overens` "
                    "(or `make test-deploy`)" % BINARY)
    result = subprocess.run(
        [str(BINARY), "build", "--quiet", "--content", str(content), "--theme", str(THEME),
         "--output", str(output), "--cache", str(cache)],
        cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("build failed (%d):\n%s%s" % (result.returncode, result.stdout, result.stderr))
    return output


def site_files(site):
    """Every file of a built site, relative to it, sorted."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


@pytest.fixture(scope="session")
def content(tmp_path_factory):
    return publishable_content(tmp_path_factory.mktemp("content"))
