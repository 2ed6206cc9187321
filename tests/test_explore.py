"""The explore stage: its index says what the data says, compactly; its page documents the view's address."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from conftest import made
from dossier import explore
from dossier.build import load_valid
from dossier.model import build_dossier

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def hostile():
    """The hostile fixture's dossier: script payloads in titles, a contested item, a variant system."""
    return build_dossier(load_valid(FIXTURES / "hostile"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A dossier of 300 synthetic events (bench/synth.py)."""
    from bench.synth import write_dataset

    data = tmp_path_factory.mktemp("synth") / "data"
    write_dataset(300, data)
    return build_dossier(load_valid(data))


def rows(data: dict) -> list[dict]:
    """Decode the index's columns into one dict per event, with start and end as dates."""
    columns, start = data["events"], 0
    out = []
    for n, event_id in enumerate(columns["id"]):
        start += columns["start"][n]
        first = explore.EPOCH + dt.timedelta(days=start)
        out.append({name: column[n] for name, column in columns.items()} |
                   {"first": first, "last": first + dt.timedelta(days=columns["span"][n]), "id": event_id})
    return out


def joined(parts: list[dict]) -> dict:
    """Put an index file's parts back together as explore.js does: its tables, then each list's pieces in turn."""
    head, *rest = parts
    data = {key: value for key, value in head.items() if key != "count"} | {"places": [], "events": {}}
    for part in rest:
        data["places"] += part.get("places", [])
        for name, values in part.get("events", {}).items():
            data["events"].setdefault(name, []).extend(values)
    return data


def test_each_event_is_one_row_with_its_date_kind_and_title(synthetic):
    """Every event appears once, in date order, with the dates the model gives it and its literal title."""
    data = explore.index(synthetic)
    decoded = rows(data)
    assert [r["id"] for r in decoded] == list(synthetic.events)
    kinds = [k for k, _colour in data["kinds"]]
    for r in decoded:
        event, date = synthetic.events[r["id"]], synthetic.dates[r["id"]]
        assert (r["first"], r["last"]) == (date.start, date.end)
        assert r["date"] == date.label() and r["title"] == event.title
        assert kinds[r["kind"]] == event.kind
        assert data["confidence"][r["confidence"]] == event.confidence


def test_actors_systems_and_places_point_into_their_tables(synthetic):
    """Actors, systems, countries and places are positions in tables that hold the ids the data uses."""
    data = explore.index(synthetic)
    actors = [a for a, _name in data["actors"]]
    systems = [s for s, _name, _parent in data["systems"]]
    for r in rows(data):
        event = synthetic.events[r["id"]]
        assert {actors[a] for a in r["actors"]} == {role.actor for role in event.actors}
        assert [systems[s] for s in r["systems"]] == sorted(
            (s.id for s in synthetic.event_systems(event)), key=systems.index)
        if event.place:
            assert data["places"][r["place"]][0] == event.place.name
            assert [data["countries"][c] for c in r["countries"]] == explore.event_countries(event)
        else:
            assert r["place"] == -1
        assert [data["places"][p][0] for p in (r["route"] or [])] == [stop.name for stop in event.route]


def test_country_counts_the_place_and_every_route_stop():
    """An event touches its place's country and each route stop's country, once each."""
    from dossier.schema import Event

    event = Event.model_validate({
        "id": "x", "date": "2024", "kind": "shipment", "title": "t", "sources": ["s"], "confidence": "reported",
        "place": {"name": "Bamako", "country": "ML"},
        "route": [{"name": "Baltiysk", "country": "RU"}, {"name": "Conakry", "country": "GN"},
                  {"name": "Bamako", "country": "ML"}, {"name": "Somewhere"}]})
    assert explore.event_countries(event) == ["ML", "RU", "GN"]


def test_variants_point_at_their_parent_and_contested_follows_the_model(hostile):
    """A variant's row names its parent, and 'sources disagree' marks exactly the events the model finds contested."""
    data = explore.index(hostile)
    systems = {s: (n, parent) for n, (s, _name, parent) in enumerate(data["systems"])}
    for system in hostile.systems.values():
        parent = systems[system.id][1]
        assert parent == (systems[system.variant_of][0] if system.variant_of else -1)
    contested = {r["id"] for r in rows(data) if r["contested"]}
    assert contested == {d.event.id for register in hostile.system_register.values() for d in register if d.contested}
    assert contested, "the hostile fixture has an item with two identifications"


def test_index_is_compact_deterministic_json(synthetic):
    """The index is the same bytes every build and small: under 40 bytes gzipped per event here."""
    first, second = explore.encoded(explore.index(synthetic)), explore.encoded(explore.index(synthetic))
    assert first == second
    json.loads(first)
    assert len(gzip.compress(first, 9)) < 40 * len(synthetic.events)


def test_index_file_is_in_parts_a_line_each(synthetic, monkeypatch):
    """The file is one JSON array whose lines are its parts (the page parses one a task): the tables and the
    count first, then places and columns in pieces of PART_ITEMS values, which put back together are the index."""
    monkeypatch.setattr(explore, "PART_ITEMS", 70)  # 300 events: columns in five pieces
    data = explore.index(synthetic)
    lines = explore.encoded(data).decode().split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""]
    parts = [json.loads(line.removesuffix(",")) for line in lines[1:-2]]
    assert all(line.endswith(",") for line in lines[1:-3]) and not lines[-3].endswith(",")
    assert parts[0]["count"] == len(synthetic.events) and "events" not in parts[0] and "places" not in parts[0]
    assert sum(1 for part in parts if "title" in part.get("events", {})) == 5
    assert all(len(values) <= 70 for part in parts[1:] for values in [part.get("places")] + list(
        part.get("events", {}).values()) if values is not None)
    assert joined(parts) == data


def test_each_index_names_the_months_in_its_language(hostile):
    """The citation's "date accessed" reads in the page's language: each index names the twelve months."""
    assert explore.index(hostile)["months"][10] == "November"
    assert explore.index(hostile, "fr")["months"][7] == "août"
    assert len(explore.index(hostile, "fr")["months"]) == 12


def test_titles_stay_literal_in_the_index(hostile):
    """Contributor text is data in the index: the same characters, for the page to set as text."""
    data = explore.index(hostile)
    assert set(data["events"]["title"]) == {e.title for e in hostile.events.values()}
    assert any("<script>" in title for title in data["events"]["title"])


def test_outputs_carry_the_page_the_index_and_uplot(hostile):
    """The stage writes the page, its index and uPlot's files from node_modules."""
    out = made(explore.outputs, hostile)
    assert {explore.PAGE, explore.INDEX, explore.UPLOT_JS, explore.UPLOT_CSS, explore.UPLOT_LICENSE} <= set(out)
    assert out[explore.UPLOT_JS].startswith(b"/*! https://github.com/leeoniya/uPlot")
    page = out[explore.PAGE].decode()
    for name in explore.PARAMETERS:
        assert f"<td><code>{name}</code></td>" in page, f"the page does not document `{name}`"
    assert "This page needs JavaScript" in page and 'href="../events/"' in page
    assert 'data-index="../assets/generated/explore/index.json"' in page


def test_missing_uplot_is_a_clear_error(monkeypatch, tmp_path):
    """Without node_modules, the stage says to run npm ci instead of failing obscurely."""
    monkeypatch.setattr(explore, "UPLOT_DIR", tmp_path / "uplot")
    with pytest.raises(explore.MissingLibrary, match="npm ci"):
        explore.library_files()


def test_record_pages_link_into_the_explore_page(hostile):
    """An actor's page links to its events on the explore page, and a system's page to its own."""
    from dossier import render

    pages = made(render.outputs, hostile)
    actor = next(iter(hostile.actor_events))
    assert f'href="../../explore/?actor={actor}"' in pages[f"actors/{actor}.md"].decode()
    system = next(iter(hostile.system_register))
    assert f'href="../../explore/?system={system}"' in pages[f"systems/{system}.md"].decode()
