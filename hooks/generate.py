"""MkDocs hook: regenerate the pages from data/ before each build, so `mkdocs serve` follows edits.

The generator owns everything (`python build_pages.py build` gives the same
pages); this hook only calls it, points each record page's edit button at its
record in the YAML, pins the build date for byte-identical sites, and passes
through the pages the generator wrote as finished HTML (front matter `body: html`,
with their table of contents in `toc`), so that Python-Markdown does not convert
them again. In `serve`, an edit to the data regenerates the edited records'
pages at once (dossier/preview.py) and everything else in a background
`build_pages.py build`, whose writes the watcher then picks up; after each
rebuild, Pagefind re-indexes the site for search in the background
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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # mkdocs loads hooks by path; the package sits beside them
    sys.path.insert(0, str(ROOT))

from markdown.extensions.toc import nest_toc_tokens  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402

from dossier.build import build  # noqa: E402
from dossier.errors import DataError  # noqa: E402
from dossier.preview import Preview  # noqa: E402
from dossier.render import EDIT_LINES  # noqa: E402
from dossier.write import is_generated  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generate")
_command = "build"
_generated_from: dict | None = None  # serve: the inputs of the last generation (see _serve_generate)
_preview: Preview | None = None  # serve: the last generation's records, for quick regeneration
_background: subprocess.Popen | None = None  # serve: the full generation running after a quick one
_background_for: Path | None = None  # serve: the docs folder a full generation is due for after this build
_edit_lines: dict[str, int] = {}  # record page -> its line in the data file (render.EDIT_LINES)
_html_bodies: dict[str, str] = {}  # finished HTML set aside by on_page_markdown for on_page_content
_indexing: subprocess.Popen | None = None  # serve: Pagefind indexing the last rebuild's site


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
    global _command
    _command = command
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
        level = logging.INFO if _command == "serve" else logging.WARNING
        for problem in exc.problems:
            log.log(level, "data problem: %s", problem)
        log.log(level, "pages not regenerated: fix the %d problem(s) above", len(exc.problems))
        return False
    log.info("generated pages: %s", report)
    return True


def _drop_missing(nav: list, docs_dir: Path) -> list:
    """Drop nav entries for generated pages that no stage produced yet (e.g. a stage still a stub)."""
    kept = []
    for entry in nav:
        target = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(target, str) and is_generated(target) and not (docs_dir / target).is_file():
            log.info("nav: leaving out %s, which was not generated", target)
            continue
        kept.append(entry)
    return kept


def _fingerprint(*folders: Path) -> tuple:
    """Fingerprint the files under some folders (name, size, modification time)."""
    files = sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def _stop(process: subprocess.Popen | None) -> None:
    """Stop a background process still running (what it works on is out of date)."""
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait()


def _nice() -> list[str]:
    """Return the prefix that runs a background process at low priority, where `nice` exists."""
    # MkDocs' rebuilds for the next edits keep a core to themselves.
    return ["nice", "-n", "10"] if shutil.which("nice") else []


def _stop_background() -> None:
    """Stop a background generation still running (its inputs are out of date)."""
    global _background
    _stop(_background)
    _background = None


def _generate_in_background(docs_dir: Path) -> None:
    """Run the full generation in another process; the watcher rebuilds the pages it changes."""
    global _background
    _stop_background()
    # One process, at low priority.
    command = [*_nice(), sys.executable, str(ROOT / "build_pages.py"), "build", "--data", str(data_dir()), "--docs",
               str(docs_dir)]
    _background = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,  # noqa: S603
                                   env={**os.environ, "DOSSIER_JOBS": "1"})
    log.info("regenerating the other pages in the background")


def _serve_generate(docs_dir: Path) -> None:
    """In `serve`: the edited records' pages at once, the rest in the background; skip when nothing changed."""
    global _preview, _generated_from, _background_for
    inputs = {"data": _fingerprint(data_dir()), "code": _fingerprint(ROOT / "templates", ROOT / "dossier"),
              "docs": str(docs_dir)}
    if inputs == _generated_from:
        # The generator's own writes into docs/ wake the watcher again: regenerating from the
        # same inputs would cost a full generation (20 s at 10,000 events) and write nothing.
        log.info("pages not regenerated: data, templates and generator unchanged since the last build")
        return
    _stop_background()
    quick = _preview is not None and _preview.primed and _generated_from is not None and all(
        inputs[k] == _generated_from[k] for k in ("code", "docs"))
    if not quick:
        _preview = Preview(data_dir(), docs_dir)
        done = generate(_preview.full)
    else:
        done = generate(lambda: f"{len(_preview.quick())} page(s) of edited records")
    # After invalid data, the next rebuild tries again; the fix itself takes the quick path.
    _generated_from = inputs if done else {**inputs, "data": None}
    if done and quick:  # started once this build is over (on_post_build), so as not to slow it down
        _background_for = docs_dir


def on_pre_build(config) -> None:
    """Regenerate the pages unless told not to, then fit the nav to what exists."""
    docs_dir = Path(config["docs_dir"])
    if os.environ.get("DOSSIER_SKIP_GENERATE") != "1":
        if _command == "serve":
            _serve_generate(docs_dir)
        else:
            generate(lambda: build(data_dir(), docs_dir, strict=False))
    if config.get("nav"):
        config["nav"] = _drop_missing(config["nav"], docs_dir)
    lines = docs_dir / EDIT_LINES
    _edit_lines.clear()
    _edit_lines.update(json.loads(lines.read_text(encoding="utf-8")) if lines.is_file() else {})


def on_config(config) -> None:
    """Fail a strict build without directory URLs: the generated pages link each other as events/x/."""
    if not config.get("use_directory_urls"):
        log.error("use_directory_urls must stay true: the generated pages link each other as events/x/")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Point a generated page's edit button at its record; set a finished HTML body aside from Markdown."""
    path = page.meta.get("source_path")
    if path and config.get("repo_url"):
        line = _edit_lines.get(page.file.src_uri)
        page.edit_url = f"{config['repo_url'].rstrip('/')}/blob/main/{path}" + (f"#L{line}" if line else "")
    if page.meta.get("body") == "html":
        _html_bodies[page.file.src_uri] = markdown
        return ""
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """Put back a finished HTML body, with the table of contents and anchors its front matter lists."""
    body = _html_bodies.pop(page.file.src_uri, None)
    if body is None:
        return html
    toc = page.meta.get("toc") or []
    # The toc extension's tokens, nested by level: what MkDocs itself turns into page.toc.
    tokens = [{"level": level, "id": hid, "name": title} for level, hid, title in toc]
    page.toc = get_toc(nest_toc_tokens(tokens))
    page.present_anchor_ids = {hid for _, hid, _ in toc}  # for MkDocs' check of links to anchors
    return body


def _index_in_background(site_dir: Path) -> None:
    """In `serve`: index the rebuilt site for search in another process, so the preview is not held up."""
    global _indexing
    _stop(_indexing)  # it was reading the site now rebuilt
    # The command `make site` runs after MkDocs (dossier/searchindex.py); it logs one line when done.
    _indexing = subprocess.Popen([*_nice(), sys.executable, "-m", "dossier.searchindex", str(site_dir)],  # noqa: S603
                                 cwd=ROOT, stdout=subprocess.DEVNULL)


def on_post_build(config) -> None:
    """In `serve`: re-index the site for search, and start a pending regeneration."""
    global _background_for
    if _command == "serve":
        _index_in_background(Path(config["site_dir"]))
    if _background_for is not None:
        _generate_in_background(_background_for)
        _background_for = None


def on_shutdown() -> None:
    """Stop a background generation or indexing when `serve` stops."""
    _stop_background()
    _stop(_indexing)
