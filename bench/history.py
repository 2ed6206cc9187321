"""Give a synthetic project a git history: its data committed in steps, with corrections and removals.

    python -m bench --sizes 1000 --history 300    # measure with 300 commits of history

Deterministic for a given N and step count. The first commit has the actors, systems,
sources and the first share of the events; each later one adds the next share of events,
corrects two earlier events (their quantity or title read differently until then) and,
every tenth step, publishes an event that a later step withdraws. The last commit is the
synthetic dataset itself, so the working tree is clean and the pages are those of the
benchmark without history, plus their dates. `git fast-import` writes the commits (a
commit at a time through `git commit` takes minutes at 10,000 events), then `git repack -f`
recomputes the deltas as a server's pack for a fresh clone would have them.
"""

from __future__ import annotations

import logging
import random
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

START = 1_700_000_000  # the first commit's time; each step is a day later
_NUMBER = re.compile(r"(quantity: \{?(?:min: |about: )?)(\d+)")
_TITLE = re.compile(r'(  title: "[^"\n]*)"')


def _earlier(record: str) -> str:
    """Return an earlier, later corrected, reading of an event: one more in its first quantity, else its title."""
    found = _NUMBER.search(record)
    if found:
        return record[:found.start(2)] + str(int(found.group(2)) + 1) + record[found.end(2):]
    return _TITLE.sub(r'\1 (first report)"', record, count=1)


def _withdrawn(record: str, k: int) -> str:
    """Return a copy of an event under another id, to be published and withdrawn."""
    return re.sub(r"^- id: (\S+)", rf"- id: \1-withdrawn-{k}", record, count=1)


def _split(text: str) -> tuple[str, list[str]]:
    """Split a data file into its header and its records (each ending with a newline)."""
    head, *records = re.split(r"(?m)^(?=- id: )", text)
    return head, records


def versions(files: dict[str, str], steps: int, seed: int) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield each commit's message and the data files it changes (path -> text), oldest first."""
    # Radon C: the benchmark's data drawing (corrections, withdrawn events), one pass over the steps.
    rng = random.Random(seed)
    head, events = _split(files["events"])
    share = [len(events) * k // steps for k in range(1, steps + 1)]
    fixed_at: dict[int, int] = {}  # event index -> the step that corrects it
    for k in range(1, steps):
        for i in rng.sample(range(share[k - 1]), min(2, share[k - 1])):
            fixed_at.setdefault(i, k)
    withdrawn = {k: (rng.randrange(share[k]), k + 5) for k in range(0, steps - 6, 10)}  # step: (event, until)
    last: dict[str, str] = {}
    for k in range(steps):
        body = [_earlier(e) if fixed_at.get(i, -1) > k else e for i, e in enumerate(events[:share[k]])]
        body += [_withdrawn(events[i], j) for j, (i, until) in withdrawn.items() if j <= k < until]
        texts = {"events": head + "".join(body)}
        if k == 0:
            texts |= {name: files[name] for name in ("actors", "systems", "sources")}
        changed = {f"data/{name}.yaml": text for name, text in texts.items() if last.get(name) != text}
        last |= texts
        yield f"Step {k + 1} of {steps}: events up to {share[k]}", changed


def _stream(commits: Iterator[tuple[str, dict[str, str]]]) -> Iterator[bytes]:
    """Yield the commits as a `git fast-import` stream on branch main, a commit at a time."""
    for k, (message, changed) in enumerate(commits):
        out = bytearray()
        note = message.encode()
        out += (f"commit refs/heads/main\nmark :{k + 1}\n"
                f"committer Bench <bench@example.org> {START + k * 86400} +0000\n").encode()
        out += b"data %d\n%s\n" % (len(note), note)
        if k:
            out += f"from :{k}\n".encode()
        for path, text in sorted(changed.items()):
            data = text.encode()
            out += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)
        yield bytes(out)


def commit_history(project: Path, files: dict[str, str], steps: int, seed: int) -> None:
    """Make `project` a git repository whose main line commits the data files in `steps` steps."""
    def git(*args: str, data: bytes | None = None) -> None:
        """Run git in the project, quietly."""
        subprocess.run(["git", *args], cwd=project, input=data, check=True, capture_output=True)

    git("init", "-q")
    git("symbolic-ref", "HEAD", "refs/heads/main")
    if steps > 0:
        with subprocess.Popen(["git", "fast-import", "--quiet"], cwd=project, stdin=subprocess.PIPE) as importer:
            for chunk in _stream(versions(files, steps, seed)):
                importer.stdin.write(chunk)
            importer.stdin.close()
        if importer.returncode:
            raise RuntimeError("git fast-import failed")
        git("repack", "-a", "-d", "-f", "-q", "--window=1")  # each version a delta of the next, larger one
        git("reset", "-q")  # the index to the last commit, which the working tree already holds
    log.info("history of %s: %d commits", project, steps)
