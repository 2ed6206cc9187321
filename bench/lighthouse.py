"""Lighthouse budgets: serve a built site gzip-compressed, as GitHub Pages does, and audit one page of each type.

    .venv/bin/python -m bench.lighthouse site/             # mobile preset (Lighthouse's default), 3 runs a page
    .venv/bin/python -m bench.lighthouse site/ --desktop
    .venv/bin/python -m bench.lighthouse site/ --runs 1 --only map/ --why   # one page, with what cost points
    .venv/bin/python -m bench.lighthouse site/ --keep test-artifacts/lighthouse   # and every full report
    .venv/bin/python -m bench.lighthouse site/ --cpu-only --runs 5   # no Lighthouse: CPU figures from Chromium traces

The site is served as GitHub Pages serves it (bench/transfer.py: text gzip-compressed).
Runs Lighthouse 12.2.3 from npm (`npx -y lighthouse@12.2.3`) with Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium) and prints performance, accessibility, total
blocking time, largest contentful paint and cumulative layout shift per page: the
median of --runs runs (accessibility: the worst run). Lighthouse simulates a slow
phone from the tasks it observes, so a busy machine inflates total blocking time:
measure on a quiet one, or take the median of several runs. "By CPU" is the same
sum from the CPU time of the page's tasks (cpu_blocking), which load moves less.
--cpu-only skips Lighthouse and takes that figure, and the longest task's CPU time,
from Chromium traces of the page loading at the mobile preset's size (quicker, and
steadier on a shared machine).
Budgets (issue 16): performance at least 95, accessibility 100, TBT under 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.transfer import served

LIGHTHOUSE = "lighthouse@12.2.3"
SLOWDOWN = 4  # Lighthouse's mobile preset: the phone's CPU taken as four times slower than this one


def cpu_blocking(trace: dict) -> int:
    """Estimate total blocking time from the CPU time of the page's tasks after its first paint, in ms.

    Lighthouse's own figure scales each task's wall time, which includes the time a busy machine's
    other processes held the core; this scales the time the page's main thread ran (`tdur`) instead,
    so it stays close to what a quiet machine measures. It counts the tasks after the one that first
    painted the page (its first contentful paint, give or take), to the end of the trace.
    """
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    fcp = [e for e in events if e.get("name") == "firstContentfulPaint"]
    if not fcp:
        return 0
    page = min(fcp, key=lambda e: e["ts"])
    thread = (page["pid"], page["tid"])
    on_thread = [e for e in events if e.get("ph") == "X" and (e.get("pid"), e.get("tid")) == thread]
    paints = [e["ts"] for e in on_thread if e["name"] == "Paint"
              and e.get("args", {}).get("data", {}).get("frame") == page["args"]["frame"]]
    after = min(paints, default=page["ts"])
    return round(sum(max(0.0, SLOWDOWN * e.get("tdur", e["dur"]) / 1000 - 50)
                     for e in on_thread if e["name"] == "RunTask" and e["ts"] > after))


def traced(browser, url: str) -> dict:
    """Load a page in a fresh phone-sized context while Chromium traces it; return the trace."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True)
    page = context.new_page()
    browser.start_tracing(page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"])
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)  # the theme's and the dossier's scripts set up after the load event
    trace = json.loads(browser.stop_tracing())
    context.close()
    return trace


def longest_task(trace: dict) -> float:
    """Return the CPU time of the page's longest main-thread task, in ms."""
    events = trace["traceEvents"]
    page = min((e for e in events if e.get("name") == "firstContentfulPaint"), key=lambda e: e["ts"])
    return round(max(e.get("tdur", e["dur"]) for e in events if e.get("name") == "RunTask" and e.get("ph") == "X"
                     and (e["pid"], e["tid"]) == (page["pid"], page["tid"])) / 1000, 1)


def cpu_only(base: str, args: argparse.Namespace) -> tuple[int, dict]:
    """Trace each page --runs times; print the median blocking time from CPU and longest task; return misses and figures."""
    from playwright.sync_api import sync_playwright

    from bench.transfer import ARGS, CHROMIUM
    missed, results = 0, {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for path in args.only or pages(args.site):
            traces = [traced(browser, base + path) for _ in range(args.runs)]
            found = results[path] = {"cpu_tbt": round(statistics.median(cpu_blocking(t) for t in traces)),
                                     "longest": statistics.median(longest_task(t) for t in traces)}
            missed += found["cpu_tbt"] >= 200
            sys.stdout.write(f"/{path:<50} by CPU {found['cpu_tbt']:4d} ms  longest task {found['longest']:6.1f} ms CPU"
                             f"{'' if found['cpu_tbt'] < 200 else '  (over budget)'}\n")
            sys.stdout.flush()
        browser.close()
    return missed, results


def _largest(folder: Path) -> str | None:
    """Return the name of the record in a folder whose page is the largest (the worst case), or None."""
    records = [p for p in folder.iterdir() if p.is_dir() and p.name not in ("years", "list", "page")
               and (p / "index.html").is_file()] if folder.is_dir() else []
    return max(records, key=lambda p: ((p / "index.html").stat().st_size, p.name)).name if records else None


def pages(site: Path) -> list[str]:
    """Pick one page of each type: home, indexes, a year, timeline, map, explore, the largest record of each kind."""
    found = [p for p in ("", "events/", "actors/", "systems/", "sources/", "timeline/", "map/", "explore/")
             if (site / p / "index.html").is_file()]
    years = sorted(p.name for p in (site / "events" / "years").iterdir()) if (site / "events" / "years").is_dir() else []
    found += [f"events/years/{years[-1]}/"] if years else []
    for kind in ("events", "actors", "systems", "sources"):
        record = _largest(site / kind)
        found += [f"{kind}/{record}/"] if record else []
    return found


def audit(url: str, desktop: bool, keep: Path | None = None) -> dict:
    """Run Lighthouse on one URL; return its scores, timings and the audits that cost points."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = ["npx", "-y", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={out}", "--save-assets",
                   "--chrome-flags=--headless --no-sandbox", *(["--preset=desktop"] if desktop else [])]
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
        report = json.loads(out.read_text())
        blocking = cpu_blocking(json.loads((Path(tmp) / "report-0.trace.json").read_text()))
        if keep:
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_text(out.read_text())
    audits = report["audits"]
    weak = sorted(f"{key} {audits[key]['displayValue'] if audits[key].get('displayValue') else ''}".strip()
                  for category in ("performance", "accessibility")
                  for key in (ref["id"] for ref in report["categories"][category]["auditRefs"] if ref["weight"])
                  if audits[key]["score"] is not None and audits[key]["score"] < 0.9)
    return {"performance": round(report["categories"]["performance"]["score"] * 100),
            "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
            "tbt": round(audits["total-blocking-time"]["numericValue"]),
            "cpu_tbt": blocking,
            "lcp": round(audits["largest-contentful-paint"]["numericValue"]),
            "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
            "weak": weak}


def summary(runs: list[dict]) -> dict:
    """Combine several runs of one page: the median of each figure, the worst accessibility."""
    return {"performance": round(statistics.median(r["performance"] for r in runs)),
            "accessibility": min(r["accessibility"] for r in runs),
            "tbt": round(statistics.median(r["tbt"] for r in runs)),
            "cpu_tbt": round(statistics.median(r["cpu_tbt"] for r in runs)),
            "lcp": round(statistics.median(r["lcp"] for r in runs)),
            "cls": statistics.median(r["cls"] for r in runs),
            "runs": runs}


def main() -> int:
    """Serve the site, audit its pages, print one line each; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--desktop", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="runs a page; the median is reported (default 3)")
    parser.add_argument("--only", action="append", default=[], metavar="PATH", help="audit this page only (repeatable)")
    parser.add_argument("--why", action="store_true", help="also list the audits that cost points")
    parser.add_argument("--json", type=Path, help="write every run's figures to this file")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep each run's full Lighthouse report here")
    parser.add_argument("--cpu-only", action="store_true", help="no Lighthouse: blocking time from CPU in Chromium traces")
    args = parser.parse_args()
    with served(args.site, "/") as base:
        missed, results = (cpu_only if args.cpu_only else report)(base, args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 1 if missed else 0


def report(base: str, args: argparse.Namespace) -> tuple[int, dict]:
    """Audit each page of a served site, print its line; return how many missed a budget, and the figures."""
    missed, results = 0, {}
    for path in args.only or pages(args.site):
        name = path.strip("/").replace("/", "-") or "home"
        found = results[path] = summary([audit(base + path, args.desktop, args.keep and args.keep / f"{name}-{i}.json")
                                         for i in range(args.runs)])
        ok = found["performance"] >= 95 and found["accessibility"] == 100 and found["tbt"] < 200
        missed += not ok
        tbts = "/".join(str(r["tbt"]) for r in found["runs"])
        sys.stdout.write(f"/{path:<50} perf {found['performance']:3d}  a11y {found['accessibility']:3d}  "
                         f"TBT {found['tbt']:5d} ms ({tbts}), by CPU {found['cpu_tbt']:4d} ms  LCP {found['lcp']:5d} ms  CLS {found['cls']:.3f}"
                         f"{'' if ok else '  (over budget)'}\n")
        if args.why:
            weak = sorted({w for r in found["runs"] for w in r["weak"]})
            sys.stdout.write("".join(f"    {w}\n" for w in weak))
        sys.stdout.flush()
    return missed, results


if __name__ == "__main__":
    sys.exit(main())
