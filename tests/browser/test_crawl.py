"""What no reader should ever meet, checked on every page reachable from the home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import new_context
from .pages import CLUSTER, map_frame, results, search

pytestmark = pytest.mark.browser


def listing(items: list[str]) -> str:
    """Format findings one per line, at most twenty."""
    more = f"\n  ... and {len(items) - 20} more" if len(items) > 20 else ""
    return "\n  " + "\n  ".join(items[:20]) + more


def test_crawl_reaches_every_record_page(site, site_crawl):
    """The crawl from the home page reaches a page for every event, actor, system and source."""
    d = site.dossier
    expected = {site.page(f"{kind}/{rid}/") for kind, group in (("events", d.events), ("actors", d.actors),
                ("systems", d.systems), ("sources", d.sources)) for rid in group}
    missing = sorted(expected - set(site_crawl.pages))
    assert not missing, f"record pages no link leads to:{listing(missing)}"


def test_no_console_or_script_errors(site_crawl):
    """No page, map included, logs an error or throws."""
    found = site_crawl.guard.console + site_crawl.guard.errors
    assert not found, f"errors on {len(site_crawl.pages)} pages:{listing(found)}"


def test_no_broken_links_or_missing_assets(site_crawl):
    """Every link and asset on the site's own origin answers without a 4xx/5xx."""
    found = site_crawl.broken + site_crawl.guard.bad
    assert not found, f"broken links or assets:{listing(sorted(set(found)))}"


def test_no_request_leaves_the_site_except_map_tiles(site_crawl):
    """Pages ask no other host for anything; only the map's tile server is allowed."""
    found = site_crawl.guard.unexpected_outside()
    assert not found, f"requests to other hosts:{listing(sorted(set(found)))}"


def test_no_link_runs_script(site_crawl):
    """No link, frame or form on the site points at javascript: or another non-web scheme."""
    assert not site_crawl.unsafe, f"links that would run script:{listing(site_crawl.unsafe)}"


def test_guard_sees_a_script_that_runs(browser):
    """The dialog listener the hostile checks rely on does catch a script that runs."""
    context, guard = new_context(browser)
    context.new_page().set_content("<script>alert('planted')</script>")
    context.close()
    assert guard.dialogs == ["alert: 'planted'"]


def test_hostile_data_never_runs_a_script(hostile_site, hostile_crawl):
    """With script planted in every text field, no page of the hostile build opens a dialog."""
    assert len(hostile_crawl.pages) > len(hostile_site.dossier.events), "the hostile crawl reached too few pages"
    assert not hostile_crawl.guard.dialogs, f"planted scripts ran:{listing(hostile_crawl.guard.dialogs)}"
    assert not hostile_crawl.unsafe, f"links that would run script:{listing(hostile_crawl.unsafe)}"


def test_hostile_text_shows_as_text_in_pages_search_and_popups(browser, hostile_site):
    """Planted markup reads as literal text on an event page, in search results and in map popups."""
    context, guard = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    event = next(iter(hostile_site.dossier.events.values()))
    page.goto(hostile_site.page(f"events/{event.id}/"))
    expect(page.locator("h1")).to_contain_text("<script>alert(1)</script>")

    search(page, "event")  # every hostile event's title starts "Event <script>..."
    hit = results(page).filter(has=page.locator(f'a[href*="events/{event.id}/"]'))
    expect(hit.first).to_contain_text("<script>alert(1)</script>")
    expect(hit.first.locator("mark").first).to_be_visible()  # the excerpt's own markup still works

    page.goto(hostile_site.page("map/"))
    frame = map_frame(page)
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible()
    for cluster in frame.locator(CLUSTER).all():
        cluster.dispatch_event("click")
    for marker in frame.locator(f".leaflet-marker-icon:not({CLUSTER})").all():
        marker.dispatch_event("click")
        expect(frame.locator(".leaflet-popup-content")).to_contain_text("<script>alert(1)</script>")
    context.close()
    assert not guard.dialogs, f"planted scripts ran:{listing(guard.dialogs)}"
    assert not guard.errors, f"planted text broke a script:{listing(guard.errors)}"


def test_hostile_data_breaks_no_page(hostile_crawl):
    """Hostile text neither breaks a page's scripts nor its links."""
    found = hostile_crawl.guard.console + hostile_crawl.guard.errors + hostile_crawl.broken \
        + hostile_crawl.guard.bad + hostile_crawl.guard.unexpected_outside()
    assert not found, f"the hostile build broke:{listing(sorted(set(found)))}"
