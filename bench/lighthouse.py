"""Lighthouse budgets: serve a built site gzip-compressed, as GitHub Pages does, and audit one page of each type.

    .venv/bin/python bench/lighthouse.py site/             # mobile preset (Lighthouse's default)
    .venv/bin/python bench/lighthouse.py site/ --desktop

Runs Lighthouse 12.2.3 from npm (`npx -y lighthouse@12.2.3`) with Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium) and prints performance, accessibility, total
blocking time and largest contentful paint per page. Lighthouse simulates a slow phone
from the tasks it observes, so a busy machine inflates total blocking time: measure on
a quiet one. Budgets (issue 16): performance at least 95, accessibility 100, TBT under 200 ms.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

LIGHTHOUSE = "lighthouse@12.2.3"
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files, gzip-compressing text ones when the client accepts it."""

    def log_message(self, *args) -> None:
        """Stay quiet: the report is the output."""

    def send_head(self):
        """Answer with the file's bytes, compressed when it is text and the client accepts gzip."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()
        kind = self.guess_type(path)
        data = Path(path).read_bytes()
        packed = "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(COMPRESSED)
        if packed:
            data = gzip.compress(data, 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        if packed:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        return io.BytesIO(data)


def pages(site: Path) -> list[str]:
    """Pick one page of each type from a built site: home, indexes, a year, the map, one record of each kind."""
    found = ["", "events/", "actors/", "systems/", "sources/", "timeline/", "map/"]
    years = sorted(p.name for p in (site / "events" / "years").iterdir()) if (site / "events" / "years").is_dir() else []
    found += [f"events/years/{years[-1]}/"] if years else []
    for kind in ("events", "actors", "systems", "sources"):
        records = sorted(p.name for p in (site / kind).iterdir() if p.is_dir() and p.name not in ("years", "list"))
        found += [f"{kind}/{records[0]}/"] if records else []
    return found


def audit(url: str, desktop: bool) -> dict:
    """Run Lighthouse on one URL; return its scores and timings."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = ["npx", "-y", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={out}",
                   "--chrome-flags=--headless --no-sandbox", *(["--preset=desktop"] if desktop else [])]
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {"performance": round(report["categories"]["performance"]["score"] * 100),
            "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
            "tbt": round(audits["total-blocking-time"]["numericValue"]),
            "lcp": round(audits["largest-contentful-paint"]["numericValue"])}


def main() -> int:
    """Serve the site, audit its pages, print one line each; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--desktop", action="store_true")
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    missed = 0
    for path in pages(args.site):
        found = audit(base + path, args.desktop)
        ok = found["performance"] >= 95 and found["accessibility"] == 100 and found["tbt"] < 200
        missed += not ok
        sys.stdout.write(f"/{path:<50} perf {found['performance']:3d}  a11y {found['accessibility']:3d}  "
                         f"TBT {found['tbt']:5d} ms  LCP {found['lcp']:5d} ms{'' if ok else '  (over budget)'}\n")
    server.shutdown()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
