"""Read the YAML data files into plain values, keeping the line and column of every value.

PyYAML's own loaders lose positions, keep the last of duplicate keys, expand
aliases without limit and turn `2025-01-17` into a date object. This module
builds values from the parser's event stream instead, so that each of those
becomes a located problem rather than a silent change or a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem

try:  # libyaml's C parser is many times faster; fall back where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_BYTES = 64 * 1024 * 1024
FILES = ("sources", "actors", "systems", "events")
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_STR = "tag:yaml.org,2002:str"


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1 implicit types minus timestamps and yes/no/on/off booleans."""


_Resolver.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
        and not (tag == "tag:yaml.org,2002:bool" and regexp.match("yes"))
    ]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_RESOLVER = _Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """One data file's values with the position of every key and value."""

    path: Path
    name: str
    data: object = None
    # id(container) -> {key or index: (line, col)}; the containers stay alive in `data`.
    value_marks: dict[int, dict] = field(default_factory=dict)
    key_marks: dict[int, dict] = field(default_factory=dict)
    starts: dict[int, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: tuple, at_key: bool = False) -> tuple[int, int]:
        """Return the (line, col) of the value at `path`, or of the nearest container that exists."""
        node, pos = self.data, (1, 1)
        pos = self.starts.get(id(node), pos)
        for i, step in enumerate(path):
            marks = self.value_marks.get(id(node))
            if marks is None or step not in marks:
                return pos
            last = i == len(path) - 1
            if last and at_key and step in self.key_marks.get(id(node), {}):
                return self.key_marks[id(node)][step]
            pos = marks[step]
            node = node[step]
        return pos


def _mark(event: yaml.Event) -> tuple[int, int]:
    """Turn a 0-based PyYAML mark into a 1-based (line, col)."""
    return event.start_mark.line + 1, event.start_mark.column + 1


def _scalar(event: yaml.ScalarEvent) -> object:
    """Resolve a scalar to str, int, float, bool or None; dates stay text."""
    if not event.implicit[0]:
        return event.value
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
    if tag == _STR:
        return event.value
    node = yaml.ScalarNode(tag, event.value)
    return _CONSTRUCTOR.construct_object(node, deep=True)


class _Builder:
    """Build plain values from parser events, recording positions and problems."""

    def __init__(self, doc: Document, problems: list[Problem]):
        """Start building into `doc`, appending problems to `problems`."""
        self.doc, self.problems = doc, problems

    def problem(self, event: yaml.Event, code: str, message: str) -> None:
        """Record a problem at an event's position."""
        line, col = _mark(event)
        self.problems.append(Problem(self.doc.name, line, col, code, message))

    def check_event(self, event: yaml.Event) -> bool:
        """Refuse aliases, anchors and explicit tags; return False if the event is refused."""
        if isinstance(event, yaml.AliasEvent):
            self.problem(event, "yaml-alias", f"alias '*{event.anchor}' is not allowed; "
                         "write the value out in full (aliases can expand without limit)")
            return False
        if getattr(event, "anchor", None):
            self.problem(event, "yaml-alias", f"anchor '&{event.anchor}' is not allowed; "
                         "remove it and write repeated values out in full")
        tag = getattr(event, "tag", None)
        if tag and tag not in ("!", _STR) and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
            self.problem(event, "yaml-tag", f"explicit tag '{tag}' is not allowed; remove it")
        return True

    def value(self, event: yaml.Event, events) -> object:
        """Build the value that starts with `event`, consuming its children from `events`."""
        if not self.check_event(event):
            return None
        if isinstance(event, yaml.ScalarEvent):
            return _scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(event, events)
        return self.mapping(event, events)

    def sequence(self, start: yaml.Event, events) -> list:
        """Build a list and the positions of its items."""
        out: list = []
        marks: dict[int, tuple[int, int]] = {}
        self.doc.value_marks[id(out)] = marks
        self.doc.starts[id(out)] = _mark(start)
        for event in events:
            if isinstance(event, yaml.SequenceEndEvent):
                break
            marks[len(out)] = _mark(event)
            out.append(self.value(event, events))
        return out

    def mapping(self, start: yaml.Event, events) -> dict:
        """Build a dict, refusing duplicate and non-text keys."""
        out: dict = {}
        marks: dict = {}
        keys: dict = {}
        self.doc.value_marks[id(out)] = marks
        self.doc.key_marks[id(out)] = keys
        self.doc.starts[id(out)] = _mark(start)
        for key_event in events:
            if isinstance(key_event, yaml.MappingEndEvent):
                break
            key = self.value(key_event, events)
            value_event = next(events)
            value = self.value(value_event, events)
            if not isinstance(key, str):
                self.problem(key_event, "wrong-type", f"key {key!r} is not a field name; "
                             "field names are plain words such as 'title'")
                continue
            if key in out:
                line, _ = keys[key]
                self.problem(key_event, "duplicate-key", f"key '{key}' appears twice in this mapping "
                             f"(first on line {line}); keep one and delete the other")
                continue
            keys[key] = _mark(key_event)
            marks[key] = _mark(value_event)
            out[key] = value
        return out


def _decode(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    """Decode UTF-8, reporting the position of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(Problem(name, line, col, "not-utf8", f"byte 0x{raw[exc.start]:02x} is not "
                                "valid UTF-8; save the file as UTF-8"))
        return None


def _tabs(text: str, name: str, problems: list[Problem]) -> bool:
    """Report every line indented with a tab; return True if there were any."""
    found = False
    for m in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.end() - m.start()
        problems.append(Problem(name, line, col, "tab-indent", "indentation uses a tab; "
                                "YAML needs spaces: replace the tab with spaces"))
        found = True
    return found


def parse_text(text: str, name: str, path: Path | None = None) -> tuple[Document, list[Problem]]:
    """Parse YAML text into a Document; problems are returned, never raised."""
    problems: list[Problem] = []
    doc = Document(path or Path(name), name)
    if _tabs(text, name, problems):
        return doc, problems
    builder = _Builder(doc, problems)
    try:
        events = iter(yaml.parse(text, Loader=_Loader))
        for event in events:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.ScalarEvent,
                                  yaml.AliasEvent)):
                if doc.data is not None:
                    builder.problem(event, "yaml-syntax", "a second YAML document is not allowed; "
                                    "remove the '---' line")
                    break
                doc.data = builder.value(event, events)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(Problem(name, line, col, "yaml-syntax",
                                f"{exc.problem or exc.context}; check the indentation and quoting here"))
    except yaml.YAMLError as exc:  # reader errors such as control characters
        problems.append(Problem(name, 1, 1, "yaml-syntax", f"{exc}; remove the offending character"))
    if doc.data is None:
        doc.data = []
    return doc, problems


def load_file(path: Path, name: str, max_bytes: int = MAX_BYTES) -> tuple[Document, list[Problem]]:
    """Read, decode and parse one data file, reporting every problem found."""
    if not path.is_file():
        return Document(path, name, []), [Problem(name, 1, 1, "missing-file", f"{path} does not exist; "
                                                  "create it with a YAML list of records (it may be '[]')")]
    size = path.stat().st_size
    if size > max_bytes:
        return Document(path, name, []), [Problem(name, 1, 1, "file-too-large", f"file is {size} bytes, "
                                                  f"over the cap of {max_bytes}; split it or raise the cap")]
    problems: list[Problem] = []
    text = _decode(path.read_bytes(), name, problems)
    if text is None:
        return Document(path, name, []), problems
    return parse_text(text, name, path)


def load_dir(data_dir: Path, display: str | None = None) -> tuple[dict[str, Document], list[Problem]]:
    """Load the four data files of a data directory."""
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
    prefix = display if display is not None else str(data_dir)
    for kind in FILES:
        name = f"{prefix.rstrip('/')}/{kind}.yaml" if prefix else f"{kind}.yaml"
        doc, found = load_file(data_dir / f"{kind}.yaml", name)
        docs[kind] = doc
        problems.extend(found)
    return docs, problems
