"""Measure one stage at a time: wall time and peak memory of a subprocess, sizes of what it wrote."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_REPORT = re.compile(r"(\d+) written, (\d+) unchanged, (\d+) removed")
_BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


@dataclass
class Run:
    """What one stage cost."""

    seconds: float
    cpu_seconds: float  # user + system: steadier than wall time when others share the machine
    peak_mib: float
    status: int
    output: str  # the last lines of its output, for the report when it fails


def run_stage(cmd: list[str], cwd: Path, log_file: Path, env: dict | None = None) -> Run:
    """Run a command as its own subprocess; return its wall time and peak resident memory."""
    log.info("running %s", " ".join(map(str, cmd)))
    with log_file.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})
        # wait4 gives this child's own rusage (the ru_maxrss that getrusage(RUSAGE_CHILDREN)
        # reports, but for this stage alone rather than the largest child so far).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-15:])
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, tail)


def write_counts(output: str) -> tuple[int, int, int] | None:
    """Read 'N written, M unchanged, K removed' from the generator's output."""
    found = _REPORT.findall(output)
    return tuple(int(n) for n in found[-1]) if found else None


def tree_bytes(root: Path) -> tuple[int, int]:
    """Return the total size and the number of files under a folder."""
    sizes = [p.stat().st_size for p in root.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def average_size(paths: list[Path]) -> float:
    """Return the mean size of some files, 0 when there are none."""
    return sum(p.stat().st_size for p in paths) / len(paths) if paths else 0.0


def event_pages(site: Path) -> list[Path]:
    """List the built event pages (site/events/<id>/index.html), not the events index."""
    return [p for p in (site / "events").glob("*/index.html")]


def generated_event_pages(docs: Path) -> list[Path]:
    """List the generated event pages (docs/events/<id>.md), not the events index."""
    return [p for p in (docs / "events").glob("*.md") if p.name != "index.md"]


def snapshot(root: Path) -> dict[str, int]:
    """Record each file's modification time, to see later which files a stage rewrote."""
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def rewritten(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Count the files written or removed between two snapshots, by folder."""
    changed = [p for p in before.keys() | after.keys() if before.get(p) != after.get(p)]
    groups: dict[str, int] = {}
    for path in changed:
        parts = path.split("/")
        group = "/".join(parts[:3] if parts[0] == "assets" else parts[:1]) if len(parts) > 1 else path
        groups[group] = groups.get(group, 0) + 1
    return dict(sorted(groups.items()))


def edit_title(events_file: Path, event_id: str, title: str) -> None:
    """Replace one event's title in events.yaml, as a contributor would."""
    lines = events_file.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"- id: {event_id}")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("  title: "):
            lines[i] = f'  title: "{title}"'
            break
    events_file.write_text("\n".join(lines), encoding="utf-8")


def middle_event(events_file: Path) -> str:
    """Return the id of the event in the middle of events.yaml."""
    ids = [line[6:] for line in events_file.read_text(encoding="utf-8").split("\n") if line.startswith("- id: ")]
    return ids[len(ids) // 2]


def listing_page(docs: Path, event_id: str) -> str:
    """Return the site path of the year page that lists an event (the events index lists only the latest)."""
    link = f"events/{event_id}/"
    for page in sorted((docs / "events" / "years").glob("*.md")):
        if link in page.read_text(encoding="utf-8"):
            return f"events/years/{page.stem}/"
    raise ValueError(f"no year page under {docs} lists {event_id}")


def free_port() -> int:
    """Ask the system for a free local port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    """Return a page's text, or None while the server is not answering."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, marker: str, timeout: float, proc: subprocess.Popen) -> float | None:
    """Poll a URL until its text contains `marker`; return the seconds taken, None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout and proc.poll() is None:
        text = fetch(url)
        if text is not None and marker in text:
            return time.perf_counter() - start
        time.sleep(0.1)
    return None


def serve_latency(project: Path, mkdocs: list[str], event_id: str, log_file: Path, mount: str = "/",
                  startup: float = 1800) -> dict:
    """Start `mkdocs serve --dirtyreload`, edit a title, time until the event page and its year page show it."""
    port = free_port()
    year_page = listing_page(project / "docs", event_id)  # regenerated by the background build only
    base = f"http://127.0.0.1:{port}{mount}"  # serve mounts the site at site_url's path
    env = {**os.environ, "DOSSIER_DATA": str(project / "data")}
    env.pop("DOSSIER_SKIP_GENERATE", None)  # serve must regenerate, as `make serve` does
    with log_file.open("w") as out:
        start = time.perf_counter()
        # --no-strict: a dirty build always warns that it is dirty, which strict mode turns into an abort.
        proc = subprocess.Popen([*mkdocs, "serve", "--dirtyreload", "--no-strict", "-a", f"127.0.0.1:{port}",
                                 "-f", str(project / "mkdocs.yml")], cwd=project, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            ready = wait_for(base, "<html", startup, proc)
            result = {"startup_s": None if ready is None else time.perf_counter() - start}
            if ready is not None:
                time.sleep(2)  # let the watcher settle after the first build
                marker = f"Edited title {int(time.time())}"
                edit_title(project / "data" / "events.yaml", event_id, marker)
                result["edit_visible_s"] = wait_for(f"{base}events/{event_id}/", marker, 300, proc)
                # The rest follows from the background generation: the event's year page lists the title too.
                listed = wait_for(f"{base}{year_page}", marker, 300, proc)
                result["index_visible_s"] = None if listed is None or result["edit_visible_s"] is None \
                    else result["edit_visible_s"] + listed
                built = _BUILT.findall(log_file.read_text(errors="replace"))
                result["rebuild_s"] = float(built[1]) if len(built) > 1 else None  # the first rebuild, regeneration included
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return result
