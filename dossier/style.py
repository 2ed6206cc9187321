"""Colours and groupings shared by the map, the charts and the pages, so they always agree."""

from __future__ import annotations

# Map layers and chart series: a reader sees the same colour for the same kind everywhere.
# Colours from the Okabe-Ito palette, which stays distinguishable with colour blindness.
LAYERS: dict[str, tuple[str, ...]] = {
    "deliveries": ("delivery",),
    "shipments": ("shipment", "port-call"),
    "attacks": ("attack",),
    "deployments": ("deployment", "withdrawal"),
    "others": ("allegation", "political", "sanction", "statement"),
}
LAYER_COLOURS: dict[str, str] = {
    "deliveries": "#0072B2",
    "shipments": "#009E73",
    "attacks": "#D55E00",
    "deployments": "#CC79A7",
    "others": "#7F7F7F",
}
LAYER_OF_KIND: dict[str, str] = {kind: layer for layer, kinds in LAYERS.items() for kind in kinds}


def colour_of_kind(kind: str) -> str:
    """Return the colour that stands for an event kind on maps and charts."""
    return LAYER_COLOURS[LAYER_OF_KIND[kind]]
