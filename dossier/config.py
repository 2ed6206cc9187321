"""Settings an operator may change, each declared once with its help beside it.

Only the map tiles come from a third party, so the tile provider is the one
setting here. Override it with environment variables (no MkDocs involved, so
`build_pages.py build` and any MkDocs-compatible builder agree):

    DOSSIER_TILES=https://tiles.example.org/{z}/{x}/{y}.png   # URL template; 'none' for no tiles
    DOSSIER_TILES_ATTRIBUTION="© Example tiles"               # shown as plain text on every map
    DOSSIER_TILES_MAX_ZOOM=18
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = "© OpenStreetMap contributors"  # plain text: the maps link nowhere outside the site
TILES_MAX_ZOOM = 19
_TEMPLATE = re.compile(r"^https://[^\s\"'<>`]+$")


@dataclass(frozen=True)
class Tiles:
    """A tile provider: URL template, attribution text and deepest zoom."""

    url: str
    attribution: str
    max_zoom: int


def tiles() -> Tiles | None:
    """Return the configured tile provider, or None when tiles are turned off."""
    url = os.environ.get("DOSSIER_TILES", TILES_URL).strip()
    if url.lower() in ("", "none", "off"):
        return None
    if not _TEMPLATE.match(url) or not all(k in url for k in ("{z}", "{x}", "{y}")):
        log.warning("DOSSIER_TILES %r is not an https URL template with {z}, {x} and {y}; "
                    "using the default tiles", url[:80])
        url = TILES_URL
    attribution = os.environ.get("DOSSIER_TILES_ATTRIBUTION", "").strip()
    if not attribution:
        # Never credit OpenStreetMap for someone else's tiles: name the host instead.
        attribution = TILES_ATTRIBUTION if url == TILES_URL else f"Map tiles: {url.split('/')[2]}"
    zoom = os.environ.get("DOSSIER_TILES_MAX_ZOOM", "")
    return Tiles(url, attribution, int(zoom) if zoom.isdigit() else TILES_MAX_ZOOM)
