"""Read the YAML data files into plain values, keeping the line and column of every value.

PyYAML's own loaders lose positions, keep the last of duplicate keys, expand
aliases without limit and turn `2025-01-17` into a date object. This module
builds values from the parser's event stream instead, so that each of those
becomes a located problem rather than a silent change or a traceback.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem, shown
from .schema import KINDS

try:  # libyaml's C parser is many times faster; fall back where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_BYTES = 64 * 1024 * 1024
# The deepest record (event > equipment > identification > quantity) is under ten levels;
# the cap keeps hostile nesting from exhausting Python's recursion limit.
MAX_DEPTH = 32
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_RECORD_START = re.compile(r"^-(?=[ \r\n]|$)", re.MULTILINE)
# Anything at column 0 other than a record's "- ", a comment or a blank line: the file is not a plain
# list of records, and the preview (dossier/preview.py) reads it whole instead of record by record.
# (After a newline rather than at `^`: a search for a character is ten times faster, and the first
# line is checked with what comes before the first record.)
_IRREGULAR = re.compile(r"\n(?![ #\r\n]|-(?:[ \r\n]|$)).")
_COMMENTS_ONLY = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:#[^\n]*)?")
_STR = "tag:yaml.org,2002:str"
# YAML 1.1 resolves `<<` and `=` to tags SafeConstructor cannot build; the dossier reads them as text.
_AS_TEXT = (_STR, "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
_OPEN, _CLOSE = (yaml.SequenceStartEvent, yaml.MappingStartEvent), (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_SCALAR, _SEQ_END, _MAP_END = yaml.ScalarEvent, yaml.SequenceEndEvent, yaml.MappingEndEvent


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
    return _plain(event.value) if event.implicit[0] else event.value


@functools.lru_cache(maxsize=65536)  # kinds, roles, ids and numbers repeat across records
def _plain(value: str) -> object:
    """Resolve an unquoted scalar's text to the value YAML 1.1 gives it (all immutable, so cacheable)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag in _AS_TEXT:
        return value
    try:
        # The tag's constructor directly: construct_object would keep every node it ever built.
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except (yaml.YAMLError, ValueError, KeyError):  # the resolver and constructor disagree: keep the text
        return value


class _Builder:
    """Build plain values from parser events, recording positions and problems."""

    def __init__(self, doc: Document, problems: list[Problem], next_event):
        """Start building into `doc` from the parser's `next_event`, appending problems to `problems`."""
        self.doc, self.problems, self.next_event = doc, problems, next_event
        self.depth = 0

    def problem(self, event: yaml.Event, code: str, message: str) -> None:
        """Record a problem at an event's position."""
        line, col = _mark(event)
        self.problems.append(Problem(self.doc.name, line, col, code, message))

    def check_event(self, event: yaml.Event) -> bool:
        """Refuse aliases, anchors and explicit tags; return False if the event is refused."""
        if isinstance(event, yaml.AliasEvent):
            self.problem(event, "yaml-alias", f"alias '*{shown(event.anchor)}' is not allowed; "
                         "write the value out in full (aliases can expand without limit)")
            return False
        if getattr(event, "anchor", None):
            self.problem(event, "yaml-alias", f"anchor '&{shown(event.anchor)}' is not allowed; "
                         "remove it and write repeated values out in full")
        tag = getattr(event, "tag", None)
        if tag and tag not in ("!", _STR) and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
            self.problem(event, "yaml-tag", f"explicit tag '{shown(tag)}' is not allowed; remove it")
        return True

    def value(self, event: yaml.Event) -> object:
        """Build the value that starts with `event`, consuming its children."""
        if event.__class__ is _SCALAR and event.tag is None and event.anchor is None:  # almost every value
            return _plain(event.value) if event.implicit[0] else event.value
        if not self.check_event(event):
            return None
        if isinstance(event, yaml.ScalarEvent):
            return _scalar(event)
        if self.depth >= MAX_DEPTH:
            self.problem(event, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep; "
                         "no field of the data model nests this far: flatten the value")
            self.skip()
            return None
        self.depth += 1
        build = self.sequence if isinstance(event, yaml.SequenceStartEvent) else self.mapping
        value = build(event)
        self.depth -= 1
        return value

    def skip(self) -> None:
        """Consume the events of a container whose start was just read, without recursion."""
        depth = 1
        while depth:
            event = self.next_event()
            depth += isinstance(event, _OPEN) - isinstance(event, _CLOSE)

    def track(self, out: list | dict, start: yaml.Event, marks: dict, keys: dict | None = None) -> None:
        """Register a new container's marks (and its keys')."""
        self.doc.value_marks[id(out)] = marks
        if keys is not None:
            self.doc.key_marks[id(out)] = keys
        self.doc.starts[id(out)] = _mark(start)

    def sequence(self, start: yaml.Event) -> list:
        """Build a list and the positions of its items."""
        out: list = []
        marks: dict[int, tuple[int, int]] = {}
        self.track(out, start, marks)
        next_event = self.next_event
        while True:
            event = next_event()
            if event.__class__ is _SEQ_END:
                return out
            mark = event.start_mark
            marks[len(out)] = (mark.line + 1, mark.column + 1)
            out.append(self.value(event))

    def mapping(self, start: yaml.Event) -> dict:
        """Build a dict, refusing duplicate and non-text keys."""
        out: dict = {}
        marks: dict = {}
        keys: dict = {}
        self.track(out, start, marks, keys)
        next_event = self.next_event
        while True:
            key_event = next_event()
            if key_event.__class__ is _MAP_END:
                return out
            key = self.value(key_event)
            value_event = next_event()
            value = self.value(value_event)
            if not isinstance(key, str):
                self.problem(key_event, "wrong-type", f"key {shown(repr(key))} is not a field name; "
                             "field names are plain words such as 'title'")
                continue
            if key in out:
                line, _ = keys[key]
                self.problem(key_event, "duplicate-key", f"key '{shown(key)}' appears twice in this mapping "
                             f"(first on line {line}); keep one and delete the other")
                continue
            mark = key_event.start_mark
            keys[key] = (mark.line + 1, mark.column + 1)
            mark = value_event.start_mark
            marks[key] = (mark.line + 1, mark.column + 1)
            out[key] = value


def decode(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    """Decode UTF-8, reporting the position of the first bad byte."""
    try:
        # Not the utf-8-sig codec: its error offsets leave out the byte-order mark.
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Count characters, as editors do, not bytes: 'é' before the bad byte is one column.
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8-sig", "replace")) + 1
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


# Fix-it hints for libyaml's commonest complaints.
_HINTS = {
    "mapping values are not allowed in this context":
        "check the indentation, and quote text that contains ': ', as in title: \"Mali: the convoy\"",
    "found character that cannot start any token":
        "text that starts with ` @ or % must be quoted",
    "found unknown escape character":
        "inside double quotes a backslash starts an escape: write \\\\ or use single quotes",
    "found unexpected end of stream":
        "a quote or bracket opened here is never closed; close it",
}


def _build(loader, doc: Document, problems: list[Problem]) -> None:
    """Build the first document's value; refuse a second document."""
    builder = _Builder(doc, problems, loader.get_event)
    seen = False
    while True:
        event = loader.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return
        if isinstance(event, (*_OPEN, yaml.ScalarEvent, yaml.AliasEvent)):
            if seen:
                builder.problem(event, "yaml-syntax", "a second YAML document is not allowed; "
                                "remove the '---' line and merge the lists")
                return
            seen = True
            doc.data = builder.value(event)


def _position(text: str, index: int, in_bytes: bool = False) -> tuple[int, int]:
    """Turn a character index (or a UTF-8 byte index) into a 1-based (line, col)."""
    if in_bytes:
        index = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def parse_text(text: str, name: str, path: Path | None = None) -> tuple[Document, list[Problem]]:
    """Parse YAML text into a Document; problems are returned, never raised."""
    # Complexity C (radon): one `except` per kind of error PyYAML raises, each a located problem.
    problems: list[Problem] = []
    doc = Document(path or Path(name), name)
    if _tabs(text, name, problems):  # parsing would only add confusing follow-on errors
        doc.data = []
        return doc, problems
    loader = None
    try:
        loader = _Loader(text)  # inside the try: a lone surrogate fails here, as UTF-8 is encoded
        _build(loader, doc, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in str(exc.problem):  # point at what was left open
            mark = exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(Problem(name, line, col, "yaml-syntax", f"{exc.problem or exc.context}; "
                                f"{_HINTS.get(exc.problem, 'check the indentation and quoting here')}"))
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, such as a control character
        # libyaml counts UTF-8 bytes, PyYAML's own reader characters.
        line, col = _position(text, exc.position, in_bytes=_Loader.__name__.startswith("C"))
        problems.append(Problem(name, line, col, "yaml-syntax", f"character #x{exc.character:04x} is not "
                                f"allowed in YAML ({exc.reason}); delete it"))
    except UnicodeEncodeError as exc:  # a lone surrogate: text that never came from a UTF-8 file
        line, col = _position(text, exc.start)
        problems.append(Problem(name, line, col, "not-utf8", f"character {shown(repr(exc.object[exc.start]))} "
                                "cannot be saved as UTF-8; delete it"))
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises only the two kinds above
        problems.append(Problem(name, 1, 1, "yaml-syntax", f"{exc}; check the file"))
    finally:
        if loader is not None:
            loader.dispose()
    if doc.data is None:
        doc.data = []
    return doc, problems


def record_starts(text: str) -> list[int] | None:
    """Return where each top-level record of a data file starts, or None if the file is not a plain list."""
    first = _RECORD_START.search(text)
    if first is None or not _COMMENTS_ONLY.fullmatch(text, 0, first.start()) or _IRREGULAR.search(text):
        return None
    return [m.start() for m in _RECORD_START.finditer(text)]


def load_file(path: Path, name: str, max_bytes: int = MAX_BYTES) -> tuple[Document, list[Problem]]:
    """Read, decode and parse one data file, reporting every problem found."""
    if not path.is_file():
        return Document(path, name, []), [Problem(name, 1, 1, "missing-file", f"{path} does not exist; "
                                                  "create it with a list of records, each starting '- id: ...'")]
    size = path.stat().st_size
    if size > max_bytes:
        return Document(path, name, []), [Problem(name, 1, 1, "file-too-large", f"file is {size} bytes, "
                                                  f"over the cap of {max_bytes}; split it or raise the cap")]
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Document(path, name, []), [Problem(name, 1, 1, "missing-file", f"{path} cannot be read "
                                                  f"({exc.strerror}); check its permissions")]
    text = decode(raw, name, problems)
    if text is None:
        return Document(path, name, []), problems
    doc, problems = parse_text(text, name, path)
    return doc, problems or _empty(doc, text)


def _empty(doc: Document, text: str) -> list[Problem]:
    """Refuse a file that read cleanly but holds no record: one careless commit must not empty the dossier."""
    if not isinstance(doc.data, list) or doc.data:
        return []
    # At the '[]' or 'null' when there is one (a comment may come first), else at the top of the file.
    line, col = doc.locate(()) if id(doc.data) in doc.starts else _content(text)
    return [Problem(doc.name, line, col, "empty-file", "the file holds no records, so nothing of it would be "
                    "published; restore its records (git checkout undoes a deletion) or add one starting "
                    "with '- id: ...'")]


def _content(text: str) -> tuple[int, int]:
    """Return where the first thing that is not a comment or blank stands, or (1, 1) if there is none."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return number, len(line) - len(stripped) + 1
    return 1, 1


def file_name(prefix: str, kind: str) -> str:
    """Return how problems name a kind's data file: under the directory as shown to the user."""
    return f"{prefix.rstrip('/')}/{kind}.yaml" if prefix else f"{kind}.yaml"


def load_dir(data_dir: Path, display: str | None = None,
             max_bytes: int = MAX_BYTES) -> tuple[dict[str, Document], list[Problem]]:
    """Load the four data files of a data directory."""
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
    prefix = display if display is not None else str(data_dir)
    for kind in KINDS:
        name = file_name(prefix, kind.file)
        doc, found = load_file(data_dir / f"{kind.file}.yaml", name, max_bytes)
        docs[kind.file] = doc
        problems.extend(found)
    return docs, problems
