"""The pipeline: load, validate, index, render, write. Nothing is written unless every stage succeeds."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DataError, Problem, tidy
from .load import load_dir
from .validate import Dataset, validate

log = logging.getLogger(__name__)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration, then restore it."""
    # A build makes millions of long-lived objects and few cycles; at 10,000 events the
    # collector's repeated scans of them took half the build's time (see bench/README.md).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(data_dir: Path, display: str | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and validate a data directory; return the dataset and every problem, errors and warnings."""
    with collector_paused():
        docs, problems = load_dir(data_dir, display)
        dataset, found = validate(docs)
    return dataset, tidy(problems + found)


def load_valid(data_dir: Path, strict: bool = False) -> Dataset:
    """Return the validated dataset, or raise DataError with every problem."""
    dataset, problems = check(data_dir)
    errors = [p for p in problems if p.severity == "error" or strict]
    if errors:
        raise DataError(problems)
    return dataset


def render_all(dataset: Dataset) -> dict[str, bytes]:
    """Render every generated file into memory, keyed by its path under docs/."""
    from . import charts, export, maps, render
    from .model import build_dossier

    dossier = build_dossier(dataset)
    outputs: dict[str, bytes] = {}
    for stage in (render.outputs, maps.outputs, charts.outputs, export.outputs):
        produced = stage(dossier)
        clash = outputs.keys() & produced.keys()
        if clash:
            raise RuntimeError(f"two stages wrote the same file: {sorted(clash)[:3]}")
        outputs |= produced
    return outputs


def build(data_dir: Path, docs_dir: Path, strict: bool = False):
    """Validate, render everything in memory, then write it; on invalid data write nothing."""
    from .write import write_tree

    with collector_paused():
        dataset = load_valid(data_dir, strict)
        outputs = render_all(dataset)
        return write_tree(outputs, docs_dir)
