"""MkDocs hook: regenerate the pages from data/ before each build, so `mkdocs serve` follows edits.

The generator owns everything (`python build_pages.py build` gives the same
pages, and a builder without hooks builds a usable site from them); this hook
only calls it, points each record page's edit button at its record in the YAML,
pins the build date for byte-identical sites, passes the generator's finished
HTML pages through without Python-Markdown (dossier/passthrough.py), and gives
the theme Material's sidebar nav rendered once per folder (dossier/sidenav.py). In `serve`,
an edit to the data regenerates the edited records' pages at once and everything
else in a background build (dossier/preview.py), paused while MkDocs rebuilds,
and each dirty rebuild sees only the files that changed; once no background
build runs, Pagefind re-indexes the site for search in the background
(dossier/searchindex.py; `make site` runs the same command after MkDocs).
Set DOSSIER_SKIP_GENERATE=1 to build from the pages already under docs/, and
DOSSIER_DATA=DIR to generate from another data directory (tests, fixtures).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.structure.files import Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # mkdocs loads hooks by path; the package sits beside them
    sys.path.insert(0, str(ROOT))

from dossier.build import build  # noqa: E402
from dossier.errors import DataError  # noqa: E402
from dossier.passthrough import Passthrough  # noqa: E402
from dossier.preview import Serve  # noqa: E402
from dossier.sidenav import shared_nav  # noqa: E402
from dossier.render import EDIT_LINES  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generate")


class _State:
    """Everything the hook keeps between MkDocs' events (and, in `serve`, between rebuilds)."""

    # A plain class, not a dataclass: tests load the hook by path without registering the module.
    def __init__(self) -> None:
        """Start as a plain `mkdocs build` with nothing kept."""
        self.command = "build"
        self.serve: Serve | None = None  # in `serve`: the quick and background regenerations
        self.edit_lines: dict[str, int] = {}  # record page -> its line in the data file
        self.passthrough = Passthrough()
        self.indexing: subprocess.Popen | None = None  # in `serve`: Pagefind indexing the last rebuild's site


state = _State()


def source_date_epoch() -> str | None:
    """Return the last commit's time, the build date of a reproducible site, or None outside git."""
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is `serve`, and pin the build date (sitemap, gzip) when it is not set."""
    state.command = command
    if "SOURCE_DATE_EPOCH" not in os.environ:
        epoch = source_date_epoch()
        if epoch:
            os.environ["SOURCE_DATE_EPOCH"] = epoch


def data_dir() -> Path:
    """Return the data directory the pages are generated from."""
    return Path(os.environ.get("DOSSIER_DATA") or ROOT / "data")


def generate(run) -> bool:
    """Run one generation and say whether it did; on invalid data log each problem and keep the previous pages."""
    try:
        report = run()
    except DataError as exc:
        # A strict `mkdocs build` must fail on bad data; `serve` must keep running on the old pages.
        level = logging.INFO if state.command == "serve" else logging.WARNING
        for problem in exc.problems:
            log.log(level, "data problem: %s", problem)
        log.log(level, "pages not regenerated: fix the %d problem(s) above", len(exc.problems))
        return False
    log.info("generated pages: %s", report)
    return True


def generated_root(config) -> Path:
    """Return the docs folder the generator writes to: the English build's, also in the French build.

    The generator writes both editions at once, French under docs/fr/ (I18N.md); the French build
    (mkdocs.fr.yml, `extra.edition: fr/`) reads docs/fr/, and generating there would nest a copy.
    """
    docs_dir = Path(config["docs_dir"])
    edition = (config.get("extra") or {}).get("edition") or ""
    for _ in filter(None, edition.split("/")):
        docs_dir = docs_dir.parent
    return docs_dir


def on_pre_build(config) -> None:
    """Regenerate the pages unless told not to, then read the record pages' edit lines."""
    root = generated_root(config)
    _stop(state.indexing)  # in `serve`: it reads the site about to be rebuilt, and would slow the rebuild
    if state.serve is not None:
        state.serve.hold()  # the background generation writes nothing until this rebuild is over
    if os.environ.get("DOSSIER_SKIP_GENERATE") != "1":
        if state.command == "serve":
            if state.serve is None or state.serve.data_dir != data_dir():
                state.serve = Serve(data_dir())
            state.serve.regenerate(root, generate)
        else:
            generate(lambda: build(data_dir(), root, strict=False))
    lines = root / EDIT_LINES  # one file for both editions: a twin has its English page's path
    state.edit_lines = json.loads(lines.read_text(encoding="utf-8")) if lines.is_file() else {}


def on_config(config) -> None:
    """Fail a strict build without directory URLs: the generated pages link each other as events/x/."""
    if not config.get("use_directory_urls"):
        log.error("use_directory_urls must stay true: the generated pages link each other as events/x/")


def _nav_pages(nav) -> set[str]:
    """List the pages the nav of mkdocs.yml names (its items are titles mapped to paths or to sections)."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav or []
    return {page for item in items for page in _nav_pages(item)}


def on_files(files, config):
    """In `serve`: hand a dirty rebuild only the files it can rebuild (preview.py, `rebuild_files`)."""
    if state.serve is None or not config["nav"]:  # without a nav, MkDocs makes one from every page
        return files
    kept = state.serve.rebuild_files(files, config["docs_dir"], _nav_pages(config["nav"]))
    return files if kept is None else Files(kept)


def on_env(env, config, files):
    """Give the theme the sidebar nav rendered once per folder of record pages (dossier/sidenav.py)."""
    env.globals["shared_nav"] = shared_nav()
    return env


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Point a generated page's edit button at its record; set a finished HTML body aside from Markdown."""
    path = page.meta.get("source_path")
    if path and config.get("repo_url"):
        line = state.edit_lines.get(page.file.src_uri)
        page.edit_url = f"{config['repo_url'].rstrip('/')}/blob/main/{path}" + (f"#L{line}" if line else "")
    return state.passthrough.set_aside(markdown, page)


def on_page_content(html: str, page, config, files) -> str:
    """Put back a finished HTML body, with the table of contents and anchors its front matter lists."""
    body = state.passthrough.put_back(html, page)
    return html if body is None else body


def _index_in_background(site_dir: Path) -> None:
    """In `serve`: index the rebuilt site for search in another process, so the preview is not held up."""
    # The command `make site` runs after MkDocs (dossier/searchindex.py), at low priority: MkDocs'
    # rebuilds for the next edits keep a core to themselves. It logs one line when done.
    nice = ["nice", "-n", "10"] if shutil.which("nice") else []
    state.indexing = subprocess.Popen([*nice, sys.executable, "-m", "dossier.searchindex", str(site_dir)],  # noqa: S603
                                      cwd=ROOT, stdout=subprocess.DEVNULL)


def _stop(process: subprocess.Popen | None) -> None:
    """Stop a background process still running (what it works on is out of date)."""
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait()


def on_post_build(config) -> None:
    """In `serve`: start a pending regeneration, or else re-index the site for search."""
    if state.serve is not None:
        state.serve.rebuilt()
        state.serve.release()
        state.serve.start_due()
    # While the background generation runs, the site is about to change again: the rebuild after its
    # last write indexes it (or, should the process not have exited by then, the next rebuild).
    # Pagefind then never takes a core from the rebuild that shows an edit.
    if state.command == "serve" and not (state.serve is not None and state.serve.busy()):
        _index_in_background(Path(config["site_dir"]))


def on_build_error(error) -> None:
    """In `serve`: let the background generation go on after a failed rebuild, as after one that succeeded."""
    if state.serve is not None:
        state.serve.release()


def on_shutdown() -> None:
    """Stop a background generation or indexing when `serve` stops."""
    if state.serve is not None:
        state.serve.stop()
    _stop(state.indexing)
