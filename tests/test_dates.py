"""The date syntax: years, months, days, qualifiers and spans; anything else a DateSyntaxError."""

from __future__ import annotations

import datetime as dt

import pytest

from dossier.dates import DateSyntaxError, parse_date


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
