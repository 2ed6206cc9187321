"""Property tests: no text, in any field or as a whole file, crashes the loader or the validator."""

from __future__ import annotations

import copy

import yaml
from conftest import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.errors import CODES, Problem
from dossier.load import load_file, parse_text
from dossier.schema import KINDS
from dossier.validate import validate

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = tuple(kind.file for kind in KINDS)
CLEAN = {kind: load_file(VALID / f"{kind}.yaml", f"{kind}.yaml")[0].data for kind in FILES}
TEXTS = {kind: (VALID / f"{kind}.yaml").read_text() for kind in FILES}
YAMLISH = st.text(st.sampled_from(list("-:{}[],&*!|>'\"#?%@`~ \n\t\r\\.0123456789eEtrufalsnyoid_xé\x00\u2028"))
                  | st.characters(), max_size=200)
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                  max_size=3),
                      max_leaves=8)


def paths(value, prefix=()):
    """List the path of every value nested in plain data."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def replaced(data, path, new):
    """Return a deep copy of data with the value at path replaced."""
    if not path:
        return new
    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return data


def check_all(texts: dict[str, str]) -> list[Problem]:
    """Parse and validate four files' texts; return the problems, asserting their shape."""
    docs, problems = {}, []
    for kind in FILES:
        docs[kind], found = parse_text(texts[kind], f"{kind}.yaml")
        problems += found
    _, found = validate(docs)
    problems += found
    for problem in problems:
        assert isinstance(problem, Problem) and problem.code in CODES
        assert problem.line >= 1 and problem.col >= 1
        assert "\n" not in str(problem) and "\r" not in str(problem)
    return problems


@st.composite
def mutated_file(draw):
    """Pick a data file and put an arbitrary value at an arbitrary place in it."""
    kind = draw(st.sampled_from(FILES))
    path = draw(st.sampled_from(paths(CLEAN[kind])))
    new = draw(st.text() | VALUES)
    return kind, replaced(CLEAN[kind], path, new)


@SETTINGS
@given(mutated_file())
def test_any_value_anywhere_gives_problems_not_crashes(case):
    """Any text or value in any field yields problems, never an exception."""
    kind, data = case
    texts = dict(TEXTS, **{kind: yaml.safe_dump(data, allow_unicode=True)})
    check_all(texts)


@SETTINGS
@given(st.sampled_from(FILES), YAMLISH)
def test_any_text_as_a_whole_file(kind, text):
    """Arbitrary YAML-ish text as a whole data file never crashes."""
    check_all(dict(TEXTS, **{kind: text}))


@SETTINGS
@given(st.sampled_from(FILES), st.data())
def test_edits_to_clean_files(kind, data):
    """Small random edits to a clean file (typos, deletions, stray syntax) never crash."""
    text = TEXTS[kind]
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        text = text[:start] + data.draw(YAMLISH.map(lambda s: s[:6])) + text[end:]
    check_all(dict(TEXTS, **{kind: text}))


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_as_a_file(tmp_path_factory, raw):
    """Arbitrary bytes on disk (not UTF-8, NULs, BOMs) give problems only."""
    path = tmp_path_factory.mktemp("bytes") / "events.yaml"
    path.write_bytes(raw)
    _, problems = load_file(path, "events.yaml")
    assert all(p.code in CODES and "\n" not in str(p) for p in problems)
