"""Translated data text: files beside the data, keyed by record id and field, fingerprinting their English.

`data/fr/events.yaml` (likewise actors, systems, sources; each optional) is a
list of records:

    - id: 2025-06-02-timbuktu-attack
      title:
        text: Le JNIM dit avoir attaqué l'armée à Tombouctou
        source: "3f2a9c0d41be"      # the fingerprint of the English title it translates
      casualties[0].note: {text: "...", source: "0a1b2c3d4e5f"}

A field is named as problems name it (`equipment[0].note`); `aliases` takes a
list. The fingerprint is the first 12 hex digits of the SHA-256 of the English
text with its spaces collapsed, so rewrapping a paragraph is no change but any
edit to its words is; it is quoted, as YAML would read twelve digits as a
number. A contributor writing English never touches these files: when the
English changes, the translation becomes stale (a warning at its `source:`
line, with the new fingerprint) and readers see the English until a translator
updates it; a field with no translation, or `text:` left empty, is missing and
falls back to English too. `build_pages.py translations` lists both.
"""

from __future__ import annotations

import hashlib
import logging
import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .errors import CODES as ERROR_CODES
from .errors import Problem, shown
from .i18n import LANGUAGES, SOURCE, N_
from .load import Document, file_name, load_file
from .schema import KIND, KINDS, SLUG_RE

FILES = tuple(kind.file for kind in KINDS)  # the data files a language translates, in the registry's order

log = logging.getLogger(__name__)
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != SOURCE)
# The translation checks' codes (in errors.CODES with the validator's).
CODES: dict[str, str] = {code: meaning for code, meaning in ERROR_CODES.items() if code.startswith("translation-")}
# The fields a translation may give, per data file; [] stands for any item of a list.
FIELDS: dict[str, tuple[str, ...]] = {
    "sources": ("title", "note"),
    "actors": ("name", "aliases", "description", "relations[].note"),
    "systems": ("name", "aliases", "description"),
    "events": ("title", "summary", "place.name", "route[].name", "equipment[].item", "equipment[].note",
               "equipment[].identified_as[].note", "casualties[].group", "casualties[].note"),
}
_PATH = re.compile(r"[a-z_]+(?:\[[0-9]{1,4}\])?(?:\.[a-z_]+(?:\[[0-9]{1,4}\])?)*")
_STEP = re.compile(r"([a-z_]+)|\[([0-9]+)\]")
_FINGERPRINT = re.compile(r"[0-9a-f]{12}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENTRY_KEYS = {"text", "source"}
# The downloads' translations.csv, one row per current translation, joinable on (record_type, id):
# (name, Frictionless type, required, meaning), the form export.Column takes.
TABLE_COLUMNS = (
    ("record_type", "string", True, N_("The table of the record: events, actors, systems or sources.")),
    ("id", "string", True, N_("The record's id in that table.")),
    ("field", "string", True, N_("The field: a column such as title, or a path such as equipment[0].note.")),
    ("lang", "string", True, N_("The language of the translation (ISO 639-1), e.g. fr.")),
    ("text", "string", True, N_("The translated text; aliases joined with ';'.")),
    ("english_fingerprint", "string", True, N_("The first 12 hex digits of the English text's SHA-256.")),
)


def fingerprint(english: str | tuple[str, ...] | list[str]) -> str:
    """Return the 12-hex fingerprint of an English text (or list of aliases), its spaces collapsed."""
    items = [english] if isinstance(english, str) else list(english)
    normal = "\n".join(" ".join(unicodedata.normalize("NFC", item).split()) for item in items)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


class Translated(NamedTuple):
    """A field's text for readers and its status: 'current', or 'stale' or 'missing' with the English."""

    text: str | tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Entry:
    """One translated field: its text (None when left empty), the fingerprint of its English, its position."""

    text: str | tuple[str, ...] | None
    source: str
    line: int  # where its fingerprint is, which a stale translation's warning points at
    col: int
    field_line: int = 0  # where its field's name is


@dataclass
class Translations:
    """One language's translated fields, keyed by (data file kind, record id, field path)."""

    lang: str
    entries: dict[tuple[str, str, str], Entry] = field(default_factory=dict)
    prefix: str = ""  # the folder of the files as problems show it, e.g. 'data/fr'

    def get(self, kind: str, record_id: str, path: str, english: str | tuple[str, ...]) -> Translated:
        """Return a field's text in this language, or its English with the reason: stale or missing."""
        entry = self.entries.get((kind, record_id, path))
        if entry is None or entry.text is None:
            return Translated(english, "missing")
        if entry.source != fingerprint(english):
            return Translated(english, "stale")
        return Translated(entry.text, "current")


def _steps(path: str) -> tuple:
    """Split a field path such as 'equipment[0].note' into ('equipment', 0, 'note')."""
    return tuple(name or int(index) for name, index in _STEP.findall(path))


def _pattern(path: str) -> str:
    """Return a field path's pattern, its list indexes as []: 'equipment[].note'."""
    return re.sub(r"\[[0-9]+\]", "[]", path)


def english_value(record, path: str) -> str | tuple[str, ...] | None:
    """Return the English text at a field path of a validated record, or None if it has none there."""
    node = record
    for step in _steps(path):
        node = _down(node, step)
        if node is None:
            return None
    return _text_of(node)


def _down(node, step: str | int):
    """Take one step of a field path: an item of a list by its index, or a field by its name; None if absent."""
    if isinstance(step, int):
        return node[step] if isinstance(node, (list, tuple)) and step < len(node) else None
    return getattr(node, step, None)


def _text_of(node) -> str | tuple[str, ...] | None:
    """Return a value as translatable text: a string, or a non-empty list of strings as a tuple; else None."""
    if isinstance(node, (list, tuple)):
        return tuple(node) if node and all(isinstance(item, str) for item in node) else None
    return node if isinstance(node, str) else None


def english_fields(kind: str, record) -> Iterator[tuple[str, str | tuple[str, ...]]]:
    """Yield (field path, English text) for every translatable field a record has."""
    for pattern in FIELDS[kind]:
        for path, value in _reached(record, pattern.split("."), ""):
            if isinstance(value, str) or value and all(isinstance(item, str) for item in value):
                yield path, value if isinstance(value, str) else tuple(value)


def _reached(node, parts: list[str], prefix: str) -> Iterator[tuple[str, object]]:
    """Yield (path, value) for each value a pattern's parts ('equipment[]', 'note') reach from a node."""
    if not parts:
        yield prefix, node
        return
    name = parts[0].removesuffix("[]")
    here, value = f"{prefix}.{name}" if prefix else name, getattr(node, name, None)
    if parts[0].endswith("[]"):
        for i, item in enumerate(value or ()):
            yield from _reached(item, parts[1:], f"{here}[{i}]")
    elif value is not None:
        yield from _reached(value, parts[1:], here)


class _Reader:
    """Read one translation file into entries, reporting every problem located in it."""

    def __init__(self, doc: Document, kind: str, records: dict | None):
        """Read `doc`, a kind's translation file, against `records` (id -> English record) unless None."""
        self.doc, self.kind, self.records = doc, kind, records
        self.entries: dict[tuple[str, str, str], Entry] = {}
        self.problems: list[Problem] = []

    def problem(self, path: tuple, code: str, message: str, at_key: bool = False,
                severity: str = "error", advisory: bool = False) -> None:
        """Record a problem at a path inside the file."""
        line, col = self.doc.locate(path, at_key)
        self.problems.append(Problem(self.doc.name, line, col, code, message, severity, advisory))

    def read(self) -> None:
        """Read every record of the file."""
        data = self.doc.data
        if data is None or data == []:
            return
        if not isinstance(data, list):
            self.problem((), "translation-shape", "a translation file is a list of records, each starting "
                         "'- id: <the English record's id>'")
            return
        for index, raw in enumerate(data):
            record_id = self.record_id(index, raw)
            for key in raw if record_id else ():
                if key != "id":
                    self.field(index, record_id, key, raw[key])

    def record_id(self, index: int, raw: object) -> str | None:
        """Return a record's id if it is a mapping with a slug id the English has; else report why."""
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            self.problem((index,), "translation-shape", "each record is a mapping that starts with "
                         "'id:', the id of the English record it translates")
            return None
        record_id = raw["id"]
        if not SLUG_RE.fullmatch(record_id):
            self.problem((index, "id"), "translation-shape", f"'{shown(record_id)}' is not a record id "
                         "(lower-case letters, digits and hyphens)")
            return None
        if self.records is not None and record_id not in self.records:
            self.problem((index, "id"), "translation-unknown-record", f"{self.kind}.yaml has no record "
                         f"'{shown(record_id)}'; fix the id, or delete this record if its English is gone")
            return None
        return record_id

    def field(self, index: int, record_id: str, key: object, value: object) -> None:
        """Read one translated field of a record."""
        where = (index, key)
        if not isinstance(key, str) or not _PATH.fullmatch(key) or _pattern(key) not in FIELDS[self.kind]:
            self.problem(where, "translation-unknown-field", f"'{shown(key)}' is not a translated field of "
                         f"{self.kind}; translate one of: {', '.join(FIELDS[self.kind])}", at_key=True)
            return
        english = None
        if self.records is not None:
            english = english_value(self.records[record_id], key)
            if english is None:
                self.problem(where, "translation-unknown-field", f"{KIND[self.kind].singular} "
                             f"'{shown(record_id)}' has no '{key}' in English; delete this translation",
                             at_key=True)
                return
        entry = self.entry(where, key, value)
        if entry is None:
            return
        first = self.entries.get((self.kind, record_id, key))
        if first is not None:  # a record may come twice (a pasted skeleton), but each field once
            self.problem(where, "translation-duplicate", f"'{key}' of '{shown(record_id)}' is already "
                         f"translated on line {first.field_line}; keep one of the two", at_key=True)
            return
        self.entries[(self.kind, record_id, key)] = entry
        if english is not None and entry.text is not None:
            self.stale(where, record_id, key, entry, english)

    def stale(self, where: tuple, record_id: str, key: str, entry: Entry, english: str | tuple[str, ...]) -> None:
        """Warn if the English of a translated field has changed since its translation (its fingerprint differs)."""
        if entry.source != fingerprint(english):
            self.problem((*where, "source"), "translation-stale", f"{KIND[self.kind].singular} "
                         f"'{shown(record_id)}': the English '{key}' has changed since it was translated; "
                         f'update the translation, then set source: "{fingerprint(english)}"',
                         severity="warning", advisory=True)

    def entry(self, where: tuple, key: str, value: object) -> Entry | None:
        """Check a field's {text, source} mapping and return it as an Entry, or None after reporting it."""
        # Complexity C (radon): one test per rule, each reporting its own problem, as Quantity._check.
        if not isinstance(value, dict) or not _ENTRY_KEYS >= set(value) or "source" not in value:
            self.problem(where, "translation-shape", f"'{key}' takes a mapping of 'text' (the translation) "
                         "and 'source' (the fingerprint of the English it translates)")
            return None
        source = value["source"]
        if isinstance(source, int) and not isinstance(source, bool):
            self.problem((*where, "source"), "translation-shape", "YAML reads an unquoted fingerprint of "
                         "digits as a number; quote it: source: \"...\"")
            return None
        if not isinstance(source, str) or not _FINGERPRINT.fullmatch(source):
            self.problem((*where, "source"), "translation-shape", f"'{shown(source)}' is not a fingerprint "
                         "(12 hex digits); `build_pages.py translations` prints the English text's")
            return None
        text = value.get("text")
        if text is not None and not _well_formed(key, text):
            wanted = "a list of names" if key == "aliases" else "text"
            self.problem((*where, "text"), "translation-shape", f"the translation of '{key}' must be "
                         f"{wanted}, not empty and without control characters; leave 'text:' empty "
                         "while it is untranslated")
            return None
        line, col = self.doc.locate((*where, "source"))
        text = tuple(text) if isinstance(text, list) else text
        return Entry(text, source, line, col, self.doc.locate(where, at_key=True)[0])


def _well_formed(key: str, text: object) -> bool:
    """Say whether a translation is non-blank text without control characters (a list of them for aliases)."""
    items = text if isinstance(text, list) and key == "aliases" else [text]
    return all(isinstance(item, str) and item.strip() and not _CONTROL.search(item) for item in items)


def _records(dataset) -> dict[str, dict]:
    """Index a Dataset's records by kind and id."""
    return {kind: {r.id: r for r in getattr(dataset, kind)} for kind in FILES}


def load(data_dir: Path, lang: str, dataset=None,
         display: str | None = None) -> tuple[Translations, list[Problem]]:
    """Read a language's translation files beside the data; compare them with the English dataset if given.

    Without a dataset (the English has errors) the files' form is still checked,
    but not their ids, fields or fingerprints.
    """
    shown = display if display is not None else str(data_dir)
    prefix = f"{shown}/{lang}" if shown else lang
    translations, problems = Translations(lang, prefix=prefix), []
    records = _records(dataset) if dataset is not None else None
    for kind in FILES:
        path = data_dir / lang / f"{kind}.yaml"
        if not path.is_file():
            continue
        doc, found = load_file(path, file_name(prefix, kind))
        reader = _Reader(doc, kind, records[kind] if records else None)
        if not found:  # a file that does not parse has no entries to read
            reader.read()
        translations.entries |= reader.entries
        problems += found + reader.problems
    log.info("read %d %s translations", len(translations.entries), lang)
    return translations, problems


def check(data_dir: Path, dataset=None, display: str | None = None) -> list[Problem]:
    """Return every problem in the translation files of every language (stale ones as warnings)."""
    return [p for lang in TRANSLATED for p in load(data_dir, lang, dataset, display)[1]]


def coverage(dataset, translations: Translations) -> Iterator[tuple[str, str, str, str | tuple, Translated]]:
    """Yield (kind, id, field path, English, its translation) for every translatable field of the dataset."""
    for kind in FILES:
        for record in getattr(dataset, kind):
            for path, english in english_fields(kind, record):
                yield kind, record.id, path, english, translations.get(kind, record.id, path, english)


def todo(dataset, translations: Translations) -> list[str]:
    """Return a line per stale or missing field, with the fingerprint to record, and a count by status."""
    counts: Counter = Counter()
    lines = []
    for kind, record_id, path, english, got in coverage(dataset, translations):
        counts[got.status] += 1
        name, new = file_name(translations.prefix, kind), fingerprint(english)
        if got.status == "stale":
            entry = translations.entries[(kind, record_id, path)]
            lines.append(f"{name}:{entry.line}:{entry.col}: stale {record_id} {path}: once it says what the "
                         f'English says, set source: "{new}"; English: {shown(_joined(english), 100)}')
        elif got.status == "missing":
            lines.append(f'{name}: missing {record_id} {path} (source: "{new}"): '
                         f"{shown(_joined(english), 100)}")
    lines.append(f"{translations.lang}: {counts['current']} current, {counts['stale']} stale, "
                 f"{counts['missing']} missing")
    return lines


def _joined(text: str | tuple[str, ...], separator: str = "; ") -> str:
    """Show a text, or a list of aliases joined, on one line."""
    return text if isinstance(text, str) else separator.join(text)


def skeleton(dataset, translations: Translations) -> list[str]:
    """Return YAML records for the missing fields, the English as comments, to translate and paste."""
    lines, current = [], None
    for kind, record_id, path, english, got in coverage(dataset, translations):
        if got.status != "missing":
            continue
        if (kind, record_id) != current:
            if current is None or current[0] != kind:
                lines.append(f"# --- {file_name(translations.prefix, kind)}")
            lines.append(f"- id: {record_id}")
            current = (kind, record_id)
        lines.append(f"  {path}:")
        lines += [f"    # {row}" for row in textwrap.wrap(f"English: {_joined(english)}", 96)]
        lines += ["    text:", f'    source: "{fingerprint(english)}"']
    return lines


def table_rows(dataset, languages: list[Translations]) -> Iterator[dict]:
    """Yield the translations.csv rows: the current translations (a stale one translates English now gone)."""
    for translations in languages:
        for kind, record_id, path, english, got in coverage(dataset, translations):
            if got.status == "current":
                yield {"record_type": kind, "id": record_id, "field": path, "lang": translations.lang,
                       "text": _joined(got.text, ";"), "english_fingerprint": fingerprint(english)}
