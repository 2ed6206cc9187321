"""Convert world-atlas' countries-110m TopoJSON into the small GeoJSON the maps draw under markers.

Run once by hand when updating the boundaries (see README.md beside this file):
    python dossier/assets/make_countries.py countries-110m.json > dossier/assets/countries-110m.geojson
The build only reads the result; it never needs this script or the network.
"""

from __future__ import annotations

import json
import sys

DECIMALS = 2  # about 1 km: far finer than the 1:110m source, so no visible loss


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


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(json.dumps(convert(json.load(f)), separators=(",", ":")) + "\n")
