"""The search index: Pagefind over a built site indexes what the templates mark, the same bytes every time."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest

from conftest import search_records
from dossier import searchindex

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<nav>Navigation text on every page</nav>
<div{body}><h1 id="t">{title}<a class="headerlink" href="#t">&para;</a></h1>
<table data-pagefind-filter="type:Event" data-pagefind-meta="type:Event"><tr><td>Kind</td>
<td data-pagefind-filter="kind" data-pagefind-meta="kind">{kind}</td></tr></table>
<p>{text}</p><div data-pagefind-ignore><h2>Related events</h2><ul><li>Repeated elsewhere</li></ul></div></div>
</body></html>"""


def site(root, pages: dict[str, tuple[str, str, bool]]):
    """Write a tiny built site: path -> (title, text, indexed), the home page first; kinds by title length."""
    for path, (title, text, indexed) in pages.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(PAGE.format(title=title, text=text, body=" data-pagefind-body" if indexed else "",
                                      kind=("attack", "delivery", "shipment")[len(title) % 3]))
    return root


@pytest.fixture
def tiny_site(tmp_path):
    """A site of four pages: three indexed, a list page left out."""
    return site(tmp_path / "site", {
        "index.html": ("Sahel Arms Dossier", "An open dossier.", True),
        "events/ambush/index.html": ("Ambush near Tinzaouaten", "Fighters were killed.", True),
        "events/convoy/index.html": ("Convoy", "Vehicles arrive in Bamako.", True),
        "events/index.html": ("Events", "Ambush near Tinzaouaten, listed again.", False),
    })


def test_index_holds_the_marked_content_with_its_filters_and_labels(tiny_site):
    """Only pages with data-pagefind-body are indexed; ignored parts, navigation and permalink signs are not."""
    searchindex.index_site(tiny_site)
    records = {r["url"]: r for r in search_records(tiny_site)}
    assert sorted(records) == ["/", "/events/ambush/", "/events/convoy/"]
    ambush = records["/events/ambush/"]
    assert ambush["meta"]["title"] == "Ambush near Tinzaouaten"
    assert ambush["meta"]["type"] == "Event" and ambush["meta"]["kind"] == "shipment"
    assert ambush["filters"] == {"type": ["Event"], "kind": ["shipment"]}
    assert "Fighters were killed" in ambush["content"]
    for left_out in ("Related events", "Repeated elsewhere", "Navigation", "¶"):
        assert left_out not in ambush["content"]
    entry = json.loads((tiny_site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3


def test_runs_write_the_same_bytes(tiny_site, tmp_path):
    """Indexing the same site again, in place or a copy, gives a byte-identical pagefind/ (Pagefind alone does not)."""
    def indexed(folder):
        searchindex.index_site(folder)
        return {p.relative_to(folder): p.read_bytes() for p in sorted((folder / "pagefind").rglob("*")) if p.is_file()}

    first = indexed(tiny_site)
    (tiny_site / "pagefind" / "fragment" / "en_0000000.pf_fragment").write_bytes(b"left by an older index")
    assert indexed(tiny_site) == first  # in place: nothing of the previous index stays
    for run in range(3):
        again = indexed(shutil.copytree(tiny_site, tmp_path / f"again{run}", ignore=shutil.ignore_patterns("pagefind")))
        assert again.keys() == first.keys() and again == first


def listed_fragments(site) -> list[str]:
    """Return the fragment names the page list (what opening the search downloads) gives, in order."""
    meta = next((site / "pagefind").glob("pagefind.*.pf_meta"))
    return [name for name, _ in searchindex._read(meta)[1]]


def test_the_page_list_names_every_fragment_and_a_changed_page_renames_them_all(tiny_site):
    """Each listed page's fragment exists and holds that page; after any page changes no name is reused, so
    a reader's browser never shows a fragment cached from the previous build in place of a new one."""
    searchindex.index_site(tiny_site)
    names = listed_fragments(tiny_site)
    folder = tiny_site / "pagefind" / "fragment"
    assert sorted(f"{n}.pf_fragment" for n in names) == sorted(p.name for p in folder.iterdir())
    assert len(set(names)) == 3 and len({n[:-1] for n in names}) == 1  # one shared digest, then the number
    signed = [gzip.decompress((folder / f"{n}.pf_fragment").read_bytes()) for n in names]
    urls = [json.loads(data[len(searchindex.SIGNATURE):])["url"] for data in signed]
    assert sorted(urls) == ["/", "/events/ambush/", "/events/convoy/"]
    page = tiny_site / "events" / "convoy" / "index.html"
    page.write_text(page.read_text().replace("Vehicles arrive", "Trucks arrive"))
    searchindex.index_site(tiny_site)
    assert not set(listed_fragments(tiny_site)) & set(names)


def test_a_folder_without_a_site_is_one_error_line(tmp_path, caplog):
    """Indexing before building says so in one line and exits non-zero; nothing is written."""
    assert searchindex.main([str(tmp_path)]) == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"error[search-index]: {tmp_path} holds no built site (no index.html): build it first"]
    assert not (tmp_path / "pagefind").exists()


def test_serve_reindexes_after_each_rebuild_and_build_leaves_it_to_make_site(tiny_site, monkeypatch):
    """In `mkdocs serve` the hook re-indexes the rebuilt site in the background; `mkdocs build` does not."""
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("generate_hook", ROOT / "hooks" / "generate.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763683200")
    hook.on_startup(command="build", dirty=False)
    hook.on_post_build({"site_dir": str(tiny_site)})
    assert hook.state.indexing is None and not (tiny_site / "pagefind").exists()
    hook.on_startup(command="serve", dirty=True)
    try:
        hook.on_post_build({"site_dir": str(tiny_site)})
        assert hook.state.indexing.wait(timeout=120) == 0
    finally:
        hook.on_shutdown()
    assert (tiny_site / "pagefind" / "pagefind-entry.json").is_file()


def test_each_edition_gets_its_own_index_of_its_own_pages(tiny_site):
    """The French edition under fr/ is indexed apart, in French, into fr/pagefind/ with URLs from its root; the
    English index holds no French page, and no HTML file of the site's assets (the maps) is read as a page.
    The notes beside English shown untranslated are not indexed: they would make every such page a result."""
    untranslated = ('<span lang="en">Trucks arrive.</span> '
                    '<small class="dossier-untranslated__note">(original anglais : pas encore traduit)</small>')
    site(tiny_site / "fr", {"index.html": ("Dossier sur les armes au Sahel", "Un dossier ouvert.", True),
                            "events/convoy/index.html": ("Convoi", f"Des véhicules. {untranslated}", True)})
    for path in ("fr/index.html", "fr/events/convoy/index.html"):
        page = tiny_site / path
        page.write_text(page.read_text().replace('<html lang="en">', '<html lang="fr">'))
    site(tiny_site / "assets" / "generated" / "maps", {"events/convoy.html": ("Map of the convoy", "A map.", True)})
    searchindex.index_site(tiny_site)
    assert sorted(r["url"] for r in search_records(tiny_site)) == ["/", "/events/ambush/", "/events/convoy/"]
    assert sorted(r["url"] for r in search_records(tiny_site / "fr")) == ["/", "/events/convoy/"]
    convoy = {r["url"]: r for r in search_records(tiny_site / "fr")}["/events/convoy/"]["content"]
    assert "Des véhicules" in convoy and "Trucks arrive" in convoy and "traduit" not in convoy
    for folder, lang, pages in ((tiny_site, "en", 3), (tiny_site / "fr", "fr", 2)):
        entry = json.loads((folder / "pagefind" / "pagefind-entry.json").read_text())
        assert {name: found["page_count"] for name, found in entry["languages"].items()} == {lang: pages}
