"""Check loaded documents against the data model and each other; report every problem at once."""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass, field

from pydantic import ValidationError

from .dates import parse_date, sort_key
from .errors import CODES, Problem, shown, tidy
from .load import Document
from .schema import KIND, KINDS, SLUG_RE, Actor, Event, Record, Source, System

_TYPE_ERRORS = {"string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type",
                "model_type", "model_attributes_type", "int_from_float", "string_sub_type"}
_WORDS = {"string_type": "text", "int_type": "a whole number", "float_type": "a number",
          "bool_type": "true or false", "list_type": "a list", "dict_type": "a mapping",
          "model_type": "a mapping", "model_attributes_type": "a mapping",
          "int_from_float": "a whole number"}
# Fields that take a quantity, which may be written as a bare number as well as a mapping.
_QUANTITIES = {"quantity", "killed", "wounded", "captured"}


@dataclass(frozen=True)
class Dataset:
    """The four validated record lists, in file order."""

    sources: tuple[Source, ...]
    actors: tuple[Actor, ...]
    systems: tuple[System, ...]
    events: tuple[Event, ...]
    # (file kind, id) -> line of the record's first key: pages link to their record in the YAML.
    lines: dict[tuple[str, str], int] = field(default_factory=dict, compare=False, hash=False)


def suggest(word: str, choices) -> str:
    """Return "; did you mean 'x'?" for a near miss, or an empty string."""
    close = difflib.get_close_matches(str(word)[:200], [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{shown(close[0])}'?" if close else ""


def _dotted(loc: tuple) -> str:
    """Render a field path like equipment[0].quantity."""
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{shown(step, 40)}" if out else shown(step, 40))
    return out or "(record)"


def _model_at(model: type[Record], loc: tuple) -> type[Record]:
    """Find the model class that owns the last field of `loc`, to list its valid fields."""
    for step in loc:
        if isinstance(step, int):
            continue
        annotation = model.model_fields.get(step)
        if annotation is None:
            break
        found = nested_model(annotation.annotation)
        if found is None:
            break
        model = found
    return model


def nested_model(annotation) -> type[Record] | None:
    """Return the Record class inside an annotation such as list[X] or X | None."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = nested_model(arg)
        if found:
            return found
    meta = getattr(annotation, "__origin__", None)
    return nested_model(meta) if meta and meta is not annotation else None


def _message(error: dict, model: type[Record]) -> tuple[str, str, bool]:
    """Turn one pydantic error into (code, fix-it message, whether to point at the key)."""
    # Complexity C (radon): a flat dispatch on pydantic's error kinds, one message each.
    kind, loc = error["type"], error["loc"]
    field = _dotted(loc)
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        fields = list(owner.model_fields)
        hint = suggest(name, fields) or f"; valid fields are: {', '.join(fields)}"
        return "unknown-field", f"unknown field '{field}'{hint}", True
    if kind == "missing":
        code = "no-source" if name == "sources" else "missing-field"
        info = _model_at(model, loc[:-1]).model_fields.get(name)
        help_text = f" ({info.description})" if info and info.description else ""
        return code, f"required field '{field}' is missing; add it{help_text}", False
    if kind == "too_short" and name == "sources":
        return "no-source", f"'{field}' is empty; cite at least one source id from sources.yaml", False
    if kind == "literal_error":
        expected = error["ctx"]["expected"].replace("'", "").replace(" or ", ", ").split(", ")
        hint = suggest(error["input"], expected) or f"; choose one of: {', '.join(expected)}"
        return "invalid-choice", f"'{field}' is '{shown(error['input'])}', not an allowed value{hint}", False
    if kind in _TYPE_ERRORS:
        want = _WORDS.get(kind, "another type")
        if name in _QUANTITIES:
            want = "a whole number, or a mapping such as {min: 5} or {min: 4, max: 6}"
        what = f"{type(error['input']).__name__} {shown(repr(error['input']), 40)}"
        if not loc:
            return "wrong-type", f"the record should be a mapping of fields ('- id: ...'), not {what}; " \
                                 "write it as 'field: value' lines", False
        return "wrong-type", f"'{field}' should be {want}, not {what}; fix the value's type", False
    if kind == "string_pattern_mismatch":
        return "invalid-value", f"'{field}' is '{shown(error['input'])}', which does not match " \
                                f"{error['ctx']['pattern']}; fix its format", False
    if kind in CODES:  # a check in schema.py raised one of the dossier's own codes
        return kind, f"'{field}': {error['msg']}", False
    return "invalid-value", f"'{field}': {error['msg']}; fix the value", False


def _who(kind: str, raw: object, index: int) -> str:
    """Name a record for a message: "event '2025-x'", or "event #3" when it has no usable id."""
    singular = KIND[kind].singular
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{singular} '{shown(raw['id'])}'"
    return f"{singular} #{index + 1}"


def _records(doc: Document) -> list:
    """Return the raw records of a document, or none when it is not a list."""
    return doc.data if isinstance(doc.data, list) else []


def validate_records(kind: str, doc: Document, known: dict | None = None,
                     ) -> tuple[list[tuple[int, Record]], list[Problem]]:
    """Validate each record of one document against its model; keep each valid one with its index.

    `known` maps id(raw record) -> (raw record, model) of records validated before; a record
    that is the very same object is not validated again (`mkdocs serve` keeps unchanged ones).
    """
    model = KIND[kind].model
    records: list[tuple[int, Record]] = []
    problems: list[Problem] = []
    if not isinstance(doc.data, list):
        line, col = doc.locate(())
        problems.append(Problem(doc.name, line, col, "not-a-list", f"the file holds {_kind_of(doc.data)}; "
                                "it must be a YAML list of records, each starting with '- id: ...'"))
        return records, problems
    for index, raw in enumerate(doc.data):
        seen = known.get(id(raw)) if known is not None else None
        if seen is not None and seen[0] is raw:
            records.append((index, seen[1]))
            continue
        try:
            records.append((index, model.model_validate(raw)))
            if known is not None:
                known[id(raw)] = (raw, records[-1][1])
        except ValidationError as exc:
            for error in exc.errors():
                code, message, at_key = _message(error, model)
                line, col = doc.locate((index, *error["loc"]), at_key=at_key)
                problems.append(Problem(doc.name, line, col, code, f"{_who(kind, raw, index)}: {message}"))
    return records, problems


def _kind_of(value: object) -> str:
    """Describe a YAML value's shape in words."""
    return {dict: "a mapping", str: "text"}.get(type(value), f"a single value ({shown(value, 20)})")


# Where each kind of record refers to other records: a path ("*" = every item of a list) and the
# file the id must exist in. Walked on the raw data, so records with other errors are checked too.
REFERENCES: dict[str, tuple[tuple[tuple, str], ...]] = {
    "events": ((("sources", "*"), "sources"),
               (("actors", "*", "actor"), "actors"),
               (("actors", "*", "sources", "*"), "sources"),
               (("equipment", "*", "sources", "*"), "sources"),
               (("equipment", "*", "identified_as", "*", "system"), "systems"),
               (("equipment", "*", "identified_as", "*", "sources", "*"), "sources"),
               (("casualties", "*", "actor"), "actors"),
               (("casualties", "*", "sources", "*"), "sources")),
    "actors": ((("relations", "*", "actor"), "actors"),
               (("relations", "*", "sources", "*"), "sources")),
    "systems": ((("variant_of",), "systems"),),
    "sources": (),
}


def _walk(value: object, pattern: tuple) -> list[tuple[tuple, object]]:
    """List (path, value) for every value at `pattern` inside raw data, skipping wrong shapes."""
    # Level by level, not recursive generators: at 10,000 events this finds 160,000 references.
    found = [((), value)]
    for step in pattern:
        if step == "*":
            found = [((*path, i), item) for path, items in found if isinstance(items, list)
                     for i, item in enumerate(items)]
        else:
            found = [((*path, step), node[step]) for path, node in found
                     if isinstance(node, dict) and step in node]
    return found


def _references(kind: str, raw: object):
    """Yield (path, target file, id) for every text id a raw record refers to."""
    for pattern, target in REFERENCES[kind]:
        for path, ref in _walk(raw, pattern):
            if isinstance(ref, str):
                yield path, target, ref


def _problem(doc: Document, path: tuple, code: str, message: str, severity: str = "error") -> Problem:
    """Build a problem located at a path inside a document."""
    line, col = doc.locate(path)
    return Problem(doc.name, line, col, code, message, severity)


def _raw_ids(doc: Document):
    """Yield (index, id) for every raw record whose id is text."""
    for index, raw in enumerate(_records(doc)):
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            yield index, raw["id"]


def check_ids(kind: str, doc: Document) -> list[Problem]:
    """Report ids used twice in one file, whether or not the records are otherwise valid."""
    seen: dict[str, int] = {}
    problems = []
    for index, record_id in _raw_ids(doc):
        if record_id in seen:
            first, _ = doc.locate((seen[record_id], "id"))
            problems.append(_problem(doc, (index, "id"), "duplicate-id", f"{KIND[kind].singular} "
                                     f"'{shown(record_id)}': 'id' is already used on line {first}; "
                                     "give this record a different id"))
        else:
            seen[record_id] = index
    return problems


def check_references(docs: dict[str, Document]) -> tuple[list[Problem], dict[str, set[str]]]:
    """Report references to ids that do not exist; return the ids that are used."""
    all_ids = {kind: {i for _, i in _raw_ids(doc)} for kind, doc in docs.items()}
    problems: list[Problem] = []
    used: dict[str, set[str]] = {kind: set() for kind in docs}
    for kind, doc in docs.items():
        for index, raw in enumerate(_records(doc)):
            for path, target, ref in _references(kind, raw):
                used[target].add(ref)
                # A ref that is not a slug already has a bad-id problem; one problem is enough.
                if ref in all_ids[target] or not SLUG_RE.fullmatch(ref):
                    continue
                hint = suggest(ref, all_ids[target]) or f"; add it to {target}.yaml first"
                problems.append(_problem(doc, (index, *path), "unknown-reference",
                                         f"{_who(kind, raw, index)}: '{_dotted(path)}' refers to unknown "
                                         f"{KIND[target].singular} '{shown(ref)}'{hint}"))
    return problems, used


def check_variants(doc: Document) -> list[Problem]:
    """Report systems that are, through their parents, variants of themselves."""
    parent = {record_id: doc.data[index].get("variant_of") for index, record_id in _raw_ids(doc)}
    problems = []
    for index, record_id in _raw_ids(doc):
        seen, node = set(), record_id
        while isinstance(node, str) and parent.get(node) and node not in seen:
            seen.add(node)
            node = parent[node]
        if node == record_id and parent.get(record_id):
            problems.append(_problem(doc, (index, "variant_of"), "variant-cycle", f"system "
                                     f"'{shown(record_id)}': 'variant_of' leads back to itself through its "
                                     "parents; break the loop by fixing one 'variant_of'"))
    return problems


def check_warnings(docs: dict[str, Document], used: dict[str, set[str]]) -> list[Problem]:
    """Report unused sources, actors and systems, and records with no summary."""
    problems = []
    for kind in KINDS:
        if kind.file == "events":  # events cite the other kinds; nothing cites an event
            continue
        for index, record_id in _raw_ids(docs[kind.file]):
            if record_id not in used[kind.file]:
                problems.append(_problem(docs[kind.file], (index, "id"), f"unused-{kind.singular}",
                                         f"{kind.singular} '{shown(record_id)}' is not referred to by "
                                         "any record; cite it somewhere or remove it", "warning"))
    for kind, attr in (("events", "summary"), ("actors", "description")):
        for index, raw in enumerate(_records(docs[kind])):
            if isinstance(raw, dict) and raw.get(attr) is None:
                problems.append(_problem(docs[kind], (index,), "missing-summary",
                                         f"{_who(kind, raw, index)}: '{attr}' is missing; add a few "
                                         "sentences in your own words", "warning"))
    return problems


def _in_order(keys: list[tuple]) -> set[int]:
    """Return the positions of a longest run of keys, not necessarily adjacent, that is already in order."""
    tails: list[int] = []  # tails[k]: where the best ordered run of length k + 1 found so far ends
    tail_keys: list[tuple] = []
    before: list[int | None] = []
    for at, key in enumerate(keys):
        k = bisect.bisect_right(tail_keys, key)
        before.append(tails[k - 1] if k else None)
        tails[k:k + 1], tail_keys[k:k + 1] = [at], [key]
    kept, at = set(), tails[-1] if tails else None
    while at is not None:
        kept.add(at)
        at = before[at]
    return kept


def check_order(doc: Document, events: list[tuple[int, Event]]) -> list[Problem]:
    """Warn about events out of the file's order (oldest first, by dates.sort_key): the fewest to move."""
    dates = [parse_date(event.date) for _, event in events]
    keys = [sort_key(date, event.id) for date, (_, event) in zip(dates, events)]
    kept = _in_order(keys)
    if len(kept) == len(events):
        return []
    ordered = sorted(kept)
    ordered_keys = [keys[at] for at in ordered]
    problems = []
    for at, (index, event) in enumerate(events):
        if at in kept:
            continue
        place = bisect.bisect_right(ordered_keys, keys[at])
        side, other = ("above", ordered[place]) if place < len(ordered) else ("below", ordered[-1])
        line = doc.locate((events[other][0],))[0]
        problems.append(_problem(doc, (index, "date"), "out-of-order", f"event '{shown(event.id)}', dated "
                                 f"{dates[at].label()}, is out of order: events are listed oldest first "
                                 f"(see 'Order' on the methodology page); move it {side} event "
                                 f"'{shown(events[other][1].id)}' on line {line}", "warning"))
    return problems


def _located(events: list[tuple[int, Event]]):
    """Yield (path, what, place) for every place with coordinates in the events: each place and route stop."""
    for index, event in events:
        if event.place is not None and event.place.located:
            yield (index, "place"), f"event '{shown(event.id)}': place", event.place
        for stop, place in enumerate(event.route):
            if place.located:
                yield (index, "route", stop), f"event '{shown(event.id)}': route[{stop}]", place


def check_places(doc: Document, events: list[tuple[int, Event]]) -> list[Problem]:
    """Report located places whose point lies outside their country (see dossier/geo.py for the tolerance)."""
    located = list(_located(events))
    if not any(place.country for *_, place in located):
        return []
    from . import geo  # shapely and the shapes only when there is something to check

    problems = []
    judged = geo.check_points((place.country, place.lat, place.lon) for *_, place in located)
    for (path, what, place), outside in zip(located, judged):
        if outside is None:
            continue
        where = f"the point lies in {outside.holder}" if outside.holder else "the point lies at sea"
        fix = f"did you swap lat and lon? (lat {place.lon:g}, lon {place.lat:g} lies in {place.country})" \
            if outside.swapped else "check lat, lon and country"
        problems.append(_problem(doc, (*path, "lat"), "outside-country", f"{what} ({shown(place.name)}) at "
                                 f"lat {place.lat:g}, lon {place.lon:g} is about {outside.km:,.0f} km "
                                 f"outside {place.country} on the Natural Earth 1:110m map ({where}; border towns "
                                 f"may be up to {geo.TOLERANCE_KM:g} km out); {fix}"))
    return problems


def validate(docs: dict[str, Document], known: dict | None = None) -> tuple[Dataset, list[Problem]]:
    """Validate all documents; return the dataset of valid records and every problem found.

    `known` carries records validated before from one call to the next (see validate_records).
    """
    problems: list[Problem] = []
    valid: dict[str, list[tuple[int, Record]]] = {}
    for kind, doc in docs.items():
        valid[kind], found = validate_records(kind, doc, known)
        problems += found + check_ids(kind, doc)
    found, used = check_references(docs)
    problems += found + check_variants(docs["systems"]) + check_warnings(docs, used)
    problems += check_order(docs["events"], valid["events"]) + check_places(docs["events"], valid["events"])
    lines = {(kind, r.id): docs[kind].locate((i,))[0] for kind, records in valid.items() for i, r in records}
    dataset = Dataset(**{kind: tuple(r for _, r in records) for kind, records in valid.items()}, lines=lines)
    return dataset, tidy(problems)
