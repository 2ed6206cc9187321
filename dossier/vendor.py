"""Copy the maps' third-party scripts, styles and boundaries from installed packages into the site.

Nothing is fetched from a CDN: Leaflet and Leaflet.markercluster come from the
XStatic packages pinned in requirements.lock, the country boundaries from
dossier/assets/ (see the README there), and the site serves them all itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster

ASSETS = Path(__file__).parent / "assets"
VENDOR = "assets/vendor"
LEAFLET_JS = f"{VENDOR}/leaflet/leaflet.js"
LEAFLET_CSS = f"{VENDOR}/leaflet/leaflet.css"
CLUSTER_JS = f"{VENDOR}/leaflet.markercluster/leaflet.markercluster.js"
CLUSTER_CSS = f"{VENDOR}/leaflet.markercluster/MarkerCluster.css"
COUNTRIES_JS = f"{VENDOR}/natural-earth/countries-110m.js"
SCRIPTS = (LEAFLET_JS, CLUSTER_JS, COUNTRIES_JS)  # in load order: markercluster extends L
STYLES = (LEAFLET_CSS, CLUSTER_CSS)
# The packages ship minified files that point at source maps they do not all include; the
# pointer would only make browsers' developer tools ask for a missing file, so it is dropped.
_SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=\S+\s*$")


def _package_file(base: str, name: str) -> bytes:
    """Read a file shipped by an installed XStatic package, without its source-map pointer."""
    return _SOURCE_MAP.sub(b"\n", (Path(base) / name).read_bytes())


def countries_script() -> bytes:
    """Wrap the boundary GeoJSON as a script, so maps opened from disk (file://) can use it too."""
    geojson = (ASSETS / "countries-110m.geojson").read_bytes().strip()
    return b"/* Natural Earth 1:110m countries (public domain), via world-atlas 2.0.2 (ISC). */\n" \
        b"window.DOSSIER_COUNTRIES = " + geojson + b";\n"


def files() -> dict[str, bytes]:
    """Return every vendored file, keyed by its path under docs/."""
    out = {
        LEAFLET_JS: _package_file(leaflet.BASE_DIR, "leaflet.js"),
        LEAFLET_CSS: _package_file(leaflet.BASE_DIR, "leaflet.css"),
        CLUSTER_JS: _package_file(markercluster.BASE_DIR, "leaflet.markercluster.js"),
        CLUSTER_CSS: _package_file(markercluster.BASE_DIR, "MarkerCluster.css"),
        COUNTRIES_JS: countries_script(),
    }
    # leaflet.css refers to its images by relative URL (images/layers.png), so they travel with it.
    for image in sorted((Path(leaflet.BASE_DIR) / "images").glob("*.png")):
        out[f"{VENDOR}/leaflet/images/{image.name}"] = image.read_bytes()
    return out
