"""Browser test fixtures: build the site into a temp folder, serve it on loopback, drive Chromium.

Each site (the shipped data, the hostile fixture) is generated and built once per
session into its own temp copy of the MkDocs project, so the tests never touch
docs/ or site/ while someone else is building. The site must work with nothing
but itself: every request to another host is recorded and stopped, by a
Playwright route in the reader tests (map tiles get a blank tile, or are aborted
to play a tile server that is down) and by Chromium's resolver in the crawl.

Chromium is Debian's (/usr/bin/chromium, or DOSSIER_CHROMIUM); without it the
tests skip, except under CI=true where they fail. axe-core comes from npm
(package-lock.json, `npm ci`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.transfer import PagesServer, handler_for  # noqa: E402  (served as GitHub Pages serves it)
from dossier.build import load_valid  # noqa: E402
from dossier.errors import DataError  # noqa: E402
from dossier.model import Dossier, build_dossier  # noqa: E402
from dossier.write import GENERATED_DIRS, GENERATED_FILES  # noqa: E402

log = logging.getLogger(__name__)

CHROMIUM = Path(os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
                 # Every other host fails to resolve, so nothing leaves the machine even where no route
                 # intercepts (the crawl, for speed: routing every request costs a round trip to Python).
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
FIXTURES = ROOT / "tests" / "fixtures"
# What the temp copy of the MkDocs project needs besides the generated pages: copies of what the build
# writes into or reads relative to mkdocs.yml, links to what it only reads (hooks import, `watch` lists).
PROJECT_FILES = ("mkdocs.yml", "mkdocs.fr.yml", "docs", "hooks", "overrides")
PROJECT_LINKS = ("data", "dossier", "templates")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# A 1x1 transparent PNG: stands in for every map tile, so no tile server is ever reached.
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
HOW_TO_GET_CHROMIUM = (f"the browser tests need Debian's Chromium at {CHROMIUM}: "
                       "run `apt-get install chromium` (CI installs it in .ci/run)")


def _missing(message: str) -> None:
    """Skip a browser test for a missing tool, except in CI where the tool is required."""
    if IN_CI:
        pytest.fail(message + " (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(message)


# --- building -----------------------------------------------------------------------------------


@dataclass
class Site:
    """One built site, served on loopback, with the dossier it was built from."""

    name: str
    root: Path  # the built site/ folder
    dossier: Dossier
    url: str = ""  # base URL with a trailing slash, set once served

    def page(self, path: str) -> str:
        """Return the absolute URL of a site path such as 'events/x/'."""
        return urljoin(self.url, path)


def _skip_generated(docs: Path):
    """Return a copytree filter that leaves out the generated files of a docs folder."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(docs).as_posix()
        prefix = "" if rel == "." else rel + "/"
        return {n for n in names if prefix + n in GENERATED_DIRS or prefix + n in GENERATED_FILES}
    return ignore


def _copy_project(dest: Path) -> Path:
    """Copy the MkDocs project (without generated pages) into a temp folder; return its docs dir."""
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=_skip_generated(src) if name == "docs" else None)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    for name in PROJECT_LINKS:
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name)
    (dest / "docs").mkdir(exist_ok=True)
    return dest / "docs"


def _run(args: list[str], cwd: Path) -> None:
    """Run a build command; fail the session with its output when it fails."""
    env = dict(os.environ, DOSSIER_SKIP_GENERATE="1", SOURCE_DATE_EPOCH="1767225600",
               PYTHONPATH=str(ROOT))
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"`{' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
                    pytrace=False)


def build_site(name: str, data_dir: Path, tmp: Path) -> Site:
    """Generate the pages for a data folder, build the site with MkDocs in a temp project, index it for search."""
    project = tmp / name
    project.mkdir()
    docs = _copy_project(project)
    _run([sys.executable, str(ROOT / "build_pages.py"), "build", "--data", str(data_dir), "--docs", str(docs)],
         ROOT)
    _run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
          "-d", str(project / "site")], project)
    _run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.fr.yml"),  # then French
          "-d", str(project / "site" / "fr")], project)
    _run([sys.executable, "-m", "dossier.searchindex", str(project / "site")], ROOT)  # as `make site` does
    return Site(name, project / "site", build_dossier(load_valid(data_dir)))


def shipped_data() -> Path:
    """Return data/ when it validates, else the small valid fixture (while data/ is being written)."""
    try:
        load_valid(ROOT / "data")
        return ROOT / "data"
    except (DataError, OSError, ValueError) as exc:
        log.warning("data/ does not validate yet (%s); testing tests/fixtures/valid", exc)
        return FIXTURES / "valid"


# --- serving ------------------------------------------------------------------------------------


def site_path() -> str:
    """Return the path the site is published under, from site_url in mkdocs.yml ('/' when unset)."""
    found = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    path = urlsplit(found.group(1)).path if found else "/"
    return path if path.endswith("/") else path + "/"


def _serve(site: Site):
    """Serve a built site on 127.0.0.1 at a random port for the session, then shut the server down."""
    prefix = site_path()
    server = PagesServer(("127.0.0.1", 0), handler_for(site.root, prefix))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    yield site
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def site(browser, tmp_path_factory) -> Site:
    """The site built from the shipped data (or the valid fixture while data/ is incomplete), served."""
    yield from _serve(build_site("shipped", shipped_data(), tmp_path_factory.mktemp("site")))


@pytest.fixture(scope="session")
def hostile_site(browser, tmp_path_factory) -> Site:
    """The site built from the hostile fixture: script payloads in every text field."""
    data = FIXTURES / "hostile"
    if not data.is_dir():
        pytest.fail("tests/fixtures/hostile is missing: the hostile dataset is needed", pytrace=False)
    yield from _serve(build_site("hostile", data, tmp_path_factory.mktemp("hostile")))


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium headless once per session."""
    if not CHROMIUM.exists():
        _missing(HOW_TO_GET_CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is missing: run `make test` to install requirements-dev.lock")
    from playwright.sync_api import expect

    # Two shared cores under load: give the search and the maps time to settle.
    expect.set_options(timeout=15_000)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def tile_pattern() -> re.Pattern:
    """Turn the map's tile URL template (dossier.config) into a pattern that matches its tile URLs."""
    from dossier import config

    tiles = config.tiles()
    if tiles is None:
        return re.compile(r"(?!)")  # tiles turned off: every outside request is unexpected
    parts = re.split(r"(\{[^}]*\})", tiles.url)
    return re.compile("".join(r"[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + r"$")


@dataclass
class Guard:
    """What a context's pages did that no reader should meet; filled by listeners."""

    tiles: re.Pattern
    outside: list[str] = field(default_factory=list)  # requests to another host (tiles included), blocked
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)  # 4xx/5xx on the site's own origin
    dialogs: list[str] = field(default_factory=list)
    block_tiles: bool = False  # abort tile requests too, as when the tile server is down

    def route(self, route) -> None:
        """Let loopback requests through; answer tiles with a blank tile; abort the rest."""
        url = route.request.url
        if urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        elif self.tiles.match(url) and not self.block_tiles:
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        else:
            route.abort()

    def watch(self, page) -> None:
        """Attach the listeners to a page (its frames' events arrive on the page too)."""
        page.on("request", lambda r: _outside(r.url) and self.outside.append(r.url))
        page.on("console", lambda m: self._console(page, m))
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        page.on("response", lambda r: r.status >= 400 and urlsplit(r.url).hostname in LOOPBACK
                and self.bad.append(f"{r.status} {r.url} (on {page.url})"))
        page.on("dialog", self._dialog)

    def _console(self, page, message) -> None:
        """Record a console error, except a map tile failing to load (no tile server is reachable)."""
        where = message.location.get("url", "")
        if message.type == "error" and not self.tiles.match(where):
            self.console.append(f"{page.url}: {message.text} (at {where})")

    def _dialog(self, dialog) -> None:
        """Record a dialog (a planted script ran) and dismiss it so the page goes on."""
        self.dialogs.append(f"{dialog.type}: {dialog.message!r}")
        dialog.dismiss()

    def unexpected_outside(self) -> list[str]:
        """List outside requests that are not map tiles."""
        return [u for u in self.outside if not self.tiles.match(u)]


def _outside(url: str) -> bool:
    """Say whether a request goes over the network to a host other than the loopback server."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK


def new_context(browser, route: bool = True, **options):
    """Open a browser context whose pages are guarded; return (context, guard).

    With `route`, outside requests are stopped by Playwright (tiles answered with a blank tile);
    without, by Chromium's resolver rules, which is faster for a crawl of every page.
    """
    guard = Guard(tile_pattern())
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    if route:
        context.route("**/*", guard.route)
    context.on("page", guard.watch)
    return context, guard


@pytest.fixture
def guarded(browser):
    """A fresh guarded context for one test: (context, guard)."""
    context, guard = new_context(browser, viewport={"width": 1280, "height": 900})
    yield context, guard
    context.close()


@pytest.fixture
def page(guarded):
    """A guarded page at desktop size."""
    context, _ = guarded
    return context.new_page()


def screenshot(page, name: str, maps: bool = True, full_page: bool = True) -> Path:
    """Save a screenshot into test-artifacts/ for reviewers: the full page (with the maps opened, unless told
    not to), or what the window shows (an open dialog, which a full-page capture draws under the page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    if maps:
        load_frames(page)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- accessibility ------------------------------------------------------------------------------


def axe_violations(frame, only: tuple[str, ...] = ()) -> list[str]:
    """Run axe-core in a page or frame; list its serious and critical violations, one line each.

    `only`: run just these rules, which may be rules axe leaves off by default (target-size, as Lighthouse runs it).
    """
    if not AXE.is_file():
        _missing("axe-core is missing: run `npm ci` (or `make test`) to install it into node_modules/")
    frame.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]} | ({"runOnly": {"type": "rule", "values": list(only)}} if only else {})
    result = frame.evaluate("options => axe.run(document, options)", options)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


# --- crawling -----------------------------------------------------------------------------------

# One call per document: its links, iframes and images without a text alternative.
DOCUMENT_JS = """() => ({
  links: Array.from(document.querySelectorAll('a[href], link[href]'))
    .filter(e => e.tagName === 'A' || ['alternate', 'icon', 'stylesheet'].some(r => e.relList.contains(r)))
    .map(e => e.href),
  frames: Array.from(document.querySelectorAll('iframe[src]'), e => e.src),
  noAlt: Array.from(document.querySelectorAll('img:not([alt])'), i => i.getAttribute('src') || '?'),
  images: Array.from(document.images, i => [i.src, i.getAttribute('alt'), i.complete && i.naturalWidth === 0]),
  unsafe: Array.from(document.querySelectorAll('a[href], iframe[src], form[action]'), e => e.href || e.src || e.action)
    .filter(u => !/^(https?|mailto):/i.test(u)),
})"""
PAGE_LIKE = re.compile(r"(/|\.html?)$")


@dataclass
class Crawl:
    """What a crawl of a whole site met."""

    guard: Guard
    pages: list[str] = field(default_factory=list)  # top-level pages visited
    frames: list[str] = field(default_factory=list)  # iframe documents (maps) loaded inside them
    broken: list[str] = field(default_factory=list)  # links whose target is missing
    no_alt: list[str] = field(default_factory=list)  # images with no text alternative
    unsafe: list[str] = field(default_factory=list)  # links a click on which would run script (javascript:)
    images: dict[str, set] = field(default_factory=dict)  # image URL: the alt texts it is shown with


FRAMES_LOADED_JS = """() => Array.from(document.querySelectorAll('iframe[src]')).every(f =>
  f.contentDocument && f.contentDocument.URL !== 'about:blank' && f.contentDocument.readyState === 'complete')"""


def load_frames(page) -> None:
    """Open every map sketch and load every lazy iframe, as a reader tapping and scrolling would; wait for them."""
    page.evaluate("() => document.querySelectorAll('.dossier-sketch__open').forEach(a => a.click())")
    if not page.evaluate(FRAMES_LOADED_JS):
        page.evaluate("() => document.querySelectorAll('iframe').forEach(f => { f.loading = 'eager'; })")
        page.wait_for_function(FRAMES_LOADED_JS)


def _documents(page) -> tuple[dict, list[str]]:
    """Read the page and its frames; return their merged findings and the frame URLs loaded."""
    found = page.evaluate(DOCUMENT_JS)
    load_frames(page)
    loaded = []
    for frame in page.frames[1:]:
        inner = frame.evaluate(DOCUMENT_JS)
        found["links"] += inner["links"]
        found["noAlt"] += inner["noAlt"]
        found["unsafe"] += inner["unsafe"]
        found["images"] += inner["images"]
        loaded.append(frame.url)
    return found, loaded


def crawl(browser, site: Site) -> Crawl:
    """Visit every page reachable from the home page on the site's origin, frames included; check other links."""
    context, guard = new_context(browser, route=False, viewport={"width": 1280, "height": 900})
    report = Crawl(guard)
    page = context.new_page()
    origin = urljoin(site.url, "/")  # links that leave the site path are checked too: a host would 404 them
    queue, seen, files = deque([site.url]), {site.url: "start"}, {}
    while queue:
        url = queue.popleft()
        response = page.goto(url, wait_until="load")
        if response is None or response.status >= 400:
            report.broken.append(f"{url} (linked from {seen[url]})")
            continue
        if "html" not in response.headers.get("content-type", ""):
            continue
        found, loaded = _documents(page)
        report.pages.append(url)
        report.frames += loaded
        report.no_alt += [f"{url}: {src}" for src in found["noAlt"]]
        report.unsafe += [f"{url}: {link[:80]}" for link in found["unsafe"]]
        for src, alt, broken in found["images"]:
            report.images.setdefault(urldefrag(src).url, set()).add(alt)
            if broken and not guard.tiles.match(src):  # tiles cannot load: no tile server is reachable
                report.broken.append(f"{src}: image does not display (on {url})")
        for link in found["links"]:
            link = urldefrag(link).url
            if not link.startswith(origin) or link in seen or link in files or link in loaded:
                continue
            if PAGE_LIKE.search(urlsplit(link).path):
                seen[link] = url
                queue.append(link)
            else:
                files[link] = url
    for link, source in sorted(files.items()):
        status = context.request.head(link).status
        if status >= 400:
            report.broken.append(f"{link}: {status} (linked from {source})")
    page.close()
    context.close()
    return report


@pytest.fixture(scope="session")
def site_crawl(browser, site) -> Crawl:
    """Crawl the shipped site once for every 'never meet' check."""
    return crawl(browser, site)


@pytest.fixture(scope="session")
def hostile_crawl(browser, hostile_site) -> Crawl:
    """Crawl the hostile build once."""
    return crawl(browser, hostile_site)
