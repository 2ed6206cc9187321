"""CONTRIBUTING.md: its worked example stays valid and its sample output stays true."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
VALID = ROOT / "tests" / "fixtures" / "valid"
KINDS = ("sources", "actors", "systems", "events")
BLOCK = re.compile(r"```yaml\n# data/(\w+)\.yaml\n(.*?)```", re.DOTALL)


def _snippets() -> dict[str, str]:
    """Return the guide's YAML snippets by data file, in the order a contributor adds them."""
    found: dict[str, str] = {}
    for kind, body in BLOCK.findall(GUIDE):
        found[kind] = found.get(kind, "") + body
    return found


def _check(data_dir: Path) -> subprocess.CompletedProcess:
    """Run the validator the way `make check` does."""
    return subprocess.run([sys.executable, str(ROOT / "build_pages.py"), "check", "--strict", "--data",
                           str(data_dir)], capture_output=True, text=True, timeout=300)


def _with_example(base: Path, tmp_path: Path) -> Path:
    """Copy a data directory and add the guide's snippets to its files: at the end, events in date order."""
    target = tmp_path / "data"
    shutil.copytree(base, target)
    for kind, body in _snippets().items():
        path = target / f"{kind}.yaml"
        text = path.read_text(encoding="utf-8")
        at = _place_in_order(text, body) if kind == "events" else len(text)
        path.write_text(text[:at] + "\n" + body + "\n" + text[at:], encoding="utf-8")
    return target


def _place_in_order(text: str, body: str) -> int:
    """Return where an event belongs in an events file, oldest first, as the guide asks contributors."""
    from dossier.dates import parse_date, sort_key
    from dossier.load import record_starts

    def key(record: dict) -> tuple:
        """Sort a raw record as the validator does."""
        return sort_key(parse_date(str(record["date"])), record["id"])

    [new] = yaml.safe_load(body)
    starts = record_starts(text) or []
    for start, end in zip(starts, [*starts[1:], len(text)]):
        if key(yaml.safe_load(text[start:end])[0]) > key(new):
            return start
    return len(text)


def _bases() -> list[Path]:
    """The datasets the example must fit into: the test fixture and the real data, once it exists."""
    real = ROOT / "data"
    return [VALID] + ([real] if all((real / f"{k}.yaml").is_file() for k in KINDS) else [])


def test_the_guide_has_a_snippet_for_every_data_file():
    assert set(_snippets()) == set(KINDS)


@pytest.mark.parametrize("base", _bases(), ids=lambda p: p.parent.name + "/" + p.name)
def test_the_worked_example_validates(base, tmp_path, today):
    done = _check(_with_example(base, tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid: 0 error(s), 0 warning(s)" in done.stdout


def test_the_worked_example_adds_only_new_ids():
    real = ROOT / "data"
    for kind, body in _snippets().items():
        new = {r["id"] for r in yaml.safe_load(body)}
        if (real / f"{kind}.yaml").is_file():
            existing = {r["id"] for r in yaml.safe_load((real / f"{kind}.yaml").read_text()) or []}
            assert not new & existing, f"the example reuses ids of data/{kind}.yaml"


def test_the_sample_problem_line_is_what_the_validator_prints(tmp_path, today):
    sample = re.search(r"^data/events\.yaml(:\d+:\d+: error\[[a-z-]+\]: .+)$", GUIDE, re.MULTILINE)
    assert sample
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    events = data / "events.yaml"
    events.write_text(events.read_text().replace("actor: mali-armed-forces, role: recipient",
                                                 "actor: mali-army, role: recipient", 1))
    assert _check(data).stdout.splitlines()[0].endswith(sample.group(1))


def test_the_guide_names_the_commands_and_the_local_links_exist():
    for command in ("make check", "make serve", "make site", "make test"):
        assert command in GUIDE
    for target in re.findall(r"\]\(([^)#:]+)\)", GUIDE):
        assert (ROOT / target).exists(), target
