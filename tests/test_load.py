"""The loader: YAML in, plain values with positions out; every oddity a located problem, never a crash."""

from __future__ import annotations

from conftest import INVALID

from dossier.load import MAX_DEPTH, load_dir, load_file, parse_text


def codes(problems) -> list[str]:
    """List the codes of some problems."""
    return [p.code for p in problems]


def test_billion_laughs_is_refused_without_expanding():
    """Nine levels of nine aliases: every alias refused, nothing expanded."""
    doc, problems = load_file(INVALID / "billion-laughs" / "events.yaml", "events.yaml")
    aliases = [p for p in problems if p.message.startswith("alias")]
    anchors = [p for p in problems if p.message.startswith("anchor")]
    assert len(aliases) == 81 and len(anchors) == 10
    assert set(codes(problems)) == {"yaml-alias"}
    assert doc.data[0]["lol9"] == [None] * 9  # aliases become nothing, so nothing can expand


def test_dates_and_norway_stay_text():
    """Unquoted dates stay text (2025-02-30 is not silently a date or an error) and NO is not false."""
    doc, problems = parse_text("- {date: 2025-02-30, day: 2025-01-17, country: NO, on: yes, n: 12, x: 1.5}\n",
                               "e.yaml")
    assert problems == []
    assert doc.data == [{"date": "2025-02-30", "day": "2025-01-17", "country": "NO", "on": "yes",
                         "n": 12, "x": 1.5}]


def test_true_false_are_booleans():
    """Only true/false spell booleans."""
    assert parse_text("[true, False, yes, off]", "e.yaml")[0].data == [True, False, "yes", "off"]


def test_merge_key_and_equals_are_text():
    """YAML 1.1's `<<` and `=` read as text instead of crashing the constructor."""
    doc, problems = parse_text("- {<<: x, title: =}\n", "e.yaml")
    assert problems == [] and doc.data == [{"<<": "x", "title": "="}]


def test_second_document_is_refused():
    """A second document after '---' is reported at its first value."""
    _, problems = parse_text("- a\n---\n- b\n", "e.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("yaml-syntax", 3, 1)]


def test_null_document_is_an_empty_list():
    """A file holding only a comment or null is an empty list."""
    for text in ("", "# nothing yet\n", "null\n", "~\n"):
        doc, problems = parse_text(text, "e.yaml")
        assert (doc.data, problems) == ([], [])


def test_deep_nesting_is_cut_not_recursed():
    """Hostile nesting far past the recursion limit becomes one too-deep problem."""
    doc, problems = parse_text("[" * 5000 + "]" * 5000, "e.yaml")
    assert codes(problems) == ["too-deep"]
    assert (problems[0].line, problems[0].col) == (1, MAX_DEPTH + 1)


def test_control_character_position_counts_characters():
    """A forbidden character is located by characters, not UTF-8 bytes."""
    _, problems = parse_text("- id: a\n  title: Ségou\x01\n", "e.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("yaml-syntax", 2, 15)]
    assert "\x01" not in problems[0].message


def test_every_tab_line_is_reported():
    """Each tab-indented line is reported, at the tab's column."""
    _, problems = parse_text("- id: a\n\ttitle: b\n  \tkind: c\n", "e.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("tab-indent", 2, 1), ("tab-indent", 3, 3)]


def test_keys_must_be_text():
    """A number or a list as a key is a wrong-type problem at the key."""
    _, problems = parse_text("- {1: a, ? [x] : b, id: c}\n", "e.yaml")
    assert codes(problems) == ["wrong-type", "wrong-type"]


def test_plain_tags_allowed_others_refused():
    """`!!str` is harmless; any other explicit tag is refused."""
    assert parse_text("- !!str 5\n", "e.yaml")[1] == []
    assert codes(parse_text("- !custom 5\n- !!int '5'\n", "e.yaml")[1]) == ["yaml-tag", "yaml-tag"]


def test_bom_is_accepted(tmp_path):
    """A UTF-8 byte-order mark, as some editors write, is fine."""
    path = tmp_path / "events.yaml"
    path.write_bytes(b"\xef\xbb\xbf- id: a\n")
    doc, problems = load_file(path, "events.yaml")
    assert problems == [] and doc.data == [{"id": "a"}]


def test_directory_in_place_of_a_file(tmp_path):
    """A folder named events.yaml is a missing file, not a crash."""
    (tmp_path / "events.yaml").mkdir()
    docs, problems = load_dir(tmp_path, "")
    assert codes(problems) == ["missing-file"] * 4 and docs["events"].data == []


def test_display_prefix_names_files(tmp_path):
    """Problems name files as the user typed the folder."""
    _, problems = load_dir(tmp_path, "some/dir/")
    assert problems[0].file == "some/dir/sources.yaml"


def test_locate_values_and_keys():
    """Positions of values and keys are 1-based; a missing path falls back to its container."""
    doc, _ = parse_text("- id: a\n  place: {name: B}\n", "e.yaml")
    assert doc.locate((0, "place", "name")) == (2, 17)
    assert doc.locate((0, "place"), at_key=True) == (2, 3)
    assert doc.locate((0, "place", "lat")) == (2, 10)
    assert doc.locate((5,)) == (1, 1)


def test_lone_surrogate_is_not_utf8():
    """Text that could never have come from a UTF-8 file is reported, not a crash."""
    _, problems = parse_text("- id: a\n  title: x\ud800\n", "e.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("not-utf8", 2, 11)]


def test_bad_byte_column_counts_characters(tmp_path):
    """The column of a bad byte counts the UTF-8 characters before it on its line, as editors do."""
    path = tmp_path / "events.yaml"
    path.write_bytes("\ufeff- title: Ségou \xe9\n".encode()[:-3] + b"\xe9\n")
    _, problems = load_file(path, "events.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("not-utf8", 1, 16)]


def test_unclosed_quote_points_at_its_opening():
    """An unclosed quote is reported where it opens, not at the end of the file."""
    _, problems = parse_text('- id: a\n  title: "unclosed\n  kind: x\n', "e.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("yaml-syntax", 2, 10)]
    assert problems[0].message.endswith("never closed; close it")


def test_problem_in_a_loaded_file_is_located(tmp_path):
    """A problem in a data file is reported at its line and column, and the first key's position is kept."""
    path = tmp_path / "events.yaml"
    path.write_text("- id: a\n  title: b\n  title: c\n")
    doc, problems = load_file(path, "events.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("duplicate-key", 3, 3)]
    assert doc.key_marks[id(doc.data[0])]["title"] == (2, 3)
