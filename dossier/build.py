"""The pipeline: load, validate, index, date (from git), then render and write.

Nothing is written unless the data is valid; then each file is written as it is made.

Each stage is a module with one public entry; `build` below runs them in order,
one line each, and the README's layout section maps each to its module.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import charts, explore, export, history, maps, render, translations
from .errors import DataError, Problem, tidy
from .load import Document, load_dir
from .model import Dossier, build_dossier
from .validate import Dataset, validate
from .write import Sink, WriteReport, Writer

log = logging.getLogger(__name__)
NEVER = 1 << 30  # a collection count never reached

# The stages that make files from the indexed dossier, in order; each puts every file into the sink it is
# given (`out[path under docs/] = bytes`: the writer, in a build) as it makes it. A new stage is one more line here.
STAGES: tuple[Callable[[Dossier, Sink], None], ...] = (
    render.outputs,  # a page for every record and index
    maps.outputs,  # the map page and each record's map
    charts.outputs,  # the SVG charts
    export.outputs,  # open-data exports, the feed and the Downloads page
    explore.outputs,  # the explore page, its compact event index and its histogram library
)


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector's scans of older objects for the duration, then restore them (freezing
    what exists first); the young objects are still collected."""
    # A speed trick (ARCHITECTURE.md): a build makes millions of long-lived objects, and the collector's
    # repeated scans of them cost a third of the generator's time. Its scans of the objects made since
    # the last one stay, which cost little: each page leaves some 70 objects in cycles (the template's
    # macros and its context), 2 million at 10,000 events, which held 190 MiB until the build's end.
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], NEVER, NEVER)  # the young generation only
    try:
        yield
    finally:
        if freeze:  # else the first full collection after a build scans all it made
            gc.freeze()
        gc.set_threshold(*thresholds)


def check(data_dir: Path, display: str | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and validate a data directory and its translations; return the dataset and every problem."""
    with collector_paused():
        docs, problems = load_dir(data_dir, display)
        dataset, found = validate(docs)
        problems = tidy(problems + found)
        valid = not any(p.severity == "error" for p in problems)  # translations are compared with valid English
        problems += translations.check(data_dir, dataset if valid else None, display)
    return dataset, problems


def translated(data_dir: Path, dataset: Dataset, strict: bool = False) -> dict[str, translations.Translations]:
    """Read every other language's translations of the valid dataset; raise DataError if any is broken."""
    found, problems = {}, []
    for lang in translations.TRANSLATED:
        found[lang], more = translations.load(data_dir, lang, dataset)
        problems += more
    if any(p.fails(strict) for p in problems):
        raise DataError(problems)
    return found


def validated(docs: dict[str, Document], problems: list[Problem], strict: bool = False) -> Dataset:
    """Validate loaded documents; raise DataError with every problem, the loader's too, if any fails."""
    dataset, found = validate(docs)
    problems = tidy(problems + found)
    if any(p.fails(strict) for p in problems):
        raise DataError(problems)
    return dataset


def load_valid(data_dir: Path, strict: bool = False) -> Dataset:
    """Return the validated dataset, or raise DataError with every problem."""
    with collector_paused():
        return validated(*load_dir(data_dir), strict=strict)


def make_files(dossier: Dossier, out: Sink) -> None:
    """Run the file-making stages on the dossier, each putting its files into `out`."""
    for stage in STAGES:
        stage(dossier, out)


def indexed(dataset: Dataset, data_dir: Path | None = None, dated: bool = True) -> Dossier:
    """Index a valid dataset; with data_dir, read its translations and, if `dated`, date each record from git.

    Without data_dir, other languages fall back to English.
    """
    dossier = build_dossier(dataset)
    if data_dir is not None:
        if dated:
            dossier.history = history.compute(data_dir, dossier)
        dossier.translations = translated(data_dir, dataset)
    return dossier


def build(data_dir: Path, docs_dir: Path, strict: bool = False) -> WriteReport:
    """Validate, render everything, then write it; on invalid data write nothing."""
    with collector_paused(freeze=True):  # the build's leftovers are short-lived: a process exits or moves on
        docs, problems = load_dir(data_dir)  # load (dossier/load.py)
        dataset = validated(docs, problems, strict)  # validate, or raise with every problem (dossier/validate.py)
        dossier = build_dossier(dataset)  # index (dossier/model.py)
        dossier.translations = translated(data_dir, dataset, strict)  # the French text (dossier/translations.py)
        dossier.history = history.compute(data_dir, dossier)  # date each record from git (dossier/history.py)
        del docs  # the loaded text and its positions (a third of the peak): the dataset holds what is needed
        files = Writer(docs_dir)  # writes each file as it is made, if its bytes changed (dossier/write.py)
        make_files(dossier, files)  # render, maps, charts, exports, explore (STAGES above)
        return files.close()  # and remove what no stage made
