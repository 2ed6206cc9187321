"""The history stage: when each record was first published and last changed, and what each commit changed.

Computed from git in one pass over the data files' history:

1. `git log --first-parent --raw` lists, oldest first, each commit of the main line that
   changed a data file, with the blob of each changed file (a merge counts as one change,
   against its first parent: when the change reached the main line);
2. `git cat-file --batch`, one process for the whole walk, hands over those blobs;
3. each new blob is compared with the file's previous one here, not by `git diff`: the
   common start and end are skipped by comparing bytes, and what is left is cut again
   at a record found in both, so that only the records around each edit are split out
   and keyed by id. A record present on one side only was added or removed; a record
   whose text differs is parsed on both sides (`load.parse_text`) and its fields compared.

`git log -p` or `git blame` would make git diff every version of every file line by line:
at 10,000 events (a 12.6 MB events.yaml) and 300 commits that took git 16 s of CPU,
against under 2 s for reading the same blobs (see bench/README.md).

Dates are commit dates (the committer's, in UTC), never the build's: the same commit
gives the same pages. Records edited in the working tree but not committed are shown as
"not yet committed"; the "what changed" page lists commits only. Outside a git
checkout, or in a shallow clone, the history is unavailable: the build goes on, the
pages say so and a line is logged.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

from .dates import parse_date
from .load import parse_text
from .schema import KIND, KINDS, Quantity

log = logging.getLogger(__name__)

PAGE_COMMITS = 100  # commits on the "what changed" page; the repository has the rest
FEED_COMMITS = 50
LISTED = 25  # records named per commit and action; the others are counted
_SMALL = 1 << 16  # a differing stretch below this is split into records as it is
_START = re.compile(rb"^-(?=[ \r\n]|$)", re.MULTILINE)  # a record's "- " at column 0 (as load.py)
_ID = re.compile(rb"^(?:- |  )id:[ \t]*(\"[^\"\n]*\"|'[^'\n]*'|[^\s#]+)", re.MULTILINE)
_RAW = re.compile(r"^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) [A-Z]\d*\t(.*)$")
_NO_BLOB = re.compile(r"^0+$")
_QUANTITIES = {"quantity": "quantity", "killed": "killed", "wounded": "wounded", "captured": "captured or missing"}
_PROSE = {"summary", "description", "note"}
_ORDER = {kind.file: n for n, kind in enumerate(KINDS)}  # a commit's changes in load order


@dataclass(frozen=True)
class Commit:
    """A commit of the main line: its id, its date (seconds since the epoch, UTC) and subject."""

    sha: str
    when: int
    subject: str

    @functools.cached_property
    def day(self) -> dt.date:
        """Return the commit's day, in UTC."""
        return dt.datetime.fromtimestamp(self.when, dt.timezone.utc).date()

    @functools.cached_property
    def label(self) -> str:
        """Return the day for readers: '5 April 2026'."""
        return parse_date(self.day.isoformat()).label()

    @property
    def short(self) -> str:
        """Return the abbreviated id shown to readers and in citations."""
        return self.sha[:12]


@dataclass
class Version:
    """A record's history: the commit that first published it, the last that changed it."""

    first: Commit | None = None
    last: Commit | None = None
    uncommitted: bool = False  # the working tree changes it (or adds it) since the last commit


@dataclass(frozen=True)
class Change:
    """One record in one commit: added, removed, or changed (with its changes in words)."""

    kind: str
    id: str
    action: str  # added, removed, changed
    label: str  # the record as it read then: a title or name
    details: tuple[str, ...] = ()
    text: bytes | None = field(default=None, repr=False, compare=False)  # an added record's text, to name it

    @property
    def noun(self) -> str:
        """Return how readers name one record of its kind: 'event', 'actor', 'system' or 'source'."""
        return KIND[self.kind].singular


@dataclass(frozen=True)
class Entry:
    """One commit on the "what changed" page, with its changes."""

    commit: Commit
    changes: tuple[Change, ...]

    def of(self, action: str) -> list[Change]:
        """Return the changes of one action (added, changed, removed)."""
        return [c for c in self.changes if c.action == action]


@dataclass
class History:
    """The history of every record, and the commits that changed the data, newest first."""

    available: bool
    note: str = ""  # why it is unavailable
    path: str = ""  # the data folder inside the repository, '' at its root
    versions: dict[tuple[str, str], Version] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    repo: str = ""  # the repository's address (repo_url in mkdocs.yml), '' when unknown

    def version(self, kind: str, record_id: str) -> Version | None:
        """Return a record's history, or None when it is unavailable."""
        if not self.available:
            return None
        return self.versions.get((kind, record_id)) or Version(uncommitted=True)

    def file(self, kind: str) -> str:
        """Return the repository path of a kind's data file."""
        return f"{self.path}{kind}.yaml"


UNAVAILABLE = History(False, "not computed from git")
ROOT = Path(__file__).resolve().parent.parent
_REPO_LINE = re.compile(r"^repo_url:\s*['\"]?(https?://[^'\"\s#]+)", re.MULTILINE)


def repo_url() -> str:
    """Return the repository's address from mkdocs.yml (repo_url), without a final '/', or ''."""
    config = ROOT / "mkdocs.yml"
    found = _REPO_LINE.search(config.read_text(encoding="utf-8")) if config.is_file() else None
    return found.group(1).rstrip("/") if found else ""


def of(dossier) -> History:
    """Return the dossier's history (unavailable when the build did not compute one)."""
    return getattr(dossier, "history", None) or UNAVAILABLE


def dates(dossier, kind: str, record_id: str) -> dict[str, str]:
    """Return a record's first and last change dates (ISO) for the exports; none when unknown or uncommitted."""
    version = of(dossier).version(kind, record_id)
    if version is None or version.first is None:
        return {}
    out = {"first_published": version.first.day.isoformat()}
    return out if version.uncommitted else out | {"last_changed": version.last.day.isoformat()}


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a git command and return its result (bytes)."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=600, check=False)


def _repository(data_dir: Path) -> tuple[Path, str, str]:
    """Return the repository root, the data folder's path inside it and HEAD; raise LookupError when unusable."""
    done = _git(["rev-parse", "--is-shallow-repository", "--show-toplevel", "--show-prefix", "HEAD"], data_dir)
    lines = done.stdout.decode("utf-8", "replace").split("\n")
    if done.returncode != 0 or len(lines) < 4:
        raise LookupError("the data folder is not in a git checkout with a commit")
    if lines[0] == "true":
        raise LookupError("the checkout is shallow: its full history is needed")
    return Path(lines[1]), lines[2], lines[3]


def _log(root: Path, paths: list[str]) -> list[tuple[Commit, dict[str, str]]]:
    """List the main line's commits that changed the data files, oldest first, with each file's new blob."""
    done = _git(["-c", "core.quotePath=false", "log", "--first-parent", "--diff-merges=first-parent", "--raw",
                 "--no-renames", "--no-abbrev", "--reverse", "--no-show-signature", "--format=%x01%H %ct %s",
                 "--", *paths], root)
    if done.returncode != 0:
        raise LookupError("git log failed: " + done.stderr.decode("utf-8", "replace").strip()[:200])
    commits: list[tuple[Commit, dict[str, str]]] = []
    for line in done.stdout.decode("utf-8", "replace").split("\n"):
        if line.startswith("\x01"):
            sha, when, *subject = line[1:].split(" ", 2)
            commits.append((Commit(sha, int(when), subject[0] if subject else ""), {}))
        elif commits and (m := _RAW.match(line)):
            commits[-1][1][m.group(2)] = m.group(1)
    return commits


class _Blobs:
    """Blobs read through one `git cat-file --batch` process."""

    def __init__(self, root: Path):
        """Start the process."""
        self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def read(self, sha: str) -> bytes:
        """Return a blob's bytes (empty for a deleted file)."""
        if _NO_BLOB.match(sha):
            return b""
        self.proc.stdin.write(sha.encode() + b"\n")
        self.proc.stdin.flush()
        head = self.proc.stdout.readline().split()
        if len(head) != 3:
            raise LookupError(f"git cat-file could not read blob {sha}")
        data = self.proc.stdout.read(int(head[2]))
        self.proc.stdout.read(1)  # the newline after each blob
        return data

    def close(self) -> None:
        """End the process."""
        self.proc.stdin.close()
        self.proc.stdout.close()
        self.proc.wait()


def _prefix(a: bytes, b: bytes, i: int, j: int, limit: int) -> int:
    """Return the length of the common start of a[i:] and b[j:], at most `limit` (compared by blocks)."""
    n, step = 0, _SMALL
    while n < limit:
        k = min(step, limit - n)
        if a[i + n:i + n + k] == b[j + n:j + n + k]:
            n += k
        elif k > 64:
            step = k // 8
        else:
            while n < limit and a[i + n] == b[j + n]:
                n += 1
            return n
    return n


def _suffix(a: bytes, b: bytes, i: int, j: int, limit: int) -> int:
    """Return the length of the common end of a[:i] and b[:j], at most `limit`."""
    n, step = 0, _SMALL
    while n < limit:
        k = min(step, limit - n)
        if a[i - n - k:i - n] == b[j - n - k:j - n]:
            n += k
        elif k > 64:
            step = k // 8
        else:
            while n < limit and a[i - n - 1] == b[j - n - 1]:
                n += 1
            return n
    return n


def _is_start(t: bytes, x: int) -> bool:
    """Say whether a record starts at t[x]: a '-' at column 0 followed by a space or the line's end."""
    return t[x:x + 1] == b"-" and (x == 0 or t[x - 1:x] == b"\n") and t[x + 1:x + 2] in (b" ", b"\n", b"\r", b"")


def _start_before(t: bytes, lo: int, at: int) -> int:
    """Return the last record start in t[lo:at + 1], or lo."""
    end = at + 1
    while end > lo:
        q = t.rfind(b"\n-", lo, end)
        if q < 0:
            break
        if _is_start(t, q + 1) and q + 1 <= at:
            return q + 1
        end = q + 1
    return lo


def _start_after(t: bytes, at: int, hi: int) -> int:
    """Return the first record start in t[at:hi], or hi."""
    x = max(at - 1, 0)
    while True:
        q = t.find(b"\n-", x, hi)
        if q < 0:
            return hi
        if _is_start(t, q + 1) and q + 1 >= at:
            return q + 1
        x = q + 1


def _regions(a: bytes, b: bytes, span: tuple[int, int, int, int], depth: int = 0) -> list[tuple[int, int, int, int]]:
    """Return the stretches where two versions differ, widened to whole records: (a from, a to, b from, b to)."""
    a_lo, a_hi, b_lo, b_hi = span
    limit = min(a_hi - a_lo, b_hi - b_lo)
    p = _prefix(a, b, a_lo, b_lo, limit)
    s = _suffix(a, b, a_hi, b_hi, limit - p)
    a0, a1, b0, b1 = a_lo + p, a_hi - s, b_lo + p, b_hi - s
    if a0 == a1 and b0 == b1:
        return []
    # Widened to whole records: the bytes between a record's start and the first difference are
    # the same on both sides, as are those between the last difference and the next record.
    start, end = _start_before(a, a_lo, a0), _start_after(a, a1, a_hi)
    b_start, b_end = b0 - (a0 - start), b1 + (end - a1)
    if depth < 24 and (a1 - a0) + (b1 - b0) > _SMALL:
        # Cut at a record near the middle of a's stretch that b has too: two edits far apart
        # are then split out on their own, not with everything between them.
        cut = _start_after(a, (a0 + a1) // 2, a1)
        eol = a.find(b"\n", cut, a1)
        at = b.find(a[cut - 1:eol + 1], b0, b1) if start < cut < a1 and eol > 0 else -1
        if at >= 0:
            return (_regions(a, b, (start, cut, b_start, at + 1), depth + 1)
                    + _regions(a, b, (cut, end, at + 1, b_end), depth + 1))
    return [(start, end, b_start, b_end)]


def _records(t: bytes, lo: int, hi: int) -> dict[str, bytes]:
    """Split t[lo:hi] (whole records) into records keyed by id; text before the first record is skipped."""
    starts = [m.start() for m in _START.finditer(t, lo, hi)]
    out: dict[str, bytes] = {}
    for x, y in zip(starts, starts[1:] + [hi]):
        m = _ID.search(t, x, y)
        if m:
            out[m.group(1).strip(b"'\"").decode("utf-8", "replace")] = t[x:y]
    return out


def _body(text: bytes) -> bytes:
    """Return a record's text without the blank and comment lines after it (they belong to no record)."""
    lines = text.rstrip().split(b"\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith(b"#")):
        lines.pop()
    return b"\n".join(lines).rstrip()


def compare(old: bytes, new: bytes) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Return the records that differ between two versions of a data file: id -> text, before and after."""
    before: dict[str, bytes] = {}
    after: dict[str, bytes] = {}
    for a0, a1, b0, b1 in _regions(old, new, (0, len(old), 0, len(new))):
        before.update(_records(old, a0, a1))
        after.update(_records(new, b0, b1))
    for key in before.keys() & after.keys():
        if _body(before[key]) == _body(after[key]):
            del before[key], after[key]
    return before, after


def parse(text: bytes) -> dict | None:
    """Parse one record's text with the dossier's loader; None when it is not a record."""
    try:
        doc, problems = parse_text(text.decode("utf-8", "replace"), "history")
    except Exception:  # noqa: BLE001 - an old version of a record may be anything
        return None
    data = doc.data
    one = not problems and isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict)
    return data[0] if one else None


def _quantity(value: object) -> str:
    """Label a quantity as the pages do ('at least 5'), or 'unknown'."""
    if value is None:
        return "unknown"
    try:
        return Quantity.model_validate(value).label()
    except Exception:  # noqa: BLE001 - an old version may hold what the validator refuses
        return _short(value)


def _date(value: object) -> str:
    """Label a date as the pages do ('17 January 2025')."""
    try:
        return parse_date(str(value)).label()
    except Exception:  # noqa: BLE001
        return _short(value)


def _short(value: object) -> str:
    """Show a value in a few words."""
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value) or "none"
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


def label(kind: str, record: dict | None, record_id: str) -> str:
    """Name a record as its page does: an event by title and date, a source by title, others by name."""
    record = record or {}
    if kind == "events":
        title = _short(record.get("title") or record_id)
        return f"{title} ({_date(record['date'])})" if record.get("date") else title
    return _short(record.get(KIND[kind].label) or record_id)


def _keyed(items: object, key: str) -> dict[str, dict]:
    """Index a list of mappings by one of their fields (the first of repeats)."""
    out: dict[str, dict] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            out.setdefault(_short(item.get(key)), item)
    return out


def _members(field_name: str, key: str, old: object, new: object, inner) -> list[str]:
    """Describe changes to a list of mappings matched by a key: added, removed, and changed members."""
    a, b = _keyed(old, key), _keyed(new, key)
    out = [f"{field_name} added: {k}" for k in b if k not in a]
    out += [f"{field_name} removed: {k}" for k in a if k not in b]
    for k in a.keys() & b.keys():
        if a[k] != b[k]:
            out += inner(k, a[k], b[k])
    return out


def _item(name: str, old: dict, new: dict) -> list[str]:
    """Describe the changes to one equipment item."""
    out = [f"quantity of {name}: {_quantity(old.get('quantity'))} → {_quantity(new.get('quantity'))}"
           ] if old.get("quantity") != new.get("quantity") else []
    if old.get("identified_as") != new.get("identified_as"):
        systems = [_short([i.get("system") for i in x if isinstance(i, dict)]) if isinstance(x, list) else "none"
                   for x in (old.get("identified_as"), new.get("identified_as"))]
        out.append(f"identification of {name}: {systems[0]} → {systems[1]}" if systems[0] != systems[1]
                   else f"identification of {name}: figures or sources changed")
    out += [f"{key} of {name}: {_short(old.get(key))} → {_short(new.get(key))}"
            for key in ("sources", "note") if old.get(key) != new.get(key)]
    return out


def _casualty(group: str, old: dict, new: dict) -> list[str]:
    """Describe the changes to one casualty figure."""
    out = [f"{_QUANTITIES[k]} ({group}): {_quantity(old.get(k))} → {_quantity(new.get(k))}"
           for k in ("killed", "wounded", "captured") if old.get(k) != new.get(k)]
    return out + [f"{k} of casualties ({group}): {_short(old.get(k))} → {_short(new.get(k))}"
                  for k in ("actor", "sources", "note") if old.get(k) != new.get(k)]


def _role(actor: str, old: dict, new: dict) -> list[str]:
    """Describe the changes to one actor's part in an event."""
    return [f"{k} of {actor}: {_short(old.get(k))} → {_short(new.get(k))}" for k in ("role", "sources")
            if old.get(k) != new.get(k)]


def _relation(other: str, old: dict, new: dict) -> list[str]:
    """Describe the changes to one relation."""
    return [f"relation with {other}, {k}: {_short(old.get(k))} → {_short(new.get(k))}"
            for k in ("type", "sources", "note") if old.get(k) != new.get(k)]


_LISTS = {"equipment": ("item", _item), "casualties": ("group", _casualty), "actors": ("actor", _role),
          "relations": ("actor", _relation)}


def describe(old: dict, new: dict) -> list[str]:
    """Say in words which fields changed between two versions of a record."""
    # Radon C: one flat dispatch on what a field holds (a list of members, prose, a date, a value).
    out: list[str] = []
    for key in dict.fromkeys([*new, *old]):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        key = str(key)  # an old version's keys may be anything YAML allows
        if key in _LISTS:
            member, inner = _LISTS[key]
            out += _members(key.rstrip("s") if key != "casualties" else "casualty figure", member, a, b, inner)
        elif key in _PROSE:
            out.append(f"{key} added" if a is None else f"{key} removed" if b is None else f"{key} rewritten")
        elif key in ("date", "published"):
            out.append(f"{key}: {_date(a) if a else 'unknown'} → {_date(b) if b else 'unknown'}")
        else:
            out.append(f"{key.replace('_', ' ')}: {_short(a)} → {_short(b)}")
    return out


class _Walk:
    """The state of one walk through the history: each file's current text, each record's version."""

    def __init__(self):
        """Start before the first commit: no file, no record."""
        self.texts: dict[str, bytes] = {}
        self.versions: dict[tuple[str, str], Version] = {}
        self.entries: list[Entry] = []

    def step(self, kind: str, path: str, new: bytes) -> list[tuple]:
        """Move one file to its next version; return the records whose value changed:
        (id, text before, text after, value before, value after), None where absent or not parsed."""
        before, after = compare(self.texts.get(path, b""), new)
        self.texts[path] = new
        out = [(k, None, after[k], None, None) for k in after if k not in before]
        out += [(k, before[k], None, parse(before[k]), None) for k in before if k not in after]
        for k in before.keys() & after.keys():
            old, value = parse(before[k]), parse(after[k])
            if old != value or value is None:
                out.append((k, before[k], after[k], old, value))
        return sorted(out, key=lambda change: change[0])

    def commit(self, commit: Commit, files: dict[str, tuple[str, bytes]]) -> None:
        """Record one commit's changes to the data files: {repository path: (kind, new text)}."""
        changes: list[Change] = []
        for path, (kind, text) in sorted(files.items(), key=lambda f: _ORDER[f[1][0]]):
            for record_id, _old, new, before, after in self.step(kind, path, text):
                changes.append(self._change(commit, kind, record_id, new, before, after))
        if changes:
            self.entries.append(Entry(commit, tuple(changes)))

    def _change(self, commit: Commit, kind: str, record_id: str, text: bytes | None, old: dict | None,
                new: dict | None) -> Change:
        """Note one record's change in its version and describe it."""
        version = self.versions.setdefault((kind, record_id), Version())
        if text is None:  # removed: its page goes, and a record added again later is published anew
            del self.versions[(kind, record_id)]
            return Change(kind, record_id, "removed", label(kind, old, record_id))
        if version.first is None:
            version.first = commit
            version.last = commit
            return Change(kind, record_id, "added", "", text=text)  # named when shown (_name_added)
        version.last = commit
        details = describe(old, new) if old is not None and new is not None else ["record rewritten"]
        return Change(kind, record_id, "changed", label(kind, new, record_id), tuple(details))


def _walk(root: Path, prefix: str) -> _Walk:
    """Walk the main line's history of the data files, oldest first."""
    kinds = {f"{prefix}{kind.file}.yaml": kind.file for kind in KINDS}
    commits = _log(root, list(kinds))
    walk, blobs = _Walk(), _Blobs(root)
    try:
        for commit, changed in commits:
            files = {path: (kinds[path], blobs.read(sha)) for path, sha in changed.items() if path in kinds}
            walk.commit(commit, files)
    finally:
        blobs.close()
    return walk


def _uncommitted(walk: _Walk, data_dir: Path, prefix: str) -> dict[tuple[str, str], Version]:
    """Return the records' versions, marking those the working tree adds or changes since the last commit."""
    versions = dict(walk.versions)
    for kind in (k.file for k in KINDS):
        path = data_dir / f"{kind}.yaml"
        text = path.read_bytes() if path.is_file() else b""
        committed = walk.texts.get(f"{prefix}{kind}.yaml", b"")
        if text == committed:
            continue
        before, after = compare(committed, text)
        for record_id, new in after.items():
            if record_id not in before or parse(before[record_id]) != parse(new):
                found = versions.get((kind, record_id))
                versions[(kind, record_id)] = replace(found or Version(), uncommitted=True)
    return versions


def _name(kind: str, record) -> dict:
    """Return the fields that name a record of the dossier."""
    return {key: getattr(record, key, None) for key in ("title", "date", "name")}


def _name_added(entries: list[Entry], versions: dict[tuple[str, str], Version], dossier) -> list[Entry]:
    """Name the added records the page lists as they read then: from the dossier if unchanged since, else parsed."""
    named = []
    for entry in entries:
        changes, listed = [], 0
        for c in entry.changes:
            if c.action == "added" and listed < LISTED:
                listed += 1
                version = versions.get((c.kind, c.id))
                record = getattr(dossier, c.kind, {}).get(c.id)
                same = record is not None and version and version.last == entry.commit and not version.uncommitted
                fields = _name(c.kind, record) if same else parse(c.text)
                c = Change(c.kind, c.id, c.action, label(c.kind, fields, c.id))
            changes.append(c)
        named.append(Entry(entry.commit, tuple(changes)))
    return named


_walked: dict[tuple[Path, str], tuple[str, _Walk]] = {}  # (repository, data folder) -> (HEAD, its walk)
_told: set[str] = set()  # why the history was unavailable, said once per process (`serve` asks at each edit)


def _unavailable(why: str) -> History:
    """Log (once) why the history is unavailable, and return an unavailable history saying so briefly."""
    if why not in _told:
        _told.add(why)
        log.warning("record history unavailable: %s", why)
    return History(False, why.split(":")[0])


def compute(data_dir: Path, dossier) -> History:
    """Return the history of the dossier's records from the git history of data_dir (the stage's entry).

    The walk is kept for the next call on the same commit (`serve`), which only looks at the working tree.
    """
    try:
        root, prefix, head = _repository(data_dir)
        known = _walked.get((root, prefix))
        walk = known[1] if known and known[0] == head else _walk(root, prefix)
        _walked[(root, prefix)] = (head, walk)
        versions = _uncommitted(walk, data_dir, prefix)
    except (LookupError, OSError, subprocess.SubprocessError, ValueError) as exc:
        return _unavailable(str(exc))
    except Exception as exc:  # noqa: BLE001 - old versions of the data are input too: the build goes on
        log.exception("reading the history failed")
        return _unavailable(f"reading the history failed: {exc}")
    newest = walk.entries[::-1][:max(PAGE_COMMITS, FEED_COMMITS)]
    log.info("history: %d commits changed the data, %d records dated", len(walk.entries), len(versions))
    return History(True, "", prefix, versions, _name_added(newest, versions, dossier), repo_url())
