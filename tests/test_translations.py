"""Translated data text: current, stale and missing translations; malformed files reported, never a crash."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli import LINE, SUMMARY, run

from dossier import errors, export, translations
from dossier.build import check, load_valid
from dossier.translations import fingerprint

TITLE = "Armour convoy arrives in the capital"  # the first event of tests/fixtures/valid
EVENT = "2025-01-17-convoy"
ALL_CODES = set(errors.CODES) | set(translations.CODES)


@pytest.fixture
def valid_dir(valid_dir: Path) -> Path:
    """Return a copy of the valid dataset without its French files: each test writes the ones it needs."""
    shutil.rmtree(valid_dir / "fr")
    return valid_dir


def write_fr(data_dir: Path, kind: str, text: str) -> Path:
    """Write a French translation file beside a data directory's files."""
    path = data_dir / "fr" / f"{kind}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def good_file(source: str = fingerprint(TITLE)) -> str:
    """Return a French events file translating the first event's title and its first item."""
    return (f"# French\n- id: {EVENT}\n  title:\n    text: Un convoi de blindés arrive dans la capitale\n"
            f'    source: "{source}"\n  equipment[0].item: {{text: chars de combat, '
            f'source: "{fingerprint("main battle tanks")}"}}\n')


def load_fr(data_dir: Path):
    """Load the French translations of a data directory against its English."""
    return translations.load(data_dir, "fr", load_valid(data_dir), "data")


def test_a_current_translation_is_used(valid_dir, today):
    """A translation whose fingerprint matches the English is the text readers get."""
    write_fr(valid_dir, "events", good_file())
    tr, problems = load_fr(valid_dir)
    assert problems == []
    french = "Un convoi de blindés arrive dans la capitale"
    assert tr.get("events", EVENT, "title", TITLE) == (french, "current")
    assert tr.get("events", EVENT, "equipment[0].item", "main battle tanks").status == "current"


def test_a_stale_translation_warns_at_its_line_and_shows_the_english(valid_dir, today):
    """When the English changes, check warns at the translation's source: line; readers get the English."""
    write_fr(valid_dir, "events", good_file())
    events = valid_dir / "events.yaml"
    events.write_text(events.read_text().replace(TITLE, "Armour convoy reaches the capital"))
    tr, problems = load_fr(valid_dir)
    assert [str(p) for p in problems] == [
        f"data/fr/events.yaml:5:13: warning[translation-stale]: event '{EVENT}': the English 'title' has "
        f"changed since it was translated; update the translation, then set source: "
        f'"{fingerprint("Armour convoy reaches the capital")}"']
    assert tr.get("events", EVENT, "title", "Armour convoy reaches the capital") == (
        "Armour convoy reaches the capital", "stale")


def test_rewrapping_the_english_does_not_make_it_stale():
    """Only the words count: spaces and line breaks of a folded paragraph do not change the fingerprint."""
    rewrapped = "A convoy of  vehicles\nreached the capital. "
    assert fingerprint(rewrapped) == fingerprint("A convoy of vehicles reached the capital.")
    assert fingerprint("A convoy") != fingerprint("A convoy.")


def test_a_missing_translation_falls_back_to_english(valid_dir, today):
    """A field nobody translated, or whose text is left empty, is the English marked 'missing'."""
    write_fr(valid_dir, "events", f"- id: {EVENT}\n  summary:\n    text:\n    source: '{'0' * 12}'\n")
    tr, problems = load_fr(valid_dir)
    assert problems == []
    assert tr.get("events", EVENT, "title", TITLE) == (TITLE, "missing")
    assert tr.get("events", EVENT, "summary", "x") == ("x", "missing")
    assert tr.get("actors", "russia", "name", "Russia") == ("Russia", "missing")


def test_aliases_translate_as_a_list(valid_dir, today):
    """Aliases are a list in both languages; their fingerprint covers the whole list."""
    write_fr(valid_dir, "actors", f"- id: mali-armed-forces\n  aliases:\n    text: [FAMa, armée malienne]\n"
                                  f"    source: '{fingerprint(['FAMa'])}'\n")
    tr, problems = load_fr(valid_dir)
    assert problems == []
    got = tr.get("actors", "mali-armed-forces", "aliases", ("FAMa",))
    assert got == (("FAMa", "armée malienne"), "current")


# Malformed files and entries: each reports its code at its line and column.
HEAD = f"- id: {EVENT}\n"  # a record of the fixture's first event
ANY = "a" * 12  # a well-formed fingerprint, stale for any English
BAD = {
    "unknown record": (f"- id: no-such-event\n  title: {{text: x, source: {ANY}}}\n",
                       [(1, 7, "translation-unknown-record")]),
    "not translatable": (f"{HEAD}  kind: {{text: livraison, source: {ANY}}}\n",
                         [(2, 3, "translation-unknown-field")]),
    "not in the English": (f"{HEAD}  equipment[7].note: {{text: x, source: {ANY}}}\n",
                           [(2, 3, "translation-unknown-field")]),
    "bad path": (f"{HEAD}  'title ': {{text: x, source: {ANY}}}\n", [(2, 3, "translation-unknown-field")]),
    "twice": (f"{HEAD}  title: {{text: x, source: '{fingerprint(TITLE)}'}}\n{HEAD}"
              f"  title: {{text: y, source: '{fingerprint(TITLE)}'}}\n", [(4, 3, "translation-duplicate")]),
    "bare text": (f"{HEAD}  title: Un convoi\n", [(2, 10, "translation-shape")]),
    "no source": (f"{HEAD}  title: {{text: Un convoi}}\n", [(2, 10, "translation-shape")]),
    "extra key": (f"{HEAD}  title: {{text: x, source: {ANY}, by: me}}\n", [(2, 10, "translation-shape")]),
    "bad fingerprint": (f"{HEAD}  title:\n    text: x\n    source: 12345g\n", [(4, 13, "translation-shape")]),
    "unquoted digits": (f"{HEAD}  title:\n    text: x\n    source: 123456789012\n",
                        [(4, 13, "translation-shape")]),
    "blank text": (f"{HEAD}  title:\n    text: ' '\n    source: {ANY}\n", [(3, 11, "translation-shape")]),
    "list for text": (f"{HEAD}  title: {{text: [a, b], source: {ANY}}}\n", [(2, 17, "translation-shape")]),
    "no id": ("- title: x\n", [(1, 3, "translation-shape")]),
    "id not a slug": ("- id: Not A Slug\n", [(1, 7, "translation-shape")]),
    "not a list": ("title: x\n", [(1, 1, "translation-shape")]),
    "yaml syntax": ("- id: [unclosed\n", [(2, 1, "yaml-syntax")]),
    "duplicate key": (f"{HEAD}  id: {EVENT}\n", [(2, 3, "duplicate-key")]),
}


@pytest.mark.parametrize("case", BAD)
def test_malformed_translations_are_located(case, valid_dir, today):
    """Each kind of mistake is one error at its line and column, in the dossier's one-line form."""
    text, expected = BAD[case]
    write_fr(valid_dir, "events", text)
    _, problems = load_fr(valid_dir)
    assert [(p.line, p.col, p.code) for p in problems] == expected
    assert all(p.file == "data/fr/events.yaml" and LINE.match(str(p)) for p in problems)


def test_every_translation_code_has_a_case():
    """Each translation code is produced by a test above (add a case when you add a code)."""
    tested = {code for _, rows in BAD.values() for *_, code in rows} | {"translation-stale"}
    assert set(translations.CODES) <= tested


def test_broken_english_skips_the_comparison(valid_dir, today):
    """While the English has errors its records may be missing, so translations are checked for form only."""
    write_fr(valid_dir, "events", f"- id: no-such-event\n  title: {{text: x, source: {ANY}}}\n- title: x\n")
    problems = translations.check(valid_dir, None, "data")
    assert [(p.line, p.code) for p in problems] == [(3, "translation-shape")]


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.sampled_from([EVENT, "title", "summary", "aliases", "equipment[0].item", "text", "source", ANY]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "title", "text", "source", "place.name", "aliases", "x[1]"])
        | st.text(max_size=8),
        inner, max_size=4),
    max_leaves=20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=YAML_VALUES)
def test_any_structure_is_reported_never_raised(value, valid_dir, today):
    """Whatever shape a translation file takes, reading it returns located problems with known codes."""
    write_fr(valid_dir, "events", yaml.safe_dump(value, allow_unicode=True))
    _, problems = load_fr(valid_dir)
    assert all(p.code in ALL_CODES and LINE.match(str(p)) for p in problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_any_text_is_reported_never_raised(text, valid_dir, today):
    """Arbitrary text, however broken as YAML, never raises: every problem is a located line."""
    path = write_fr(valid_dir, "events", "")
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    problems = translations.check(valid_dir, load_valid(valid_dir), "data")
    assert all(p.code in ALL_CODES and LINE.match(str(p)) for p in problems)


def test_check_reports_stale_translations_as_warnings(capsys, valid_dir, today):
    """`build_pages.py check` shows a stale translation as a warning that never fails, even with --strict
    (the page shows the current English with a note, so an English edit never waits for a translator)."""
    write_fr(valid_dir, "events", good_file(source="a" * 12))
    status, lines = run(capsys, "check", "--data", valid_dir)
    assert status == 0 and lines[0].startswith(f"{valid_dir}/fr/events.yaml:5:13: warning[translation-stale]")
    assert SUMMARY.match(lines[-1])
    status, lines = run(capsys, "check", "--data", valid_dir, "--strict")
    assert status == 0 and "warning[translation-stale]" in lines[0]


def test_translations_command_lists_and_the_skeleton_fills_in(capsys, valid_dir, today):
    """`translations` lists stale and missing fields; its --skeleton, filled in, makes them current."""
    write_fr(valid_dir, "events", good_file(source="a" * 12))
    status, lines = run(capsys, "translations", "--data", valid_dir)
    assert status == 0
    stale = rf'.*/fr/events\.yaml:5:13: stale {EVENT} title: .*set source: "{fingerprint(TITLE)}"'
    assert any(re.match(stale, line)
               for line in lines)
    missing = f'/fr/actors.yaml: missing russia name (source: "{fingerprint("Russia")}"): Russia'
    assert any(missing in line for line in lines)
    assert re.fullmatch(r"fr: 1 current, 1 stale, \d+ missing", lines[-1])
    status, skeleton = run(capsys, "translations", "--data", valid_dir, "--skeleton")
    files: dict[str, list[str]] = {}
    kind = path = ""
    for line in skeleton:
        if line.startswith("# --- "):
            kind = Path(line.removeprefix("# --- ")).stem
            continue
        if re.fullmatch(r"  \S+:", line):
            path = line.strip(" :")
        if line == "    text:":
            line += " [x]" if path == "aliases" else " x"
        files.setdefault(kind, []).append(line)
    assert set(files) == {"sources", "actors", "systems", "events"}
    for kind, rows in files.items():  # pasted at the end of the file, after what is already translated
        existing = valid_dir / "fr" / f"{kind}.yaml"
        before = existing.read_text() if existing.exists() else ""
        write_fr(valid_dir, kind, before + "\n".join(rows) + "\n")
    tr, problems = load_fr(valid_dir)
    assert [p.code for p in problems] == ["translation-stale"]
    statuses = {got.status for *_, got in translations.coverage(load_valid(valid_dir), tr)}
    assert statuses == {"current", "stale"}  # the one stale title stays for its translator


def test_the_dossiers_french_translations_are_well_formed():
    """The French files in data/fr/ name records and fields the English has (stale ones are only warnings)."""
    dataset, _ = check(ROOT / "data", "data")
    assert [p for p in translations.check(ROOT / "data", dataset, "data") if p.severity == "error"] == []
    tr, _ = translations.load(ROOT / "data", "fr", dataset, "data")
    assert len(tr.entries) >= 30


def test_downloads_table_joins_on_record_and_field():
    """translations.csv: one row per current French text, keyed by record type, id and field, to join."""
    dataset, _ = check(ROOT / "data", "data")
    tr, _ = translations.load(ROOT / "data", "fr", dataset, "data")
    rows = list(translations.table_rows(dataset, [tr]))
    current = sum(got.status == "current" for *_, got in translations.coverage(dataset, tr))
    assert len(rows) == current and all(row["lang"] == "fr" for row in rows)
    table = export.csv_bytes(tuple(export.Column(*c) for c in translations.TABLE_COLUMNS), rows).decode()
    assert table.startswith("record_type,id,field,lang,text,english_fingerprint\n")
    russia = [row for row in rows if (row["id"], row["field"]) == ("russia", "aliases")]
    assert russia == [] or russia[0]["text"] == "Fédération de Russie;Moscou"
