"""Benchmark `make site` at 1,000 and 10,000 synthetic events against its floor, bare Material.

    python -m bench                  # N = 1,000 and 10,000 (a 10k run takes several minutes)
    python -m bench --sizes 1000     # a quick run
    python -m bench --no-serve       # skip the `mkdocs serve --dirtyreload` edit-to-page timing
    python -m bench --history 300    # the data committed in 300 steps: the build dates every record
    python -m bench --profile        # then profile the generator and MkDocs (pyinstrument)

For each N, on the same machine and one stage per subprocess: the generator
(`build_pages.py build`), MkDocs on its output (the hook's regeneration skipped
with DOSSIER_SKIP_GENERATE=1), Pagefind over the built site, bare Material
building as many trivial pages with the same theme settings and Pagefind over
that (the floor), a rebuild after editing one event, and the time until
`mkdocs serve --dirtyreload` shows that edit. Then what a reader downloads
(bench/transfer.py): each page type's first view and a one-word search, served
gzip-compressed; the explore page's index size and the time a filter change
takes to redraw it (bench/explore.py). Projects, logs and results.json stay under --out for inspection.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

from . import explore
from .measure import (Run, average_size, edit_title, event_pages, generated_event_pages, middle_event,
                      rewritten, run_stage, serve_latency, snapshot, tree_bytes, write_counts)
from .project import ROOT, bare_project, dossier_project, read_config, set_aside
from .synth import TOWNS
from .transfer import measure as measure_transfer

log = logging.getLogger("bench")
OUT = Path(__file__).resolve().parent / "out"
MIB = 1024 * 1024
# The budgets, checked on the largest N measured: `make site` against its floor (bare Material without
# its search plugin, then Pagefind over that site), peak memory of any stage, page growth, serve.
SITE_RATIO, PEAK_MIB, PAGE_GROWTH, MAP_BYTES, SERVE_S = 2.5, 1024, 0.10, 1_500_000, 5.0
# What a reader downloads (bench/transfer.py): a first view, a map or explore page's, a one-word search.
VIEW_BYTES, MAP_VIEW_BYTES, QUERY_BYTES = 150_000, 350_000, 300_000
RESULTS_MS = 1000  # a one-word query's first result on screen, after the last key (issue 14)
HEAVY_VIEWS = ("map",)  # pages whose data is their content


def mkdocs_build(project: Path, logs: Path, name: str, env: dict | None = None) -> Run:
    """Build a project's site with MkDocs in its own subprocess."""
    return run_stage([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"],
                     project, logs / f"{name}.log", env)


def mkdocs_editions(project: Path, logs: Path) -> Run:
    """Build both editions as `make site` does, English then French (mkdocs.fr.yml); return their sum.

    Wall and CPU times add up, peak memory is the larger; each build keeps its own log.
    """
    env = {"DOSSIER_SKIP_GENERATE": "1"}
    english = require(mkdocs_build(project, logs, "mkdocs", env), "mkdocs build")
    french = require(run_stage([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.fr.yml", "-d", "site/fr"],
                               project, logs / "mkdocs-fr.log", env), "mkdocs build of the French edition")
    return Run(english.seconds + french.seconds, english.cpu_seconds + french.cpu_seconds,
               max(english.peak_mib, french.peak_mib), french.status, english.output + french.output)


def search_index(project: Path, logs: Path, name: str) -> Run:
    """Index a project's built site with Pagefind, as `make site` does, in its own subprocess."""
    return run_stage([sys.executable, "-m", "dossier.searchindex", str(project / "site")], ROOT,
                     logs / f"{name}.log")


def record_ids(data: Path) -> dict[str, str]:
    """Return one record id per kind: the middle event, and the first actor, system and source."""
    ids = {"event": middle_event(data / "events.yaml")}
    for kind, file in (("actor", "actors.yaml"), ("system", "systems.yaml"), ("source", "sources.yaml")):
        ids[kind] = next(line[6:] for line in (data / file).read_text(encoding="utf-8").split("\n")
                         if line.startswith("- id: "))
    return ids


def page_types(ids: dict[str, str]) -> dict[str, str]:
    """Return the site path of each page type whose first view is measured."""
    return {"home": "", "events index": "events/", "actors index": "actors/", "systems index": "systems/",
            "sources index": "sources/", "event": f"events/{ids['event']}/", "actor": f"actors/{ids['actor']}/",
            "system": f"systems/{ids['system']}/", "source": f"sources/{ids['source']}/",
            "timeline": "timeline/", "map": "map/"}


def generate(project: Path, logs: Path, name: str) -> Run:
    """Run the generator's stage in its own subprocess."""
    # Absolute paths, as the hook passes them: pages that cite their data file then read the same.
    return run_stage([sys.executable, "build_pages.py", "build", "--data", str(project / "data"),
                      "--docs", str(project / "docs")], project, logs / f"{name}.log")


def require(run: Run, what: str) -> Run:
    """Stop the benchmark when a stage fails, showing the end of its output."""
    if run.status != 0:
        raise SystemExit(f"{what} failed (exit {run.status}):\n{run.output}")
    return run


def bench_size(n: int, out: Path, serve: bool, profile: bool = False, history: int = 0) -> dict:
    """Measure every stage for N events (their data committed in `history` steps); return the figures."""
    base = out / f"n{n}"
    logs = base / "logs"
    project = dossier_project(n, base / "dossier", history)
    logs.mkdir(parents=True, exist_ok=True)
    gen = require(generate(project, logs, "generate"), "the generator")
    docs = project / "docs"
    pages = sum(1 for _ in docs.rglob("*.md"))
    mk = mkdocs_editions(project, logs)  # both editions; the floor below builds as many pages in one go
    pf = require(search_index(project, logs, "pagefind"), "Pagefind")
    bare_dir = bare_project(pages, read_config(project / "mkdocs.yml"), base / "bare")
    bare = require(mkdocs_build(bare_dir, logs, "bare"), "bare Material")
    bare_pf = require(search_index(bare_dir, logs, "bare-pagefind"), "Pagefind over bare Material")
    site = project / "site"
    mount = urlsplit(read_config(project / "mkdocs.yml").get("site_url") or "/").path or "/"
    ids = record_ids(project / "data")
    result = {
        "events": n, "history_commits": history, "pages": pages, "generate": asdict(gen), "mkdocs": asdict(mk),
        "pagefind": asdict(pf),
        "bare": asdict(bare), "bare_pagefind": asdict(bare_pf),
        "transfer": measure_transfer(site, mount, page_types(ids), TOWNS[0][0].lower(), f"events/{ids['event']}/"),
        "site_bytes": tree_bytes(site), "bare_site_bytes": tree_bytes(bare_dir / "site"),
        "docs_bytes": tree_bytes(docs), "event_html_avg": average_size(event_pages(site)),
        "event_md_avg": average_size(generated_event_pages(docs)),
        "map_html": (site / "map" / "map.html").stat().st_size if (site / "map" / "map.html").is_file() else None,
    }
    result["explore"] = explore.measure(site)
    result |= incremental(project, logs)
    if serve:
        result["serve"] = serve_latency(project, [sys.executable, "-m", "mkdocs"], result["edited"],
                                        logs / "serve.log", mount)
    for key in ("generate", "mkdocs", "pagefind", "bare", "bare_pagefind"):
        result[key].pop("output")
    if profile:
        profiles(project, logs)
    return result


def profiles(project: Path, logs: Path) -> None:
    """Profile the generator and MkDocs with pyinstrument, after the timed runs, into logs/*-profile.txt."""
    profiler = [sys.executable, "-m", "pyinstrument", "-r", "text", "--show", "*/dossier/*"]
    for name, args, env in (("generate", ["build_pages.py", "build", "--data", str(project / "data"),
                                          "--docs", str(project / "docs")], None),
                            ("mkdocs", ["-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", "site"],
                             {"DOSSIER_SKIP_GENERATE": "1"})):
        out = logs / f"{name}-profile.txt"
        require(run_stage([*profiler, "-o", str(out), *args], project, logs / f"{name}-profile.log", env),
                f"profiling {name}")
        log.info("profile of %s in %s", name, out)


def incremental(project: Path, logs: Path) -> dict:
    """Edit one event's title, regenerate, and count which files were rewritten."""
    event_id = middle_event(project / "data" / "events.yaml")
    before = snapshot(project / "docs")
    edit_title(project / "data" / "events.yaml", event_id, "Title edited by the benchmark")
    run = require(generate(project, logs, "regenerate"), "the generator's rebuild")
    return {"edited": event_id, "regenerate_s": run.seconds, "write_counts": write_counts(run.output),
            "rewritten": rewritten(before, snapshot(project / "docs"))}


def mb(n: float | None) -> str:
    """Format a byte count in MB."""
    return "-" if n is None else f"{n / 1e6:.2f} MB"


def stage(run: dict) -> str:
    """Format a stage's wall time, CPU time and peak memory."""
    return f"{run['seconds']:7.1f} s (CPU {run['cpu_seconds']:6.1f} s)  peak {run['peak_mib']:5.0f} MiB"


def describe(r: dict) -> list[str]:
    """Format one size's figures for the terminal."""
    g, m, b = r["generate"], r["mkdocs"], r["bare"]
    lines = [f"N = {r['events']:,} events, {r['pages']:,} pages, {r.get('history_commits', 0)} commits of history",
             f"  generator      {stage(g)}",
             f"  mkdocs build   {stage(m)}  site {mb(r['site_bytes'][0])} in {r['site_bytes'][1]:,} files",
             f"  bare Material  {stage(b)}  site {mb(r['bare_site_bytes'][0])}",
             f"  event page     {r['event_html_avg'] / 1e3:.1f} kB HTML, {r['event_md_avg'] / 1e3:.1f} kB Markdown;"
             f" map page {mb(r['map_html'])}",
             f"  one edit       regenerate {r['regenerate_s']:.1f} s; written/unchanged/removed "
             f"{r['write_counts']}; rewritten by folder {r['rewritten']}"]
    p, bp = r["pagefind"], r["bare_pagefind"]
    site = g["seconds"] + m["seconds"] + p["seconds"]
    lines += [f"  pagefind       {stage(p)}",
              f"  floor          bare Material + Pagefind {b['seconds'] + bp['seconds']:.1f} s (Pagefind {stage(bp)}); "
              f"make site (generator + MkDocs + Pagefind) {site:.1f} s = {site_ratio(r):.2f} x"]
    transfer = r.get("transfer") or {}
    for name, view in (transfer.get("first_view") or {}).items():
        lines.append(f"  first view     {name:15s} {view['bytes'] / 1e3:8.1f} kB in {view['requests']} requests")
    if transfer.get("query"):
        q = transfer["query"]
        lines.append(f"  search         opening it {q['open_bytes'] / 1e3:.1f} kB ({q['open_requests']} requests); "
                     f"then '{q['word']}' {q['query_bytes'] / 1e3:.1f} kB ({q['query_requests']} requests), "
                     f"{q['summary']}, first result shown {q.get('results_ms')} ms after the last key; then the filter pane {q['filters_bytes'] / 1e3:.1f} kB "
                     f"({q['filters_requests']} requests)")
    if "explore" in r:
        lines += explore.describe(r["explore"])
    if "serve" in r:
        serve = r["serve"]
        lines.append(f"  serve          first build {serve.get('startup_s') or 0:.1f} s; edit visible after "
                     f"{serve.get('edit_visible_s')} s (MkDocs' rebuild with the hook's regeneration: "
                     f"{serve.get('rebuild_s')} s); in its year page after {serve.get('index_visible_s')} s "
                     "(the background generation)")
    return lines


def site_ratio(r: dict) -> float:
    """Return `make site` (generator, MkDocs, Pagefind) over its floor (bare Material without search, then Pagefind)."""
    built = r["generate"]["seconds"] + r["mkdocs"]["seconds"] + r["pagefind"]["seconds"]
    return built / (r["bare"]["seconds"] + r["bare_pagefind"]["seconds"])


def verdicts(results: list[dict]) -> list[str]:
    """Check the issue's targets on the largest N (page growth: largest against smallest)."""
    big, small = results[-1], results[0]
    g, m = big["generate"], big["mkdocs"]
    growth = big["event_html_avg"] / small["event_html_avg"] - 1 if small is not big and small["event_html_avg"] else None
    # Measured but never seen (server failed or 300 s passed) counts as infinitely slow.
    serve = (big["serve"].get("edit_visible_s") or float("inf")) if "serve" in big else None
    checks = [
        ("make site <= 2.5 x the floor (bare Material + Pagefind)", site_ratio(big), lambda v: v <= SITE_RATIO),
        ("peak memory < 1 GiB (MiB)", max(g["peak_mib"], m["peak_mib"], big["pagefind"]["peak_mib"]),
         lambda v: v < PEAK_MIB),
        ("event page growth within 10%", growth, lambda v: abs(v) <= PAGE_GROWTH),
        ("map page < 1.5 MB (bytes)", big["map_html"], lambda v: v < MAP_BYTES),
        ("edit visible in serve <= 5 s", serve, lambda v: v <= SERVE_S),
        ("explore index <= 300 KB gzip (bytes)", big.get("explore", {}).get("index_gzip_bytes"),
         lambda v: v <= explore.INDEX_GZIP_BYTES),
        ("explore filter change < 100 ms (slowest, ms)", big.get("explore", {}).get("redraw_max_ms"),
         lambda v: v < explore.REDRAW_MS),
    ]
    checks += transfer_checks(big, small)
    lines = []
    for name, value, ok in checks:
        # No value: not measured (one size, --no-serve, no map page).
        verdict = "n/a   " if value is None else "met   " if ok(value) else "MISSED"
        shown = round(value, 3) if isinstance(value, float) else value
        lines.append(f"  {verdict} {name}: {shown if value is not None else 'not measured'}")
    return lines


def transfer_checks(big: dict, small: dict) -> list[tuple]:
    """The download budgets: each first view, its growth from the smallest N, and a one-word search."""
    views, before = (big.get("transfer") or {}).get("first_view") or {}, (small.get("transfer") or {}).get("first_view") or {}
    checks = []
    for name, view in views.items():
        limit = MAP_VIEW_BYTES if name in HEAVY_VIEWS else VIEW_BYTES
        checks.append((f"first view of {name} <= {limit // 1000} kB (bytes)", view["bytes"],
                       lambda v, limit=limit: v <= limit))
        if small is not big and name in before and name not in HEAVY_VIEWS:
            checks.append((f"first view of {name} within 10% of N={small['events']:,}",
                           view["bytes"] / before[name]["bytes"] - 1, lambda v: abs(v) <= PAGE_GROWTH))
    query = (big.get("transfer") or {}).get("query")
    if query:
        checks.append((f"search opened + one word <= {QUERY_BYTES // 1000} kB (bytes)",
                       query["open_bytes"] + query["query_bytes"], lambda v: v <= QUERY_BYTES))
        checks.append((f"search's first result within {RESULTS_MS} ms of the last key (ms)",
                       query.get("results_ms"), lambda v: v <= RESULTS_MS))
    return checks


def machine() -> str:
    """Describe the machine the figures were measured on."""
    mem = Path("/proc/meminfo").read_text().split()[1] if Path("/proc/meminfo").exists() else "0"
    return (f"{os.cpu_count()} CPU cores, {int(mem) / MIB:.0f} GiB RAM, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for each size and print the figures and the targets."""
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000", help="comma-separated event counts (default: 1000,10000)")
    p.add_argument("--out", type=Path, default=OUT, help="work folder (default: bench/out/)")
    p.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve edit timing")
    p.add_argument("--history", type=int, default=0, metavar="STEPS",
                   help="commit each project's data in STEPS commits, with corrections and removals "
                        "(default 0: no commit, so the pages say the history is unavailable)")
    p.add_argument("--profile", action="store_true",
                   help="then profile the generator and MkDocs (pyinstrument) into <out>/n<N>/logs/")
    args = p.parse_args(argv)
    try:
        sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    except ValueError:
        p.error("--sizes takes whole numbers separated by commas, e.g. 1000,10000")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    trash = set_aside(args.out)
    results = [bench_size(n, args.out, not args.no_serve, args.profile, args.history) for n in sizes]
    if trash is not None:
        shutil.rmtree(trash)  # after measuring: see set_aside
    report = {"machine": machine(), "results": results}
    (args.out / "results.json").write_text(json.dumps(report, indent=2))
    print(report["machine"])
    for r in results:
        print("\n".join(describe(r)))
    print("targets:\n" + "\n".join(verdicts(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
