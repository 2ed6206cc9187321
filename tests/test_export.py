"""Exports: what a data user downloads opens cleanly, validates, and never runs hostile text."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import made
from dossier import export, translations
from dossier.build import load_valid, translated
from dossier.jsonschema import schema_files
from dossier.model import build_dossier
from dossier.validate import Dataset
from dossier.write import is_generated

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
BIN = Path(sys.executable).parent

# Appended to a copy of the valid fixture: formula-looking text, a southern, western place (Lima's point),
# an unidentified item, a range, text XML cannot carry, and markup everywhere.
HOSTILE_EVENT = """
- id: 2025-02-01-hostile
  date: 2025-02-01
  kind: delivery
  title: "=HYPERLINK(\\"http://evil.example\\",\\"click\\") <script>alert(1)</script>"
  summary: "-2+3 & <b>bold</b> \\uFFFE ]]> {{ 7*7 }}"
  place: {name: "@SUM(A1)", country: PE, lat: -12.05, lon: -77.04, precision: town}
  actors:
    - {actor: russia, role: supplier}
  equipment:
    - item: "+crates"
      quantity: {min: 4, max: 6}
      sources: [report-a]
    - item: trucks
      quantity: {about: 10}
      sources: [report-a]
      identified_as:
        - {system: bmp-3, sources: [report-a], quantity: 3}
  sources: [report-a]
  confidence: alleged
"""


def _outputs(data_dir: Path) -> dict[str, bytes]:
    """Run the export stage on a data directory, with its translations (data_dir/fr/)."""
    dataset = load_valid(data_dir)
    dossier = build_dossier(dataset)
    dossier.translations = translated(data_dir, dataset)
    return made(export.outputs, dossier)


def _write(files: dict[str, bytes], root: Path) -> Path:
    """Write outputs under a docs-like root and return it."""
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def _rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    """Read one exported CSV file as dictionaries."""
    return list(csv.DictReader(io.StringIO(files[f"data/{name}.csv"].decode())))


@pytest.fixture(scope="module")
def valid() -> dict[str, bytes]:
    """Exports of the valid fixture."""
    return _outputs(VALID)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    """A copy of the valid fixture with one hostile event added."""
    root = tmp_path_factory.mktemp("hostile")
    for f in VALID.glob("*.yaml"):
        shutil.copy(f, root / f.name)
    with open(root / "events.yaml", "a", encoding="utf-8") as fh:
        fh.write(HOSTILE_EVENT)
    return root


@pytest.fixture(scope="module")
def hostile(hostile_dir) -> dict[str, bytes]:
    """Exports of the hostile copy."""
    return _outputs(hostile_dir)


def test_every_promised_file_is_generated_inside_the_generated_folders(valid):
    promised = {"data/events.json", "data/events.csv", "data/equipment.csv", "data/actors.csv",
                "data/systems.csv", "data/sources.csv", "data/events.geojson", "data/datapackage.json",
                "data/translations.csv", "downloads/index.md", "fr/downloads/index.md", "feed.xml",
                "changes.xml"} | {f"data/schema/{n}" for n in schema_files()}
    promised |= {f"data/events/{e}.json" for e in ("2025-01-17-convoy", "2024-12-shipment",
                                                   "2022-corps-created")}
    assert promised == set(valid)
    assert all(is_generated(p) for p in valid)


def test_the_same_data_exports_the_same_bytes(valid):
    assert _outputs(VALID) == valid


def test_schemas_are_the_bytes_of_build_pages_schema(valid):
    for name, data in schema_files().items():
        assert valid[f"data/schema/{name}"] == data


def test_events_json_holds_the_whole_dataset_with_version_commit_and_parsed_dates(valid, monkeypatch):
    whole = json.loads(valid["data/events.json"])
    assert whole["counts"] == {"events": 3, "actors": 4, "systems": 4, "sources": 2}
    assert len(whole["version"]) == 12 and whole["commit"]
    shipment = next(e for e in whole["events"] if e["id"] == "2024-12-shipment")
    assert shipment["date"] == "2024-12~"
    assert (shipment["date_start"], shipment["date_end"], shipment["date_precision"]) == (
        "2024-12-01", "2024-12-31", "month")
    assert shipment["date_approximate"] is True
    convoy = next(e for e in whole["events"] if e["id"] == "2025-01-17-convoy")
    assert convoy["equipment"][1]["identified_as"][1]["system"] == "bmd-2"  # references stay ids
    source = next(s for s in whole["sources"] if s["id"] == "report-a")
    assert source["published_start"] == "2025-01-26"


def test_commit_comes_from_the_environment_and_is_never_free_text(monkeypatch):
    monkeypatch.setenv("DOSSIER_COMMIT", "abc123")
    assert export.commit() == "abc123"
    monkeypatch.setenv("DOSSIER_COMMIT", "`<b>` | x")
    assert export.commit() == "unknown"


def test_each_event_has_a_twin_with_the_records_it_cites(valid):
    twin = json.loads(valid["data/events/2025-01-17-convoy.json"])
    assert twin["event"]["id"] == "2025-01-17-convoy"
    assert {s["id"] for s in twin["sources"]} == {"report-a", "report-b"}
    assert {s["id"] for s in twin["systems"]} == {"t-72b3", "bmp-3", "bmd-2"}
    assert {a["id"] for a in twin["actors"]} == {"russia", "mali-armed-forces"}


def test_negative_longitudes_stay_numbers_in_csv(valid):
    convoy = next(r for r in _rows(valid, "events") if r["id"] == "2025-01-17-convoy")
    assert (convoy["lat"], convoy["lon"]) == ("12.64", "-8.0")


def test_formula_text_is_neutralised_but_numbers_are_not(hostile):
    row = next(r for r in _rows(hostile, "events") if r["id"] == "2025-02-01-hostile")
    assert row["title"].startswith("'=HYPERLINK")
    assert row["summary"].startswith("'-2+3")
    assert row["place"] == "'@SUM(A1)"
    assert (row["lat"], row["lon"]) == ("-12.05", "-77.04")
    items = [r for r in _rows(hostile, "equipment") if r["event"] == "2025-02-01-hostile"]
    assert items[0]["item"] == "'+crates"


def test_equipment_has_one_row_per_claim_and_one_for_an_unidentified_item(valid, hostile):
    rows = _rows(valid, "equipment")
    ifv = [r for r in rows if r["item"] == "infantry fighting vehicles"]
    assert [r["system"] for r in ifv] == ["bmp-3", "bmd-2"]
    assert all(r["contested"] == "true" for r in ifv)
    tanks = next(r for r in rows if r["item"] == "main battle tanks")
    assert (tanks["quantity_min"], tanks["quantity_max"], tanks["quantity_qualifier"]) == ("5", "", "at least")
    extra = [r for r in _rows(hostile, "equipment") if r["event"] == "2025-02-01-hostile"]
    assert (extra[0]["system"], extra[0]["claim_no"], extra[0]["quantity_qualifier"]) == ("", "0", "range")
    assert (extra[0]["quantity_min"], extra[0]["quantity_max"]) == ("4", "6")
    assert (extra[1]["system"], extra[1]["quantity_min"], extra[1]["quantity_qualifier"]) == (
        "bmp-3", "3", "exact")  # the claim's own count beats the item's 'about 10'


def test_csv_is_utf8_with_unix_line_endings(valid):
    for name in export.COLUMNS:
        data = valid[f"data/{name}.csv"]
        assert b"\r\n" not in data and data.endswith(b"\n")
        data.decode("utf-8")


def _frictionless(root: Path) -> subprocess.CompletedProcess:
    """Validate an exported Data Package with the frictionless command line."""
    return subprocess.run([str(BIN / "frictionless"), "validate", "--json", "datapackage.json"],
                          cwd=root / "data", capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("which", ["valid", "hostile"])
def test_datapackage_validates_with_frictionless(which, request, tmp_path):
    files = request.getfixturevalue(which)
    done = _frictionless(_write(files, tmp_path))
    report = json.loads(done.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:3000]


@pytest.mark.parametrize("data_dir", [HOSTILE, ROOT / "data"], ids=["fixtures/hostile", "data"])
def test_exports_of_the_hostile_fixture_and_the_real_data_validate(data_dir, tmp_path, today):
    if not (data_dir / "events.yaml").is_file():
        pytest.skip(f"{data_dir} does not exist yet")
    done = _frictionless(_write(_outputs(data_dir), tmp_path))
    assert json.loads(done.stdout)["valid"], done.stdout[:3000]


def test_translations_csv_joins_the_french_text_to_the_records(valid):
    """translations.csv holds one row per current French field, joinable on (record_type, id); Downloads lists it."""
    rows = list(csv.DictReader(io.StringIO(valid["data/translations.csv"].decode())))
    events = {r["id"] for r in csv.DictReader(io.StringIO(valid["data/events.csv"].decode()))}
    title = next(r for r in rows if r["record_type"] == "events" and r["field"] == "title" and
                 r["id"] == "2025-01-17-convoy")
    assert title == {"record_type": "events", "id": "2025-01-17-convoy", "field": "title", "lang": "fr",
                     "text": "Un convoi de blindés arrive dans la capitale",
                     "english_fingerprint": translations.fingerprint("Armour convoy arrives in the capital")}
    assert {r["id"] for r in rows if r["record_type"] == "events"} == events
    package = json.loads(valid["data/datapackage.json"])
    assert "translations" in {r["name"] for r in package["resources"]}
    assert "[translations.csv](../data/translations.csv)" in valid["downloads/index.md"].decode()
    assert '<a href="../../data/translations.csv">translations.csv</a>' in valid["fr/downloads/index.md"].decode()


def test_datapackage_declares_keys_between_the_tables(valid):
    package = json.loads(valid["data/datapackage.json"])
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    keys = {(fk["fields"][0], fk["reference"]["resource"]) for fk in schemas["equipment"]["foreignKeys"]}
    assert keys == {("event", "events"), ("system", "systems")}
    assert schemas["events"]["primaryKey"] == ["id"]
    lon = next(f for f in schemas["events"]["fields"] if f["name"] == "lon")
    assert lon["type"] == "number"


def _data_dirs() -> list[Path]:
    """Data directories whose YAML files the schemas must accept."""
    dirs = [VALID]
    if all((ROOT / "data" / f"{k}.yaml").is_file() for k in ("events", "actors", "systems", "sources")):
        dirs.append(ROOT / "data")
    return dirs


@pytest.mark.parametrize("data_dir", _data_dirs(), ids=lambda p: p.name)
def test_check_jsonschema_accepts_the_data_files(data_dir, tmp_path, valid):
    for kind in ("events", "actors", "systems", "sources"):
        schema = tmp_path / f"{kind}.schema.json"
        schema.write_bytes(valid[f"data/schema/{kind}.schema.json"])
        done = subprocess.run([str(BIN / "check-jsonschema"), "--schemafile", str(schema),
                               str(data_dir / f"{kind}.yaml")], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_reads_unquoted_dates_as_the_validator_does(hostile_dir, valid, tmp_path):
    # The hostile copy writes `date: 2025-02-01` unquoted, a YAML timestamp to some loaders.
    schema = tmp_path / "events.schema.json"
    schema.write_bytes(valid["data/schema/events.schema.json"])
    done = subprocess.run([str(BIN / "check-jsonschema"), "--schemafile", str(schema),
                           str(hostile_dir / "events.yaml")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_geojson_is_rfc7946_longitude_first(valid):
    collection = json.loads(valid["data/events.geojson"])
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    by_id = {f["id"]: f for f in collection["features"]}
    assert by_id["2025-01-17-convoy"]["geometry"] == {"type": "Point", "coordinates": [-8.0, 12.64]}
    route = by_id["2024-12-shipment/route"]["geometry"]
    assert route["type"] == "LineString" and route["coordinates"][0] == [20.51, 54.71]
    assert "2022-corps-created" not in by_id  # no place, no feature
    props = by_id["2025-01-17-convoy"]["properties"]
    assert {"id", "title", "date", "kind", "url"} <= set(props)
    assert props["url"] == "events/2025-01-17-convoy/"


def test_empty_dataset_still_exports(monkeypatch):
    # The validator refuses empty files; the exports must still cope with no records.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = made(export.outputs, build_dossier(Dataset((), (), (), ())))
    assert b"<updated>2023-11-14" in files["feed.xml"]
    assert json.loads(files["data/events.geojson"])["features"] == []
    assert files["data/events.csv"].decode().count("\n") == 1  # the header alone


def test_downloads_page_links_every_file_with_its_size_and_licence(valid):
    page = valid["downloads/index.md"].decode()
    for path in ("data/events.json", "data/events.csv", "data/equipment.csv", "data/datapackage.json",
                 "data/events.geojson", "feed.xml", "data/schema/events.schema.json"):
        assert f"](../{path})" in page
    assert "CC BY 4.0" in page and "creativecommons.org/licenses/by/4.0/" in page
    assert "How to cite" in page
    size = export.human_size(len(valid["data/events.csv"]))
    assert f"| CSV | {size} |" in page


def test_downloads_page_has_no_raw_html_outside_code(valid):
    page = re.sub(r"`[^`]*`", "", valid["downloads/index.md"].decode())
    assert "<" not in page and ">" not in page.replace("\n> ", "\n")


def test_downloads_page_documents_every_csv_column(valid):
    page = valid["downloads/index.md"].decode()
    for name, columns in export.COLUMNS.items():
        assert f"### {name}.csv" in page
        assert all(f"| `{c.name}` |" in page for c in columns)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_survives_a_csv_round_trip_inert(text):
    column = export.Column("title", "string", False, "")
    data = export.csv_bytes((column,), [{"title": text}]).decode()
    _, (cell,) = list(csv.reader(io.StringIO(data), strict=True))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # line breaks are written as \n
    assert cell == ("'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text)
