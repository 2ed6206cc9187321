"""Write generated files: only the ones whose bytes changed, and remove the ones whose record is gone."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .i18n import LANGUAGES
from .schema import KINDS

log = logging.getLogger(__name__)

# Hand-written pages live beside these; the writer never touches a path outside them.
GENERATED_DIRS = (*(kind.folder for kind in KINDS), "map", "timeline", "reference",
                  "downloads", "data", "schema", "explore", "assets/generated", "assets/vendor", "changes")
# Each other language's edition mirrors the pages under its folder (fr/events/..., fr/index.md); the
# files both editions share (maps, charts, data) are the English edition's. Its hand-written pages
# (fr/methodology.md, fr/about.md...) sit beside these folders, as the English ones do, and stay untouched.
EDITION_DIRS = tuple(f"{lang}/{folder}" for lang in LANGUAGES[1:]
                     for folder in (*(kind.folder for kind in KINDS), "map", "timeline", "reference",
                                    "downloads", "explore", "changes"))
GENERATED_DIRS += EDITION_DIRS
EDITIONS = LANGUAGES[1:]  # an edition's folder goes when a clean leaves it empty (no hand-written page in it)
GENERATED_FILES = ("index.md", "feed.xml", "changes.xml", *(f"{lang}/index.md" for lang in LANGUAGES[1:]))
_PREFIXES = tuple(f"{folder}/" for folder in GENERATED_DIRS)


@dataclass
class WriteReport:
    """What a write changed."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        """Summarise the counts for the build log."""
        return f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed"


def is_generated(relpath: str) -> bool:
    """Say whether a path relative to docs/ belongs to the generator."""
    return relpath in GENERATED_FILES or relpath.startswith(_PREFIXES)


def _scan(root: Path) -> tuple[set[str], list[str]]:
    """List the generated files under the docs root, and the generated folders deepest first."""
    # Done before anything is written: a file being written is not stale, nor is its temporary twin.
    files = {name for name in GENERATED_FILES if os.path.isfile(os.path.join(root, name))}
    folders, todo = [], list(GENERATED_DIRS)
    while todo:
        folder = todo.pop()
        try:
            with os.scandir(os.path.join(root, folder)) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):  # a linked folder is not the generator's
                        todo.append(f"{folder}/{entry.name}")
                    elif entry.is_file():
                        files.add(f"{folder}/{entry.name}")
        except (FileNotFoundError, NotADirectoryError):
            continue
        folders.append(folder)
    return files, sorted(folders, key=lambda f: -f.count("/"))


class Sink(Protocol):
    """Where a file-making stage puts each file as it makes it: `sink[path under docs/] = bytes`."""

    # One interface for every stage: a build's Writer writes the file at once; tests pass a dict-like
    # sink in memory (tests/conftest.py, `Files`). No stage collects its files to return them.
    def __setitem__(self, relpath: str, data: bytes) -> None:
        """Take one file."""


def put_all(out: Sink, files: dict[str, bytes]) -> None:
    """Put each of a few files already in memory (copied libraries) into a sink."""
    for relpath, data in files.items():
        out[relpath] = data


class Writer:
    """The generated part of a docs folder, written file by file as the stages make them.

    `writer[path] = data` writes one file at once, and only if its bytes differ from what is on
    disk, so that a build holds no more than the page it is making (at 10,000 events the pages
    of both editions are 400 MB). `close()` then removes the generated files that nothing made.
    """

    def __init__(self, root: Path):
        """Look at what the generated folders hold now, before anything is written."""
        self.root = root
        self.existing, self.folders = _scan(root)
        self.made: set[str] = set()
        self.report = WriteReport()
        self._dirs: set[str] = set()  # folders known to exist

    def __setitem__(self, relpath: str, data: bytes) -> None:
        """Write one file if its bytes changed; refuse a path outside the generated folders, or made twice."""
        if not is_generated(relpath):
            raise ValueError(f"generator tried to write outside generated folders: {relpath}")
        if relpath in self.made:
            raise RuntimeError(f"two stages wrote the same file: {relpath}")
        self.made.add(relpath)
        if _write_one(self.root, relpath, data, self._dirs):
            self.report.written += 1
        else:
            self.report.unchanged += 1

    def close(self) -> WriteReport:
        """Remove the generated files that were not made again, and the folders left empty; return the counts."""
        for relpath in sorted(self.existing - self.made):
            os.unlink(os.path.join(self.root, relpath))
            self.report.removed += 1
        for folder in (*self.folders, *EDITIONS):  # deepest first, so a folder emptied by removals goes with its parent
            with contextlib.suppress(OSError):  # not empty: the usual case, and cheaper to try than to list
                os.rmdir(os.path.join(self.root, folder))
        log.info("generated files: %s", self.report)
        return self.report


def write_tree(outputs: dict[str, bytes], root: Path) -> WriteReport:
    """Make the generated part of `root` hold exactly `outputs`, touching only what differs."""
    writer = Writer(root)
    put_all(writer, outputs)
    return writer.close()


def write_changed(outputs: dict[str, bytes], root: Path) -> list[str]:
    """Write the files whose bytes differ from what is on disk, removing nothing; return their paths."""
    folders: set[str] = set()
    return [relpath for relpath in sorted(outputs) if _write_one(root, relpath, outputs[relpath], folders)]


def _write_one(root: Path, relpath: str, data: bytes, folders: set[str]) -> bool:
    """Write one file under root if its bytes differ from what is there; say whether it was written."""
    target = os.path.join(root, relpath)
    held = _holds(target, data)
    if held:
        return False
    folder = os.path.dirname(target)
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    if held is not None or not _create(target, data):
        _replace(target, data)
    return True


def _holds(path: str, data: bytes) -> bool | None:
    """Say whether a regular file at `path` holds exactly `data`, reading it only if the sizes agree; None if absent."""
    # Four system calls for an unchanged file; the plain file API took twice as many, and a
    # rebuild compares all 32,000 files at 10,000 events.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a named pipe must not block the build
    except FileNotFoundError:
        return None
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        # A short read only makes the file look changed, and it is written again.
        return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and os.read(fd, len(data) + 1) == data
    finally:
        os.close(fd)


def _create(path: str, data: bytes) -> bool:
    """Write a file where there was none, in place; say False if one has appeared there meanwhile."""
    # No temporary file and rename here: creating files is most of a first build's kernel time, and
    # the rename doubled it. A reader can at worst catch a new file half-written, once: MkDocs'
    # watcher, which polls sizes and times, then sees it change and builds again.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # less the umask, as open() makes files
    except FileExistsError:
        return False
    try:
        view = memoryview(data)
        while view:  # a write may take fewer bytes than it was given
            view = view[os.write(fd, view):]
    except BaseException:
        os.unlink(path)  # leave no half file where there was none
        raise
    finally:
        os.close(fd)
    return True


def _replace(path: str, data: bytes) -> None:
    """Write a file through a temporary twin renamed over it, so that no reader sees it half-written."""
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)  # atomic, so `mkdocs serve` never reads half a changed file
