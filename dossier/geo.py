"""Whether a place's point lies in its country, on the Natural Earth 1:110m shapes the maps draw.

Shapely (GEOS) does the geometry: a point-in-polygon test for every located place,
one call per country for all its points, and a distance only for the rare point
outside. By hand this would be a Python loop over every edge of every country a
point is tested against, and edge cases (holes, islands, rings that GEOS finds
invalid after rounding) to get right ourselves.
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
import shapely.affinity
import shapely.geometry

from .vendor import ASSETS

# A point may lie this far outside its country's shape. At 1:110m a border is a few straight
# segments: Tinzaouaten, on the Mali-Algeria border, falls 20 km inside Algeria's shape, and
# coastal towns (Latakia, Djibouti) 10-20 km out at sea. 40 km passes every border and coastal
# town we tried, and still catches a wrong sign, swapped axes or a wrong country, which put a
# point hundreds of kilometres away.
TOLERANCE_KM = 40.0
# A point on no country's shape is at sea or on an island the 1:110m shapes leave out: Bioko
# (Malabo) lies 190 km from Equatorial Guinea's shape, the Canaries 1,330 km from Spain's. It is
# refused only beyond this, which still catches a Sahel town sent to sea by a wrong sign.
OFFSHORE_KM = 1500.0
# Territory the file draws in one country's shape that sources may name another: a point there
# may carry either code. (claimed by, drawn in, bounding box as lon/lat min and max or None: all of it)
DISPUTED: tuple[tuple[str, str, tuple[float, float, float, float] | None], ...] = (
    ("UA", "RU", (32.4, 44.3, 36.7, 46.3)),  # Crimea
    ("SY", "IL", (35.6, 32.6, 36.0, 33.4)),  # the Golan Heights
    ("MA", "EH", None),  # Western Sahara, drawn apart, most of it administered by Morocco
)
EARTH_KM = 6371.0088  # mean radius


@dataclass(frozen=True)
class Outside:
    """A point that is not in its country: how far out, whose shape holds it, and whether swapping fits."""

    km: float
    holder: str | None  # the country whose shape holds the point; None at sea
    swapped: bool  # the point with latitude and longitude swapped lies in the country


@functools.cache
def shapes() -> dict[str, shapely.MultiPolygon]:
    """Return each country's shape by ISO 3166-1 alpha-2 code, prepared for quick point tests."""
    features = json.loads((ASSETS / "countries-110m.geojson").read_bytes())["features"]
    codes = json.loads((ASSETS / "countries-110m-codes.json").read_bytes())
    if len(codes) != len(features):  # the two files are written together by make_countries.py
        raise RuntimeError("countries-110m-codes.json does not match countries-110m.geojson: regenerate both")
    parts: dict[str, list] = defaultdict(list)
    for code, feature in zip(codes, features):
        if code:
            parts[code] += shapely.geometry.shape(feature["geometry"]).geoms
    out = {code: shapely.MultiPolygon(polygons) for code, polygons in parts.items()}
    for shape in out.values():
        shapely.prepare(shape)
    return out


@functools.cache
def _holders() -> tuple[shapely.STRtree, list[str]]:
    """Return a search tree of every country's shape, and the code of each."""
    codes = list(shapes())
    return shapely.STRtree([shapes()[code] for code in codes]), codes


def check_points(points: Iterable[tuple[str | None, float, float]]) -> list[Outside | None]:
    """Judge (country, lat, lon) points: None for a point in its country (or one that cannot be judged)."""
    points = list(points)
    found: list[Outside | None] = [None] * len(points)
    by_country: dict[str, list[int]] = defaultdict(list)
    for at, (country, lat, lon) in enumerate(points):
        if country in shapes() and _usable(lat, lon):
            by_country[country].append(at)
    for country, ats in by_country.items():
        lats = np.array([points[at][1] for at in ats], dtype=float)
        lons = np.array([points[at][2] for at in ats], dtype=float)
        km = _km_outside(country, lats, lons)
        far = np.flatnonzero(km > TOLERANCE_KM)
        for j, outside in zip(far, _judge(country, lats[far], lons[far], km[far])):
            found[ats[j]] = outside
    return found


def _usable(lat: object, lon: object) -> bool:
    """Say whether a latitude and longitude are finite numbers on the globe (others get their own error)."""
    def number(v: object) -> bool:
        """Say whether a value is a finite int or float, not a bool."""
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    return number(lat) and number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def _judge(country: str, lats: np.ndarray, lons: np.ndarray, km: np.ndarray) -> list[Outside | None]:
    """Judge points too far (`km`) outside their country's shape: None where that is allowed, else why not."""
    if not len(lats):
        return []
    tree, codes = _holders()
    holders: dict[int, str] = {}
    for at, shape in sorted(zip(*tree.query(shapely.points(lons, lats), predicate="within")), reverse=True):
        holders[at] = codes[shape]  # the first code wins where shapes overlap
    swappable = (np.abs(lons) <= 90) & (lats != lons)
    swapped = np.zeros(len(lats), dtype=bool)
    if swappable.any():
        swapped[swappable] = _km_outside(country, lons[swappable], lats[swappable]) <= TOLERANCE_KM
    out: list[Outside | None] = []
    for at in range(len(lats)):
        at_sea = at not in holders and km[at] <= OFFSHORE_KM and not swapped[at]
        allowed = at_sea or _disputed(country, float(lats[at]), float(lons[at]))
        out.append(None if allowed else Outside(float(km[at]), holders.get(at), bool(swapped[at])))
    return out


def _disputed(country: str, lat: float, lon: float) -> bool:
    """Say whether the point lies in territory that sources may name after `country` (see DISPUTED)."""
    for claimant, drawn_in, box in DISPUTED:
        if claimant == country and (box is None or box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
            if shapely.contains_xy(shapes()[drawn_in], lon, lat):
                return True
    return False


def _km_outside(country: str, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Return how far each point lies outside a country's shape, in km (0 inside)."""
    shape = shapes()[country]
    km = np.zeros(len(lats))
    out = np.flatnonzero(~shapely.contains_xy(shape, lons, lats))
    if len(out):
        # The nearest point in degrees: the ground distance to it is the true distance or a little
        # more (a degree of longitude shrinks away from the equator), so it is measured again below
        # when that could matter.
        km[out] = _km_to_nearest(shape, lats[out], lons[out], 1.0)
    close = np.flatnonzero((km > TOLERANCE_KM) & (km < 2 * TOLERANCE_KM))  # near the line: measure it well
    for band in np.unique(np.round(lats[close])):  # a degree of latitude at a time: cos hardly changes in it
        ats = close[np.round(lats[close]) == band]
        km[ats] = _km_to_nearest(shape, lats[ats], lons[ats], max(math.cos(math.radians(band)), 0.01))
    return km


def _km_to_nearest(shape, lats: np.ndarray, lons: np.ndarray, squeeze: float) -> np.ndarray:
    """Return the ground distance from points to the shape's nearest point on a plane whose longitudes
    are `squeeze`d (by the cosine of the points' latitude, the plane's nearest is the ground's)."""
    if squeeze != 1.0:
        shape = shapely.affinity.scale(shape, xfact=squeeze, yfact=1.0, origin=(0, 0))
    lines = shapely.shortest_line(shape, shapely.points(lons * squeeze, lats))
    near = shapely.get_coordinates(lines).reshape(-1, 2, 2)[:, 0]
    return _haversine(lats, lons, near[:, 1], near[:, 0] / squeeze)


def _haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Return the great-circle distances between points (arrays of degrees), in km."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = np.radians(np.subtract(lat2, lat1)), np.radians(np.subtract(lon2, lon1))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
