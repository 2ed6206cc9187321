"""The explore page at 1,000 synthetic events: filters give the counts the data gives, the address is the view.

Expected selections are computed here from the dossier, independently of the page's script:
an event is kept when, for every parameter given, it has one of the values given (kind,
actor in any role, system or one of its variants, country of its place or a route stop,
confidence, sources disagree as the model rules it), and its dates meet the period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from dossier import style

from .conftest import _serve, axe_violations, build_site, new_context, screenshot

pytestmark = pytest.mark.browser

EVENTS = 1000
PAGE_ROWS = 100  # rows the list shows at desktop width before "Show more"
PHONE_ROWS = 25  # and at phone width


@pytest.fixture(scope="session")
def synth_site(browser, tmp_path_factory):
    """A site built from 1,000 synthetic events (bench/synth.py), served."""
    from bench.synth import write_dataset

    tmp = tmp_path_factory.mktemp("explore")
    write_dataset(EVENTS, tmp / "data")
    yield from _serve(build_site("synth", tmp / "data", tmp))


# --- what the data says -------------------------------------------------------------------------


def _day(text: str, end: bool) -> dt.date:
    """Read a date as in the data (YYYY, YYYY-MM, YYYY-MM-DD) as its first or last day."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(*parts)[1] if end else 1)
    return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)


def _with_variants(d, systems: set[str]) -> set[str]:
    """Add every variant (and variant of a variant) of the systems, as the model records them."""
    found, todo = set(systems), list(systems)
    while todo:
        for variant in d.variants.get(todo.pop(), []):
            if variant.id not in found:
                found.add(variant.id)
                todo.append(variant.id)
    return found


def _countries(event) -> set[str]:
    """The countries of an event's place and route stops."""
    return {p.country for p in ([event.place] if event.place else []) + list(event.route) if p.country}


def expected(d, **params: str) -> list[str]:
    """The ids of the events a query selects, in date order (params: name -> comma-separated values)."""
    chosen = {name: set(value.split(",")) for name, value in params.items() if name not in ("from", "to")}
    systems = _with_variants(d, chosen.get("system", set()))
    contested = {x.event.id for register in d.system_register.values() for x in register if x.contested}
    start = _day(params["from"], False) if "from" in params else None
    end = _day(params["to"], True) if "to" in params else None
    out = []
    for event in d.events.values():
        date = d.date(event)
        keep = ("kind" not in chosen or event.kind in chosen["kind"]) and \
            ("actor" not in chosen or bool({r.actor for r in event.actors} & chosen["actor"])) and \
            ("system" not in chosen or bool({s.id for s in d.event_systems(event)} & systems)) and \
            ("country" not in chosen or bool(_countries(event) & chosen["country"])) and \
            ("confidence" not in chosen or event.confidence in chosen["confidence"]) and \
            ("contested" not in chosen or event.id in contested) and \
            (start is None or date.end >= start) and (end is None or date.start <= end)
        if keep:
            out.append(event.id)
    return out


def _common(values) -> str:
    """The second most common value: a real slice of the data, not nearly all of it."""
    ranked = Counter(values).most_common(2)
    return ranked[-1][0]


def _values(d) -> dict[str, str]:
    """One value per parameter, picked from the data."""
    events = list(d.events.values())
    parent = next((s for s, variants in d.variants.items() if variants), None)
    return {
        "kind": _common(e.kind for e in events),
        "actor": _common(r.actor for e in events for r in e.actors),
        "system": parent or _common(s.id for e in events for s in d.event_systems(e)),
        "country": _common(c for e in events for c in _countries(e)),
        "confidence": "alleged",
        "contested": "yes",
    }


# --- the page -----------------------------------------------------------------------------------


def open_view(page, site, query: str = "") -> None:
    """Open the explore page with a query string and wait until it has drawn."""
    page.goto(site.page("explore/") + (f"?{query}" if query else ""))
    expect(page.locator(".dx.dx-ready")).to_be_visible()


def shown(page) -> dict:
    """What the page shows: the selection's size, the ids of the listed rows, the markers, the address.

    The map is drawn when it comes into view: at phone widths it starts below the first screen, so it is
    scrolled to first and waited for."""
    if page.locator(".dx-map[data-markers]").count() == 0:
        page.locator(".dx-map").scroll_into_view_if_needed()
        expect(page.locator(".dx-map")).to_have_attribute("data-markers", re.compile(r"^\d+$"))
    return page.evaluate("""() => ({
      count: Number(document.querySelector('.dx-list').dataset.count),
      rows: Array.from(document.querySelectorAll('.dx-row'), b => b.dataset.event),
      markers: Number(document.querySelector('.dx-map').dataset.markers),
      total: document.querySelector('.dx-total').textContent,
      query: location.search })""")


def located_markers(d, ids: list[str]) -> int:
    """How many of the events have a located place (a marker, alone or in a cluster)."""
    return sum(1 for i in ids if d.events[i].place and d.events[i].place.located)


def check(page, d, rows: int = PAGE_ROWS, **params: str) -> None:
    """Assert the page shows exactly the events the data selects for the parameters (the first `rows` listed)."""
    want = expected(d, **params)
    got = shown(page)
    assert got["count"] == len(want), f"{params}: the page selects {got['count']}, the data {len(want)}"
    assert got["rows"] == want[:rows], f"{params}: the list differs from the data's selection"
    assert got["markers"] == located_markers(d, want)
    assert got["total"].startswith(f"{len(want)} event"), got["total"]


@pytest.mark.parametrize("name", ["kind", "actor", "system", "country", "confidence", "contested", "period"])
def test_each_filter_alone_selects_what_the_data_says(page, synth_site, name):
    """Each parameter in the address selects the events the data says, with their count and markers."""
    d = synth_site.dossier
    params = {"from": "2018-03", "to": "2019"} if name == "period" else {name: _values(d)[name]}
    open_view(page, synth_site, "&".join(f"{k}={v}" for k, v in params.items()))
    check(page, d, **params)
    assert 0 < shown(page)["count"] < EVENTS


def test_two_filters_together_narrow_the_selection(page, synth_site):
    """A kind and a country together keep only events of both; several values of one widen it."""
    d = synth_site.dossier
    values = _values(d)
    open_view(page, synth_site, f"kind={values['kind']}&country={values['country']}")
    check(page, d, kind=values["kind"], country=values["country"])
    open_view(page, synth_site, f"actor={values['actor']}&from=2016&to=2020-06&kind=attack&kind=delivery")
    check(page, d, actor=values["actor"], kind="attack,delivery", **{"from": "2016", "to": "2020-06"})


def test_clicking_filters_updates_counts_and_the_address(page, synth_site):
    """Ticking filters narrows the list, writes the address, and the count beside each value follows."""
    d = synth_site.dossier
    values = _values(d)
    open_view(page, synth_site)
    check(page, d)
    kind_box = page.locator(f"fieldset[data-facet=kind] input[value='{values['kind']}']")
    kind_box.check()
    check(page, d, kind=values["kind"])
    actor_box = page.locator(f"fieldset[data-facet=actor] input[value='{values['actor']}']")
    actor_box.check()
    check(page, d, kind=values["kind"], actor=values["actor"])
    assert parse_qs(urlsplit(page.url).query) == {"kind": [values["kind"]], "actor": [values["actor"]]}
    # The count beside a value is what ticking it (alone in its facet) would select.
    confidence = page.locator("fieldset[data-facet=confidence] label").filter(has_text="reported")
    want = expected(d, kind=values["kind"], actor=values["actor"], confidence="reported")
    expect(confidence.locator(".dx-count")).to_have_text(str(len(want)))
    attack = page.locator("fieldset[data-facet=kind] label").filter(has=page.locator("input[value=attack]"))
    expect(attack.locator(".dx-count")).to_have_text(str(len(expected(d, kind="attack", actor=values["actor"]))))
    page.locator(".dx-reset").click()
    check(page, d)
    assert urlsplit(page.url).query == ""


def test_an_address_restores_the_same_view_after_reload(page, synth_site):
    """Filters set by hand give an address that, reloaded or opened afresh, shows the same list and markers."""
    d = synth_site.dossier
    open_view(page, synth_site)
    page.locator("fieldset[data-facet=confidence] input[value=reported]").check()
    page.locator("fieldset[data-facet=kind] input").nth(0).check()
    page.locator("input[name=from]").fill("2017-04")
    page.locator("input[name=from]").press("Enter")
    page.locator("input[name=from]").blur()
    before = shown(page)
    assert "from=2017-04" in before["query"] and "confidence=reported" in before["query"]
    page.reload()
    expect(page.locator(".dx.dx-ready")).to_be_visible()
    assert shown(page) == before
    fresh = page.context.new_page()
    open_view(fresh, synth_site, before["query"].lstrip("?"))
    assert shown(fresh) == before
    params = {k: ",".join(v) for k, v in parse_qs(before["query"].lstrip("?")).items()}
    check(fresh, d, **params)
    fresh.close()


def test_brushing_the_histogram_sets_from_and_to(page, synth_site):
    """Dragging across the histogram chooses a period: the address gets from and to, the list follows."""
    d = synth_site.dossier
    open_view(page, synth_site)
    box = page.locator(".dx-chart .u-over").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=5)
    page.mouse.up()
    query = parse_qs(urlsplit(page.url).query)
    assert set(query) == {"from", "to"}, page.url
    assert re.fullmatch(r"\d{4}-\d{2}", query["from"][0]) and re.fullmatch(r"\d{4}-\d{2}", query["to"][0])
    assert query["from"][0] < query["to"][0]
    expect(page.locator("input[name=from]")).to_have_value(query["from"][0])
    check(page, d, **{"from": query["from"][0], "to": query["to"][0]})
    page.locator(".dx-chart .u-over").dblclick()
    assert urlsplit(page.url).query == ""


INSIDE_JS = """() => { const map = document.querySelector('.dx-map').getBoundingClientRect();
  return Array.from(document.querySelectorAll('.dx-map .leaflet-marker-icon.dm-marker')).findIndex(m => {
    const r = m.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
    return x > map.left + 20 && x < map.right - 20 && y > map.top + 60 && y < map.bottom - 20; }); }"""


def test_a_marker_and_a_row_show_the_event_card(page, synth_site):
    """Choosing a list row shows the event's card with a link to its page; so does a marker."""
    d = synth_site.dossier
    open_view(page, synth_site)
    first = page.locator(".dx-row").first
    event = d.events[first.get_attribute("data-event")]
    first.click()
    card = page.locator(".dx-card")
    expect(card).to_be_visible()
    link = card.locator("a")
    expect(link).to_have_text(event.title)
    assert link.get_attribute("href").endswith(f"events/{event.id}/")
    open_view(page, synth_site, "kind=delivery")
    inside = -1
    for _ in range(6):  # zoom in until a marker stands for one event, inside the map's view
        inside = page.evaluate(INSIDE_JS)
        if inside >= 0:
            break
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    assert inside >= 0, "no single-event marker in the map's view"
    marker = page.locator(".dx-map .leaflet-marker-icon.dm-marker").nth(inside)
    marker.click()
    picked = card.get_attribute("data-event")
    assert marker.get_attribute("title") == f"{d.date(d.events[picked]).label()}: {d.events[picked].title}"


def test_the_page_works_at_phone_width(browser, synth_site):
    """At 390 px the filters open in a drawer, the map sits above the list, and nothing overflows sideways."""
    d = synth_site.dossier
    context, guard = new_context(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    open_view(page, synth_site)
    kind = _values(d)["kind"]
    box = page.locator(f"fieldset[data-facet=kind] input[value='{kind}']")
    expect(box).to_be_hidden()
    opener = page.locator(".dx-open")
    opener.click()
    expect(opener).to_have_attribute("aria-expanded", "true")
    box.check()
    check(page, d, rows=PHONE_ROWS, kind=kind)
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()
    map_box, list_box = page.locator(".dx-map").bounding_box(), page.locator(".dx-list").bounding_box()
    assert map_box["y"] + map_box["height"] <= list_box["y"], "the list is not below the map"
    assert map_box["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "explore-390")
    assert not guard.errors and not guard.console and not guard.unexpected_outside()
    context.close()


def test_axe_finds_nothing_serious(browser, synth_site):
    """axe-core finds no serious or critical violation at desktop width, nor at phone width with the drawer open."""
    found = []
    for width, height in ((1280, 900), (390, 844)):
        context, _ = new_context(browser, viewport={"width": width, "height": height})
        page = context.new_page()
        open_view(page, synth_site, "kind=delivery")
        if width < 400:
            page.locator(".dx-open").click()
        else:
            screenshot(page, "explore-1280")
        found += [f"{width}px: {v}" for v in axe_violations(page.main_frame)]
        context.close()
    assert not found, "axe-core violations:\n  " + "\n  ".join(found)


MARKERS_JS = """() => Array.from(document.querySelectorAll('.dx-map .leaflet-marker-icon'),
  m => m.classList.contains('dx-cluster') ? 'cluster' : 'event')"""


def test_map_markers_are_targets_a_finger_can_tell_apart(browser, synth_site):
    """At 390 px, scrolled to the map, axe's target-size (off by default; Lighthouse runs it) finds no marker
    under 24 px or partly covered by another or by the map's buttons: all events' crowded clusters, and the
    deliveries from their first view to single events (at 1,000 events both failed before markers kept apart)."""
    context, _ = new_context(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    found, seen = [], set()
    for query, zooms in (("", 1), ("kind=delivery", 5)):
        open_view(page, synth_site, query)
        page.locator(".dx-map").scroll_into_view_if_needed()
        expect(page.locator(".dx-map")).to_have_attribute("data-markers", re.compile(r"^\d+$"))
        for step in range(zooms):
            if step:
                page.locator(".leaflet-control-zoom-in").click()
                page.wait_for_timeout(400)  # the zoom's animation, and the markers redrawn at its end
            seen.update(page.evaluate(MARKERS_JS))
            found += [f"?{query} zoomed in {step} times: {v}" for v in axe_violations(page.main_frame, only=("target-size",))]
    assert seen == {"cluster", "event"}, f"only {seen} markers were checked"
    assert not found, "markers a finger cannot tell apart:\n  " + "\n  ".join(found)
    screenshot(page, "explore-390-map", full_page=False)
    context.close()


def test_the_map_box_is_dark_in_the_dark_scheme_until_the_map_loads(browser, synth_site):
    """On a dark-scheme phone, the map's box below the first screen has the page's dark background, not a light strip."""
    context, _ = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, color_scheme="dark")
    page = context.new_page()
    open_view(page, synth_site)
    box = page.locator(".dx-map")
    assert "leaflet-container" not in box.get_attribute("class"), "the map was drawn before it was in view"
    background = box.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == page.evaluate("() => getComputedStyle(document.body).backgroundColor"), background
    page.evaluate("() => window.scrollTo(0, document.querySelector('.dx-map').offsetTop - 700)")
    screenshot(page, "explore-390-dark", maps=False, full_page=False)
    context.close()


def test_an_index_cut_short_says_it_could_not_be_read(page, synth_site):
    """An index whose last parts never came (a connection dropped mid-file) is reported on the page, not half shown."""
    whole = (synth_site.root / "assets/generated/explore/index.json").read_bytes()
    page.route(re.compile(r".*/assets/generated/explore/index\.json$"),
               lambda route: route.fulfill(status=200, body=whole[:len(whole) * 2 // 3], content_type="application/json"))
    page.goto(synth_site.page("explore/"))
    expect(page.locator(".dx-total")).to_have_text("The events could not be loaded (the connection failed or the index "
                                                   "could not be read). Try reloading the page, or use the list of events.")
    expect(page.locator(".dx-row")).to_have_count(0)


def test_filters_are_reachable_by_keyboard_and_results_announced(page, synth_site):
    """Tab reaches the filters; Space ticks one; the total, a live region, says the new count."""
    d = synth_site.dossier
    open_view(page, synth_site)
    expect(page.locator(".dx-total")).to_have_attribute("aria-live", "polite")
    page.locator("input[name=to]").focus()
    page.keyboard.press("Tab")  # the first kind
    focused = page.evaluate("document.activeElement.name + '=' + document.activeElement.value")
    assert focused.startswith("kind=")
    page.keyboard.press("Space")
    kind = focused.split("=", 1)[1]
    expect(page.locator(".dx-total")).to_have_text(re.compile(rf"^{len(expected(d, kind=kind))} events? of {EVENTS}"))


def test_hostile_titles_stay_literal_in_list_card_and_markers(page, hostile_site, guarded):
    """Script and markup in titles and places show as the characters written, in rows, cards and marker titles."""
    _, guard = guarded
    d = hostile_site.dossier
    open_view(page, hostile_site)
    rows = page.locator(".dx-row")
    expect(rows).to_have_count(len(d.events))
    for n, event in enumerate(d.events.values()):
        expect(rows.nth(n).locator(".dx-row-title")).to_have_text(event.title)
    rows.first.click()
    first = next(iter(d.events.values()))
    expect(page.locator(".dx-card a")).to_have_text(first.title)
    if first.place:
        expect(page.locator(".dx-card")).to_contain_text(first.place.name)
    assert page.locator(".dx script, .dx img[src=x], .dx svg[onload]").count() == 0
    assert not guard.dialogs, f"a planted script ran: {guard.dialogs}"
    assert not guard.errors, guard.errors


def test_an_actor_page_opens_the_explore_page_on_its_events(page, synth_site):
    """The actor page's "explore this actor's events" link opens the explore page on that actor's events
    (through the theme's instant navigation, which swaps the page without reloading it)."""
    d = synth_site.dossier
    actor = _values(d)["actor"]
    page.goto(synth_site.page(f"actors/{actor}/"))
    page.get_by_role("link", name="Explore this actor's events").click()
    expect(page.locator(".dx.dx-ready")).to_be_visible()
    assert parse_qs(urlsplit(page.url).query) == {"actor": [actor]}
    check(page, d, actor=actor)


def test_a_row_picked_after_a_filter_change_shows_its_own_event(page, synth_site):
    """The list's rows are refilled as the filters change: a row picked then opens the event it now shows."""
    d = synth_site.dossier
    open_view(page, synth_site)
    page.locator("fieldset[data-facet=kind] input[value=attack]").check()
    check(page, d, kind="attack")
    row = page.locator(".dx-row").nth(2)
    event = d.events[row.get_attribute("data-event")]
    assert event.kind == "attack"
    expect(row.locator(".dx-row-title")).to_have_text(event.title)
    row.click()
    expect(page.locator(".dx-card a")).to_have_text(event.title)
    expect(row).to_have_attribute("aria-current", "true")
    page.locator(".dx-reset").click()
    check(page, d)
    assert page.locator(".dx-row[aria-current]").count() <= 1


def test_the_long_pickers_and_the_histogram_legend_are_drawn(page, synth_site):
    """The actor and system lists show their first values without being scrolled to (no empty box in a
    capture of the whole page), and each kind shows the colour its events have in the histogram and on the map."""
    d = synth_site.dossier
    open_view(page, synth_site)
    for facet in ("actor", "system"):
        drawn = page.evaluate(f"""() => Array.from(document.querySelectorAll('fieldset[data-facet={facet}] li'))
          .slice(0, 8).map(li => li.checkVisibility({{contentVisibilityAuto: true}}))""")
        assert drawn == [True] * 8, f"{facet}: {drawn}"
    swatches = page.evaluate("""() => Array.from(document.querySelectorAll('fieldset[data-facet=kind] label'),
      l => [l.querySelector('input').value, getComputedStyle(l.querySelector('.dx-name'), '::before').backgroundColor])""")
    for kind, colour in swatches:
        want = style.colour_of_kind(kind).lstrip("#")
        assert colour == "rgb({}, {}, {})".format(*(int(want[k:k + 2], 16) for k in (0, 2, 4))), (kind, colour)
    assert len(swatches) == len({e.kind for e in d.events.values()})


def _english_fragments(page, site) -> set[str]:
    """The words of every sentence the English explore page gives its script, less the {values}."""
    open_view(page, site)
    messages = page.evaluate("() => Object.values(document.getElementById('dx-messages').dataset)")
    pieces = {p.strip(" ;:,.()“”") for m in messages for p in re.split(r"\{\w+\}", m)}
    return {p for p in pieces if len(re.sub(r"[^a-z]", "", p.lower())) >= 4}


def test_the_french_explore_page_writes_french(page, synth_site):
    """After a filter change on /fr/explore/, the total, the citation, the card and the date error are in
    French, numbers grouped the French way (1 000), and no sentence of the English page's script is left."""
    english = _english_fragments(page, synth_site)
    assert {"events of", "on the map", "Place: unknown"} <= english
    page.goto(synth_site.page("fr/explore/"))
    expect(page.locator(".dx.dx-ready")).to_be_visible()
    page.locator("fieldset[data-facet=kind] input[type=checkbox]").first.check()
    total = page.locator(".dx-total")
    expect(total).to_have_text(re.compile(r"^\d+ événements? sélectionnés? sur 1\u202f000 ; [\d\u202f]+ sur la carte$"))
    page.locator(".dx-row").first.click()
    expect(page.locator(".dx-card")).to_be_visible()
    page.locator("input[name=from]").fill("2024-13")
    page.locator("input[name=from]").dispatch_event("change")
    expect(page.locator(".dx-date-error")).to_have_text("« 2024-13 » n’est pas une date : écrivez 2024, 2024-05 ou "
                                                        "2024-05-17.")
    cite = page.locator(".dx-cite-text").text_content()
    assert re.match(r"^Dossier des armes au Sahel, « Explorer les événements : type \S.* », consulté le \d+ "
                    r"(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}, ",
                    cite), cite
    texts = [total.text_content(), cite.split(", http")[0], page.locator(".dx-date-error").text_content(),
             page.locator(".dx-card-close").get_attribute("aria-label")]
    texts += page.locator(".dx-card p:not(.dx-card-title)").all_text_contents()
    texts += page.locator(".dx-card button").all_text_contents()
    left = sorted({f for f in english for t in texts if f in t})
    assert not left, f"English left on the French explore page: {left} in {texts}"
