"""Accessibility: axe-core finds nothing serious, images have text alternatives, the map works by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, load_frames
from .pages import CLUSTER, disputed_event, open_map, register_system

pytestmark = pytest.mark.browser

TABS = 80  # enough to pass the header and toolbar controls of the map


def check_axe(page, url: str) -> list[str]:
    """Load a page and run axe in it and in each of its frames; list serious and critical violations."""
    page.goto(url, wait_until="load")
    load_frames(page)
    found = [f"{url}: {v}" for v in axe_violations(page.main_frame)]
    for frame in page.frames[1:]:
        found += [f"{frame.url}: {v}" for v in axe_violations(frame)]
    return found


def test_axe_finds_no_serious_violations(page, site):
    """The home page, an event page, a system page, the map page (with its map) and what changed pass axe-core."""
    d = site.dossier
    paths = ("", f"events/{disputed_event(d).id}/", f"systems/{register_system(d).id}/", "map/", "changes/")
    found = [v for path in paths for v in check_axe(page, site.page(path))]
    assert not found, "axe-core violations:\n  " + "\n  ".join(found)


def test_images_and_charts_have_text_alternatives(site, site_crawl):
    """No image on any page lacks an alt attribute, and each chart is shown with its description, in each
    edition's language (the crawl reaches the French pages too, which show the French chart)."""
    from dossier import charts

    assert not site_crawl.no_alt, "images without alt text:\n  " + "\n  ".join(site_crawl.no_alt)
    for lang in ("en", "fr"):
        texts = charts.alt_text(site.dossier, lang)
        for name in charts.CHARTS:
            path = charts.path(name, lang)
            shown = site_crawl.images.get(site.page(path))
            assert shown, f"no page shows the {name} chart ({path})"
            assert shown == {texts[name]}, f"the {name} chart ({lang}) is shown with alt {shown}, not {texts[name]!r}"


FOCUSED_JS = """() => { const a = document.activeElement;
  if (a.closest('.leaflet-control-layers')) return 'layers';
  if (a.matches('""" + CLUSTER + """')) return 'cluster';
  if (a.matches('.leaflet-marker-icon, .leaflet-interactive')) return 'marker';
  return a.tagName; }"""


def test_map_markers_and_layer_control_are_reachable_by_keyboard(page, site):
    """Tabbing into the map reaches a marker, whose popup Enter opens, and the layer control."""
    page.goto(site.page("map/"))
    iframe = open_map(page)
    expect(iframe).to_be_visible()
    frame = iframe.content_frame
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible()
    iframe.focus()
    reached = set()
    for _ in range(TABS):
        page.keyboard.press("Tab")
        focused = frame.locator(":root").evaluate(FOCUSED_JS)
        if focused == "marker" and "marker" not in reached:
            page.keyboard.press("Enter")
            expect(frame.locator(".leaflet-popup-content")).to_be_visible()
        reached.add(focused)
        if {"layers", "marker"} <= reached:
            break
    assert "marker" in reached, f"no map marker takes keyboard focus (focus went to {sorted(reached)})"
    assert "layers" in reached, f"the layer control takes no keyboard focus (focus went to {sorted(reached)})"
