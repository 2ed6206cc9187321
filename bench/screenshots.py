"""Screenshots of the pages a reader sees first, to look at after a change of layout or style.

    .venv/bin/python -m bench.screenshots site/                      # into test-artifacts/screenshots/
    .venv/bin/python -m bench.screenshots site/ --only events/2025-01-17-bamako-convoy/

Serves the built site as GitHub Pages does (bench/transfer.py) and has Debian's Chromium
(Playwright) take each page at phone (390 px) and desk (1280 px) widths, in the light and
the dark scheme (the theme follows the reader's system setting), each as a whole page.
Map tiles (the only third-party requests) fail,
as nothing but loopback resolves. Nothing is asserted: the pictures are for people.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.transfer import ARGS, CHROMIUM, served

WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")
OUT = Path("test-artifacts/screenshots")


def pages(site: Path) -> dict[str, str]:
    """Name the pages to photograph: home, the convoy event (or the largest), one record of each kind, the events index, the map."""
    def first(kind: str, prefer: str = "") -> str | None:
        folder = site / kind
        names = sorted(p.name for p in folder.iterdir() if (p / "index.html").is_file() and p.name not in ("years", "list"))
        return prefer if prefer in names else (names[0] if names else None)
    found = {"home": "", "events": "events/", "map": "map/"}
    for name, kind, prefer in (("event", "events", "2025-01-17-bamako-convoy"), ("actor", "actors", "wagner-group"),
                               ("system", "systems", "t-72"), ("source", "sources", "")):
        record = first(kind, prefer)
        if record:
            found[name] = f"{kind}/{record}/"
    return found


def shoot(site: Path, out: Path, only: list[str]) -> list[Path]:
    """Take every page at each width and scheme; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    chosen = {name: path for name, path in pages(site).items() if not only or path in only}
    chosen.update({p.strip("/").replace("/", "-") or "home": p for p in only if p not in chosen.values()})
    written = []
    with served(site, "/") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for width, viewport in WIDTHS.items():
            for scheme in SCHEMES:
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                for name, path in chosen.items():
                    page.goto(base + path, wait_until="load")
                    file = out / f"{name}-{width}-{scheme}.png"
                    page.screenshot(path=file, full_page=True)
                    written.append(file)
                context.close()
        browser.close()
    return written


def main() -> int:
    """Parse the arguments, take the screenshots, list them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", action="append", default=[], metavar="PATH", help="only this page (repeatable)")
    args = parser.parse_args()
    for file in shoot(args.site, args.out, args.only):
        sys.stdout.write(f"{file}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
