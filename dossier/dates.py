"""The dossier's date syntax: a small subset of ISO 8601-2 (EDTF) with explicit precision."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from .errors import shown

# ASCII digits only (\d would take Arabic-Indic digits too); matched with fullmatch, as `$`
# would also accept a trailing newline.
_PART = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)")
MONTHS = list(calendar.month_name)
# Among dates that start on the same day the more precise comes first: "January 2025" before
# "2025", before a span that starts in 2025. "17 January 2025" starts later, so it comes after all three.
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "span": 3}


class DateSyntaxError(ValueError):
    """A date string that is not in the dossier's date syntax or not on the calendar."""


@dataclass(frozen=True, order=True)
class Moment:
    """One end of a date: the period it names, its precision and qualifiers."""

    start: dt.date
    end: dt.date
    precision: str  # year | month | day
    approximate: bool = False
    uncertain: bool = False

    def label(self) -> str:
        """Render the moment for readers: '17 January 2025', 'about 2022', 'May 2025 (uncertain)'."""
        d = self.start
        if self.precision == "day":
            text = f"{d.day} {MONTHS[d.month]} {d.year}"
        else:
            text = f"{MONTHS[d.month]} {d.year}" if self.precision == "month" else f"{d.year}"
        if self.approximate:
            text = f"about {text}"
        if self.uncertain:
            text = f"{text} (uncertain)"
        return text


@dataclass(frozen=True)
class FuzzyDate:
    """A parsed date or span: first and last day covered, with precision and qualifiers."""

    text: str
    first: Moment
    last: Moment | None = None

    @property
    def start(self) -> dt.date:
        """Return the earliest day the date can mean."""
        return self.first.start

    @property
    def end(self) -> dt.date:
        """Return the latest day the date can mean."""
        return (self.last or self.first).end

    @property
    def precision(self) -> str:
        """Return 'year', 'month' or 'day', or 'span' for a span."""
        return "span" if self.last else self.first.precision

    @property
    def approximate(self) -> bool:
        """Say whether any end is marked 'about'."""
        return self.first.approximate or bool(self.last and self.last.approximate)

    @property
    def uncertain(self) -> bool:
        """Say whether any end is marked uncertain."""
        return self.first.uncertain or bool(self.last and self.last.uncertain)

    def label(self) -> str:
        """Render the date for readers, spans as 'A – B'."""
        return self._label

    @functools.cached_property
    def _label(self) -> str:
        """Work the label out once: an event's date is shown on its page, its actors', systems' and maps."""
        if self.last is None:
            return self.first.label()
        return f"{self.first.label()} – {self.last.label()}"


def _moment(text: str) -> Moment:
    """Parse one end of a date."""
    m = _PART.fullmatch(text)
    if not m:
        raise DateSyntaxError(f"'{shown(text)}' is not a date in the dossier's syntax")
    year, month, day, qual = m.groups()
    y = int(year)
    try:
        if day:
            start = end = dt.date(y, int(month), int(day))
            precision = "day"
        elif month:
            start = dt.date(y, int(month), 1)
            end = dt.date(y, int(month), calendar.monthrange(y, int(month))[1])
            precision = "month"
        else:
            start, end, precision = dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    except ValueError as exc:
        raise DateSyntaxError(f"'{shown(text)}' is not a calendar date ({exc})") from None
    return Moment(start, end, precision, qual in "~%" and bool(qual), qual in "?%" and bool(qual))


def parse_date(text: str) -> FuzzyDate:
    """Parse a date or a span 'A/B'; raise DateSyntaxError if it is malformed."""
    parts = text.split("/")
    if len(parts) > 2 or not all(parts):
        raise DateSyntaxError(f"'{shown(text)}' is not a date or a span 'START/END'")
    first = _moment(parts[0])
    last = _moment(parts[1]) if len(parts) == 2 else None
    return FuzzyDate(text, first, last)


def sort_key(date: FuzzyDate, record_id: str = "") -> tuple:
    """Return the one order of dated records: by start day, then day < month < year < span, exact before
    approximate, certain before uncertain, then by end day and id (see docs/methodology.md, "Order")."""
    return (date.start, PRECISION_RANK[date.precision], date.approximate, date.uncertain, date.end, record_id)
