"""Check loaded documents against the data model and each other; report every problem at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from pydantic import ValidationError

from .errors import Problem
from .load import Document
from .schema import MODELS, Actor, Event, Record, Source, System

_TYPE_ERRORS = {"string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type",
                "model_type", "model_attributes_type", "int_from_float", "string_sub_type"}
_WORDS = {"string_type": "text", "int_type": "a whole number", "float_type": "a number",
          "bool_type": "true or false", "list_type": "a list", "dict_type": "a mapping",
          "model_type": "a mapping", "model_attributes_type": "a mapping",
          "int_from_float": "a whole number"}


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
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _dotted(loc: tuple) -> str:
    """Render a field path like equipment[0].quantity."""
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(record)"


def _model_at(model: type[Record], loc: tuple) -> type[Record]:
    """Find the model class that owns the last field of `loc`, to list its valid fields."""
    for step in loc:
        if isinstance(step, int):
            continue
        annotation = model.model_fields.get(step)
        if annotation is None:
            break
        found = _nested_model(annotation.annotation)
        if found is None:
            break
        model = found
    return model


def _nested_model(annotation) -> type[Record] | None:
    """Return the Record class inside an annotation such as list[X] or X | None."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _nested_model(arg)
        if found:
            return found
    meta = getattr(annotation, "__origin__", None)
    return _nested_model(meta) if meta and meta is not annotation else None


def _message(error: dict, model: type[Record]) -> tuple[str, str, bool]:
    """Turn one pydantic error into (code, fix-it message, whether to point at the key)."""
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
        help_text = _model_at(model, loc[:-1]).model_fields[name].description or ""
        return code, f"required field '{field}' is missing; add it ({help_text})", False
    if kind == "too_short" and name == "sources":
        return "no-source", f"'{field}' is empty; cite at least one source id from sources.yaml", False
    if kind == "literal_error":
        expected = error["ctx"]["expected"].replace("'", "").replace(" or ", ", ").split(", ")
        hint = suggest(error["input"], expected) or f"; choose one of: {', '.join(expected)}"
        return "invalid-choice", f"'{field}' is '{error['input']}', not an allowed value{hint}", False
    if kind in _TYPE_ERRORS:
        want = _WORDS.get(kind, "another type")
        return "wrong-type", f"'{field}' should be {want}, not {type(error['input']).__name__} " \
                             f"{str(error['input'])[:40]!r}; fix the value's type", False
    if kind == "string_pattern_mismatch":
        return "invalid-value", f"'{field}' is '{error['input']}', which does not match " \
                                f"{error['ctx']['pattern']}; fix its format", False
    if kind.startswith(("bad-", "future-", "span-")):
        return kind, f"'{field}': {error['msg']}", False
    return "invalid-value", f"'{field}': {error['msg']}; fix the value", False


def _record_id(raw: object, index: int) -> str:
    """Name a record by its id, or by its position when it has none."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"'{raw['id']}'"
    return f"#{index + 1}"


def validate_records(kind: str, doc: Document) -> tuple[list[tuple[int, Record]], list[Problem]]:
    """Validate each record of one document against its model; keep each valid one with its index."""
    model = MODELS[kind]
    records: list[tuple[int, Record]] = []
    problems: list[Problem] = []
    if not isinstance(doc.data, list):
        line, col = doc.locate(())
        problems.append(Problem(doc.name, line, col, "not-a-list", "the file must be a YAML list of "
                                "records, each starting with '- id: ...'"))
        return records, problems
    singular = kind.rstrip("s")
    for index, raw in enumerate(doc.data):
        try:
            records.append((index, model.model_validate(raw)))
        except ValidationError as exc:
            for error in exc.errors():
                code, message, at_key = _message(error, model)
                line, col = doc.locate((index, *error["loc"]), at_key=at_key)
                problems.append(Problem(doc.name, line, col, code,
                                        f"{singular} {_record_id(raw, index)}: {message}"))
    return records, problems


def _references(kind: str, record: Record):
    """Yield (path, target file, id) for every id a record refers to."""
    if isinstance(record, Event):
        yield from ((("sources", i), "sources", s) for i, s in enumerate(record.sources))
        for i, role in enumerate(record.actors):
            yield ("actors", i, "actor"), "actors", role.actor
            yield from ((("actors", i, "sources", j), "sources", s) for j, s in enumerate(role.sources))
        for i, item in enumerate(record.equipment):
            yield from ((("equipment", i, "sources", j), "sources", s) for j, s in enumerate(item.sources))
            for j, ident in enumerate(item.identified_as):
                yield ("equipment", i, "identified_as", j, "system"), "systems", ident.system
                yield from ((("equipment", i, "identified_as", j, "sources", k), "sources", s)
                            for k, s in enumerate(ident.sources))
        for i, cas in enumerate(record.casualties):
            if cas.actor:
                yield ("casualties", i, "actor"), "actors", cas.actor
            yield from ((("casualties", i, "sources", j), "sources", s) for j, s in enumerate(cas.sources))
    elif isinstance(record, Actor):
        for i, rel in enumerate(record.relations):
            yield ("relations", i, "actor"), "actors", rel.actor
            yield from ((("relations", i, "sources", j), "sources", s) for j, s in enumerate(rel.sources))
    elif isinstance(record, System) and record.variant_of:
        yield ("variant_of",), "systems", record.variant_of


def _problem(doc: Document, path: tuple, code: str, message: str, severity: str = "error") -> Problem:
    """Build a problem located at a path inside a document."""
    line, col = doc.locate(path)
    return Problem(doc.name, line, col, code, message, severity)


def check_ids(kind: str, doc: Document, records: list[tuple[int, Record]]) -> list[Problem]:
    """Report ids used twice in one file."""
    seen: dict[str, int] = {}
    problems = []
    for index, record in records:
        if record.id in seen:
            first, _ = doc.locate((seen[record.id], "id"))
            problems.append(_problem(doc, (index, "id"), "duplicate-id", f"id '{record.id}' is already "
                                     f"used on line {first}; give this record a different id"))
        else:
            seen[record.id] = index
    return problems


def check_references(docs: dict[str, Document], valid: dict[str, list[tuple[int, Record]]],
                     all_ids: dict[str, set[str]]) -> tuple[list[Problem], dict[str, set[str]]]:
    """Report references to ids that do not exist; return the ids that are used."""
    problems: list[Problem] = []
    used: dict[str, set[str]] = {kind: set() for kind in valid}
    for kind, records in valid.items():
        for index, record in records:
            for path, target, ref in _references(kind, record):
                used[target].add(ref)
                if ref not in all_ids[target]:
                    hint = suggest(ref, all_ids[target]) or f"; add it to {target}.yaml first"
                    problems.append(_problem(docs[kind], (index, *path), "unknown-reference",
                                             f"{kind.rstrip('s')} '{record.id}': '{_dotted(path)}' "
                                             f"refers to unknown {target.rstrip('s')} '{ref}'{hint}"))
    return problems, used


def check_variants(doc: Document, records: list[tuple[int, Record]]) -> list[Problem]:
    """Report systems that are, through their parents, variants of themselves."""
    parent = {r.id: r.variant_of for _, r in records}
    problems = []
    for index, record in records:
        seen, node = set(), record.id
        while node in parent and parent[node] and node not in seen:
            seen.add(node)
            node = parent[node]
        if node == record.id and record.variant_of:
            problems.append(_problem(doc, (index, "variant_of"), "variant-cycle", f"system "
                                     f"'{record.id}' is a variant of itself through its parents; "
                                     "break the loop by fixing one 'variant_of'"))
    return problems


def check_warnings(docs: dict[str, Document], valid: dict[str, list[tuple[int, Record]]],
                   used: dict[str, set[str]]) -> list[Problem]:
    """Report unused sources, actors and systems, and records with no summary."""
    problems = []
    for kind in ("sources", "actors", "systems"):
        for index, record in valid[kind]:
            if record.id not in used[kind]:
                problems.append(_problem(docs[kind], (index, "id"), f"unused-{kind.rstrip('s')}",
                                         f"{kind.rstrip('s')} '{record.id}' is not referred to by any "
                                         "record; cite it somewhere or remove it", "warning"))
    for kind, attr in (("events", "summary"), ("actors", "description")):
        for index, record in valid[kind]:
            if getattr(record, attr) is None:
                problems.append(_problem(docs[kind], (index,), "missing-summary",
                                         f"{kind.rstrip('s')} '{record.id}' has no {attr}; add a "
                                         "few sentences in your own words", "warning"))
    return problems


def validate(docs: dict[str, Document]) -> tuple[Dataset, list[Problem]]:
    """Validate all documents; return the dataset of valid records and every problem found."""
    problems: list[Problem] = []
    valid: dict[str, list[tuple[int, Record]]] = {}
    for kind, doc in docs.items():
        records, found = validate_records(kind, doc)
        valid[kind] = records
        problems += found + check_ids(kind, doc, records)
    all_ids = {kind: {r.id for _, r in records} for kind, records in valid.items()}
    found, used = check_references(docs, valid, all_ids)
    problems += found + check_variants(docs["systems"], valid["systems"])
    problems += check_warnings(docs, valid, used)
    lines = {(kind, r.id): docs[kind].locate((i,))[0] for kind, records in valid.items() for i, r in records}
    dataset = Dataset(**{kind: tuple(r for _, r in records) for kind, records in valid.items()}, lines=lines)
    return dataset, problems
