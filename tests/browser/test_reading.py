"""Pages made for reading: what a reader does on a phone (390 px) and a desk (1280 px), with screenshots.

The screenshots of every page type at both widths go to test-artifacts/reading-<page>-<width>.png
(CI keeps them as the run's artifact).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, new_context, screenshot
from .pages import disputed_event, open_map, register_system

pytestmark = pytest.mark.browser

CONTENT = "article.md-content__inner"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=list(WIDTHS))
def reader(request, browser):
    """A guarded page at a phone's or a desk's width: (page, guard, width name)."""
    phone = request.param == "phone"
    context, guard = new_context(browser, viewport=WIDTHS[request.param], is_mobile=phone, has_touch=phone)
    yield context.new_page(), guard, request.param
    context.close()


def _pages(site) -> dict[str, str]:
    """Return one page of each type: name -> site path."""
    d = site.dossier
    year = d.date(list(d.events.values())[-1]).start.year
    actor = max(d.actors, key=lambda a: len(d.actor_events.get(a, [])))
    return {"home": "", "events-index": "events/", "year": f"events/years/{year}/", "timeline": "timeline/",
            "event": f"events/{disputed_event(d).id}/", "actor": f"actors/{actor}/",
            "system": f"systems/{register_system(d).id}/", "source": f"sources/{next(iter(d.sources))}/",
            "actors-index": "actors/", "systems-index": "systems/", "sources-index": "sources/", "map": "map/",
            "reference": "reference/", "reference-fr": "fr/reference/"}


# Boxes of the page that scroll sideways by themselves (a table in the theme's scrolling wrapper), but a chart:
# a chart keeps its width on a phone and scrolls, by design (docs/assets/dossier.css).
SCROLLING_BOXES_JS = """() => Array.from(document.querySelectorAll('article *')).filter(e =>
  ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1
  && !e.querySelector(':scope > img[src*="generated/charts/"]')).map(e => e.tagName + '.' + e.className)"""


def test_every_page_type_fits_the_width_and_is_kept_as_a_screenshot(reader, site):
    """Each page type fits the screen's width (no sideways scrolling) and has its h1; screenshots are kept."""
    page, _, width = reader
    for name, path in _pages(site).items():
        page.goto(site.page(path))
        expect(page.locator("h1").first).to_be_visible()
        scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, "
                                       "document.documentElement.clientWidth]")
        assert scroll <= client, f"/{path} scrolls sideways at {width} width: {scroll} > {client} px"
        boxes = page.evaluate(SCROLLING_BOXES_JS)
        assert not boxes, f"on /{path} at {width} width these scroll sideways: {boxes}"
        screenshot(page, f"reading-{name}-{WIDTHS[width]['width']}", maps=False)


def test_a_disagreement_is_found_from_the_first_screen(reader, site):
    """On the convoy page the first screen says the sources disagree; the mark leads to the items, each reading sourced."""
    page, _, _ = reader
    d = site.dossier
    event = disputed_event(d)
    contested = [i for i in event.equipment if len({x.system for x in i.identified_as}) > 1]
    page.goto(site.page(f"events/{event.id}/"))
    content = page.locator(CONTENT)
    badge = content.locator("a.dossier-disagree")
    expect(badge).to_be_in_viewport()  # with the date, place, kind and confidence, before any scrolling
    expect(badge).to_contain_text(f"sources disagree on {len(contested)} item")
    for fact in ("Date", "Place", "Sources"):
        expect(content.locator(".dossier-facts dt", has_text=fact)).to_be_in_viewport()
    badge.click()
    rows = content.locator("tr.dossier-contested")
    expect(rows).to_have_count(len(contested))
    expect(rows.first).to_be_in_viewport()
    for row, item in zip(rows.all(), contested):
        expect(row).to_contain_text(item.item)
        expect(row.locator(".dossier-disagree")).to_be_visible()
        readings = row.locator(".dossier-readings > li")
        expect(readings).to_have_count(len(item.identified_as))
        for reading in readings.all():
            expect(reading.locator("a[href*='/sources/']").first).to_be_visible()  # each reading has its source


def test_a_figure_leads_to_its_source(reader, site):
    """A quantity's citation on the event page opens the source it comes from."""
    page, _, _ = reader
    d = site.dossier
    event = disputed_event(d)
    item = next(i for i in event.equipment if i.quantity is not None)
    page.goto(site.page(f"events/{event.id}/"))
    row = page.locator(f"{CONTENT} .dossier-equipment tbody tr", has_text=item.item).first
    expect(row).to_contain_text(item.quantity.label())
    cite = row.locator("td[data-label='Sources'] a").first
    cite.click()
    source = d.sources[item.sources[0]]
    expect(page).to_have_url(site.page(f"sources/{source.id}/"))
    expect(page.locator("h1")).to_contain_text(source.title)


def test_a_map_loads_only_when_the_reader_opens_it(reader, site):
    """A record page shows a sketch and loads no map code; a tap on it brings the interactive map in its place."""
    page, _, _ = reader
    event = disputed_event(site.dossier)
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(site.page(f"events/{event.id}/"))
    page.wait_for_load_state("load")
    assert not [u for u in loaded if "leaflet" in u or "countries" in u], "the map's code loaded before it was asked for"
    expect(page.locator("iframe")).to_have_count(0)
    frame = open_map(page)
    expect(frame).to_be_visible()
    expect(frame.content_frame.locator(".leaflet-marker-icon").first).to_be_visible()


def test_system_page_puts_the_total_and_its_rule_first(reader, site):
    """A system page shows its reported total and its counting rule before the register."""
    page, _, _ = reader
    d = site.dossier
    system = register_system(d)
    page.goto(site.page(f"systems/{system.id}/"))
    total = page.locator(f"{CONTENT} .dossier-figure", has_text="reported delivered")
    expect(total).to_contain_text(d.total(system.id).label())
    expect(total).to_be_in_viewport()
    expect(page.locator(f"{CONTENT} .dossier-note", has_text="Counting rule")).to_be_visible()


def test_indexes_work_without_javascript(browser, site):
    """With JavaScript off, the events index leads to a year's page, which lists every event of that year."""
    context, _ = new_context(browser, viewport=WIDTHS["desktop"], java_script_enabled=False)
    page = context.new_page()
    d = site.dossier
    page.goto(site.page("events/"))
    latest = list(d.events.values())[-1]
    year = d.date(latest).start.year
    page.locator(CONTENT).get_by_role("link", name=str(year), exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(str(year))
    rows = page.locator(f"{CONTENT} .dossier-timeline tbody tr")
    expect(rows).to_have_count(sum(1 for e in d.events.values() if d.date(e).start.year == year))
    expect(page.locator(CONTENT).get_by_role("link", name=latest.title, exact=True)).to_be_visible()
    context.close()


def test_an_event_page_prints_for_a_file(browser, site):
    """Printed, an event page has no navigation, lists its sources with their addresses, and says where it is from."""
    context, _ = new_context(browser, viewport=WIDTHS["desktop"])
    page = context.new_page()
    event = disputed_event(site.dossier)
    page.goto(site.page(f"events/{event.id}/"))
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".dossier-sketch"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator(f"{CONTENT} .dossier-sources > li")).to_have_count(len(event.sources))
    stamp = page.locator(".dossier-print-only")
    expect(stamp).to_be_visible()
    expect(stamp).to_contain_text(f"events/{event.id}/")
    expect(stamp).to_contain_text(" on 20")  # the date it was printed
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "reading-event-print.pdf"))
    # A source's address prints after its title. Today's sources give none, so one is added to the list.
    address = page.evaluate("""() => { const li = document.createElement('li'), a = document.createElement('a');
      a.href = 'https://example.org/report'; a.textContent = 'A report'; li.append(a);
      document.querySelector('.dossier-sources').append(li); return getComputedStyle(a, '::after').content; }""")
    assert "https://example.org/report" in address, f"a source's address does not print: {address!r}"
    context.close()


def test_source_citations_are_big_enough_to_tap_on_a_phone(reader, site):
    """On a phone each source cited in a system's register and in the convoy's tables is a 24 px target at
    least (WCAG 2.5.8); on a desk the tables keep their compact lines."""
    page, _, width = reader
    d = site.dossier
    for path in (f"systems/{register_system(d).id}/", f"events/{disputed_event(d).id}/"):
        page.goto(site.page(path))
        sizes = page.locator(f"{CONTENT} td.dossier-cites a").evaluate_all(  # a title over two lines: its lines' boxes
            "links => links.map(a => [a.getBoundingClientRect().width, Math.max(...Array.from(a.getClientRects(), r => r.height))])")
        assert sizes, f"/{path} cites no source in its tables"
        if width == "phone":
            small = [s for s in sizes if min(s) < 24]
            assert not small, f"/{path}: {len(small)} of {len(sizes)} citations are under 24 px: {small[:3]}"
        else:
            assert max(h for _, h in sizes) < 24, f"/{path}: the citations' lines grew on a desk"


def test_a_chart_is_a_tab_stop_only_where_it_scrolls(reader, site):
    """On a phone the home page's chart scrolls sideways and the keyboard scrolls it; on a desk, where it fits,
    it is no tab stop."""
    page, _, width = reader
    page.goto(site.url)
    chart = page.locator(f"{CONTENT} p:has(> img[src*='generated/charts/'])")
    expect(chart).to_have_count(1)
    if width == "phone":
        expect(chart).to_have_attribute("tabindex", "0")
        chart.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("p => p.scrollLeft > 0", arg=chart.element_handle())
    else:
        page.wait_for_function("p => p.tabIndex < 0", arg=chart.element_handle())  # dossier.js, when idle


def test_the_convoy_page_is_half_its_old_height_on_a_desk(browser, site):
    """At 1,100 px wide the convoy page is at most 3,400 px tall: half its 6,800 px before issue 16."""
    context, _ = new_context(browser, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(site.page(f"events/{disputed_event(site.dossier).id}/"))
    height = page.evaluate("() => document.documentElement.scrollHeight")
    context.close()
    assert height <= 3400, f"the convoy page is {height} px tall at 1,100 px"
