"""The header's search (Pagefind): finds records by their words, filters them, by keyboard, on a phone, offline."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from dossier.i18n import label

from .conftest import axe_violations, new_context, screenshot
from .pages import SEARCH_DIALOG, open_search, register_system, result_for, results, search, site_words

pytestmark = pytest.mark.browser

WORD = re.compile(r"[A-Za-z][A-Za-z-]{4,}")
PHONE = {"width": 390, "height": 800}


def title_word(d) -> tuple[str, object]:
    """Pick an event and the word of its title that the rest of the dossier uses least."""
    best = None
    for event in list(d.events.values())[-8:]:
        others = site_words(d, event.id)
        for word in WORD.findall(event.title):
            count = len(re.findall(rf"\b{re.escape(word.lower())}\b", others))
            if best is None or count < best[0]:
                best = (count, word, event)
    assert best, "no event title has a word to search for"
    return best[1], best[2]


def alias_of(d) -> tuple[str, object]:
    """Pick an actor and the alias of it, not part of its name, that the rest of the dossier uses least."""
    text = site_words(d, "")
    candidates = [(text.count(alias.lower()), alias, actor) for actor in d.actors.values()
                  for alias in actor.aliases or [] if alias.lower() not in actor.name.lower()]
    assert candidates, "no actor has an alias to search for"
    return min(candidates, key=lambda c: (c[0], c[1]))[1:]


def shown_links(page) -> set[str]:
    """Return the site paths the loaded search results link to."""
    hrefs = page.locator("pagefind-results a.pf-result-link").evaluate_all("els => els.map(a => a.href)")
    return {re.sub(r"^.*?/((?:events|actors|systems|sources)/[^/]+/)$", r"\1", h) for h in hrefs}


def pick(page, filter_name: str, value: str) -> None:
    """Tick (or untick) one value of one of the search's filters, as a reader would with the mouse."""
    filters = page.locator(".dossier-search__filters")
    if not filters.evaluate("d => d.open"):
        filters.locator("summary").first.click()
    group = page.locator(f'details.pf-filter-group[data-filter-name="{filter_name}"]')
    if not group.evaluate("d => d.open"):
        group.locator("summary").click()
    group.locator(f'input[type="checkbox"][value="{value}"]').click()


def test_first_view_loads_no_search_until_a_reader_searches(guarded, site):
    """A page view fetches nothing of the search; opening it and a query no filter; the filter pane its filters."""
    context, guard = guarded
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site.page(f"events/{next(iter(site.dossier.events))}/"), wait_until="load")
    assert not [u for u in requests if "/pagefind/" in u or "search" in u.rsplit("/", 1)[-1].replace("search.js", "")]
    open_search(page)
    page.wait_for_load_state("networkidle")  # the search's code and page list, all that opening fetches
    assert any(u.endswith(".pf_meta") for u in requests), "opening the search loaded no page list"
    # Opening it fetches the search's code and the page list, not the word index nor the filters (their
    # size is the dossier's); a query then fetches the chunk its word needs, still no filter.
    assert not [u for u in requests if "/pagefind/index/" in u or "/pagefind/filter/" in u]
    page.keyboard.type("mali")
    expect(results(page).first).to_be_visible()
    assert any(u.startswith(site.page("pagefind/index/")) for u in requests), "the query fetched no index chunk"
    assert not [u for u in requests if "/pagefind/filter/" in u], "a query without filters fetched the filters"
    # The reader opens the filter pane: the filters load, with their counts for the query typed.
    page.locator(".dossier-search__filters > summary").click()
    expect(page.locator("pagefind-filter-pane details.pf-filter-group").first).to_be_attached()
    assert any(u.startswith(site.page("pagefind/filter/")) for u in requests), "the filter pane fetched no filter"
    assert not guard.unexpected_outside(), f"requests to other hosts: {guard.unexpected_outside()}"
    assert not guard.errors and not guard.console, guard.errors + guard.console


def test_a_word_of_an_event_title_finds_the_event(page, site):
    """Typing a word of an event's title lists that event, saying it is an event with its date and kind."""
    word, event = title_word(site.dossier)
    page.goto(site.url)
    search(page, word.lower())
    hit = result_for(page, f"events/{event.id}/")
    expect(hit).to_be_visible()
    expect(hit.locator(".dossier-search__what")).to_have_text(re.compile(
        rf"^Event · .+ · {re.escape(label('en', 'EVENT_KINDS', event.kind))}$"))
    screenshot(page, "search", full_page=False)
    hit.locator("a.pf-result-link").click()
    expect(page).to_have_url(site.page(f"events/{event.id}/"))
    expect(page.locator("h1")).to_contain_text(event.title)


def test_a_system_name_finds_the_system_and_the_events_that_report_it(page, site):
    """A system's name lists its page and events whose equipment names it."""
    d = site.dossier
    system = register_system(d)
    page.goto(site.url)
    search(page, system.name)
    hit = result_for(page, f"systems/{system.id}/")
    expect(hit).to_be_visible()
    expect(hit.locator(".dossier-search__what")).to_contain_text("System")
    reporting = {f"events/{r.event.id}/" for r in d.system_register[system.id]}
    expect(results(page).locator(".dossier-search__what", has_text="Event").first).to_be_visible()
    assert shown_links(page) & reporting, f"no event reporting {system.name} among the results"


def test_an_alias_finds_the_actor(page, site):
    """An actor is found by a name it is also known as."""
    alias, actor = alias_of(site.dossier)
    page.goto(site.url)
    search(page, alias)
    hit = result_for(page, f"actors/{actor.id}/")
    expect(hit).to_be_visible()
    expect(hit.locator(".dossier-search__what")).to_contain_text("Actor")


def test_filters_narrow_the_results_without_a_query_word(page, site):
    """Ticking a record type, or an event kind and a year, lists exactly those records, no word typed."""
    d = site.dossier
    page.goto(site.url)
    open_search(page)
    summary = page.locator("pagefind-summary")
    pick(page, "record", "System")
    expect(summary).to_contain_text(f"{len(d.systems)} result")
    expect(results(page).first.locator(".dossier-search__what")).to_contain_text("System")
    pick(page, "record", "System")  # untick
    (kind, year), count = Counter((e.kind, str(d.date(e).start.year)) for e in d.events.values()).most_common(1)[0]
    kind = label("en", "EVENT_KINDS", kind)  # the search names a kind as pages show it: "port call"
    pick(page, "event kind", kind)
    pick(page, "year", year)
    expect(summary).to_contain_text(f"{count} result")
    for what in results(page).locator(".dossier-search__what").all()[:3]:
        expect(what).to_have_text(re.compile(rf"^Event · .+ · {re.escape(kind)}$"))


def test_search_works_by_keyboard_alone(page, site):
    """Tab reaches the header's search button; Enter opens it with the input focused; Esc closes it, focus back."""
    page.goto(site.url)
    button = page.locator(".dossier-search__open")
    for _ in range(40):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(SEARCH_DIALOG)).to_be_visible()
    expect(page.locator("pagefind-input input")).to_be_focused()
    page.keyboard.type("mali")
    expect(page.locator("pagefind-results a.pf-result-link").first).to_be_visible()
    page.keyboard.press("ArrowDown")  # into the results
    page.wait_for_function("() => document.activeElement.matches('pagefind-results a.pf-result-link')")
    page.keyboard.press("Escape")
    expect(page.locator(SEARCH_DIALOG)).to_be_hidden()
    expect(button).to_be_focused()
    open_search(page)  # `/` opens it again


def test_search_opens_again_straight_after_closing(page, site):
    """`/` pressed in the instant after Esc closes the search opens it again (a quick reader, a busy phone)."""
    page.goto(site.url)
    open_search(page)
    # Pagefind learns that its dialog closed from the dialog's close event, a task later: a key
    # pressed before that task, as here, used to find the search "still open" and do nothing.
    page.evaluate("""() => {
        document.querySelector('pagefind-modal dialog').close();
        document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true, cancelable: true}));
    }""")
    expect(page.locator(SEARCH_DIALOG)).to_be_visible()
    expect(page.locator("pagefind-input input")).to_be_focused()


def test_results_come_a_page_at_a_time(page, site):
    """A broad word lists a page of results and a button for the next; the next page takes focus; a new
    word starts again at its first page (the search lays out only what it shows: issue 14)."""
    page.goto(site.url)
    page.locator("pagefind-results").evaluate("r => r.setAttribute('max-results', '3')")  # 30 on the site
    search(page, "mali")
    summary = page.locator("pagefind-summary")
    expect(summary).to_contain_text(re.compile(r"\d+ results"))
    total = int(re.search(r"(\d+) results", summary.inner_text()).group(1))
    assert total > 6, f"'mali' finds only {total} results: pick a broader word"
    more = page.locator(".dossier-search__more")
    expect(results(page)).to_have_count(3)
    expect(more).to_be_visible()
    more.click()
    expect(results(page)).to_have_count(6)
    page.wait_for_function(
        "() => document.activeElement.matches('a.pf-result-link')"
        " && document.activeElement.closest('[data-pf-result-index]').dataset.pfResultIndex === '3'")
    expect(summary).to_contain_text(f"{total} results")
    field = page.locator("pagefind-input input")
    field.fill("")
    field.type("bamako")
    expect(summary).to_contain_text(re.compile(r"\d+ results? for bamako"))
    found = int(re.search(r"(\d+) result", summary.inner_text()).group(1))
    expect(results(page)).to_have_count(min(3, found))
    expect(more).to_be_visible() if found > 3 else expect(more).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_in_the_open_search(browser, site, scheme):
    """The open search, with results and a filter list shown, passes axe-core in both colour schemes."""
    context, _ = new_context(browser, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site.url)
    search(page, "mali")
    expect(results(page).first.locator(".dossier-search__what")).to_be_visible()
    pick(page, "event kind", label("en", "EVENT_KINDS", site.dossier.events[next(iter(site.dossier.events))].kind))
    found = axe_violations(page.main_frame)
    screenshot(page, f"search-{scheme}", full_page=False)
    context.close()
    assert not found, "axe-core violations:\n  " + "\n  ".join(found)


def test_search_fits_a_phone(browser, site):
    """On a phone the button opens the search across the screen, and results can be read and followed."""
    context, guard = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    word, event = title_word(site.dossier)
    page.goto(site.url)
    page.locator(".dossier-search__open").tap()
    expect(page.locator(SEARCH_DIALOG)).to_be_visible()
    page.keyboard.type(word.lower())
    hit = result_for(page, f"events/{event.id}/")
    expect(hit).to_be_visible()
    box = page.locator(SEARCH_DIALOG).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
    screenshot(page, "search-phone", full_page=False)
    hit.locator("a.pf-result-link").tap()
    expect(page).to_have_url(site.page(f"events/{event.id}/"))
    context.close()
    assert not guard.unexpected_outside() and not guard.errors, guard.unexpected_outside() + guard.errors
