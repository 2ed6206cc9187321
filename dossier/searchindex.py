"""Search index: Pagefind indexes the finished site, after the builder, into site/pagefind/.

The index is made from the pages as readers see them. Which part of a page is
indexed, and its filters and result metadata, are attributes in the templates
(`data-pagefind-body` in overrides/main.html, `data-pagefind-filter`, `-meta`
and `-ignore` in templates/); the header's search (overrides/partials/search.html)
loads the index in small pieces, only when a reader searches.

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
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import cbor2

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the folder under the site that Pagefind writes and the header's search reads
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


def command(site_dir: Path) -> list[str]:
    """Return the command that indexes a built site (the only way the project runs Pagefind)."""
    # One index per language, split by each page's <html lang> (en at the root, fr under /fr/,
    # I18N.md): the search loads the index of its page's language, with that language's stemming.
    # The headings' permalink signs (¶) would end every result's title.
    return [str(executable()), "--site", str(site_dir), "--output-subdir", BUNDLE,
            "--exclude-selectors", ".headerlink", "--quiet"]


def index_site(site_dir: Path) -> None:
    """Index a built site with Pagefind, writing `<site_dir>/pagefind/`; raise SearchIndexError when it fails."""
    if not (Path(site_dir) / "index.html").is_file():
        raise SearchIndexError(f"{site_dir} holds no built site (no index.html): build it first")
    shutil.rmtree(Path(site_dir) / BUNDLE, ignore_errors=True)  # Pagefind adds to it; stale files would stay
    done = subprocess.run(command(Path(site_dir)), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise SearchIndexError(f"Pagefind failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()}")
    steady(Path(site_dir) / BUNDLE)
    log.info("search index written to %s", Path(site_dir) / BUNDLE)


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
    # With an index per language, Pagefind lists the languages in hash-map order too.
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
