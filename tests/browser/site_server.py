"""Build the site, serve it on 127.0.0.1, and start Chromium: shared by the tests and bench.

The server behaves like a static host (GitHub Pages, Netlify): a folder serves its
index.html, a missing file gets the site's 404.html with status 404, text is sent
gzipped to a browser that accepts it, and every file may be cached for ten minutes
and is then revalidated with its ETag.

The site is built for its `site_url` (http://127.0.0.1:8000/) and served at a free port,
so the server writes its own address for the site_url's in the text it sends (sitemap.xml,
canonical links), as they would read on a host the site was built for: Material's instant
navigation only takes over links to pages listed, with their port, in sitemap.xml.
"""

import gzip
import hashlib
import io
import mimetypes
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
FIGURE_IMAGE = re.compile(r'<img[^>]+src="[^"]*figures/[^"]+\.svg#only-light"')
SITE_ENV = "VERIFIED_DOCS_SITE"  # a site already built with `mkdocs build --strict -d DIR`
CHROMIUM = os.environ.get("VERIFIED_DOCS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml")
COMPRESSED += ("application/xml", "application/x-ipynb+json")
mimetypes.add_type("application/x-ipynb+json", ".ipynb")
mimetypes.add_type("application/javascript", ".js")


def build_site(destination: Path) -> Path:
    """`mkdocs build --strict` into `destination`, from the project root; the site's path."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([*command, "-d", str(destination)], cwd=ROOT, env=environment, check=True)
    return destination


@contextmanager
def built_site():
    """The site named by $VERIFIED_DOCS_SITE, or one built now into a temporary folder."""
    given = os.environ.get(SITE_ENV)
    if given:
        site = Path(given).resolve()
        if not (site / "sitemap.xml").is_file():
            raise RuntimeError(f"${SITE_ENV}={given} holds no built site (no sitemap.xml)")
        yield site
        return
    with tempfile.TemporaryDirectory(prefix="verified-site-") as folder:
        yield build_site(Path(folder) / "site")


def site_pages(site: Path) -> list[str]:
    """The site's pages, as paths relative to its root ("", "losses/", ...), in nav order.

    Read from sitemap.xml, which MkDocs writes in navigation order, so the list follows
    whatever pages the site has today.
    """
    tree = ET.parse(site / "sitemap.xml")
    locations = [element.text.strip() for element in tree.iter() if element.tag.endswith("loc")]
    base = _site_url_path(locations)
    pages = []
    for location in locations:
        path = unquote(urlsplit(location).path)
        pages.append(path[len(base) :] if path.startswith(base) else path.lstrip("/"))
    return pages


def _site_url_path(locations: list[str]) -> str:
    """The path part of site_url: the shortest location, which is the home page's."""
    paths = [urlsplit(location).path for location in locations]
    return min(paths, key=len) if paths else "/"


def nav_pages(site: Path) -> list[str]:
    """The pages of the primary navigation, in its order, as read from the home page."""
    reader = _NavReader()
    reader.feed(page_file(site, "").read_text(encoding="utf-8"))
    return list(dict.fromkeys(reader.pages))


class _NavReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[str] = []
        self.depth = 0  # how deep inside nav.md-nav--primary, 0 outside it

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "nav" and (self.depth or "md-nav--primary" in classes):
            self.depth += 1
        elif self.depth and tag == "a" and "md-nav__link" in classes:
            href = attributes.get("href") or ""
            if href and not href.startswith("#"):
                path = urlsplit(urljoin("http://site/", href)).path.lstrip("/")
                self.pages.append("" if path == "index.html" else path)

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def site_url(site: Path) -> str:
    """The site_url the site was built for: the sitemap's location of the home page."""
    tree = ET.parse(site / "sitemap.xml")
    locations = [element.text.strip() for element in tree.iter() if element.tag.endswith("loc")]
    return min(locations, key=len)


def page_file(site: Path, page: str) -> Path:
    """The HTML file that serves `page`."""
    path = site / page
    return path / "index.html" if page == "" or page.endswith("/") else path


def page_source(page: str) -> Path | None:
    """The Markdown file under docs/ that `page` was built from, if it was."""
    stem = ROOT / "docs" / page.rstrip("/")
    for candidate in (stem.with_suffix(".md"), stem / "index.md"):
        if candidate.is_file():
            return candidate
    return None


def first_page_with(site: Path, pages: list[str], marker: str) -> str | None:
    """The first of `pages` whose built HTML holds `marker`; None if none does."""
    for page_path in pages:
        if marker in page_file(site, page_path).read_text(encoding="utf-8"):
            return page_path
    return None


def figure_pages(site: Path, pages: list[str]) -> list[str]:
    """The pages that show a figure of the guide's own (docs/**/figures/*.svg)."""
    return [p for p in pages if FIGURE_IMAGE.search(page_file(site, p).read_text("utf-8"))]


class SiteHandler(SimpleHTTPRequestHandler):
    """A static host's behaviour; see the module's docstring."""

    protocol_version = "HTTP/1.1"

    def __init__(self, *args, log: list | None = None, rewrite=None, **kwargs):
        self.log = log
        self.rewrite = rewrite  # (site_url, served URL), as bytes
        super().__init__(*args, **kwargs)

    def send_head(self):
        url_path = urlsplit(self.path).path
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self._record(304, 0, kind)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return None
        if self.rewrite and kind.startswith(COMPRESSED):
            body = body.replace(*self.rewrite)
        compress = kind.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self._record(status, len(body), kind)
        self.send_response(status)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if "text" in kind else ""))
        self.send_header("Content-Length", str(len(body)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        if status == 200:
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def _record(self, status: int, size: int, kind: str) -> None:
        """Log the request: its path, status, the bytes of the body sent, and their type."""
        if self.log is not None:
            self.log.append((self.path, status, size, kind))

    def log_message(self, format, *args):  # quiet: the tests report what matters
        pass


@contextmanager
def serve(site: Path):
    """Serve `site` on 127.0.0.1 at a free port; yields (base URL ending in /, request log).

    The log holds (path, status, body bytes sent, content type) for every request.
    """
    log: list[tuple[str, int, int, str]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), SiteHandler)
    url = f"http://127.0.0.1:{server.server_port}/"
    rewrite = (site_url(site).encode(), url.encode())
    server.RequestHandlerClass = partial(SiteHandler, directory=str(site), log=log, rewrite=rewrite)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield url, log
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium(playwright):
    """Debian's Chromium, headless, driven by Playwright, that reaches no host but this one.

    Every request to another host goes to a proxy that refuses it: a port bound here and
    never listened on. Chromium sends 127.0.0.1 past any proxy. (Playwright's routes would
    block them too, but a context with a route has no HTTP cache, and each page of a
    reader's visit would then fetch and compile the site's scripts again.)
    """
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium)"
        )
    with socket.socket() as refusing:
        refusing.bind(("127.0.0.1", 0))
        proxy = f"--proxy-server=http://127.0.0.1:{refusing.getsockname()[1]}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, proxy])
        try:
            yield browser
        finally:
            browser.close()
