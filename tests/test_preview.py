"""The serve preview: records parsed one by one read exactly as the whole file does; an edit rewrites its pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TODAY, VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.measure import edit_title, middle_event
from bench.synth import write_dataset
from dossier.build import build
from dossier.errors import DataError
from dossier.load import load_dir
from dossier.preview import Preview, split_records
from dossier.schema import KINDS
from dossier.validate import validate

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


def every_location(doc) -> list:
    """List the location of every record, every key and every value two levels down."""
    found = []
    for i, record in enumerate(doc.data):
        found.append(doc.locate((i,)))
        for key in record if isinstance(record, dict) else ():
            found += [doc.locate((i, key)), doc.locate((i, key), at_key=True)]
    return found


def assert_reads_as_whole(data_dir: Path, preview: Preview | None = None) -> None:
    """Assert the preview's reading of a data directory equals the full loader's, positions included."""
    docs, _texts, problems = (preview or Preview(data_dir, data_dir)).load()
    whole, whole_problems = load_dir(data_dir)
    assert problems == whole_problems
    for kind in (k.file for k in KINDS):
        assert docs[kind].data == whole[kind].data
        assert every_location(docs[kind]) == every_location(whole[kind])
    assert validate(docs) == validate(whole)


@pytest.mark.parametrize("data_dir", [VALID, HOSTILE, ROOT / "data"], ids=["valid", "hostile", "data"])
def test_records_read_one_by_one_equal_the_whole_file(data_dir):
    """Each fixture and the real data read the same record by record as in one piece."""
    assert_reads_as_whole(data_dir)


def test_split_records_gives_each_record_its_first_line():
    """A file of records splits at each top-level '- ', after a comment preamble."""
    text = "# yaml-language-server: $schema=x\n\n- id: a\n  title: A\n# note\n- id: b\n"
    assert split_records(text) == [(3, "- id: a\n  title: A\n# note\n"), (6, "- id: b\n")]


@pytest.mark.parametrize("text", ["[]\n", "id: a\n", "- a\n---\n- b\n", "key: x\n- a\n", "\t- a\n", "", "- a\n-b\n"])
def test_files_that_are_not_plain_record_lists_go_to_the_full_parser(text):
    """Anything at column 0 but records, comments and blank lines is left to the full parser."""
    assert split_records(text) is None


YAML_LINES = st.lists(st.sampled_from([
    "- id: a", "- id: b", "-", "- ", "  title: x", "  title: 'x", "  y: [1, 2", "  - nested", "# c", "",
    "  # c", "  summary: |", "    text", "- &anchor x", "  key: *anchor", "- !!str x", "---", "...",
    "- id: a\ttab", "  title: \"two", "  lines\"", "- { id: c }", "-x", "  dup: 1", "  dup: 2",
]) | st.text(st.sampled_from(list("-: #'\"[]{}\t\nab")), max_size=12), max_size=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=YAML_LINES)
def test_any_events_file_reads_as_the_full_loader_reads_it(lines, tmp_path_factory):
    """Whatever the events file holds, the preview reads the same values, problems and positions."""
    data_dir = tmp_path_factory.mktemp("any")
    for kind in (k.file for k in KINDS):
        shutil.copy(VALID / f"{kind}.yaml", data_dir / f"{kind}.yaml")
    (data_dir / "events.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_reads_as_whole(data_dir)


@pytest.fixture
def project(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A synthetic dataset of 60 events and a docs folder holding its full generation."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    write_dataset(60, tmp_path / "data")
    preview = Preview(tmp_path / "data", tmp_path / "docs")
    preview.full()
    return preview, tmp_path


def full_page(data_dir: Path, tmp_path: Path, page: str) -> bytes:
    """Return one page as a full build of the data renders it."""
    build(data_dir, tmp_path / "full")
    return (tmp_path / "full" / page).read_bytes()


def test_an_edit_rewrites_the_edited_records_page_as_a_full_build_would(project):
    """After a title edit, quick() rewrites that event's page only, byte-identical to a full build's."""
    preview, tmp = project
    event_id = middle_event(tmp / "data" / "events.yaml")
    edit_title(tmp / "data" / "events.yaml", event_id, "A new title")
    assert preview.quick() == [f"events/{event_id}.md"]
    page = (tmp / "docs" / "events" / f"{event_id}.md").read_bytes()
    assert b"A new title" in page and page == full_page(tmp / "data", tmp, f"events/{event_id}.md")
    assert preview.quick() == []  # nothing changed since


def test_records_below_an_added_line_keep_exact_positions(project):
    """A line added to one record moves the ones below; the preview still places them as the full parser does."""
    preview, tmp = project
    events = tmp / "data" / "events.yaml"
    first = events.read_text(encoding="utf-8").split("\n- id: ", 2)
    events.write_text(first[0] + "\n# a comment added above a record\n- id: " + first[1] + "\n- id: " + first[2],
                      encoding="utf-8")
    preview.quick()
    assert_reads_as_whole(tmp / "data", preview)


def test_an_invalid_edit_writes_nothing(project):
    """A broken edit raises DataError with its problems located, and leaves every page as it was."""
    preview, tmp = project
    before = {p: p.read_bytes() for p in (tmp / "docs").rglob("*.md")}
    events = tmp / "data" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("  kind: ", "  kind: not-a-kind-", 1),
                      encoding="utf-8")
    with pytest.raises(DataError) as raised:
        preview.quick()
    assert [p.code for p in raised.value.problems if p.severity == "error"] == ["invalid-choice"]
    assert {p: p.read_bytes() for p in (tmp / "docs").rglob("*.md")} == before


def test_only_edited_records_are_validated_again(project):
    """Unchanged records keep their validated models from one regeneration to the next; the edited one is new."""
    preview, tmp = project
    before = {id(model) for _raw, model in preview.models.values()}
    event_id = middle_event(tmp / "data" / "events.yaml")
    edit_title(tmp / "data" / "events.yaml", event_id, "A new title")
    preview.quick()
    fresh = [model for _raw, model in preview.models.values() if id(model) not in before]
    assert [model.id for model in fresh] == [event_id]
    assert len(preview.models) == len(before)
