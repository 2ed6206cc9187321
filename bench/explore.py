"""Measure the explore page of a built site: its index's gzip size and how long a filter change takes.

    python -m bench.explore SITE_DIR        # SITE_DIR: a built site/ folder

`python -m bench` runs this on each size's site. A redraw is timed in Debian's
Chromium (headless, through Playwright) from the click on a filter to the
second animation frame after it, so that the map, the histogram, the list and
the counts have all been redrawn and painted; each change is made
`REPEATS` times and the median and the slowest are reported. On a busy machine
the wall time mostly measures waiting for a core, so the main thread's own CPU
time over all the changes is also read from a Chromium trace (the `tdur` of its
tasks) and reported per change. The targets
(issue 17): at 10,000 events the index is at most 300 KB gzipped and a filter
change redraws in under 100 ms.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import logging
import statistics
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

log = logging.getLogger("bench.explore")
INDEX = Path("assets/generated/explore/index.json")
CHROMIUM = "/usr/bin/chromium"
REPEATS = 5
INDEX_GZIP_BYTES, REDRAW_MS = 300_000, 100.0
# Click a control, then wait for two animation frames: the first runs before the paint of the
# frame the change lands in, the second after it.
TIMED_CLICK = """async (selector) => {
  const control = document.querySelector(selector);
  const started = performance.now();
  control.click();
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return performance.now() - started;
}"""
# The changes timed: one kind on and off, one actor on and off (the largest facet), clearing. The actor's
# checkbox: the first input of its fieldset is the "Find an actor" field, which a click changes nothing in.
ACTOR = "fieldset[data-facet=actor] input[type=checkbox]"
CHANGES = (("a kind on", "fieldset[data-facet=kind] input"), ("the kind off", "fieldset[data-facet=kind] input"),
           ("an actor on", ACTOR), ("the actor off", ACTOR),
           ("sources disagree on", "fieldset[data-facet=contested] input"),
           ("clear filters", ".dx-reset"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serve the site's files without logging each request."""

    def log_message(self, format: str, *args: object) -> None:
        """Keep the benchmark's output clean."""


def index_size(site: Path) -> dict:
    """Return the explore index's size on disk and gzipped (level 9, as a static host would)."""
    data = (site / INDEX).read_bytes()
    return {"index_bytes": len(data), "index_gzip_bytes": len(gzip.compress(data, 9, mtime=0))}


def _route(route) -> None:
    """Let requests to the loopback server through and abort the rest (map tiles): no request leaves."""
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def redraw_times(site: Path, chromium: str = CHROMIUM) -> dict:
    """Open the explore page of a site in Chromium and time each filter change; return ms per change."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    times: dict[str, list[float]] = {name: [] for name, _ in CHANGES}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", _route)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/explore/")
            page.wait_for_selector(".dx-ready", timeout=120_000)
            first = page.evaluate("Number(document.getElementById('dx').dataset.redrawMs)")
            with tempfile.TemporaryDirectory() as folder:
                trace = Path(folder) / "trace.json"
                browser.start_tracing(page=page, path=str(trace), categories=[
                    "toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"])
                for _ in range(REPEATS):
                    for name, selector in CHANGES:
                        times[name].append(page.evaluate(TIMED_CLICK, selector))
                browser.stop_tracing()
                cpu = main_thread_cpu_ms(trace) / (REPEATS * len(CHANGES))
            total = page.locator(".dx-total").text_content()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    every = [t for runs in times.values() for t in runs]
    return {"first_draw_ms": first, "redraw_ms": {name: {"median": round(statistics.median(runs), 1),
                                                         "max": round(max(runs), 1)} for name, runs in times.items()},
            "redraw_median_ms": round(statistics.median(every), 1), "redraw_max_ms": round(max(every), 1),
            "main_thread_cpu_ms_per_change": round(cpu, 1),
            "shown_after": total}


def main_thread_cpu_ms(trace: Path) -> float:
    """Sum the CPU time of the page's main thread's tasks in a Chromium trace, in ms."""
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    tasks = [e for e in events if e.get("ph") == "X" and e.get("name") == "RunTask" and "tdur" in e]
    busiest = Counter()
    for e in tasks:
        busiest[(e["pid"], e["tid"])] += e["tdur"]
    return busiest.most_common(1)[0][1] / 1000 if busiest else 0.0


def measure(site: Path) -> dict:
    """Measure a built site's explore page: index size and redraw times."""
    return index_size(site) | redraw_times(site)


def describe(r: dict) -> list[str]:
    """Format the figures for the terminal, against the targets."""
    size_ok = "ok" if r["index_gzip_bytes"] <= INDEX_GZIP_BYTES else "OVER"
    time_ok = "ok" if r["redraw_max_ms"] < REDRAW_MS else "OVER"
    lines = [f"  explore index  {r['index_bytes'] / 1e3:.0f} kB, {r['index_gzip_bytes'] / 1e3:.1f} kB gzip "
             f"(target {INDEX_GZIP_BYTES / 1e3:.0f} kB: {size_ok})",
             f"  explore redraw median {r['redraw_median_ms']:.1f} ms, slowest {r['redraw_max_ms']:.1f} ms "
             f"(target < {REDRAW_MS:.0f} ms: {time_ok}); first draw {r['first_draw_ms']:.0f} ms",
             f"  explore CPU    {r['main_thread_cpu_ms_per_change']:.1f} ms of the page's main thread per change"]
    lines += [f"    {name:<20} median {t['median']:6.1f} ms, max {t['max']:6.1f} ms"
              for name, t in r["redraw_ms"].items()]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Measure the explore page of the built site given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site/ folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = measure(args.site)
    print(json.dumps(result, indent=2) if args.json else "\n".join(describe(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
