"""The French edition: its switcher leads to the same page in the other language, its search is French, axe passes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dossier import translations
from dossier.build import load_valid

from .conftest import axe_violations, new_context, screenshot, shipped_data
from .pages import latest_event, open_search, result_for, search
from .test_a11y import check_axe

pytestmark = pytest.mark.browser

WORD = re.compile(r"[^\W\d_]{5,}")
WIDTHS = {"phone": {"width": 390, "height": 800}, "desktop": {"width": 1280, "height": 900}}


def french_titles() -> tuple[dict[str, str], str]:
    """Return the events' current French titles (neither missing nor stale) by id, and every English title."""
    data = shipped_data()
    dataset = load_valid(data)
    french, _ = translations.load(data, "fr", dataset)
    found = {e.id: french.get("events", e.id, "title", e.title) for e in dataset.events}
    current = {event_id: text for event_id, (text, status) in found.items() if status == "current"}
    return current, " ".join(e.title for e in dataset.events)


def french_word() -> tuple[str, str]:
    """Pick an event and a word of its French title that no English title has and the fewest French ones do."""
    titles, english = french_titles()
    if not titles:
        pytest.fail("no event title is translated (data/fr/events.yaml): the French search has nothing to find",
                    pytrace=False)
    everything = " ".join(titles.values()).lower()
    candidates = [(everything.count(word.lower()), -len(word), word, event_id)
                  for event_id, title in sorted(titles.items())
                  for word in WORD.findall(title) if word.lower() not in english.lower()]
    assert candidates, "every word of the French titles is in an English title too"
    return min(candidates)[2:]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_switcher_leads_to_the_same_page_in_the_other_language(browser, site, width):
    """On an event page, Français opens the same event in French, and English leads back to it; no page view
    fetches a sitemap (Material's own language switching would, for every hreflang link)."""
    context, guard = new_context(browser, viewport=WIDTHS[width])
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        event = latest_event(site.dossier)
        page.goto(site.page(f"events/{event.id}/"))
        for lang, target in (("fr", f"fr/events/{event.id}/"), ("en", f"events/{event.id}/")):
            page.locator(".md-select > button").click()
            page.locator(f'a.md-select__link[hreflang="{lang}"]').click()
            expect(page).to_have_url(site.page(target))
            expect(page.locator("html")).to_have_attribute("lang", lang)
            if lang == "fr":
                expect(page.locator(".md-select > button")).to_have_attribute("aria-label", "Sélectionner la langue")
                screenshot(page, f"french-event-{width}", maps=False, full_page=False)
        expect(page.locator("h1")).to_contain_text(event.title)
        assert not [u for u in requests if "sitemap" in u], "a page view fetched a sitemap"
        assert not guard.errors and not guard.console, guard.errors + guard.console
    finally:
        context.close()


def test_the_french_search_finds_an_event_by_a_word_of_its_french_title(page, site):
    """On the French edition, a word found only in an event's French title lists that event's French page,
    and so does its plural (French stemming: "manifestations" finds "manifestation")."""
    word, event_id = french_word()
    page.goto(site.page("fr/"))
    search(page, word.lower() if word.endswith(("s", "x")) else word.lower() + "s")
    expect(result_for(page, f"fr/events/{event_id}/")).to_be_visible()
    expect(page.locator("pagefind-summary")).to_contain_text("résultat")  # Pagefind's own words in French
    page.locator("pagefind-input input").fill(word.lower())
    hit = result_for(page, f"fr/events/{event_id}/")
    expect(hit).to_be_visible()
    expect(page.locator("pagefind-input input")).to_have_attribute("placeholder", re.compile("^Rechercher"))
    hit.locator("a.pf-result-link").click()
    expect(page).to_have_url(site.page(f"fr/events/{event_id}/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_french_pages_pass_axe(page, site):
    """The French home, an event page and the methodology pass axe-core (the language of parts included)."""
    event = latest_event(site.dossier)
    paths = ("fr/", f"fr/events/{event.id}/", "fr/methodology/")
    found = [v for path in paths for v in check_axe(page, site.page(path))]
    assert not found, "axe-core violations:\n  " + "\n  ".join(found)


def test_english_shown_on_a_french_page_is_marked_calmly_in_both_schemes(page, hostile_site):
    """Untranslated English (the hostile fixture has some) is set off by a thin rule or a dotted underline,
    its note smaller and muted than the text, and axe finds no contrast problem in the light or dark scheme."""
    url = hostile_site.page("fr/actors/hostile-actor/")
    page.goto(url, wait_until="load")
    style = ("(n, props) => { const s = getComputedStyle(n); "
             "return Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)])); }")
    for scheme in ("default", "slate"):
        page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        block = page.locator("div.dossier-untranslated").first.evaluate(style, ["border-left-width",
                                                                               "border-left-style"])
        assert block["border-left-style"] == "solid" and 0 < float(block["border-left-width"][:-2]) <= 4, block
        inline = page.locator("span.dossier-untranslated").first.evaluate(style, ["text-decoration-style"])
        assert inline["text-decoration-style"] == "dotted", (scheme, inline)
        text = page.locator("article.md-content__inner").evaluate(style, ["font-size", "color"])
        for note in (page.locator("small.dossier-untranslated__note").first,
                     page.locator("div.dossier-untranslated > .dossier-untranslated__note").first):
            shown = note.evaluate(style, ["font-size", "color"])
            assert float(shown["font-size"][:-2]) < float(text["font-size"][:-2]), (scheme, shown, text)
            assert shown["color"] != text["color"], (scheme, shown, text)
        found = [v for v in axe_violations(page.main_frame) if v.startswith("color-contrast")]
        assert not found, f"{scheme}: " + "; ".join(found)


def test_a_record_map_on_a_french_page_speaks_french(page, site):
    """An event's map opened from its French page: <html lang="fr">, the popup's place line and layer in French,
    and its link leads to the French event page."""
    from dossier import maps

    event = next(e for e in reversed(list(site.dossier.events.values())) if e.place and e.place.located)
    page.goto(site.page(f"fr/events/{event.id}/"))
    page.locator(".dossier-sketch__open").first.click()
    frame = page.frame_locator("iframe.dossier-map")
    expect(frame.locator("html")).to_have_attribute("lang", "fr")
    # Enter on the focused marker, not a pointer click: a click that lands while the map is still
    # fitting its bounds can miss the moving marker (seen once in CI).
    marker = frame.locator(".dm-marker").first
    marker.focus()
    marker.press("Enter")
    expect(frame.locator(".dm-place")).to_have_text(re.compile(r"^Lieu : .+ \(précision : .+\)$"))
    kind = frame.locator(".dm-kind").text_content()
    assert kind and kind not in set(maps.GROUP_LABELS.values()), kind  # the layer's French name
    expect(frame.locator("a.dm-link")).to_have_attribute("href", re.compile(rf"/fr/events/{event.id}/$"))


def test_the_french_search_filters_are_french(page, site):
    """The French search's filter pane names its filters and their values in French: record types, event kinds
    and confidence levels as the French pages write them, not the data's ids."""
    from dossier import i18n

    event = latest_event(site.dossier)
    page.goto(site.page("fr/"))
    open_search(page)
    page.locator(".dossier-search__filters > summary").click()
    pane = page.locator("pagefind-filter-pane")
    expect(pane.locator('details.pf-filter-group[data-filter-name="fiche"]')).to_be_attached()
    expect(pane.locator('input[type="checkbox"][value="Événement"]')).to_be_attached()
    kind = i18n.word("fr", "EVENT_KINDS", event.kind)
    group = pane.locator('details.pf-filter-group[data-filter-name="type d’événement"]')
    expect(group.locator(f'input[type="checkbox"][value="{kind}"]')).to_be_attached()
    for name in ("record", "event kind", "confidence", "year", "country"):
        expect(pane.locator(f'details.pf-filter-group[data-filter-name="{name}"]')).to_have_count(0)
    expect(pane.locator(f'input[type="checkbox"][value="{event.kind}"]')).to_have_count(0 if kind != event.kind
                                                                                          else 1)


@pytest.mark.parametrize("failure", ["404", "dropped"])
def test_the_french_explore_page_says_why_it_failed_in_french(page, site, failure):
    """When the explore index cannot be had (the server answers 404, or the connection drops), the French page
    says so in French, with the reason in French too, not the browser's or the script's English."""
    def refuse(route):
        """Answer the index request with a 404, or drop it."""
        if failure == "404":
            route.fulfill(status=404, body="")
        else:
            route.abort()

    page.route(re.compile(r".*/assets/generated/explore/index\.fr\.json$"), refuse)
    page.goto(site.page("fr/explore/"))
    reason = "l’index a répondu 404" if failure == "404" else "la connexion a échoué ou l’index n’a pas pu être lu"
    expect(page.locator(".dx-total")).to_have_text(f"Les événements n’ont pas pu être chargés ({reason}). "
                                                   "Rechargez la page, ou consultez la liste des événements.")
