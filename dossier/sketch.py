"""Static map sketches: what a page shows in place of a map until the reader asks for the map.

A Folium map costs Leaflet, its plugins and the 165 KB country outline file,
parsed before the reader has asked for anything. A page shows a sketch
instead: one shared SVG of the countries' outlines (OUTLINE, about 20 KB,
cached by the browser, the same in light and dark) under a few dots drawn inline, one per place, sized by
how many events it holds. The sketch links the interactive map; a click
(docs/assets/dossier.js) swaps in the iframe.

The sketch covers West Africa and the Sahel (BOUNDS); places elsewhere (ports
of loading in Russia, Syria) are left out of the sketch, and the interactive
map shows them.
"""

from __future__ import annotations

import functools
import json
import math

from markupsafe import Markup

from . import style, vendor
from .schema import Event

OUTLINE = "assets/generated/sahel-outline.svg"
BOUNDS = (-18.5, 3.0, 25.5, 27.0)  # west, south, east, north, in degrees
SCALE = 10.0  # SVG units per degree of longitude
_MID_LAT = math.cos(math.radians((BOUNDS[1] + BOUNDS[3]) / 2))  # keeps shapes near the Sahel's true proportions
WIDTH = round((BOUNDS[2] - BOUNDS[0]) * SCALE)
HEIGHT = round((BOUNDS[3] - BOUNDS[1]) * SCALE / _MID_LAT)
# One outline serves both colour schemes: translucent land and borders over the sea colour that
# docs/assets/dossier.css sets per scheme (an image in a CSS background cannot read the page's scheme).
LAND = "#a0826a"


def project(lon: float, lat: float) -> tuple[float, float] | None:
    """Return a place's position in the sketch, or None outside its bounds."""
    west, south, east, north = BOUNDS
    if not (west <= lon <= east and south <= lat <= north):
        return None
    return round((lon - west) * SCALE, 1), round((north - lat) * SCALE / _MID_LAT, 1)


def _ring(points: list) -> str:
    """Return an SVG path for one ring of a polygon, in the sketch's coordinates (whole units)."""
    west, north = BOUNDS[0], BOUNDS[3]
    xy = [((lon - west) * SCALE, (north - lat) * SCALE / _MID_LAT) for lon, lat in points]
    return "M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in xy) + "Z"


def _near(polygon: list) -> bool:
    """Say whether a polygon's outer ring comes near the bounds."""
    west, south, east, north = BOUNDS
    return any(west - 10 <= lon <= east + 10 and south - 10 <= lat <= north + 10 for lon, lat in polygon[0])


@functools.cache
def outline() -> bytes:
    """Return the shared outline SVG: the countries near the Sahel, as one path (Natural Earth, public domain)."""
    data = json.loads((vendor.ASSETS / "countries-110m.geojson").read_bytes())
    paths = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        paths += [_ring(polygon[0]) for polygon in polygons if _near(polygon)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">'
            '<!-- Natural Earth 1:110m countries (public domain), via world-atlas 2.0.2 (ISC). -->'
            f'<path d="{"".join(paths)}" fill="{LAND}" fill-opacity="0.3" stroke="{LAND}" stroke-opacity="0.8" '
            'stroke-width="0.8" stroke-linejoin="round"/></svg>\n').encode()


def _places(events: list[Event]) -> dict[tuple[float, float], tuple[int, str]]:
    """Group events by their position in the sketch: position -> (count, colour of the first)."""
    found: dict[tuple[float, float], tuple[int, str]] = {}
    for event in events:
        spots = [event.place] if event.place and event.place.located else []
        spots += [stop for stop in event.route if stop.located]
        for spot in spots:
            at = project(spot.lon, spot.lat)
            if at is None:
                continue
            key = (round(at[0] / 4) * 4, round(at[1] / 4) * 4)  # nearby places share a dot
            count, colour = found.get(key, (0, style.colour_of_kind(event.kind)))
            found[key] = (count + 1, colour)
    return found


def dots(events: list[Event]) -> Markup:
    """Return the inline SVG of the dots for some events (positions and counts only: no contributor text)."""
    places = _places(events)
    circles = "".join(f'<circle cx="{x:g}" cy="{y:g}" r="{min(4 + 2.2 * math.log2(n), 16):.1f}" fill="{c}"/>'
                      for (x, y), (n, c) in sorted(places.items()))
    return Markup(f'<svg class="dossier-sketch__dots" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" '
            f'focusable="false">{circles}</svg>')
