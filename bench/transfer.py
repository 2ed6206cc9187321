"""What a reader downloads: each page type's first view, and a one-word search, served as GitHub Pages serves.

The built site is served on loopback under its site_url path, with text files
(HTML, CSS, JavaScript, JSON, XML, SVG) gzip-compressed on the fly as GitHub
Pages does, and Pagefind's index files (already compressed) as they are.
Debian's Chromium, at phone size with an empty cache, loads each page until the
network is idle; the bytes are those on the wire (headers and encoded bodies,
as Chromium reports them), the page's frames and workers included. Lazy frames below the fold are not loaded, as a
reader who does not scroll would not load them. The search is measured in three
steps: opening it, typing one word, then opening its filter pane (which loads the
filters only then).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

CHROMIUM = Path(os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 390, "height": 844}
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".geojson"}
# Only loopback: anything else (map tiles) fails at once and is not counted.
ARGS = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a built site as GitHub Pages does: under the site_url path, text gzip-compressed, the
    site's 404.html for missing pages (the browser tests serve their sites with it too)."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        """Map a URL under the site path to a file of the built site; anything else to nothing."""
        if not path.startswith(self.prefix):
            # A name no built site has (a NUL would make open() raise and drop the connection: no 404).
            return os.path.join(self.directory, ".outside-the-site", "missing")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_head(self):
        """Send a text file gzip-compressed when the browser accepts it; anything else as it is."""
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing page with the site's own 404 page, as static hosts do."""
        page = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the output clean."""


class _Body:
    """A compressed body for SimpleHTTPRequestHandler's copyfile."""

    def __init__(self, data: bytes):
        """Hold the bytes."""
        self.data, self.sent = data, False

    def read(self, size: int = -1) -> bytes:
        """Return the whole body once."""
        if self.sent:
            return b""
        self.sent = True
        return self.data

    def close(self) -> None:
        """Nothing to release."""


class PagesServer(http.server.ThreadingHTTPServer):
    """A loopback server that ignores clients hanging up mid-response (a page left before it loaded)."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Log dropped connections quietly instead of printing a traceback."""
        log.debug("connection from %s dropped", client_address, exc_info=True)


def handler_for(site: Path, mount: str):
    """Return a request handler serving a built site under `mount`."""
    return functools.partial(type("Handler", (PagesHandler,), {"prefix": mount}), directory=str(site))


@contextmanager
def served(site: Path, mount: str):
    """Serve a built site on 127.0.0.1 under `mount`; yield its base URL."""
    server = PagesServer(("127.0.0.1", 0), handler_for(site, mount))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()


class _Meter:
    """Count the bytes a page receives over the network: headers and encoded bodies, its frames and
    workers included (the theme's search worker fetched its index)."""

    def __init__(self, page):
        """Listen to the page's finished requests."""
        self.bytes = 0
        self.requests = 0
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        """Add one finished response."""
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        if not body:  # Chromium says 0 for a worker's own script (Pagefind's, 12 kB): take what the server sent
            response = request.response()
            body = int((response.headers.get("content-length") if response else None) or 0)
        self.bytes += body + sizes["responseHeadersSize"]
        self.requests += 1

    def take(self) -> tuple[int, int]:
        """Return (bytes, requests) since the last take, and start counting again."""
        taken = (self.bytes, self.requests)
        self.bytes = self.requests = 0
        return taken


def measure(site: Path, mount: str, pages: dict[str, str], query: str, query_page: str) -> dict:
    """Measure each page type's first view and a one-word search; {} when Chromium or Playwright is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        log.warning("Playwright is missing: no transfer figures (install requirements-dev.lock)")
        return {}
    if not CHROMIUM.exists():
        log.warning("no Chromium at %s: no transfer figures", CHROMIUM)
        return {}
    result: dict = {"first_view": {}}
    with served(site, mount) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        for name, path in pages.items():
            result["first_view"][name] = _first_view(browser, base + path)
        result["query"] = _query(browser, base + query_page, query)
        browser.close()
    return result


def _first_view(browser, url: str) -> dict:
    """Load one page in a fresh context (empty cache) until the network is idle; return bytes and requests."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    meter = _Meter(page)
    page.goto(url, wait_until="networkidle")
    _settle(page)
    taken = meter.take()
    context.close()
    return {"bytes": taken[0], "requests": taken[1]}


def _settle(page) -> None:
    """Wait for requests that scripts start after the page is idle (a theme's worker, a frame's data)."""
    page.wait_for_timeout(3000)
    page.wait_for_load_state("networkidle")


# From the last keystroke to the frame that first paints a result (Pagefind's debounce, the word's index
# chunk, the first fragments, the results' layout), timed in the page: a wall time, so the benchmark's.
WATCH_RESULTS = """() => {
  let last = 0;
  document.addEventListener("keydown", () => { last = performance.now(); }, true);
  const seen = new MutationObserver(() => {
    const link = document.querySelector("pagefind-results li.pf-result a.pf-result-link");
    if (!link || !link.getClientRects().length) return;
    seen.disconnect();
    requestAnimationFrame(() => { window.__dossierShown = performance.now() - last; });
  });
  seen.observe(document.body, {childList: true, subtree: true});
}"""


def _query(browser, url: str, word: str) -> dict:
    """Open the search on a page and type one word; return the bytes of opening it and of the query."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    _settle(page)
    meter = _Meter(page)
    page.keyboard.press("/")
    page.wait_for_selector("pagefind-modal dialog[open]")
    _settle(page)
    opened = meter.take()
    page.evaluate(WATCH_RESULTS)
    page.keyboard.type(word)
    page.wait_for_selector("pagefind-results li.pf-result a.pf-result-link", state="visible")
    shown_ms = round(page.wait_for_function("window.__dossierShown").json_value())
    _settle(page)  # then the other results' fragments
    typed = meter.take()
    summary = page.locator("pagefind-summary").inner_text()
    filters = _open_filters(page, meter)
    context.close()
    return {"word": word, "open_bytes": opened[0], "open_requests": opened[1], "query_bytes": typed[0],
            "query_requests": typed[1], "results_ms": shown_ms, "summary": summary, "filters_bytes": filters[0],
            "filters_requests": filters[1]}


def _open_filters(page, meter: _Meter) -> tuple[int, int]:
    """Open the search's filter pane, which fetches the filters then; return its (bytes, requests)."""
    page.locator(".dossier-search__filters > summary").click()
    page.wait_for_selector("pagefind-filter-pane details.pf-filter-group")
    _settle(page)
    return meter.take()
