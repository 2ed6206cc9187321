"""Places against their countries: border towns pass, wrong countries and swapped axes do not; no crash."""

from __future__ import annotations

import json
import math

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier import geo
from dossier.vendor import ASSETS


def judged(country, lat, lon):
    """Judge one point."""
    return geo.check_points([(country, lat, lon)])[0]


@pytest.mark.parametrize("name, country, lat, lon", [
    ("Bamako", "ML", 12.64, -8.0),
    ("Tinzaouaten, on the Algerian border (20 km inside Algeria's coarse shape)", "ML", 19.95, 2.97),
    ("Latakia, a port the coarse coast puts at sea", "SY", 35.52, 35.78),
    ("Kaliningrad, apart from the rest of Russia", "RU", 54.71, 20.51),
    ("Malabo, on an island the 1:110m shapes leave out", "GQ", 3.75, 8.78),
    ("Las Palmas, on the Canaries, also left out", "ES", 28.1, -15.41),
    ("Sevastopol, drawn in Russia's shape, named Ukraine", "UA", 44.6, 33.52),
    ("Hargeisa, in Somaliland, drawn apart from Somalia", "SO", 9.56, 44.06),
])
def test_places_in_their_country_pass(name, country, lat, lon):
    """Towns inside, near a border or a coast, or on a left-out island, are not refused."""
    assert judged(country, lat, lon) is None, name


@pytest.mark.parametrize("country", ["MT", "SG", "BH", "CV", "ST", "ZZ", None])
def test_countries_without_a_shape_are_skipped(country):
    """Tiny states the 1:110m file lacks, unknown codes and no country at all are never refused."""
    assert judged(country, 12.64, -8.0) is None


def test_a_wrong_sign_puts_a_town_in_another_country():
    """Bamako with an eastern longitude lies in Nigeria, hundreds of kilometres from Mali."""
    outside = judged("ML", 12.64, 8.0)
    assert outside.holder == "NG" and not outside.swapped and 500 < outside.km < 650


def test_swapped_axes_are_recognised():
    """Bamako written (-8.0, 12.64) fits Mali once swapped back."""
    outside = judged("ML", -8.0, 12.64)
    assert outside.swapped and outside.holder is None


def test_the_tolerance_is_measured_on_the_ground():
    """At 55° north a degree of longitude is 64 km: 0.5° east of Kaliningrad is within 40 km; 0.8° is not."""
    [kaliningrad] = [p for p in geo.shapes()["RU"].geoms if p.contains(shapely.Point(20.51, 54.71))]
    east, lat = max(kaliningrad.exterior.coords)  # its easternmost point: nothing of it is nearer to the east
    assert judged("RU", lat, east + 0.5) is None
    outside = judged("RU", lat, east + 0.8)
    assert abs(outside.km - 0.8 * 111.32 * math.cos(math.radians(lat))) < 1 and outside.holder == "LT"


@pytest.mark.parametrize("lat, lon", [(math.nan, 1.0), (1.0, math.inf), (1e308, -1e308), (91.0, 0.0),
                                      (0.0, 181.0), ("12", "-8"), (None, None), (True, False)])
def test_odd_numbers_are_left_to_their_own_checks(lat, lon):
    """NaN, infinities, huge numbers and non-numbers are judged by the coordinate checks, never here."""
    assert judged("ML", lat, lon) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ML", "RU", "FR", "FJ", "US", "AQ", "ZZ", None]),
                          st.floats(allow_nan=True, allow_infinity=True), st.floats()), max_size=6))
def test_any_points_give_answers_not_crashes(points):
    """Any numbers, anywhere, including the poles and the antimeridian, give a verdict per point."""
    found = geo.check_points(points)
    assert len(found) == len(points)
    assert all(f is None or (f.km > geo.TOLERANCE_KM and math.isfinite(f.km)) for f in found)


def test_the_codes_name_each_shape_the_maps_draw():
    """The codes file has one entry per feature of the maps' boundary file, and the region's countries."""
    features = json.loads((ASSETS / "countries-110m.geojson").read_bytes())["features"]
    codes = json.loads((ASSETS / "countries-110m-codes.json").read_bytes())
    assert len(codes) == len(features)
    assert {"ML", "BF", "NE", "DZ", "GN", "GQ", "RU", "SY", "LY", "SD"} <= set(geo.shapes())

