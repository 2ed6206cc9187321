"""The validator: every code at its exact file, line and column, every problem in one run."""

from __future__ import annotations

import pytest
from conftest import INVALID, VALID, case_dir

from dossier.build import check
from dossier.errors import CODES
from dossier.load import load_dir, parse_text
from dossier.schema import KINDS
from dossier.validate import REFERENCES, nested_model, suggest, validate

# case folder under tests/fixtures/invalid -> every error it must produce, as (code, file, line, col).
CASES: dict[str, list[tuple[str, str, int, int]]] = {
    "yaml-syntax": [("yaml-syntax", "events.yaml", 5, 14)],
    "not-utf8": [("not-utf8", "events.yaml", 3, 25)],
    "tab-indent": [("tab-indent", "events.yaml", 3, 1)],
    "yaml-alias": [("yaml-alias", "events.yaml", 5, 10), ("yaml-alias", "events.yaml", 6, 12)],
    "yaml-tag": [("yaml-tag", "events.yaml", 4, 9)],
    "too-deep": [("wrong-type", "events.yaml", 8, 12), ("too-deep", "events.yaml", 8, 42)],
    "duplicate-key": [("duplicate-key", "events.yaml", 6, 3)],
    "not-a-list": [("not-a-list", "events.yaml", 2, 1)],
    "empty-file": [("empty-file", "events.yaml", 1, 1)],
    "empty-file-comments": [("empty-file", "events.yaml", 1, 1)],
    "empty-file-list": [("empty-file", "events.yaml", 2, 1)],
    "empty-file-null": [("empty-file", "events.yaml", 2, 1)],
    "not-a-mapping": [("wrong-type", "events.yaml", 8, 3)],
    "unknown-field": [("missing-field", "events.yaml", 2, 3), ("unknown-field", "events.yaml", 5, 3)],
    "missing-field": [("missing-field", "events.yaml", 2, 3)],
    "wrong-type": [("wrong-type", "events.yaml", 5, 10)],
    "invalid-choice": [("invalid-choice", "events.yaml", 4, 9)],
    "invalid-value": [("invalid-value", "sources.yaml", 5, 13)],
    "bad-id": [("bad-id", "events.yaml", 2, 7)],
    "bad-date": [("bad-date", "events.yaml", 3, 9)],
    "future-date": [("future-date", "events.yaml", 3, 9)],
    "span-order": [("span-order", "events.yaml", 3, 9)],
    "bad-country": [("bad-country", "actors.yaml", 5, 12)],
    "bad-coordinate": [("bad-coordinate", "events.yaml", 4, 33)],
    "outside-country": [("outside-country", "events.yaml", 21, 41)],
    "swapped-lat-lon": [("outside-country", "events.yaml", 32, 43)],
    "bad-quantity": [("bad-quantity", "events.yaml", 6, 17)],
    "negative-quantity": [("bad-quantity", "events.yaml", 6, 17)],
    "bad-url": [("bad-url", "sources.yaml", 6, 8)],
    "bad-identifier": [("bad-identifier", "actors.yaml", 6, 27)],
    "bad-text": [("bad-text", "events.yaml", 5, 10)],
    "no-source": [("no-source", "events.yaml", 2, 3)],
    "claim-no-source": [("no-source", "events.yaml", 8, 37)],
    "duplicate-id": [("duplicate-id", "sources.yaml", 15, 7)],
    "unknown-reference": [("unknown-reference", "events.yaml", 5, 15)],
    "variant-cycle": [("variant-cycle", "systems.yaml", 6, 15), ("variant-cycle", "systems.yaml", 11, 15)],
    "every-problem-at-once": [("bad-date", "events.yaml", 3, 9), ("unknown-reference", "events.yaml", 7, 15),
                              ("duplicate-id", "events.yaml", 10, 7),
                              ("unknown-reference", "events.yaml", 18, 20)],
    # The translation files beside the data (data/fr/), checked with it.
    "translation-shape": [("translation-shape", "fr/events.yaml", 3, 71)],
    "translation-unknown-record": [("translation-unknown-record", "fr/events.yaml", 2, 7)],
    "translation-unknown-field": [("translation-unknown-field", "fr/events.yaml", 3, 3)],
    "translation-duplicate": [("translation-duplicate", "fr/events.yaml", 5, 3)],
}
# Warnings: the case must produce no error and exactly these warnings of its code.
WARNING_CASES: dict[str, list[tuple[str, str, int, int]]] = {
    "unused-source": [("unused-source", "sources.yaml", 10, 7)],
    "unused-actor": [("unused-actor", "actors.yaml", 23, 7)],
    "unused-system": [("unused-system", "systems.yaml", 19, 7)],
    "missing-summary": [("missing-summary", "actors.yaml", 1, 3)],
    "out-of-order": [("out-of-order", "events.yaml", 24, 9)],
    "translation-stale": [("translation-stale", "fr/events.yaml", 3, 67)],  # never failing --strict
}
# Codes whose situations a fixture folder cannot hold (a file that is absent, a cap set by the caller):
# tested below by name.
OTHER_CODES = {"missing-file", "file-too-large"}


def run(case: str, tmp_path) -> list:
    """Check an invalid case laid over the valid dataset; file names are shown bare."""
    _, problems = check(case_dir(case, tmp_path), "")
    return problems


def where(problems, severity: str = "error", code: str | None = None) -> list[tuple[str, str, int, int]]:
    """Reduce problems to (code, file, line, col) for comparison."""
    return [(p.code, p.file, p.line, p.col) for p in problems
            if p.severity == severity and (code is None or p.code == code)]


def where_message(problems, code: str) -> str:
    """Return the message of the only problem with a code."""
    [message] = [p.message for p in problems if p.code == code]
    return message


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_reports_exactly_its_errors(case, tmp_path, today):
    """Each invalid case yields exactly the expected errors, at the exact positions."""
    assert where(run(case, tmp_path)) == CASES[case]


@pytest.mark.parametrize("case", sorted(WARNING_CASES))
def test_warning_case(case, tmp_path, today):
    """Each warning case yields no error and exactly its warning."""
    problems = run(case, tmp_path)
    assert where(problems) == []
    assert where(problems, "warning", case) == WARNING_CASES[case]


def test_every_code_has_a_test():
    """Every code in CODES is produced by some case (add a case when you add a code)."""
    tested = {code for rows in (*CASES.values(), *WARNING_CASES.values()) for code, *_ in rows}
    assert set(CODES) - tested - OTHER_CODES == set(), "add a case under tests/fixtures/invalid/"


def test_every_case_folder_is_used():
    """No fixture folder is forgotten by the tables above."""
    folders = {p.name for p in INVALID.iterdir() if p.is_dir()}
    assert folders - set(CASES) - set(WARNING_CASES) == {"billion-laughs"}  # tested in test_load.py


def test_valid_fixture_has_no_problems(today):
    """The shared valid dataset passes with no error and no warning."""
    assert check(VALID, "")[1] == []


def test_missing_file(valid_dir):
    """A data file that does not exist is reported at line 1, column 1."""
    (valid_dir / "systems.yaml").unlink()
    problems = check(valid_dir, "")[1]
    assert ("missing-file", "systems.yaml", 1, 1) in where(problems)


def test_file_too_large_uses_the_cap(valid_dir):
    """A file over the size cap is refused whole; the cap is a parameter."""
    size = (valid_dir / "events.yaml").stat().st_size
    docs, problems = load_dir(valid_dir, "", max_bytes=size - 1)
    assert ("file-too-large", "events.yaml", 1, 1) in where(problems)
    assert docs["events"].data == []


@pytest.mark.parametrize("case, words", [
    ("unknown-field", "did you mean 'title'?"),
    ("unknown-reference", "did you mean 'russia'?"),
    ("invalid-choice", "did you mean 'delivery'?"),
    ("bad-id", "for example 'convoy-1'"),
    ("not-a-mapping", "should be a mapping"),
])
def test_messages_say_how_to_fix(case, words, tmp_path, today):
    """Messages end with a fix: a suggestion or the valid choices."""
    assert any(words in p.message for p in run(case, tmp_path))


def test_message_names_record_and_field(tmp_path, today):
    """A model error names the record's id and the field path."""
    [problem] = [p for p in run("claim-no-source", tmp_path) if p.severity == "error"]
    assert problem.message.startswith("event 'e1': 'equipment[0].identified_as[0].sources'")


def test_invalid_choice_lists_choices_when_nothing_is_close(tmp_path, today):
    """With no near miss the message lists every allowed value."""
    doc, _ = parse_text("- {id: r, title: T, kind: zzzzzz, language: en}\n", "sources.yaml")
    docs = {k: parse_text("[]", f"{k}.yaml")[0] for k in ("actors", "systems", "events")}
    _, problems = validate({"sources": doc, **docs})
    assert "choose one of: news, analysis" in where_message(problems, "invalid-choice")


def test_problems_are_sorted_and_unique(tmp_path, today):
    """Problems come out in file order (sources, actors, systems, events), then by position, once each."""
    problems = run("every-problem-at-once", tmp_path)
    order = {"sources.yaml": 0, "actors.yaml": 1, "systems.yaml": 2, "events.yaml": 3}
    keys = [(order[p.file], p.line, p.col) for p in problems]
    assert keys == sorted(keys)
    assert len(set(problems)) == len(problems)


def test_messages_stay_on_one_line(valid_dir, today):
    """Newlines in contributor values are escaped and long values cut short."""
    (valid_dir / "sources.yaml").write_text(
        '- id: "bad\\nid\\r\\u2028x"\n  title: T\n  kind: "' + "n" * 500 + '\\nx"\n  language: en\n')
    problems = check(valid_dir, "")[1]
    lines = [str(p) for p in problems if p.file == "sources.yaml"]
    assert lines and all("\n" not in s and "\r" not in s and "\u2028" not in s for s in lines)
    assert all(len(s) < 400 for s in lines)
    assert any("bad\\nid" in s for s in lines)


@pytest.mark.parametrize("kind", ["sources", "actors", "systems", "events"])
def test_a_file_with_no_records_is_an_error_in_every_file(kind, valid_dir, today):
    """Emptying any of the four files is refused, with a hint to restore the records."""
    (valid_dir / f"{kind}.yaml").write_text("# emptied\n")
    problems = [p for p in check(valid_dir, "")[1] if p.code == "empty-file"]
    assert where(problems) == [("empty-file", f"{kind}.yaml", 1, 1)]
    assert "restore its records" in problems[0].message


def test_no_empty_file_error_after_another_problem(valid_dir, today):
    """A file that cannot be read is not also called empty: one problem is enough."""
    (valid_dir / "events.yaml").write_text("- id: [unclosed\n")
    assert [code for code, *_ in where(check(valid_dir, "")[1])] == ["yaml-syntax"]


def test_references_checked_in_records_with_other_errors(tmp_path, today):
    """The known gap: a record failing the model still has its references checked."""
    codes = {code for code, *_ in where(run("every-problem-at-once", tmp_path))}
    assert {"bad-date", "unknown-reference", "duplicate-id"} <= codes


def test_invalid_record_ids_still_resolve(valid_dir, today):
    """An actor with an error elsewhere still exists for references: no follow-on unknown-reference."""
    text = (valid_dir / "actors.yaml").read_text().replace("country: RU", "country: Russia", 1)
    (valid_dir / "actors.yaml").write_text(text)
    assert {code for code, *_ in where(check(valid_dir, "")[1])} == {"bad-country"}


def test_non_slug_reference_is_reported_once(valid_dir, today):
    """A reference that is not a slug gets bad-id, not also unknown-reference."""
    text = (valid_dir / "events.yaml").read_text().replace("actor: russia, role: supplier}",
                                                           "actor: Russia, role: supplier}", 1)
    (valid_dir / "events.yaml").write_text(text)
    assert [code for code, *_ in where(check(valid_dir, "")[1])] == ["bad-id"]


def test_future_date_at_span_end(valid_dir, today):
    """A span may not end in the future either."""
    text = (valid_dir / "events.yaml").read_text().replace('"2025-01-17"', '"2025-01/2027"', 1)
    (valid_dir / "events.yaml").write_text(text)
    assert [code for code, *_ in where(check(valid_dir, "")[1])] == ["future-date"]


def test_suggest():
    """Near misses are suggested; far ones are not."""
    assert suggest("russa", ["russia", "mali"]) == "; did you mean 'russia'?"
    assert suggest("zzz", ["russia"]) == ""


def _slug_fields(model, prefix=()):
    """Yield the path pattern of every field that holds record ids (Slug), except the record's own id."""
    for name, info in model.model_fields.items():
        path = (*prefix, name, *(("*",) if "list[" in str(info.annotation) else ()))
        nested = nested_model(info.annotation)
        if nested is not None:
            yield from _slug_fields(nested, path)
        elif "_slug" in repr(info.annotation) + repr(info.metadata) and (prefix or name != "id"):
            yield path


def test_reference_table_covers_every_id_field():
    """Every id-holding field of the model is walked by the reference check (update REFERENCES with it)."""
    for kind, model in ((k.file, k.model) for k in KINDS):
        assert set(_slug_fields(model)) == {pattern for pattern, _ in REFERENCES[kind]}, kind


def test_problems_in_every_file_in_one_run(tmp_path, today):
    """A syntax error in one file does not hide the problems of the others."""
    data = case_dir("yaml-syntax", tmp_path)
    for case, name in (("bad-url", "sources.yaml"), ("bad-country", "actors.yaml"), ("variant-cycle", "systems.yaml")):
        (data / name).write_bytes((INVALID / case / name).read_bytes())
    codes = {p.code for p in check(data, "")[1] if p.severity == "error"}
    assert {"yaml-syntax", "bad-url", "bad-country", "variant-cycle"} <= codes


def test_out_of_order_names_the_fewest_records_to_move(valid_dir, today):
    """One event moved to the top is the one reported, not every event below it."""
    text = (valid_dir / "events.yaml").read_text()
    last = text.index("- id: 2025-01-17-convoy")
    (valid_dir / "events.yaml").write_text(text[last:] + text[:last])
    problems = check(valid_dir, "")[1]
    assert where(problems, "warning") == [("out-of-order", "events.yaml", 2, 9)]
    message = where_message(problems, "out-of-order")
    assert message.endswith("move it below event '2024-12-shipment' on line 35")


def test_swapped_coordinates_are_named_as_such(tmp_path, today):
    """A point whose swapped latitude and longitude fit its country asks whether they were swapped."""
    message = where_message(run("swapped-lat-lon", tmp_path), "outside-country")
    assert message.startswith("event '2025-01-17-convoy': place (Bamako) at lat -8, lon 12.64 is about "
                              "2,802 km outside ML")
    assert message.endswith("did you swap lat and lon? (lat 12.64, lon -8 lies in ML)")


def test_a_point_in_another_country_says_which(tmp_path, today):
    """A route stop in the wrong country names the country whose shape holds it."""
    message = where_message(run("outside-country", tmp_path), "outside-country")
    assert "route[1] (Conakry)" in message and "the point lies in GN" in message
    assert "swap" not in message
