"""The date syntax: years, months, days, qualifiers and spans; anything else a DateSyntaxError."""

from __future__ import annotations

import datetime as dt

import pytest

from dossier.dates import DateSyntaxError, parse_date, sort_key


@pytest.mark.parametrize("text, start, end, precision", [
    ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year"),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
    ("2025-01-17", dt.date(2025, 1, 17), dt.date(2025, 1, 17), "day"),
    ("2024-12/2025-01", dt.date(2024, 12, 1), dt.date(2025, 1, 31), "span"),
])
def test_periods(text, start, end, precision):
    """Each form covers the right days with the right precision."""
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)


@pytest.mark.parametrize("text, label", [
    ("2025-01-17", "17 January 2025"),
    ("2022~", "about 2022"),
    ("2025-05?", "May 2025 (uncertain)"),
    ("2025%", "about 2025 (uncertain)"),
    ("2024-12/2025-01", "December 2024 – January 2025"),
])
def test_labels(text, label):
    """Readers see words, with qualifiers spelt out."""
    assert parse_date(text).label() == label


def test_qualifiers():
    """~ means about, ? uncertain, % both."""
    assert (parse_date("2025~").approximate, parse_date("2025~").uncertain) == (True, False)
    assert (parse_date("2025?").approximate, parse_date("2025?").uncertain) == (False, True)
    assert (parse_date("2025%").approximate, parse_date("2025%").uncertain) == (True, True)


@pytest.mark.parametrize("text", [
    "2025-02-30", "2025-13", "2025-00", "0000", "25", "2025-1-5", "2025/", "/2025", "2025/2026/2027",
    "2025-01-17\n", "\u0662\u0660\u0662\u0665", "2025 ", "2025-01-17T10:00", "", "2025~?",
])
def test_rejects(text):
    """Impossible days, other formats, trailing newlines and non-ASCII digits are refused."""
    with pytest.raises(DateSyntaxError):
        parse_date(text)


def test_error_message_is_one_line_and_short():
    """The message quotes the value escaped and cut short."""
    with pytest.raises(DateSyntaxError) as info:
        parse_date("x\n" * 100)
    assert "\n" not in str(info.value) and len(str(info.value)) < 120


def _ordered(texts: list[str]) -> list[str]:
    """Sort date texts by the dossier's one order (the text stands in for the record id)."""
    return sorted(texts, key=lambda text: sort_key(parse_date(text), text))


def test_mixed_precisions_sort_by_start_then_the_more_precise_first():
    """Same start: day, month, year, span; exact before about, certain before uncertain; later start after."""
    texts = ["2025-01-17", "2025%", "2025?", "2025/2026", "2025", "2025~", "2025-01", "2025-01-01",
             "2024-12/2025-02"]
    assert _ordered(texts) == ["2024-12/2025-02", "2025-01-01", "2025-01", "2025", "2025?", "2025~", "2025%",
                               "2025/2026", "2025-01-17"]


def test_the_methodology_example_reads_in_order():
    """The example on the methodology page: January 2025, 2025, 2025 (uncertain), 17 January 2025."""
    labels = [parse_date(t).label() for t in _ordered(["2025-01-17", "2025?", "2025", "2025-01"])]
    assert labels == ["January 2025", "2025", "2025 (uncertain)", "17 January 2025"]


def test_spans_starting_together_sort_by_end_then_id():
    """Two spans from the same start: the shorter first; the same date: by record id."""
    short, long = parse_date("2024/2025"), parse_date("2024/2026")
    assert sort_key(short, "b") < sort_key(long, "a")
    assert sort_key(short, "a") < sort_key(short, "b")


def test_the_dossier_lists_events_in_that_order():
    """The indexes, timeline, feed and exports all walk the dossier's events, ordered by sort_key."""
    from dossier.model import build_dossier
    from dossier.schema import Event
    from dossier.validate import Dataset

    dates = {"e1": "2025-01-17", "e2": "2025?", "e3": "2025", "e4": "2025-01"}
    events = tuple(Event(id=i, date=d, kind="statement", title="T", sources=["s"], confidence="reported")
                   for i, d in dates.items())
    assert list(build_dossier(Dataset((), (), (), events)).events) == ["e4", "e3", "e2", "e1"]
