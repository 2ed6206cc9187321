"""Every page stays small however large the dossier grows: no HTML page over 300 KB at 10,000 events.

Lists that grow with the data (the events, an actor's events, a system's register) are cut
into year pages of at most render.PAGE_ROWS rows, and record pages show their latest
render.RECENT rows; so a page's size is bounded, whatever the number of events. This checks
it on 1,000 synthetic events (bench/synth.py), where each generated page must leave the theme
room for its header, navigation and scripts within the limit; the benchmark's 10,000 events
are measured, not tested (bench/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import write_dataset
from conftest import made
from dossier import render
from dossier.build import load_valid
from dossier.model import build_dossier

LIMIT = 300_000  # bytes of HTML per page, served
THEME = 50_000  # what Material adds around a generated body (header, navigation, scripts): about 30 KB here
SHARE = LIMIT - THEME


@pytest.fixture(scope="module")
def thousand(tmp_path_factory) -> dict[str, bytes]:
    """Render the pages of 1,000 synthetic events."""
    data = tmp_path_factory.mktemp("n1000")
    write_dataset(1000, data)
    return {path: body for path, body in made(render.outputs, build_dossier(load_valid(data))).items()
            if path.endswith(".md")}


def test_no_generated_page_exceeds_its_share_of_the_limit(thousand):
    """The largest generated page at 1,000 events leaves the theme its room under 300 KB."""
    largest = max(thousand, key=lambda path: len(thousand[path]))
    assert len(thousand[largest]) <= SHARE, f"{largest} is {len(thousand[largest]):,} bytes (share {SHARE:,})"


def test_long_lists_are_split_into_bounded_year_pages(tmp_path, monkeypatch):
    """With a small page size, busy years and long registers split into parts, none over the size, none lost."""
    monkeypatch.setattr(render, "PAGE_ROWS", 40)
    monkeypatch.setattr(render, "RECENT", 10)
    write_dataset(400, tmp_path)
    d = build_dossier(load_valid(tmp_path))
    pages = made(render.outputs, d)
    years = {path: body.decode() for path, body in pages.items() if path.startswith("events/years/")}
    assert any(Path(path).stem.count("-") for path in years), "no year was split into parts"
    rows = [body.count("<tr data-kind=") for body in years.values()]
    assert max(rows) <= 40 and sum(rows) == len(d.events)  # every event once, on a bounded page
    busiest = max(d.system_register, key=lambda s: len(d.system_register[s]))
    register = [body.decode() for path, body in pages.items() if path.startswith(f"systems/{busiest}/")]
    assert register and sum(page.count('<td data-label="Counted">') for page in register) == \
        len(d.system_register[busiest])
    record = pages[f"systems/{busiest}.md"].decode()
    assert record.count('<td data-label="Counted">') == 10 and f'href="../../systems/{busiest}/' in record


def test_a_long_sources_index_is_split_by_letter(tmp_path, monkeypatch):
    """The sources index continues on further pages, each listing at most a page's worth, every source once."""
    monkeypatch.setattr(render, "PAGE_ROWS", 30)
    write_dataset(400, tmp_path)
    d = build_dossier(load_valid(tmp_path))
    pages = {path: body.decode() for path, body in made(render.outputs, d).items()
             if path == "sources/index.md" or path.startswith("sources/list/")}
    assert len(pages) > 1 and "sources/list/2.md" in pages
    listed = [page.count('<td data-label="Source">') for page in pages.values()]
    assert max(listed) <= 30 and sum(listed) == len(d.sources)
    assert 'href="../sources/list/2/"' in pages["sources/index.md"] and 'href="../../../sources/"' in pages["sources/list/2.md"]


def test_a_long_actors_or_systems_index_gets_a_page_per_kind(tmp_path, monkeypatch):
    """Past render.INDEX_ROWS records, the index sums up each kind and links its page; every record is listed once."""
    monkeypatch.setattr(render, "INDEX_ROWS", 10)
    write_dataset(400, tmp_path)
    d = build_dossier(load_valid(tmp_path))
    pages = {path: body.decode() for path, body in made(render.outputs, d).items()}
    for kind, label, records in (("actors", "Actor", d.actors), ("systems", "System", d.systems)):
        index = pages[f"{kind}/index.md"]
        lists = {path: body for path, body in pages.items() if path.startswith(f"{kind}/list/")}
        assert lists and f'<td data-label="{label}">' not in index  # a summary, not the long table
        for path in lists:
            assert f'href="../{path[:-3]}/"' in index, f"the index does not link {path}"
            assert f'href="../../../{kind}/"' in lists[path], f"{path} has no way back to the index"
        assert sum(body.count(f'<td data-label="{label}">') for body in lists.values()) == len(records)


def test_a_short_actors_index_stays_one_page(tmp_path):
    """At today's scale (fewer than render.INDEX_ROWS actors) the index lists every actor on its one page."""
    write_dataset(60, tmp_path)
    d = build_dossier(load_valid(tmp_path))
    pages = made(render.outputs, d)
    assert not any(path.startswith("actors/list/") for path in pages)
    assert pages["actors/index.md"].decode().count('<td data-label="Actor">') == len(d.actors)
