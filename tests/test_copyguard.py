"""Copy guard: the data's prose is our own words, never sentences lifted from the source reports.

Every free-text field of data/*.yaml (titles, summaries, descriptions, notes, items, as_reported...)
is compared with the captured reports in ../shared/seeds/. A run of RUN or more consecutive words
shared with a report, outside quotation marks, fails the test. Words are compared lower-cased with
punctuation removed, so changing a comma or a capital does not hide a copied sentence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# The worktree or checkout sits next to shared/; DOSSIER_SEEDS points elsewhere when it does not.
SEEDS = Path(os.environ.get("DOSSIER_SEEDS", ROOT.parent / "shared" / "seeds"))
RUN = 8  # shortest shared run of words that counts as copying

# Keys whose values are identifiers, codes, enums or dates, not prose.
NOT_PROSE = {"id", "date", "kind", "confidence", "actor", "role", "system", "sources", "country",
             "precision", "language", "published", "category", "origin", "variant_of", "type", "url",
             "identifiers", "lat", "lon"}

# Reviewed passages that may match a report word for word, each with the reason it may.
# Matched after normalisation; the passage is masked in our prose before runs are looked for.
ALLOWED = {
    "Russia skirts Western sanctions to ramp up its military footprint in Africa":
        "title of the AP investigation as published by The Independent (a source's title)",
    "Mali Attack on military: Al-Qaeda linked group in takes responsibility":
        "title of the BBC News report as captured (a source's title)",
    "Mali: More military equipment from Russia after backlash":
        "title of The Africa Report article (a source's title)",
    "Russia shifts military assets from Syria to Mali amid tensions":
        "title of the undated report on the Syria withdrawal (a source's title)",
    "Focus on Africa: Russia's Wagner Group leaves Mali":
        "title of the BBC programme episode (a source's title)",
}


def words(text: str) -> list[str]:
    """Split text into comparable words: lower case, apostrophes dropped, digit groups joined."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.findall(r"[^\W_]+", text)


# Text inside straight or curly double quotes is a quotation, which our prose may contain.
QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")


def unquoted_parts(text: str) -> list[list[str]]:
    """Return the word lists of a text's stretches outside quotation marks."""
    return [words(part) for part in QUOTED.split(text)]


def mask_allowed(parts: list[list[str]]) -> list[list[str]]:
    """Cut every allow-listed passage out of the word lists, splitting them where it stood."""
    allowed = [words(phrase) for phrase in ALLOWED]
    out: list[list[str]] = []
    for part in parts:
        current: list[str] = []
        i = 0
        while i < len(part):
            hit = next((a for a in allowed if part[i:i + len(a)] == a), None)
            if hit:
                out.append(current)
                current = []
                i += len(hit)
            else:
                current.append(part[i])
                i += 1
        out.append(current)
    return out


def prose_fields(node, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field path, text) for every free-text string under a record."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_PROSE:
                yield from prose_fields(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from prose_fields(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def report_ngrams() -> dict[tuple[str, ...], str]:
    """Map every run of RUN words in the reports to the report file it comes from."""
    grams: dict[tuple[str, ...], str] = {}
    for report in sorted(SEEDS.glob("*.txt")):
        ws = words(report.read_text(encoding="utf-8"))
        for i in range(len(ws) - RUN + 1):
            grams.setdefault(tuple(ws[i:i + RUN]), report.name)
    return grams


def shared_runs(ws: list[str], grams: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    """Return (shared words, report) for each maximal run of RUN or more words found in a report."""
    runs: list[tuple[str, str]] = []
    start = end = None
    report = ""
    for i in range(len(ws) - RUN + 1):
        found = grams.get(tuple(ws[i:i + RUN]))
        if found and start is not None and i <= end:
            end = i + RUN
        elif found:
            if start is not None:
                runs.append((" ".join(ws[start:end]), report))
            start, end, report = i, i + RUN, found
    if start is not None:
        runs.append((" ".join(ws[start:end]), report))
    return runs


def copied_passages() -> list[str]:
    """List every passage of the data's prose that repeats a report, one line each."""
    grams = report_ngrams()
    found = []
    for data_file in sorted(DATA.glob("*.yaml")):
        records = yaml.safe_load(data_file.read_text(encoding="utf-8")) or []
        for record in records:
            for field, text in prose_fields(record):
                for part in mask_allowed(unquoted_parts(text)):
                    for shared, report in shared_runs(part, grams):
                        found.append(f"{data_file.relative_to(ROOT)}: {record.get('id', '?')}: {field}: "
                                     f"shares with {report}: \"{shared}\"")
    return found


@pytest.fixture(scope="module")
def seeds() -> Path:
    """Return the reports' folder, or skip when this checkout has none."""
    if not any(SEEDS.glob("*.txt")):
        pytest.skip(f"the source reports are not here ({SEEDS}); set DOSSIER_SEEDS to check the data's "
                    "prose against them")
    return SEEDS


def test_data_prose_does_not_copy_the_reports(seeds):
    """No free-text field repeats RUN or more words of a report outside quotation marks."""
    found = copied_passages()
    assert not found, (f"{len(found)} passage(s) repeat a report word for word; rewrite them in our own "
                       "words or put a short quotation in quotation marks:\n" + "\n".join(found))


def test_a_copied_sentence_is_caught_and_a_quoted_one_is_not():
    """The guard flags a copied run with its words, and lets the same words pass inside quotes."""
    grams = {tuple(words("the quick brown fox jumps over the lazy dog today")[i:i + RUN]): "r.txt"
             for i in range(3)}
    copied = "Witnesses said The quick brown FOX jumps, over the lazy dog."
    assert shared_runs(words(copied), grams) == [("the quick brown fox jumps over the lazy dog", "r.txt")]
    quoted = "Witnesses said \u201cthe quick brown fox jumps over the lazy dog\u201d."
    assert all(not shared_runs(part, grams) for part in unquoted_parts(quoted))


def test_allowed_passages_are_masked():
    """An allow-listed title does not count as copying, and words around it still do."""
    title = next(iter(ALLOWED))
    parts = mask_allowed(unquoted_parts(f"See {title} for details."))
    assert all(words(title)[0] not in part for part in parts)
    assert ["see"] in parts
