"""Convert world-atlas' countries-110m TopoJSON into the small GeoJSON the maps draw under markers.

Run once by hand when updating the boundaries (see README.md beside this file):
    python dossier/assets/make_countries.py countries-110m.json > dossier/assets/countries-110m.geojson
    python dossier/assets/make_countries.py --codes countries-110m.json \
        > dossier/assets/countries-110m-codes.json
The build only reads the results; it never needs this script, pycountry or the network.
"""

from __future__ import annotations

import json
import sys

DECIMALS = 2  # about 1 km: far finer than the 1:110m source, so no visible loss
# Shapes Natural Earth draws apart that have no ISO 3166-1 number. The validator checks a place's
# point against its country's shapes: a town in Somaliland is written SO, one in northern Cyprus CY.
# Kosovo takes XK, the code in common use (user-assigned in ISO 3166).
UNNUMBERED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"}


def _decode_arcs(topology: dict) -> list[list[list[float]]]:
    """Turn quantised, delta-encoded arcs into lists of [lon, lat]."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, DECIMALS), round(y * sy + ty, DECIMALS)])
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list) -> list[list[float]]:
    """Join arcs into one closed ring; a negative index means the arc reversed (~i)."""
    ring: list[list[float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if ring else points)
    return _dedupe(ring)


def _dedupe(ring: list[list[float]]) -> list[list[float]]:
    """Drop points that rounding made equal to their neighbour."""
    out = [ring[0]]
    for point in ring[1:]:
        if point != out[-1]:
            out.append(point)
    return out


def convert(topology: dict) -> dict:
    """Return the 'countries' object as a GeoJSON FeatureCollection of (Multi)Polygons, no properties."""
    # Complexity C (radon): a one-off maintenance script, one branch per TopoJSON geometry type.
    arcs = _decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            polygons = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        rings = [[_ring(r, arcs) for r in polygon] for polygon in polygons]
        rings = [[r for r in polygon if len(r) >= 4] for polygon in rings]
        rings = [polygon for polygon in rings if polygon]
        features.append({"type": "Feature", "properties": {},
                         "geometry": {"type": "MultiPolygon", "coordinates": rings}})
    return {"type": "FeatureCollection", "features": features}


def codes(topology: dict) -> list[str | None]:
    """Return the ISO 3166-1 alpha-2 code of each feature convert() writes, in the same order."""
    import pycountry  # only here: the build reads the written list, and never needs pycountry

    out = []
    for geom in topology["objects"]["countries"]["geometries"]:
        if geom["type"] not in ("Polygon", "MultiPolygon"):
            continue
        country = pycountry.countries.get(numeric=geom["id"]) if "id" in geom else None
        out.append(country.alpha_2 if country else UNNUMBERED.get(geom["properties"]["name"]))
    return out


if __name__ == "__main__":
    with open(sys.argv[-1], encoding="utf-8") as f:
        topology = json.load(f)
    result = codes(topology) if "--codes" in sys.argv[1:-1] else convert(topology)
    sys.stdout.write(json.dumps(result, separators=(",", ":")) + "\n")
