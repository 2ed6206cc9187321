"""What a reader does on the built site, one test each, in Debian's Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from dossier import config
from dossier.dates import parse_date

from .conftest import new_context, screenshot
from .pages import CLUSTER, disputed_event, latest_event, map_frame, register_system, topmost

pytestmark = pytest.mark.browser

CONTENT = "article.md-content__inner"
PHONE = {"width": 375, "height": 740}


def test_home_shows_key_figures_and_latest_events(page, site):
    """The home page shows the key figures and links the newest event."""
    d = site.dossier
    page.goto(site.url)
    content = page.locator(CONTENT)
    figures = content.locator(".dossier-figures").first
    expect(figures).to_be_visible()
    for label, count in (("events", len(d.events)), ("sources", len(d.sources)),
                         ("weapon systems", len(d.systems)), ("actors", len(d.actors))):
        expect(figures.locator(".dossier-figure", has_text=label).first).to_contain_text(str(count))
    newest = latest_event(d)
    link = content.get_by_role("link", name=newest.title, exact=True).first
    expect(link).to_be_visible()
    screenshot(page, "home")
    link.click()
    expect(page).to_have_url(site.page(f"events/{newest.id}/"))
    expect(page.locator("h1")).to_contain_text(newest.title)


def test_map_works_without_a_tile_server(guarded, site):
    """Markers render with every outside request blocked; a cluster expands; a popup link opens the event."""
    context, guard = guarded
    guard.block_tiles = True
    page = context.new_page()
    page.goto(site.page("map/"))
    frame = map_frame(page)
    markers = frame.locator(".leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    assert not guard.unexpected_outside(), f"requests to other hosts: {guard.unexpected_outside()}"
    if config.tiles() and not guard.outside:
        # A busy machine can show the markers before the tile requests reach the guard: wait for one.
        try:
            page.wait_for_event("request", lambda r: bool(guard.tiles.match(r.url)))
        except PlaywrightTimeout:
            pytest.fail("the map asked for no tiles, so the test did not block any")
    screenshot(page, "map")

    clusters = frame.locator(CLUSTER)
    assert clusters.count(), "the map shows no marker cluster to expand"
    shown = frame.locator(f".leaflet-marker-icon:not({CLUSTER})")
    before = shown.count()
    topmost(clusters).click()
    expect(shown).not_to_have_count(before)

    topmost(shown).click()  # once the zoom and the cluster's animation have ended
    link = frame.locator(".leaflet-popup-content a[href*='events/']").first
    expect(link).to_be_visible()
    event_id = re.search(r"events/([^/]+)/", link.get_attribute("href")).group(1)
    with page.expect_navigation():
        link.click()
    expect(page).to_have_url(site.page(f"events/{event_id}/"))
    expect(page.locator("h1")).to_contain_text(site.dossier.events[event_id].title)


def test_event_page_lists_sources_disagreements_and_links(page, site):
    """An event page lists each source with publisher and date, marks disagreement, and its links work."""
    d = site.dossier
    event = disputed_event(d)
    page.goto(site.page(f"events/{event.id}/"))
    content = page.locator(CONTENT)
    screenshot(page, "event")
    sources = content.locator("h2:has-text('Sources') + ol > li")
    expect(sources).to_have_count(len(event.sources))
    for line, sid in zip(sources.all(), event.sources):
        s = d.sources[sid]
        expect(line).to_contain_text(s.title)
        expect(line).to_contain_text(s.publisher or "publisher unknown")
        expect(line).to_contain_text(parse_date(s.published).label() if s.published else "date unknown")

    disputed = [i for i in event.equipment if len({x.system for x in i.identified_as}) > 1]
    warnings = content.locator("tr.dossier-contested .dossier-disagree", has_text=re.compile("disagree", re.I))
    expect(warnings).to_have_count(len(disputed))  # one visible mark per contested item
    expect(warnings.first).to_be_visible()

    for kind, ids in (("actors", [r.actor for r in event.actors]),
                      ("systems", [s.id for s in d.event_systems(event)])):
        for record_id in ids:
            link = content.locator(f"a[href$='{kind}/{record_id}/']").first
            expect(link).to_be_visible()
            assert page.request.get(link.evaluate("a => a.href")).ok, f"{kind}/{record_id}/ is broken"
    first = d.actors[event.actors[0].actor]
    content.locator(f"a[href$='actors/{first.id}/']").first.click()
    expect(page.locator("h1")).to_contain_text(first.name)


def test_system_page_shows_register_with_qualifiers_and_total(page, site):
    """A system page's register shows each quantity with its qualifier, and the reported total."""
    d = site.dossier
    system = register_system(d)
    page.goto(site.page(f"systems/{system.id}/"))
    content = page.locator(CONTENT)
    expect(content.locator(".dossier-figure", has_text="reported delivered")).to_contain_text(d.total(system.id).label())
    rows = content.locator("h2:has-text('Register') ~ table tbody tr")
    register = d.system_register[system.id][::-1][:50]  # newest first; a long register continues on year pages
    expect(rows).to_have_count(len(register))
    for row, delivery in zip(rows.all(), register):
        expect(row).to_contain_text(delivery.event.title)
        expect(row).to_contain_text(delivery.quantity.label() if delivery.quantity else "unknown")


def test_dark_mode_toggles_and_persists(page, site):
    """Switching to dark mode sticks across pages, and switching back works."""
    d = site.dossier
    page.goto(site.url)
    body = page.locator("body")
    start = body.get_attribute("data-md-color-scheme")
    page.locator("form[data-dossier-palette] label:visible").first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(site.page(f"events/{latest_event(d).id}/"))
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("form[data-dossier-palette] label:visible").first.click()
    expect(body).to_have_attribute("data-md-color-scheme", start or "default")
    page.goto(site.url)
    expect(body).to_have_attribute("data-md-color-scheme", start or "default")


def test_a_dead_link_lands_on_the_sites_404_page(guarded, site):
    """A missing nested page answers 404 with the site's own page, all its files loading, and a way home."""
    context, guard = guarded
    page = context.new_page()
    response = page.goto(site.page("events/no-such-event/"))
    assert response.status == 404
    expect(page.locator("article")).to_contain_text("404")
    missing = [b for b in guard.bad if "no-such-event" not in b]
    assert not missing, f"the 404 page's own files are missing: {missing}"
    page.locator("a.md-logo").first.click()
    expect(page).to_have_url(site.url)


@pytest.fixture
def phone(browser):
    """A guarded page on a phone-sized viewport."""
    context, _ = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True,
                             device_scale_factor=2)
    yield context.new_page()
    context.close()


def test_phone_has_no_sideways_scrolling_and_a_working_drawer(phone, site):
    """At 375 px the home, an event and the map page fit the width; the navigation drawer opens."""
    d = site.dossier
    for path in ("", f"events/{disputed_event(d).id}/", "map/"):
        phone.goto(site.page(path))
        width = phone.evaluate("() => [document.documentElement.scrollWidth, "
                               "document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"/{path} scrolls sideways on a phone: {width[0]} > {width[1]} px"
    phone.goto(site.url)
    drawer = phone.locator(".md-sidebar--primary .md-nav--primary")
    expect(drawer).not_to_be_in_viewport()
    phone.locator("label.md-header__button[for='__drawer']").click()
    expect(drawer).to_be_in_viewport()
    expect(drawer.get_by_role("link").first).to_be_visible()
