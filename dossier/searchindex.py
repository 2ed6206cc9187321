"""Search index: Pagefind indexes the finished site, after the builder, each edition into its own pagefind/.

The index is made from the pages as readers see them. Which part of a page is
indexed, and its filters and result metadata, are attributes in the templates
(`data-pagefind-body` in overrides/main.html, `data-pagefind-filter`, `-meta`
and `-ignore` in templates/); the header's search (overrides/partials/search.html)
loads the index in small pieces, only when a reader searches.

Each edition is indexed by its own Pagefind run, into its own bundle (site/pagefind/ for English,
site/fr/pagefind/ for French), which its pages' search loads: one run over both held both in
memory, 1.6 GiB at 10,000 events.

`make site` runs `python -m dossier.searchindex site` after MkDocs; `mkdocs serve`
runs the same command in the background once a rebuild leaves the site settled (hooks/generate.py);
any other builder of the generated pages can run it too (no MkDocs hook needed).
Pagefind comes from PyPI as a binary wheel (`pagefind[bin]`, requirements.lock).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import cbor2

from .i18n import LANGUAGES, edition

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the folder under each edition's root that Pagefind writes and its header's search reads
# Not an edition's pages: the other editions, the site's files (the maps' 10,000 HTML files among them, which
# Pagefind would read for nothing: no page there is marked for search), and the index itself.
NOT_PAGES = {*(edition(lang).rstrip("/") for lang in LANGUAGES[1:]), "assets", BUNDLE}
# Pagefind holds every page it reads until it has written the index (60 kB for a record page of 150 words),
# and its allocator (jemalloc) keeps freed memory for 10 s: returned at once, the peak is 15% lower.
ALLOCATOR = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}
SIGNATURE = b"pagefind_dcd"  # what Pagefind's index files hold, gzipped, before their CBOR


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed."""


def executable() -> Path:
    """Return the Pagefind binary installed from PyPI (`pagefind[bin]`)."""
    try:
        import pagefind_bin
    except ImportError as exc:
        raise SearchIndexError("Pagefind is not installed: run `make site`, which installs requirements.lock") from exc
    return pagefind_bin.get_executable()


def editions(site_dir: Path) -> list[Path]:
    """List the root folders of the editions a site holds (the source language's, the site's root, first)."""
    return [site_dir / edition(lang) for lang in LANGUAGES if (site_dir / edition(lang) / "index.html").is_file()]


def pages_glob(edition_dir: Path) -> str:
    """Return the glob of the pages search may find in an edition: its top pages (`about/`), and the record
    pages (`events/<id>/`), in every folder but those of NOT_PAGES.

    Deeper pages are the long lists' (year pages, registers, the sources index's pages), which search leaves
    out (their front matter's `search: exclude`, overrides/main.html): read, they cost Pagefind 2,200 pages'
    worth of memory at 10,000 events for nothing. tests/test_site.py checks that every page marked for
    search is in the index.
    """
    with os.scandir(edition_dir) as entries:
        found = sorted((entry.name, entry.is_dir()) for entry in entries if entry.name not in NOT_PAGES)
    return "{" + ",".join(f"{name}/index.html,{name}/*/index.html" if folder else name for name, folder in found
                          if folder or name.endswith(".html")) + "}"


def command(edition_dir: Path) -> list[str]:
    """Return the command that indexes one edition of a built site (the only way the project runs Pagefind)."""
    # Pagefind reads the language from the pages' <html lang>, for its stemming; its URLs are from the
    # edition's root, which the search gives it as its base URL (assets/search.js).
    # Left out: the headings' permalink signs (¶), which would end every result's title, and the notes
    # beside English shown on a page of another edition ("not translated yet"), which would make every
    # such page a result for those words (and cost the French index 12% of its memory at 10,000 events).
    return [str(executable()), "--site", str(edition_dir), "--glob", pages_glob(edition_dir), "--output-subdir",
            BUNDLE, "--exclude-selectors", ".headerlink,.dossier-untranslated__note", "--quiet"]


def index_site(site_dir: Path) -> None:
    """Index each edition of a built site with Pagefind into its `pagefind/`; raise SearchIndexError if it fails."""
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise SearchIndexError(f"{site_dir} holds no built site (no index.html): build it first")
    for edition_dir in editions(site_dir):  # one after the other: each run holds its edition's index in memory
        shutil.rmtree(edition_dir / BUNDLE, ignore_errors=True)  # Pagefind adds to it; stale files would stay
        done = subprocess.run(command(edition_dir), capture_output=True, text=True, check=False,  # noqa: S603
                              env={**os.environ, **ALLOCATOR})
        if done.returncode:
            raise SearchIndexError(f"Pagefind failed on {edition_dir} (exit {done.returncode}): "
                                   f"{(done.stderr or done.stdout).strip()}")
        steady(edition_dir / BUNDLE)
        log.info("search index written to %s", edition_dir / BUNDLE)


def _read(path: Path):
    """Decode one of Pagefind's index files (gzipped signature and CBOR)."""
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE):])


def _write(folder: Path, prefix: str, suffix: str, digits: int, value) -> str:
    """Write a value as Pagefind does, named by a digest of its bytes; return the name's hash part."""
    data = SIGNATURE + cbor2.dumps(value)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def steady(bundle: Path) -> None:
    """Rewrite the filter files and the index's metadata in a fixed order, so two runs give the same bytes.

    Pagefind 1.5.2 lists the filters, each filter's values and the languages in hash-map order,
    which changes from run to run (its fragments and word index are stable). The files' names are
    digests of their content, so they are renamed, and the references to them updated. The pages'
    fragments are renamed too, shorter (`short_fragment_names`).
    """
    entry_file = bundle / "pagefind-entry.json"
    entry = entry_file.read_text(encoding="utf-8")
    for language in sorted(bundle.glob("pagefind.*.pf_meta")):
        meta = _read(language)
        old_hash = language.name.split(".")[1]
        lang = old_hash.split("_")[0]
        filters = []
        for name, chunk in meta[3]:  # [version, pages, word index chunks, filters, sorts, meta fields]
            path = bundle / "filter" / f"{chunk}.pf_filter"
            key, values = _read(path)
            path.unlink()
            filters.append([name, _write(bundle / "filter", f"{lang}_", ".pf_filter", 7, [key, sorted(values)])])
        meta[3] = sorted(filters)
        meta[1] = short_fragment_names(bundle / "fragment", lang, meta[1])
        language.unlink()
        new_hash = _write(bundle, f"pagefind.{lang}_", ".pf_meta", 10, meta).split(".", 1)[1]
        entry = entry.replace(f'"{old_hash}"', f'"{new_hash}"')
    # Should a bundle hold more than one language, Pagefind lists them in hash-map order too.
    entry = json.loads(entry)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def short_fragment_names(folder: Path, lang: str, pages: list) -> list:
    """Rename the pages' fragments by their place in the page list, under a digest of them all; return the list.

    The page list (each page's fragment name and word count) is what opening the search downloads
    in full, and Pagefind names each fragment by a digest of its own, which does not compress: 62
    of its 80 kB gzip at 10,000 events. Numbered in order under one shared digest the names take
    about 25 kB. The digest of all the old names changes when any page does, so a browser never
    reuses a fragment cached from another build under the same name, as with Pagefind's own names.
    """
    tag = hashlib.sha256("\n".join(name for name, _ in pages).encode()).hexdigest()[:8]
    renamed: dict[str, str] = {}
    listed = []
    for number, (name, words) in enumerate(pages):
        if name not in renamed:  # pages with the same content share one fragment
            renamed[name] = f"{lang}_{tag}{number:x}"
            (folder / f"{name}.pf_fragment").rename(folder / f"{renamed[name]}.pf_fragment")
        listed.append([renamed[name], words])
    return listed


def main(argv: list[str] | None = None) -> int:
    """Index the built site named on the command line (default: site/)."""
    parser = argparse.ArgumentParser(prog="python -m dossier.searchindex", description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"), help="the built site (default: site/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        index_site(args.site)
    except SearchIndexError as exc:
        log.error("error[search-index]: %s", exc)
        return 1
    return 0


if __name__ == "__main__":
    # `mkdocs serve` stops an indexing whose site is being rebuilt: exiting through SystemExit lets
    # subprocess.run kill Pagefind too, which would otherwise go on writing beside the next one.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    sys.exit(main())
