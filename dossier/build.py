"""The pipeline: load, validate, index, render, write. Nothing is written unless every stage succeeds."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .errors import DataError, Problem, tidy
from .load import load_dir
from .validate import Dataset, validate

log = logging.getLogger(__name__)


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration, then restore it (freezing what exists first)."""
    # A build makes millions of long-lived objects and few cycles; at 10,000 events the
    # collector's repeated scans of them took half the build's time (see bench/README.md).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:  # else the first collection after a build scans all it made: 0.9 s at 10,000 events
            gc.freeze()
        if enabled:
            gc.enable()


def check(data_dir: Path, display: str | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and validate a data directory; return the dataset and every problem, errors and warnings."""
    with collector_paused():
        docs, problems = load_dir(data_dir, display, split=_forkable())
        dataset, found = validate(docs)
    return dataset, tidy(problems + found)


def load_valid(data_dir: Path, strict: bool = False) -> Dataset:
    """Return the validated dataset, or raise DataError with every problem."""
    dataset, problems = check(data_dir)
    errors = [p for p in problems if p.severity == "error" or strict]
    if errors:
        raise DataError(problems)
    return dataset


def _stages() -> tuple:
    """Return the stages that produce files: pages, maps, charts, exports, the explore page."""
    from . import charts, explore, export, maps, render

    return render.outputs, maps.outputs, charts.outputs, export.outputs, explore.outputs


def stage_outputs(dossier, stages) -> dict[str, bytes]:
    """Run stages on the dossier and merge their files, refusing two stages writing one path."""
    outputs: dict[str, bytes] = {}
    for stage in stages:
        produced = stage(dossier)
        _clash(outputs, produced)
        outputs |= produced
    return outputs


def render_all(dataset: Dataset) -> dict[str, bytes]:
    """Render every generated file into memory, keyed by its path under docs/."""
    from .model import build_dossier

    return stage_outputs(build_dossier(dataset), _stages())


def _forkable() -> bool:
    """Say whether work may go to a forked second process: reading events.yaml, rendering the pages
    (two cores, no threads, fork, not disabled by DOSSIER_JOBS=1)."""
    # Forking a process with threads (as `mkdocs serve` has) can deadlock the child on a held lock.
    return ((os.cpu_count() or 1) > 1 and threading.active_count() == 1 and os.environ.get("DOSSIER_JOBS") != "1"
            and "fork" in multiprocessing.get_all_start_methods())


_forked: tuple = ()  # what the forked child gets: (dossier, docs_dir, its end of a pipe); inherited, never pickled


def _clash(first, second) -> None:
    """Refuse two stages writing the same path."""
    clash = set(first) & set(second)
    if clash:
        raise RuntimeError(f"two stages wrote the same file: {sorted(clash)[:3]}")


def _write_pages() -> tuple[list[str], list[str]]:
    """In the forked child: render the pages, then write them (and a share of the other stages' files)."""
    from .write import refuse_strays, write_changed

    dossier, docs_dir, pipe = _forked
    try:
        pages = stage_outputs(dossier, _stages()[:1])
        pipe.send(len(pages))  # rendered, and how many files it has to write
        others = pipe.recv()  # (the other stages' paths, their files to write here), or None if one failed
        if others is None:
            return [], []
        paths, handed = others
        _clash(pages, paths)
        refuse_strays(pages)
    except BaseException:
        pipe.send(-1)  # so that the parent writes nothing either
        raise
    pipe.send(0)  # no clash: both processes write now
    return sorted(pages), write_changed(pages | handed, docs_dir)


def _heard(pipe, pages) -> int:
    """Wait for the child's next word, a count: -1 if its step failed or it ended without a word."""
    while not pipe.poll(0.01):  # not a plain recv: a child killed outright would never answer
        if pages.done():  # its last word, if any, was sent before it ended
            return pipe.recv() if pipe.poll() else -1
    return pipe.recv()


def _share(outputs: dict[str, bytes], pages: int) -> dict[str, bytes]:
    """Pick some of this process's files for the page process to write, so that each writes about as many."""
    # A first write is mostly the kernel creating files, at a cost per file; the parent has the
    # maps and the downloads, 20,000 files at 10,000 events, against 12,800 pages.
    surplus = (len(outputs) - pages) // 2
    return {path: outputs[path] for path in sorted(outputs)[-surplus:]} if surplus > 0 else {}


def _agree(pipe, pages, outputs: dict[str, bytes]) -> dict[str, bytes]:
    """Once the child has rendered, give it the other stages' paths and a share of their files to write;
    return that share, or raise the child's error (a failure or a clash)."""
    # Only small words wait to be read: the paths and files go once the child is known to be
    # listening for them, and a message larger than the pipe holds would block its sender until read.
    rendered = _heard(pipe, pages)
    if rendered >= 0:
        handed = _share(outputs, rendered)
        pipe.send((list(outputs), handed))
        if _heard(pipe, pages) == 0:
            return handed
    pages.result()  # the child's error
    raise RuntimeError("the page process ended without saying why")


def _write_in_two(dossier, docs_dir: Path):
    """Render the pages in a forked process while this one does the maps, charts and exports; then both write."""
    from .write import finish, refuse_strays, scan, write_changed

    global _forked
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe()
    _forked = (dossier, docs_dir, theirs)
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        pages = pool.submit(_write_pages)
        try:
            outputs = stage_outputs(dossier, _stages()[1:])
            refuse_strays(outputs)
            before = scan(docs_dir)  # while the child renders, and before either process writes
            handed = _agree(mine, pages, outputs)
        except BaseException:
            mine.send(None)  # so that nothing is written: a child still waiting to hear drops its pages
            raise
        written = write_changed({path: data for path, data in outputs.items() if path not in handed}, docs_dir)
        paths, also = pages.result()
    return finish(docs_dir, before, outputs.keys() | set(paths), written + also)


def build(data_dir: Path, docs_dir: Path, strict: bool = False):
    """Validate, render everything, then write it; on invalid data write nothing.

    With two cores the pages (the largest stage) are rendered and written in a
    forked process meanwhile; the files are the same either way.
    """
    from .model import build_dossier
    from .write import write_tree

    with collector_paused(freeze=True):  # the build's leftovers are short-lived: a process exits or moves on
        dossier = build_dossier(load_valid(data_dir, strict))
        if _forkable():
            return _write_in_two(dossier, docs_dir)
        return write_tree(stage_outputs(dossier, _stages()), docs_dir)
