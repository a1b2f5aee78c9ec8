"""deploy/nginx.conf, run by Debian's nginx on loopback.

The recipe is used as it is written, with only its marked values changed (ports, the
certificate, the root folder): a freshly built site is served under /overenskommelsen/ over
HTTPS (a certificate made for the test), and every file of it must answer 200 with its bytes
and the right Content-Type (with charset=utf-8 for text); every link of every page must lead
somewhere that answers 200; missing pages, folders without a page, hidden files and
addresses outside the site answer 404 with the site's styled 404 page; every answer carries
the pages' Content-Security-Policy (read from theme/templates/layout.mustache),
X-Content-Type-Options and Referrer-Policy; pages are cached briefly, assets by ETag, and a
fingerprinted asset (style.<hash>.css, which overens does not write yet) for a year,
immutable.
"""
import html
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import DEPLOY, ROOT, SUBPATH, build, site_files

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# What each type of file the site writes must be served as; text types with charset=utf-8.
TYPES = {
    "html": ("text/html",),
    "css": ("text/css",),
    "js": ("application/javascript", "text/javascript"),
    "xml": ("text/xml", "application/xml", "application/atom+xml"),
    "json": ("application/json",),
    "csv": ("text/csv",),
    "ics": ("text/calendar",),
    "txt": ("text/plain",),
    "pdf": ("application/pdf",),
    "jpg": ("image/jpeg",),
    "png": ("image/png",),
    "webp": ("image/webp",),
}
TEXT = {"html", "css", "js", "xml", "json", "csv", "ics", "txt"}
FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.(?:css|js)$")
FIXED_NAME = "assets/font-licence.txt"  # an asset a theme keeps under its own name


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def layout_csp():
    """The Content-Security-Policy of the pages' meta tag."""
    layout = (ROOT / "theme" / "templates" / "layout.mustache").read_text(encoding="utf-8")
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', layout)
    assert m, "layout.mustache has no Content-Security-Policy meta tag"
    return html.unescape(m.group(1))


def templated(conf, http_port, https_port, cert, key, root):
    """deploy/nginx.conf with its marked values set for this test; each must be found once."""
    subs = [
        (r"^(\s*)listen 80;", r"\1listen 127.0.0.1:%d;" % http_port),
        (r"^\s*listen \[::\]:80;.*\n", ""),
        (r"^(\s*)listen 443 ssl http2;", r"\1listen 127.0.0.1:%d ssl http2;" % https_port),
        (r"^\s*listen \[::\]:443 ssl http2;.*\n", ""),
        (r"^(\s*)ssl_certificate\s+\S+;", r"\1ssl_certificate %s;" % cert),
        (r"^(\s*)ssl_certificate_key\s+\S+;", r"\1ssl_certificate_key %s;" % key),
        (r"^(\s*)root /srv/www;", r"\1root %s;" % root),
    ]
    for pattern, replacement in subs:
        conf, n = re.subn(pattern, replacement, conf, flags=re.M)
        assert n == 1, "deploy/nginx.conf: expected one line matching %r, found %d; " \
                       "update tests/deploy/test_nginx.py with the recipe" % (pattern, n)
    return conf


@pytest.fixture(scope="module")
def served(content, tmp_path_factory):
    """nginx serving a fresh build at https://127.0.0.1:<port>/overenskommelsen/."""
    base = tmp_path_factory.mktemp("nginx")
    www = base / "www"
    site = build(content, www / SUBPATH.strip("/"), base / "cache")
    # What the server must never show, and an asset with a fixed name.
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text("[core]\n")
    (site / FIXED_NAME).write_text("A theme's file that keeps its name.\n")

    cert, key = base / "cert.pem", base / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    (base / "site.conf").write_text(templated((DEPLOY / "nginx.conf").read_text(encoding="utf-8"),
                                              http_port, https_port, cert, key, www))
    temp = base / "temp"
    temp.mkdir()
    # The rest of what Debian's /etc/nginx/nginx.conf gives the http context, in this folder.
    (base / "nginx.conf").write_text("""
%(user)s
worker_processes 1;
pid %(base)s/nginx.pid;
error_log %(base)s/error.log warn;
events { worker_connections 64; }
http {
    access_log %(base)s/access.log;
    client_body_temp_path %(temp)s/body;
    proxy_temp_path %(temp)s/proxy;
    fastcgi_temp_path %(temp)s/fastcgi;
    uwsgi_temp_path %(temp)s/uwsgi;
    scgi_temp_path %(temp)s/scgi;
    sendfile on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    include %(base)s/site.conf;
}
""" % {"base": base, "temp": temp,
       # Workers of a root master run as nobody, who cannot read pytest's private folders.
       "user": "user root root;" if os.geteuid() == 0 else ""})
    args = [NGINX, "-p", str(base), "-e", str(base / "error.log"), "-c", str(base / "nginx.conf")]
    checked = subprocess.run(args + ["-t"], capture_output=True, text=True)
    assert checked.returncode == 0 and "[warn]" not in checked.stderr and "[emerg]" not in checked.stderr, \
        "nginx -t:\n" + checked.stderr
    server = subprocess.Popen(args + ["-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("nginx did not start:\n%s%s" % (
                        server.stdout.read().decode() if server.poll() is not None else "",
                        (base / "error.log").read_text() if (base / "error.log").exists() else ""))
                time.sleep(0.05)
        context = ssl.create_default_context(cafile=str(cert))
        yield {"site": site, "http_port": http_port, "https_port": https_port, "context": context}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Client:
    """One kept-alive HTTPS connection to the test's nginx."""

    def __init__(self, served):
        self.connection = http.client.HTTPSConnection("127.0.0.1", served["https_port"],
                                                      context=served["context"], timeout=10)

    def get(self, path, headers=None, method="GET"):
        self.connection.request(method, path, headers=headers or {})
        response = self.connection.getresponse()
        return response, response.read()


@pytest.fixture(scope="module")
def client(served):
    c = Client(served)
    yield c
    c.connection.close()


def media_type(response):
    return (response.getheader("Content-Type") or "").split(";")[0].strip()


def header_problems(path, response, csp):
    """What is wrong with the headers every answer must carry."""
    problems = []
    if response.getheader("Content-Security-Policy") != csp:
        problems.append("%s: Content-Security-Policy %r, expected the pages' %r" % (
            path, response.getheader("Content-Security-Policy"), csp))
    if response.getheader("X-Content-Type-Options") != "nosniff":
        problems.append("%s: X-Content-Type-Options %r" % (path, response.getheader("X-Content-Type-Options")))
    if not response.getheader("Referrer-Policy"):
        problems.append("%s: no Referrer-Policy" % path)
    if response.getheader("Server", "").startswith("nginx/"):
        problems.append("%s: Server names nginx's version (%s)" % (path, response.getheader("Server")))
    return problems


def max_age(response):
    m = re.search(r"max-age=(\d+)", response.getheader("Cache-Control") or "")
    return int(m.group(1)) if m else None


def test_every_file_is_served_with_its_type(served, client):
    """Each file of the site, under the sub-path: 200, its bytes, its type and charset,
    the security headers, and a short cache lifetime (none of them is fingerprinted yet)."""
    site, csp = served["site"], layout_csp()
    files = [f for f in site_files(site) if not f.startswith(".git/")]
    problems, seen = [], set()
    for relpath in files:
        ext = relpath.rsplit(".", 1)[-1]
        path = SUBPATH + relpath
        response, body = client.get(path)
        seen.add(ext)
        if response.status != 200:
            problems.append("%s: %d" % (path, response.status))
            continue
        if body != (site / relpath).read_bytes():
            problems.append("%s: the body is not the file's bytes" % path)
        if ext not in TYPES:
            problems.append("%s: the site wrote a .%s file; add its type to TYPES" % (path, ext))
        elif media_type(response) not in TYPES[ext]:
            problems.append("%s: Content-Type %r, expected %s" % (path, response.getheader("Content-Type"), " or ".join(TYPES[ext])))
        content_type = (response.getheader("Content-Type") or "").lower().replace(" ", "")
        if ext in TEXT and not content_type.endswith(";charset=utf-8"):
            problems.append("%s: Content-Type %r has no charset=utf-8" % (path, response.getheader("Content-Type")))
        problems += header_problems(path, response, csp)
        cache = response.getheader("Cache-Control") or ""
        if FINGERPRINTED.search(relpath):
            if "immutable" not in cache or (max_age(response) or 0) < 31536000:
                problems.append("%s: Cache-Control %r; a fingerprinted file keeps a year" % (path, cache))
            continue
        if "immutable" in cache or max_age(response) is None and "no-cache" not in cache or (max_age(response) or 0) > 3600:
            problems.append("%s: Cache-Control %r; expected a short lifetime" % (path, cache))
    assert not problems, "\n".join(problems[:40])
    # The site must have had every type the recipe is meant for.
    assert seen >= {"html", "css", "js", "xml", "json", "csv", "ics", "pdf", "jpg", "webp"}, seen


LINK = re.compile(r'(?:href|src)="([^"]*)"|srcset="([^"]*)"')


def test_every_link_answers(served, client):
    """Every link and image of every page, followed through the server as a browser would
    from the page's address under the sub-path (folders and all), answers 200."""
    site = served["site"]
    origin = "https://127.0.0.1:%d" % served["https_port"]
    targets = {}
    for relpath in site_files(site):
        if not relpath.endswith(".html"):
            continue
        page = origin + SUBPATH + relpath
        text = (site / relpath).read_text(encoding="utf-8")
        for href, srcset in LINK.findall(text):
            for raw in ([href] if href else [c.strip().split(" ")[0] for c in srcset.split(",")]):
                url = urljoin(page, html.unescape(raw))
                parts = urlparse(url)
                if parts.scheme != "https" or parts.netloc != "127.0.0.1:%d" % served["https_port"]:
                    continue
                targets.setdefault(parts.path, relpath)
    assert len(targets) > 100, "found only %d links" % len(targets)
    problems = []
    for path, page in sorted(targets.items()):
        response, _ = client.get(path)
        if response.status != 200:
            problems.append("%s (linked from %s): %d" % (unquote(path), page, response.status))
    assert not problems, "\n".join(problems[:40])


MISSING = [
    SUBPATH + "finns-inte.html",                 # a page that does not exist
    SUBPATH + "insatser/finns-inte/",            # a folder that does not exist
    SUBPATH + "en/actions/no-such-action.html",
    SUBPATH + "assets/",                         # a folder with no index.html
    SUBPATH + ".git/config",                     # a hidden file in the site's folder
    "/finns-inte.html",                          # outside the site
    "/etc/passwd",
    SUBPATH + "../etc/passwd",
]


def test_missing_pages_get_the_styled_404(served, client):
    """Missing pages answer 404 with the site's own 404 page, whose stylesheet loads."""
    site, csp = served["site"], layout_csp()
    page = (site / "404.html").read_bytes()
    problems = []
    for path in MISSING:
        response, body = client.get(path)
        if response.status != 404:
            problems.append("%s: %d, expected 404" % (path, response.status))
        if body != page:
            problems.append("%s: the body is not 404.html (%r...)" % (path, body[:80]))
        if media_type(response) != "text/html":
            problems.append("%s: Content-Type %r" % (path, response.getheader("Content-Type")))
        problems += header_problems(path, response, csp)
    assert not problems, "\n".join(problems)
    # Styled: its stylesheet is named from the site's path, and is there.
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.decode())
    assert any(re.fullmatch(re.escape(SUBPATH) + r"assets/style\.[0-9a-f]{10}\.css", s) for s in styles), styles
    for href in styles:
        response, _ = client.get(href)
        assert response.status == 200 and media_type(response) == "text/css", (href, response.status)


def test_redirects(served, client):
    """The sub-path without its slash, a folder without its slash, and plain HTTP lead on."""
    for path, location in [(SUBPATH.rstrip("/"), SUBPATH), (SUBPATH + "insatser", SUBPATH + "insatser/"), ("/", SUBPATH)]:
        response, _ = client.get(path)
        assert response.status in (301, 302) and response.getheader("Location") == location, \
            (path, response.status, response.getheader("Location"))
    response, _ = client.get(SUBPATH)
    assert response.status == 200 and media_type(response) == "text/html"
    plain = http.client.HTTPConnection("127.0.0.1", served["http_port"], timeout=10)
    plain.request("GET", SUBPATH + "index.html")
    response = plain.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1" + SUBPATH + "index.html"
    plain.close()


def stylesheet(site):
    """The stylesheet the home page links: assets/style.<hash>.css."""
    links = re.findall(r'<link rel="stylesheet" href="(assets/style\.[0-9a-f]{10}\.css)"', (site / "index.html").read_text(encoding="utf-8"))
    assert links, "index.html links no fingerprinted stylesheet"
    return links[0]


def test_cache_headers(served, client):
    """Pages: a few minutes. Assets with a fixed name: kept, asked about again by ETag (304).
    Fingerprinted assets: a year, immutable."""
    response, _ = client.get(SUBPATH + "index.html")
    assert 0 < (max_age(response) or 0) <= 600 and "immutable" not in response.getheader("Cache-Control"), \
        response.getheader("Cache-Control")

    response, _ = client.get(SUBPATH + FIXED_NAME)
    assert "no-cache" in response.getheader("Cache-Control"), response.getheader("Cache-Control")
    etag = response.getheader("ETag")
    assert etag, "no ETag on " + FIXED_NAME
    response, body = client.get(SUBPATH + FIXED_NAME, {"If-None-Match": etag})
    assert response.status == 304 and body == b"", response.status

    css = stylesheet(served["site"])
    response, _ = client.get(SUBPATH + css)
    assert response.status == 200
    cache = response.getheader("Cache-Control")
    assert "immutable" in cache and max_age(response) >= 31536000, cache
    assert header_problems(css, response, layout_csp()) == []


def test_text_is_compressed(served, client):
    css = stylesheet(served["site"])
    response, body = client.get(SUBPATH + css, {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip", response.getheaders()
    assert "Accept-Encoding" in (response.getheader("Vary") or "")
    import gzip
    assert gzip.decompress(body) == (served["site"] / css).read_bytes()
