"""The data model's rules, and the JSON Schemas generated from it."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import ROOT, VALID
from pydantic import ValidationError

from dossier.jsonschema import field_reference, schema_files
from dossier.load import load_file
from dossier.schema import KIND, Equipment, Place, Quantity, Source, today


def error_type(model, data) -> str:
    """Validate data that must fail; return the first error's type (the dossier's code)."""
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value.errors()[0]["type"]


@pytest.mark.parametrize("raw, label, floor", [
    (5, "5", 5), ({"min": 5}, "at least 5", 5), ({"min": 4, "max": 6}, "4–6", 4),
    ({"about": 6}, "about 6", 6), ({"exact": 0}, "0", 0),
])
def test_quantity_forms(raw, label, floor):
    """Every quantity form reads back as words, and its floor is the conservative figure."""
    quantity = Quantity.model_validate(raw)
    assert (quantity.label(), quantity.floor) == (label, floor)


@pytest.mark.parametrize("raw", [-1, {"min": -2}, {"min": 6, "max": 4}, {"max": 4}, {}, {"exact": 3, "min": 2},
                                 {"about": 3, "max": 4}])
def test_bad_quantities(raw):
    """Negative, inverted, half-open and mixed quantities are bad-quantity."""
    assert error_type(Quantity, raw) == "bad-quantity"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "/relative",
                                 "ftp://example.org/x", "https://example.org/\n", "https://", "http://localhost x"])
def test_urls_must_be_http(url):
    """Only absolute http(s) URLs pass; javascript: above all fails."""
    assert error_type(Source, {"id": "s", "title": "T", "kind": "news", "language": "en", "url": url}) == "bad-url"


def test_http_and_https_pass():
    """Both schemes are fine."""
    for url in ("http://example.org", "HTTPS://example.org/a?b=c#d"):
        Source.model_validate({"id": "s", "title": "T", "kind": "news", "language": "en", "url": url})


@pytest.mark.parametrize("value", ["abc\n", "a--b", "-a", "A", "a_b", "", "é"])
def test_ids_must_be_slugs(value):
    """Ids are lower-case ASCII words joined by single hyphens, with no trailing newline."""
    assert error_type(Source, {"id": value, "title": "T", "kind": "news", "language": "en"}) == "bad-id"


def test_country_trailing_newline_refused():
    """'ML\\n' is not a country code."""
    assert error_type(Place, {"name": "B", "country": "ML\n"}) == "bad-country"


def test_place_needs_lat_lon_and_precision_together():
    """Half a location is refused."""
    assert error_type(Place, {"name": "B", "lat": 12.6}) == "bad-coordinate"
    assert Place.model_validate({"name": "B", "lat": 12, "lon": -8, "precision": "town"}).located


@pytest.mark.parametrize("lat", [90.5, -91, float("nan"), float("inf")])
def test_latitude_range(lat):
    """Latitudes outside ±90, NaN and infinity are bad-coordinate."""
    assert error_type(Place, {"name": "B", "lat": lat, "lon": 0, "precision": "town"}) == "bad-coordinate"


def test_claims_need_sources():
    """An equipment item with an empty source list fails."""
    assert error_type(Equipment, {"item": "tanks", "sources": []}) == "too_short"


def test_bad_today_override_falls_back(monkeypatch, caplog):
    """A mistyped DOSSIER_TODAY does not turn every date into an error; it is logged once."""
    monkeypatch.setenv("DOSSIER_TODAY", "the-day-after")
    assert today() == today() and today().year >= 2025
    assert caplog.text.count("DOSSIER_TODAY='the-day-after' is not a date") == 1


def test_today_override(monkeypatch):
    """DOSSIER_TODAY pins the day the future starts after."""
    monkeypatch.setenv("DOSSIER_TODAY", "2020-05-01")
    assert error_type(Source, {"id": "s", "title": "T", "kind": "news", "language": "en",
                               "published": "2020-05-02"}) == "future-date"


def test_committed_schemas_are_current():
    """schema/*.json matches the model; when this fails, run `make schema` and commit the result."""
    for name, data in schema_files().items():
        committed = ROOT / "schema" / name
        assert committed.is_file() and committed.read_bytes() == data, \
            f"schema/{name} is out of date with dossier/schema.py: run `make schema` and commit schema/"


@pytest.mark.parametrize("folder", [VALID, ROOT / "data"], ids=["fixture", "shipped"])
@pytest.mark.parametrize("kind", sorted(KIND))
def test_schemas_accept_clean_data(kind, folder):
    """Editors using the JSON Schemas see no error on clean data: the valid fixture and data/."""
    if not (folder / f"{kind}.yaml").is_file():
        pytest.skip(f"{folder.name}/{kind}.yaml does not exist yet")
    doc, _ = load_file(folder / f"{kind}.yaml", f"{kind}.yaml")
    schema = json.loads(schema_files()[f"{kind}.schema.json"])
    jsonschema.Draft202012Validator(schema).validate(doc.data)


def test_schemas_refuse_unknown_fields():
    """The schemas forbid typos as the validator does."""
    schema = json.loads(schema_files()["sources.schema.json"])
    bad = [{"id": "s", "title": "T", "kind": "news", "language": "en", "titel": "x"}]
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)


def test_field_reference_covers_every_field_with_help():
    """The generated field reference lists every top-level field, each with help text."""
    reference = field_reference()
    for kind, model in ((k, KIND[k].model) for k in KIND):
        paths = {row[0] for row in reference[kind]}
        assert set(model.model_fields) <= paths
        assert all(row[3] for row in reference[kind])
