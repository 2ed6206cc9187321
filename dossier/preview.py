"""Preview: regenerate the edited records' pages at once in a long-lived `mkdocs serve`.

A full generation takes about 20 s at 10,000 events, most of it for pages an edit
does not touch. This module keeps each data file's records parsed, keyed by
their text, so that an edit re-parses only the records whose text changed, and
`quick` renders only those records' pages. The full generation then runs in a
background process (hooks/generate.py) and brings every other page, index, map
and download up to date; the end state is byte-identical to `build_pages.py build`.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import history, render
from .build import collector_paused, indexed, make_files
from .errors import DataError, Problem, tidy
from .load import MAX_BYTES, Document, decode, file_name, load_file, parse_text, record_starts
from .model import build_dossier
from .passthrough import finished
from .schema import KINDS
from .validate import Dataset, validate
from .write import WriteReport, Writer, is_generated, write_changed

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent


def split_records(text: str) -> list[tuple[int, str]] | None:
    """Split a data file into its top-level records as (first line, text), or None if it is not a plain list."""
    starts = record_starts(text)
    if starts is None:
        return None
    chunks, line, previous = [], 1, 0
    for begin, end in zip(starts, [*starts[1:], len(text)]):
        line += text.count("\n", previous, begin)
        chunks.append((line, text[begin:end]))
        previous = begin
    return chunks


@dataclass
class _Chunk:
    """One record's text parsed on its own, with its marks moved to where it sits in the file."""

    line: int
    doc: Document

    def moved_to(self, line: int) -> _Chunk:
        """Return the chunk with every mark moved to start at `line`."""
        delta = line - self.line
        if not delta:
            return self
        doc = self.doc
        shift = lambda marks: {k: (at[0] + delta, at[1]) for k, at in marks.items()}  # noqa: E731
        moved = Document(doc.path, doc.name, doc.data,
                         {i: shift(m) for i, m in doc.value_marks.items()},
                         {i: shift(m) for i, m in doc.key_marks.items()}, shift(doc.starts))
        return _Chunk(line, moved)


def _parse_chunk(text: str, line: int, name: str, path: Path) -> _Chunk | None:
    """Parse one record's text; None if it has a problem (the full parser will report it)."""
    doc, problems = parse_text(text, name, path)
    if problems or not isinstance(doc.data, list) or len(doc.data) != 1:
        return None
    return _Chunk(1, doc).moved_to(line)


def _join(path: Path, name: str, chunks: list[_Chunk]) -> Document:
    """Assemble a file's Document from its records' chunks."""
    joined = Document(path, name, [])
    marks: dict[int, tuple[int, int]] = {}
    for chunk in chunks:
        doc = chunk.doc
        top = doc.value_marks.get(id(doc.data), {})
        for i, record in enumerate(doc.data):
            marks[len(joined.data)] = top.get(i, (chunk.line, 1))
            joined.data.append(record)
        joined.value_marks.update(doc.value_marks)
        joined.key_marks.update(doc.key_marks)
        joined.starts.update(doc.starts)
    joined.value_marks[id(joined.data)] = marks
    return joined


def record_texts(kind: str, doc: Document, texts: list[str]) -> dict[tuple[str, str], str]:
    """Map each record's (kind, id) to the text it was parsed from."""
    out = {}
    for record, text in zip(doc.data, texts):
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            out[(kind, record["id"])] = text
    return out


@dataclass
class Preview:
    """The last generation of one data directory, kept to regenerate quickly after an edit."""

    data_dir: Path
    docs_dir: Path
    chunks: dict[str, dict[str, _Chunk]] = field(default_factory=dict)  # file -> record text -> chunk
    texts: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> record text
    models: dict = field(default_factory=dict)  # id(raw record) -> (raw record, validated model)
    primed: bool = False

    def _load_kind(self, kind: str) -> tuple[Document, list[str]] | None:
        """Load one data file reusing unchanged records; None when only the full parser can read it."""
        # Complexity C (radon): each early None is a case the full reader must handle instead.
        path = self.data_dir / f"{kind}.yaml"
        name = file_name(str(self.data_dir), kind)
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        text = decode(path.read_bytes(), name, [])
        parts = split_records(text) if text is not None else None
        if parts is None:
            return None
        known, kept = self.chunks.get(kind, {}), {}
        for line, part in parts:
            if part in kept:  # two identical records, a duplicate id: the full parser reports it
                return None
            chunk = known[part].moved_to(line) if part in known else _parse_chunk(part, line, name, path)
            if chunk is None:
                return None
            kept[part] = chunk
        self.chunks[kind] = kept
        return _join(path, name, [kept[part] for _, part in parts]), [part for _, part in parts]

    def load(self) -> tuple[dict[str, Document], dict[tuple[str, str], str], list[Problem]]:
        """Load every data file; files that are not plain lists of records go through the full parser."""
        docs, texts, problems = {}, {}, []
        for kind in (k.file for k in KINDS):
            loaded = self._load_kind(kind)
            if loaded is None:
                self.chunks.pop(kind, None)
                docs[kind], found = load_file(self.data_dir / f"{kind}.yaml", file_name(str(self.data_dir), kind))
                problems += found
                continue
            docs[kind] = loaded[0]
            texts |= record_texts(kind, *loaded)
        return docs, texts, problems

    def _validated(self, strict: bool) -> tuple[Dataset, dict[tuple[str, str], str]]:
        """Load and validate; raise DataError with every problem, as `build` does."""
        docs, texts, problems = self.load()
        dataset, found = validate(docs, self.models)
        current = {id(raw) for doc in docs.values() if isinstance(doc.data, list) for raw in doc.data}
        self.models = {key: seen for key, seen in self.models.items() if key in current}
        problems = tidy(problems + found)
        if any(p.severity == "error" or strict for p in problems):
            raise DataError(problems)
        return dataset, texts

    def full(self, strict: bool = False) -> WriteReport:
        """Generate everything, as `build` does, and remember the records for `quick`."""
        # Frozen afterwards: the kept records then cost the serve process's collector nothing.
        with collector_paused(freeze=True):
            dataset, texts = self._validated(strict)
            files = Writer(self.docs_dir)  # as `build` writes: each file as it is made
            make_files(indexed(dataset, self.data_dir), files)
            report = files.close()
            gc.collect()  # the cycles rendering left (300,000 objects at 10,000 events), before the freeze
        self.texts, self.primed = texts, True
        return report

    def quick(self) -> list[str]:
        """Regenerate only the pages of records whose text changed or that are new; return their paths."""
        with collector_paused(freeze=True):
            dataset, texts = self._validated(strict=False)
            changed = {key for key, text in texts.items() if self.texts.get(key) != text}
            dossier = build_dossier(dataset)
            dossier.history = history.compute(self.data_dir, dossier)  # the walk is cached: only the edits are new
            pages = render.record_pages(dossier, changed)
            written = write_changed(pages, self.docs_dir)
        self.texts = texts
        log.info("preview: %d record(s) changed, %d page(s) rewritten", len(changed), len(written))
        return written



def _fingerprint(*folders: Path) -> tuple:
    """Fingerprint the files under some folders (name, size, modification time)."""
    files = sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def _left_out(file, docs_dir: str, nav: set[str], since: float) -> bool:
    """Say whether a dirty rebuild can leave a MkDocs file out: never built, or generated, outside the nav
    and unchanged since `since`."""
    if file.inclusion.is_excluded():
        return True  # never built (the French edition's files, in the English build): never a reason to see all
    generated = file.src_dir == docs_dir and is_generated(file.src_uri)
    return generated and file.src_uri not in nav and os.stat(file.abs_src_path).st_mtime < since


@dataclass
class Serve:
    """Regeneration in `mkdocs serve`: the edited records' pages at once, everything else in a background build."""

    data_dir: Path
    preview: Preview | None = None  # the last generation's records, for quick regeneration
    generated_from: dict | None = None  # the inputs of the last generation
    background: subprocess.Popen | None = None  # the full generation running after a quick one
    due: Path | None = None  # the docs folder a full generation is due for once this build is over
    listed: float | None = None  # when the last finished rebuild listed its files (None: none has)
    listing: float | None = None  # when the rebuild under way listed them

    def regenerate(self, docs_dir: Path, generate: Callable[[Callable[[], object]], bool]) -> None:
        """Regenerate for one rebuild through `generate` (which reports problems); skip when nothing changed."""
        inputs = {"data": _fingerprint(self.data_dir), "code": _fingerprint(ROOT / "templates", ROOT / "dossier"),
                  "docs": str(docs_dir)}
        if inputs == self.generated_from:
            # The generator's own writes into docs/ wake the watcher again: regenerating from the
            # same inputs would cost a full generation and write nothing.
            log.info("pages not regenerated: data, templates and generator unchanged since the last build")
            return
        self.stop()
        last = self.generated_from
        quick = self.preview is not None and self.preview.primed and last is not None and all(
            inputs[k] == last[k] for k in ("code", "docs"))
        if quick:
            done = generate(lambda: f"{len(self.preview.quick())} page(s) of edited records")
        else:
            self.preview = Preview(self.data_dir, docs_dir)
            done = generate(self.preview.full)
        # After invalid data, the next rebuild tries again; the fix itself takes the quick path.
        self.generated_from = inputs if done else {**inputs, "data": None}
        if done and quick:  # started once this build is over (start_due), so as not to slow it down
            self.due = docs_dir

    def start_due(self) -> None:
        """Start the full generation a quick one left due, in another process; the watcher picks up its writes."""
        if self.due is None:
            return
        # One process, at low priority: MkDocs' rebuilds for the next edits keep a core to themselves.
        nice = ["nice", "-n", "10"] if shutil.which("nice") else []
        command = [*nice, sys.executable, str(ROOT / "build_pages.py"), "build", "--data", str(self.data_dir),
                   "--docs", str(self.due)]
        self.background = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
        self.due = None
        log.info("regenerating the other pages in the background")

    def rebuild_files(self, files: list, docs_dir: str, nav: set[str]) -> list | None:
        """Return the files MkDocs' dirty rebuild needs to see, or None for all of them.

        A dirty rebuild skips the files unchanged since the last one, but still makes a page object,
        stat calls and a sitemap entry for each of the 35,000 at 10,000 events (2 s of CPU). It can
        rebuild only the generated files written since the last rebuild listed its files; it needs
        the pages of the nav (`nav`), and the hand-written files and the theme's stay. A changed page
        that MkDocs converts from Markdown (a hand-written page, the map or Downloads page) gets every
        file, for MkDocs to check its links against them.
        """
        since, self.listing = self.listed, time.time()
        if since is None:
            return None
        since -= 1  # the file system's clock is coarse: a file written just after `since` may be dated before
        kept = []
        for file in files:
            if _left_out(file, docs_dir, nav, since):
                continue
            kept.append(file)
            if file.is_documentation_page() and file.is_modified() and not finished(file.abs_src_path):
                return None
        return kept

    def rebuilt(self) -> None:
        """Note that the rebuild under way is over: its files need not be seen again unless rewritten."""
        self.listed = self.listing

    def hold(self) -> None:
        """Pause the background generation while MkDocs rebuilds, so that it writes nothing into docs/ meanwhile."""
        # A dirty rebuild asks each page's source whether it changed since the last build twice, when it
        # reads the pages and again when it writes them: a page rewritten in between would be written
        # unread (MkDocs fails on it). The generation stopped, the answer cannot change. It goes on
        # after the rebuild (`release`), and the watcher sees what it writes then, as before.
        stop = getattr(signal, "SIGSTOP", None)  # none on Windows: there the race stays possible
        if stop is None or not self.busy():
            return
        self.background.send_signal(stop)
        with contextlib.suppress(ChildProcessError):  # reaped meanwhile: it writes nothing more
            # Until it has stopped (or exited), without reaping it: Popen still collects its status.
            os.waitid(os.P_PID, self.background.pid, os.WSTOPPED | os.WEXITED | os.WNOWAIT)

    def release(self) -> None:
        """Let a background generation paused by `hold` go on."""
        resume = getattr(signal, "SIGCONT", None)
        if resume is not None and self.background is not None:
            self.background.send_signal(resume)  # nothing if it has exited

    def busy(self) -> bool:
        """Say whether the background generation is running (its writes will wake another rebuild)."""
        return self.background is not None and self.background.poll() is None

    def stop(self) -> None:
        """Stop a background generation still running (its inputs are out of date)."""
        if self.background is not None and self.background.poll() is None:
            self.background.terminate()
            self.release()  # a paused process acts on the signal only once it goes on
            self.background.wait()
        self.background = None
