"""Problems found in the data, with stable codes, and the exception that carries them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath


def N_(message: str) -> str:
    """Mark a meaning for the message catalogue, as i18n.N_ does (importing i18n here would import this module
    again through dates.py); the data reference page shows it translated."""
    return message


# Every code the validator can emit, with a one-line meaning. Codes are stable:
# tests, editors and CI annotations match on them, never on the message text.
CODES: dict[str, str] = {
    "missing-file": N_("A data file is missing."),
    "file-too-large": N_("A data file is larger than the size cap."),
    "not-utf8": N_("A data file is not valid UTF-8 text."),
    "tab-indent": N_("A line is indented with a tab; YAML needs spaces."),
    "yaml-syntax": N_("The file is not valid YAML."),
    "yaml-alias": N_("The file uses a YAML anchor or alias, which the dossier refuses."),
    "yaml-tag": N_("The file uses an explicit YAML tag, which the dossier refuses."),
    "too-deep": N_("Values are nested deeper than any record of the data model can be."),
    "duplicate-key": N_("A mapping has the same key twice."),
    "not-a-list": N_("A data file is not a list of records."),
    "empty-file": N_("A data file holds no records (empty, only comments, [] or null)."),
    "unknown-field": N_("A field name is not part of the data model (often a typo)."),
    "missing-field": N_("A required field is missing."),
    "wrong-type": N_("A value has the wrong type (text, number, list or mapping)."),
    "invalid-choice": N_("A value is not one of the allowed choices."),
    "bad-id": N_("An id or reference is not a slug (lower-case letters, digits, hyphens)."),
    "bad-date": N_("A date is not a valid calendar date in the dossier's date syntax."),
    "future-date": N_("A date lies in the future."),
    "span-order": N_("A date span ends before it starts."),
    "bad-country": N_("A country code is not an upper-case ISO 3166-1 alpha-2 code."),
    "bad-coordinate": N_("A latitude or longitude is out of range or incomplete."),
    "outside-country": N_("A place's point lies outside its country (beyond a tolerance for border towns)."),
    "bad-quantity": N_("A quantity is negative, inverted or mixes forms."),
    "bad-url": N_("A URL is not an http(s) URL."),
    "bad-identifier": N_("An external identifier (Wikidata, IMO) is malformed."),
    "bad-text": N_("A text value is empty or contains control characters."),
    "no-source": N_("An event or a claim cites no source."),
    "duplicate-id": N_("Two records in one file share an id."),
    "unknown-reference": N_("A reference names an id that does not exist."),
    "variant-cycle": N_("A system is, through its parents, a variant of itself."),
    "invalid-value": N_("A value is not valid for its field."),
    "unused-source": N_("A source is cited by nothing (warning)."),
    "unused-actor": N_("An actor is referred to by nothing (warning)."),
    "unused-system": N_("A system is referred to by nothing (warning)."),
    "missing-summary": N_("An event or actor has no summary or description (warning)."),
    "out-of-order": N_("An event is not in its file's order, oldest first (warning)."),
    # The translation files beside the data (data/fr/*.yaml, dossier/translations.py).
    "translation-shape": N_("A translation file or entry is not in the form translations take."),
    "translation-unknown-record": N_("A translation names a record id the English data does not have."),
    "translation-unknown-field": N_("A translation names a field that is not translated or not in the "
                                    "English."),
    "translation-duplicate": N_("A field of a record is translated twice in one file."),
    "translation-stale": N_("The English text changed since it was translated (warning, never failing "
                            "--strict)."),
}

# Line breaks and control characters, which would split a one-line problem report.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FILE_ORDER = {"sources": 0, "actors": 1, "systems": 2, "events": 3}


def _escape(match: re.Match) -> str:
    """Spell a control character the way Python would in a string literal."""
    return repr(match.group())[1:-1]


def one_line(text: str) -> str:
    """Escape newlines and control characters so a message stays on one line."""
    return _BREAKS.sub(_escape, text)


def shown(value: object, limit: int = 60) -> str:
    """Render a contributor's value for a message: one line, at most `limit` characters."""
    text = one_line(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem in one data file, located by line and column (1-based)."""

    file: str
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"
    # A warning that never fails --strict: a stale translation, whose page shows the current English with
    # a note until a translator catches up, so that a contributor writing English never has to.
    advisory: bool = False

    def fails(self, strict: bool) -> bool:
        """Say whether this problem makes a check or build fail: an error always, a warning with --strict."""
        return self.severity == "error" or (strict and not self.advisory)

    def __post_init__(self) -> None:
        """Keep the message on one line whatever values it quotes."""
        object.__setattr__(self, "message", one_line(self.message))

    def __str__(self) -> str:
        """Format the problem as `FILE:LINE:COL: error[CODE]: message`."""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"


def tidy(problems) -> list[Problem]:
    """Sort problems by file (sources, actors, systems, events), line and column; drop repeats."""
    def key(p: Problem) -> tuple:
        """Order by the files' usual order, then position."""
        return (FILE_ORDER.get(PurePath(p.file).stem, 9), p.file, p.line, p.col, p.code, p.message)
    return sorted(set(problems), key=key)


@dataclass
class DataError(Exception):
    """The dataset is invalid; carries every problem found in one run."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        """Summarise the number of problems."""
        return f"{len(self.problems)} problem(s) in the data"


class SetupError(RuntimeError):
    """The machine lacks something the build needs (an npm package, a tool); not a problem in the data."""
