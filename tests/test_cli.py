"""The command line: one line per problem, a summary, and exit status 0 valid, 1 invalid, 2 wrong usage."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import INVALID, ROOT, TODAY, VALID, case_dir

import build_pages
from dossier.errors import CODES
from dossier.jsonschema import schema_files

LINE = re.compile(r"^[^\n]+:\d+:\d+: (error|warning)\[([a-z0-9-]+)\]: [^\n]+$")
SUMMARY = re.compile(r"^(valid|invalid): \d+ error\(s\), \d+ warning\(s\)")
# A stale translation is the one warning --strict lets pass (test_translations.py checks it).
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir() and p.name != "translation-stale")


def run(capsys, *argv) -> tuple[int, list[str]]:
    """Run the command line in-process; return the exit status and the lines it printed."""
    try:
        status = build_pages.main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's way of saying "wrong usage"
        status = exc.code
    return status, capsys.readouterr().out.splitlines()


def test_check_valid(capsys, today):
    """Clean data exits 0 with a one-line verdict."""
    status, lines = run(capsys, "check", "--data", VALID, "--strict")
    assert status == 0 and lines == ["valid: 0 error(s), 0 warning(s)"]


@pytest.mark.parametrize("case", CASES)
def test_check_invalid_case(case, capsys, tmp_path, today):
    """Every invalid case exits 1 (warnings only with --strict), one well-formed line per problem."""
    status, lines = run(capsys, "check", "--data", case_dir(case, tmp_path), "--strict")
    assert status == 1
    assert all(LINE.match(line) for line in lines[:-1]), lines
    assert {LINE.match(line).group(2) for line in lines[:-1]} <= set(CODES)
    assert SUMMARY.match(lines[-1]) and lines[-1].startswith("invalid")


def test_warnings_fail_only_with_strict(capsys, tmp_path, today):
    """An unused source is a warning: exit 0 normally, 1 with --strict."""
    data = case_dir("unused-source", tmp_path)
    status, lines = run(capsys, "check", "--data", data)
    assert status == 0 and "warning[unused-source]" in lines[0] and lines[-1].startswith("valid: 0 error(s), 1")
    assert run(capsys, "check", "--data", data, "--strict")[0] == 1


@pytest.mark.parametrize("argv", [[], ["check", "--no-such-flag"], ["frobnicate"],
                                  ["check", "--data", "/no/such/folder"], ["build", "--data", "/no/such/folder"]])
def test_wrong_usage_exits_2(argv, capsys):
    """Unknown commands, unknown flags and a --data folder that does not exist are wrong usage."""
    assert run(capsys, *argv)[0] == 2


def test_build_on_invalid_data_writes_nothing(capsys, tmp_path, today):
    """A failed build leaves the docs folder exactly as it was."""
    docs = tmp_path / "docs"
    (docs / "events").mkdir(parents=True)
    (docs / "methodology.md").write_text("hand-written\n")
    (docs / "events" / "old.md").write_text("stale page\n")
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    status, lines = run(capsys, "build", "--data", case_dir("every-problem-at-once", tmp_path), "--docs", docs)
    assert status == 1 and any("error[bad-date]" in line for line in lines)
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before


def test_build_without_an_npm_package_says_what_to_run(capsys, tmp_path, today, monkeypatch):
    """A machine without node_modules gets one line saying to run npm ci, not a traceback."""
    from dossier import explore

    monkeypatch.setattr(explore, "UPLOT_DIR", tmp_path / "uplot")
    status = build_pages.main(["build", "--data", str(VALID), "--docs", str(tmp_path / "docs")])
    err = capsys.readouterr().err
    assert status == 3 and err.startswith("error[setup]: ") and "npm ci" in err and "Traceback" not in err


def test_build_on_an_emptied_events_file_writes_nothing(capsys, tmp_path, today):
    """Deleting every event fails the build with a located error instead of publishing an empty dossier."""
    docs = tmp_path / "docs"
    assert run(capsys, "build", "--data", VALID, "--docs", docs)[0] == 0
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    status, lines = run(capsys, "build", "--data", case_dir("empty-file-list", tmp_path), "--docs", docs)
    assert status == 1 and f"{tmp_path / 'empty-file-list' / 'events.yaml'}:2:1: error[empty-file]: " \
        "the file holds no records, so nothing of it would be published; restore its records (git checkout " \
        "undoes a deletion) or add one starting with '- id: ...'" in lines
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before


def test_build_then_clean_keeps_hand_written_pages(capsys, tmp_path, today):
    """`clean` removes every generated page and folder, and nothing a person wrote."""
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "fr").mkdir()
    (docs / "methodology.md").write_text("hand-written\n")
    (docs / "fr" / "methodology.md").write_text("écrit à la main\n")
    (docs / "assets" / "site.css").write_text("body {}\n")
    assert run(capsys, "build", "--data", VALID, "--docs", docs)[0] == 0
    assert (docs / "events").is_dir() and (docs / "fr" / "events").is_dir()
    assert (docs / "fr" / "methodology.md").read_text() == "écrit à la main\n"
    assert run(capsys, "clean", "--docs", docs)[0] == 0
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == [
        "assets", "assets/site.css", "fr", "fr/methodology.md", "methodology.md"]


def test_schema_command_writes_the_schemas(capsys, tmp_path):
    """`schema --out DIR` writes exactly the generated schemas."""
    assert run(capsys, "schema", "--out", tmp_path / "out")[0] == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == schema_files()


def test_check_as_a_process(tmp_path):
    """Run as a program on an ASCII-only terminal: exit 1 on invalid data, problems on stdout, no traceback."""
    data = case_dir("every-problem-at-once", tmp_path)
    events = data / "events.yaml"
    events.write_text(events.read_text().replace("kind: delivery", "kind: livraison-é", 1), encoding="utf-8")
    env = {**os.environ, "DOSSIER_TODAY": TODAY, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, str(ROOT / "build_pages.py"), "check", "--data", str(data)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    # Files are named relative to the working directory, as editors and CI annotations expect.
    assert "\nevery-problem-at-once/events.yaml:3:9: error[bad-date]: " in done.stdout
    assert "'kind' is 'livraison-\\xe9'" in done.stdout


def test_shipped_data_passes_strict_check(capsys):
    """The dataset in data/ is valid, with no warning either."""
    if not all((ROOT / "data" / f"{kind}.yaml").is_file() for kind in ("sources", "actors", "systems", "events")):
        pytest.skip("data/ does not hold all four data files yet")
    status, lines = run(capsys, "check", "--data", ROOT / "data", "--strict")
    assert status == 0, "\n".join(lines)


@pytest.mark.parametrize("data", [VALID, ROOT / "tests" / "fixtures" / "hostile"], ids=["valid", "hostile"])
def test_two_builds_write_the_same_files_and_remove_a_deleted_records_page(data, tmp_path):
    """Two builds of the same data into two folders write the same files; a page whose record is gone goes."""
    env = {**os.environ, "DOSSIER_TODAY": TODAY, "SOURCE_DATE_EPOCH": "1763683200"}
    trees = []
    for name in ("first", "second"):
        docs = tmp_path / name
        (docs / "events").mkdir(parents=True)
        (docs / "events" / "gone.md").write_text("a page whose record was deleted\n")
        done = subprocess.run([sys.executable, str(ROOT / "build_pages.py"), "build", "--data", str(data),
                               "--docs", str(docs)], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        assert ", 1 removed" in done.stdout
        trees.append({p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1] and "events/gone.md" not in trees[1]


def _failing(dossier, out):
    """A stage that fails."""
    return 1 / 0


def _clashing(dossier, out):
    """A stage that writes the home page a first stage writes."""
    out["index.md"] = b"a chart in place of the home page"


@pytest.mark.parametrize(("broken", "error"), [
    (_failing, ZeroDivisionError),
    (_clashing, RuntimeError),
], ids=["fails", "clash"])
def test_a_failing_stage_stops_the_build_and_removes_nothing(broken, error, tmp_path, monkeypatch):
    """If a stage fails, or two stages make one file, the build stops: every file it wrote is whole, nothing is
    removed, and the next good build puts the rest right."""
    from dossier import build

    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    docs, good = tmp_path / "docs", tmp_path / "good"
    (docs / "events").mkdir(parents=True)
    (docs / "events" / "gone.md").write_text("a page whose record was deleted\n")
    with monkeypatch.context() as patched:
        patched.setattr(build, "STAGES", (*build.STAGES, broken))
        with pytest.raises(error):
            build.build(VALID, docs)
    assert (docs / "events" / "gone.md").is_file()
    build.build(VALID, good)
    made = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    assert made.pop("events/gone.md") and made
    assert made == {path: (good / path).read_bytes() for path in made}
    build.build(VALID, docs)
    assert not (docs / "events" / "gone.md").exists()

