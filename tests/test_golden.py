"""Golden pages: the whole generated docs tree of tests/fixtures/valid, both editions, compared file by file.

After an intended change to the output, refresh with one command:

    make golden        # = .venv/bin/python -m pytest tests/test_golden.py --update-golden

then review the diff of tests/golden/ before committing it. Static files copied
as they are (vendored third-party files, scripts and style sheets) are recorded
by SHA-256 in static.sha256 instead of copied.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import TESTS, TODAY, VALID, render_all
from dossier.build import load_valid

GOLDEN = TESTS / "golden" / "valid"
MANIFEST = "static.sha256"


def is_static(path: str) -> bool:
    """Say whether a generated file is a static copy (vendored, script or style sheet), kept as a hash."""
    return path.startswith("assets/vendor/") or path.endswith((".js", ".css"))


def expected_tree(outputs: dict[str, bytes]) -> dict[str, bytes]:
    """Turn the generator's output into the golden tree: static copies become one hash manifest."""
    tree = {path: data for path, data in outputs.items() if not is_static(path)}
    hashes = [f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(outputs.items())
              if is_static(path)]
    tree[MANIFEST] = "".join(hashes).encode()
    return tree


def stored_tree(root: Path) -> dict[str, bytes]:
    """Read the golden tree from disk."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def generated(monkeypatch) -> dict[str, bytes]:
    """Generate the valid fixture's docs tree in memory, with 'today', the build date and the commit pinned."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    monkeypatch.setenv("DOSSIER_COMMIT", "0" * 40)  # exports name the commit they are built from
    # The translations beside the fixture are read (the French pages use them); no history from git.
    return expected_tree(render_all(load_valid(VALID), VALID, dated=False))


def test_generated_tree_matches_golden(generated, update_golden):
    """Every generated file equals its golden copy; no file is missing or extra."""
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in generated.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
        pytest.skip(f"golden pages rewritten in {GOLDEN.relative_to(TESTS.parent)}: review and commit them")
    stored = stored_tree(GOLDEN)
    assert sorted(generated) == sorted(stored), "files added or removed: run `make golden` if intended"
    changed = [path for path in sorted(generated) if generated[path] != stored[path]]
    assert changed == [], "pages changed: run `make golden` if intended, then review the diff"
