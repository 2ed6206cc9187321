"""Shared test fixtures: the tiny valid dataset, the invalid cases built on it, a pinned 'today'.

Other test modules may append fixtures here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
if str(ROOT) not in sys.path:  # `pytest` run from elsewhere than the project root still finds the package
    sys.path.insert(0, str(ROOT))
VALID = TESTS / "fixtures" / "valid"
INVALID = TESTS / "fixtures" / "invalid"
TODAY = "2026-06-30"  # 'today' for date checks, so that a fixture never drifts into the past


@pytest.fixture
def today(monkeypatch) -> str:
    """Pin the validator's 'today' (DOSSIER_TODAY) to TODAY."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    return TODAY


@pytest.fixture
def valid_dir(tmp_path) -> Path:
    """Return a writable copy of the tiny valid dataset."""
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


def case_dir(case: str, tmp_path: Path) -> Path:
    """Build a data dir: the valid dataset with the files of tests/fixtures/invalid/<case>/ laid over it.

    A translation case's fr/ folder is laid over the valid French files; other cases change the
    English, which would leave the French stale or unknown, so they have none.
    """
    target = tmp_path / case
    shutil.copytree(VALID, target)
    if not (INVALID / case / "fr").is_dir():
        shutil.rmtree(target / "fr")
    for path in (INVALID / case).iterdir():
        if path.is_dir():
            shutil.copytree(path, target / path.name, dirs_exist_ok=True)
        else:
            shutil.copyfile(path, target / path.name)
    return target


@pytest.fixture
def make_case(tmp_path):
    """Return a function that builds the data dir of an invalid case (see case_dir)."""
    return lambda case: case_dir(case, tmp_path)


def pytest_addoption(parser):
    """Add --update-golden: rewrite tests/golden/ from the current output instead of comparing (make golden)."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden pages in tests/golden/ from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    """Say whether this run refreshes the golden pages instead of comparing them."""
    return request.config.getoption("--update-golden")


def search_records(site: Path) -> list[dict]:
    """Read what Pagefind indexed in a built site: one record per page (url, content, meta, filters)."""
    import gzip
    import json

    prefix = b"pagefind_dcd"  # Pagefind's fragments are gzipped JSON behind this signature
    records = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        records.append(json.loads(data[len(prefix):] if data.startswith(prefix) else data))
    return records


class Files(dict):
    """A stage's files in memory, keyed by path under docs/: the sink tests give a stage instead of a Writer.

    As the Writer does, it refuses a path made twice.
    """

    def __setitem__(self, relpath: str, data: bytes) -> None:
        """Take one file, unless a stage has already made it."""
        if relpath in self:
            raise RuntimeError(f"two stages wrote the same file: {relpath}")
        super().__setitem__(relpath, data)


def made(stage, dossier) -> Files:
    """Run one file-making stage (`render.outputs`, `maps.outputs`...) on a dossier; return its files."""
    files = Files()
    stage(dossier, files)
    return files


def render_all(dataset, data_dir: Path | None = None, dated: bool = True) -> Files:
    """Make every generated file of a valid dataset in memory, as a build would write them (build.make_files);
    with data_dir, read its translations and, if `dated`, date each record from git."""
    from dossier.build import indexed, make_files

    files = Files()
    make_files(indexed(dataset, data_dir, dated), files)
    return files
