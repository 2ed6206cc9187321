"""Write generated files: only the ones whose bytes changed, and remove the ones whose record is gone."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Hand-written pages live beside these; the writer never touches a path outside them.
GENERATED_DIRS = ("events", "actors", "systems", "sources", "map", "timeline", "reference",
                  "downloads", "data", "schema", "assets/generated", "assets/vendor")
GENERATED_FILES = ("index.md", "feed.xml")


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
    return relpath in GENERATED_FILES or any(relpath.startswith(d + "/") for d in GENERATED_DIRS)


def _existing(root: Path) -> set[str]:
    """List the generated files currently under the docs root."""
    found = {f for f in GENERATED_FILES if (root / f).is_file()}
    for folder in GENERATED_DIRS:
        base = root / folder
        if base.is_dir():
            found |= {p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()}
    return found


def write_tree(outputs: dict[str, bytes], root: Path) -> WriteReport:
    """Make the generated part of `root` hold exactly `outputs`, touching only what differs."""
    report = WriteReport()
    stray = [p for p in outputs if not is_generated(p)]
    if stray:
        raise ValueError(f"generator tried to write outside generated folders: {stray[:3]}")
    written = write_changed(outputs, root)
    report.written, report.unchanged = len(written), len(outputs) - len(written)
    for relpath in sorted(_existing(root) - set(outputs)):
        (root / relpath).unlink()
        report.removed += 1
    _prune_empty_dirs(root)
    log.info("generated files: %s", report)
    return report


def write_changed(outputs: dict[str, bytes], root: Path) -> list[str]:
    """Write the files whose bytes differ from what is on disk; return their paths."""
    written = []
    for relpath in sorted(outputs):
        target = root / relpath
        data = outputs[relpath]
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # atomic, so `mkdocs serve` never reads half a file
        written.append(relpath)
    return written


def _prune_empty_dirs(root: Path) -> None:
    """Remove generated folders left empty by removals."""
    for folder in GENERATED_DIRS:
        base = root / folder
        if not base.is_dir():
            continue
        folders = [p for p in base.rglob("*") if p.is_dir()] + [base]
        for path in sorted(folders, key=lambda p: -len(p.parts)):
            if not any(path.iterdir()):
                path.rmdir()
