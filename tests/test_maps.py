"""The maps stage: every located event once, routes in order, local assets only, same bytes, inert text."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from branca.element import Element

from conftest import made
from dossier import config, maps
from dossier.build import load_valid
from dossier.model import build_dossier
from dossier.validate import Dataset

FIXTURES = Path(__file__).parent / "fixtures"
_DATA = re.compile(r"DossierMap\.show\(\w+, (.*)\);")
_REFS = re.compile(r'(?:src|href)="([^"]+)"')


def _dossier(name: str):
    """Index a fixture dataset."""
    return build_dossier(load_valid(FIXTURES / name))


@pytest.fixture(scope="module")
def valid():
    """The tiny valid fixture, indexed."""
    return _dossier("valid")


@pytest.fixture(scope="module")
def out(valid):
    """The maps stage's files for the valid fixture."""
    return made(maps.outputs, valid)


def _data(html: bytes) -> dict:
    """Read the data a map file passes to DossierMap.show."""
    return json.loads(_DATA.search(html.decode()).group(1))


def test_every_located_event_appears_once_with_its_coordinates(valid, out):
    """Each event with a place is one row, longitude first as in GeoJSON; events with no place are absent."""
    rows = {row[0]: row for row in _data(out[maps.MAP_HTML])["rows"]}
    located = [e for e in valid.events.values() if maps.is_located(e)]
    assert sorted(rows) == sorted(e.id for e in located)
    convoy = rows["2025-01-17-convoy"]
    assert (convoy[6], convoy[7]) == (-8.0, 12.64)  # lon, lat: Bamako, not a point in the Gulf of Aden
    assert convoy[2] == "17 January 2025" and convoy[9] == "town"
    assert "2022-corps-created" not in rows  # no place, no route


def test_a_route_without_a_place_is_drawn_in_order(out):
    """A shipment with only a route is on the map, its stops from port of loading to destination."""
    row = {r[0]: r for r in _data(out[maps.MAP_HTML])["rows"]}["2024-12-shipment"]
    assert row[6] is None and row[7] is None
    assert [stop[2] for stop in row[10]] == ["Kaliningrad", "Conakry", "Bamako"]
    assert row[10][0][:2] == [20.51, 54.71]


def test_map_path_names_a_file_the_stage_writes(valid, out):
    """The render stage's iframes point at real files; records with nothing to show get None."""
    assert maps.map_path("events", "2025-01-17-convoy", valid) == "assets/generated/maps/events/2025-01-17-convoy.html"
    assert maps.map_path("actors", "russia", valid) in out
    assert maps.map_path("systems", "t-72b3", valid) in out
    assert maps.map_path("events", "2022-corps-created", valid) is None
    assert maps.map_path("actors", "new-corps", valid) is None
    assert maps.map_path("sources", "report-a", valid) is None
    written = {p for p in out if p.startswith(maps.MAPS_DIR + "/") and p.count("/") == 4}
    expected = {maps.map_path(kind, rid, valid) for kind, ids in
                (("events", valid.events), ("actors", valid.actors), ("systems", valid.systems)) for rid in ids}
    assert written == expected - {None}


def test_map_page_embeds_the_map_with_a_title_and_a_text_alternative(out):
    """The page links map.html (same folder) from a sketch, titles the map it opens and links the events list."""
    page = out[maps.MAP_PAGE].decode()
    assert '<a class="dossier-sketch__open" href="map.html" data-map-title="Map of the 2 located events">' in page
    assert "](../events/index.md)" in page
    assert "2 of 3 events" in page


def test_every_referenced_asset_is_written_at_its_relative_path(out):
    """Each script and style a map file loads is a file of the stage, found from the map's own folder."""
    for path, data in out.items():
        if not path.endswith(".html"):
            continue
        refs = _REFS.findall(data.decode())
        assert any(r.endswith("leaflet.js") for r in refs)
        assert '<link rel="icon" href="data:,">' in data.decode()  # no favicon.ico asked of the host
        for ref in refs:
            if ref.startswith("data:"):
                continue  # the empty icon: inline, nothing to load
            assert posixpath.normpath(posixpath.join(posixpath.dirname(path), ref)) in out, (path, ref)


def test_nothing_is_loaded_from_elsewhere_but_the_tiles(out):
    """No generated map file names any http address other than the configured tile template."""
    tiles = config.tiles()
    for path, data in out.items():
        if path.startswith("assets/vendor/") or not path.endswith((".html", ".js", ".css", ".md")):
            continue
        text = data.decode().replace(tiles.url, "")
        assert not re.search(r"https?:|//[a-z]", text), path


def test_tiles_can_be_turned_off(valid, monkeypatch):
    """With DOSSIER_TILES=none the maps still draw, and nothing at all points outside the site."""
    monkeypatch.setenv("DOSSIER_TILES", "none")
    produced = made(maps.outputs, valid)
    assert b"L.tileLayer" not in produced[maps.MAP_HTML]
    assert not re.search(rb"https?:", produced[maps.MAP_HTML])
    assert b"DOSSIER_COUNTRIES" in produced["assets/vendor/natural-earth/countries-110m.js"]


def test_a_bad_tile_setting_falls_back_to_the_default(monkeypatch):
    """A tile URL that is not an https template is refused, not written into every page."""
    monkeypatch.setenv("DOSSIER_TILES", "javascript:alert(1)//{z}/{x}/{y}")
    assert config.tiles().url == config.TILES_URL


def test_two_builds_give_identical_bytes_and_ids_do_not_leak(valid, out):
    """Folium ids are numbered per map, so the output is the same every time and the patch is undone."""
    original = Element.__dict__["_generate_id"]
    again = made(maps.outputs, valid)
    assert again == out
    assert Element.__dict__["_generate_id"] is original
    assert b"map_0001" in out[maps.MAP_HTML]


def test_no_events_still_gives_a_map():
    """An empty dataset builds a map page and map without crashing."""
    produced = made(maps.outputs, build_dossier(Dataset((), (), (), ())))
    assert _data(produced[maps.MAP_HTML])["rows"] == []
    assert b"0 of 0 events" in produced[maps.MAP_PAGE]


@pytest.fixture(scope="module")
def hostile():
    """The hostile fixture's map files: every text field carries script and template payloads."""
    return made(maps.outputs, _dossier("hostile"))


def test_hostile_text_stays_data(hostile):
    """Payloads never close a script or open a tag in any map file (the map code has no template literals)."""
    for path, data in hostile.items():
        if not path.endswith((".html", ".md")):
            continue
        text = data.decode()
        assert text.count("</script>") == text.count("<script"), path  # only our own scripts close
        ours = text.replace('<svg class="dossier-sketch__dots"', "")  # the map page's sketch: dots, no text
        assert "<img" not in text and "<svg" not in ours and "<iframe src=javascript" not in text, path
    row = _data(hostile[maps.MAP_HTML])["rows"]
    titles = [r[1] for r in row]
    assert any("<script>alert(1)</script>" in t for t in titles)  # shown as text, intact, by textContent


def test_hostile_titles_are_escaped_in_the_document_title(hostile):
    """A record's name in the map's <title> is HTML text, never markup."""
    for path, data in hostile.items():
        if path.startswith(maps.MAPS_DIR + "/events/"):
            title = re.search(r"<title>(.*?)</title>", data.decode(), re.S).group(1)
            assert "<" not in title and "&lt;script&gt;" in title


def test_popups_are_built_from_text_nodes():
    """The shared script never hands row text to innerHTML: the escaping cannot be forgotten."""
    script = (Path(maps.__file__).parent / "assets" / "dossier-map.js").read_text()
    assert ".innerHTML" not in script and "`" not in script
    assert "textContent" in script


def test_a_record_map_carries_its_french_for_the_french_pages():
    """A record's map holds its French rows, layers, links and title for the French pages, which link it with
    #lang=fr: a French reader's popup says 'Livraisons' and opens the French event page."""
    from dossier import build

    dataset = load_valid(FIXTURES / "valid")
    d = build_dossier(dataset)
    d.translations = build.translated(FIXTURES / "valid", dataset)
    files = made(maps.outputs, d)
    data = _data(files["assets/generated/maps/events/2025-01-17-convoy.html"])
    assert data["groups"][0]["label"] == "Deliveries" and data["base"] == "../../../../events/"  # English as before
    fr = data["editions"]["fr"]
    assert fr["title"] == "Carte : Un convoi de blindés arrive dans la capitale"
    assert fr["rows"][0][1] == "Un convoi de blindés arrive dans la capitale"
    assert fr["groups"][0]["label"] == "Livraisons"
    assert fr["base"] == "../../../../fr/events/"
    assert fr["words"]["place"].startswith("Lieu : ")
    assert set(data) - {"editions"} == set(_data(files["assets/generated/maps/actors/russia.html"])) - {"editions"}
