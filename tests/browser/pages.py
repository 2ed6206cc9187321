"""What the browser tests pick from the dossier, and where they find it on the built pages."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import ROOT

WORD = re.compile(r"[A-Za-z]{6,}")
CLUSTER = ".marker-cluster, .dm-cluster"  # markercluster's own class, or the dossier's cluster icons


def latest_event(d):
    """Return the newest event."""
    return list(d.events.values())[-1]


def disputed_event(d):
    """Return the event whose items the sources identify as different systems (the richest one)."""
    def disputed(e):
        return any(len({i.system for i in item.identified_as}) > 1 for item in e.equipment)
    found = [e for e in d.events.values() if disputed(e)]
    assert found, "the dataset has no event with competing identifications to test"
    return max(found, key=lambda e: (len(e.sources), len(e.actors), e.id))


def register_system(d):
    """Return the system with the longest register of reported deliveries that has figures."""
    ranked = sorted(d.system_register.items(),
                    key=lambda kv: (sum(x.quantity is not None for x in kv[1]), len(kv[1]), kv[0]))
    assert ranked, "the dataset has no system with a register to test"
    return d.systems[ranked[-1][0]]


def site_words(d, own_event_id: str) -> str:
    """Return, lower-cased, every text of the site except one event's record: records, docs, templates."""
    texts = [r.model_dump_json() for group in (d.sources, d.actors, d.systems, d.events)
             for r in group.values() if r.id != own_event_id]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "templates").glob("*.j2")]
    return "\n".join(texts).lower()


def unique_word(d) -> tuple[str, object]:
    """Find a word of an event summary that no other record, page or template contains (nor its stem)."""
    for event in reversed(list(d.events.values())):
        others = site_words(d, event.id)
        for word in sorted(set(WORD.findall(event.summary or "")), key=lambda w: (-len(w), w)):
            stem = word.lower()[:-2] if len(word) > 7 else word.lower()
            if stem not in others and stem not in event.title.lower():
                return word, event
    pytest.fail("no event summary has a word that appears nowhere else on the site")


def open_map(page):
    """Open the page's map as a reader does, by clicking its sketch; return the map's iframe locator."""
    sketch = page.locator(".dossier-sketch__open").first
    if sketch.count():
        sketch.click()
    return page.locator("iframe").first


def map_frame(page):
    """Return the frame locator of the page's map, opened from its sketch."""
    open_map(page)
    return page.frame_locator("iframe").first


# Where each marker sits, whether the map is animating, and the first marker no other covers.
_LAYOUT = """els => ({
    moving: els.length > 0 && !!els[0].ownerDocument.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim'),
    rects: els.map(e => { const r = e.getBoundingClientRect(); return [Math.round(r.x), Math.round(r.y)]; }),
    index: els.findIndex(e => {
        const r = e.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return hit !== null && (hit === e || e.contains(hit)); }),
})"""


def topmost(markers):
    """Return the first of some markers that no other covers (what a reader can click), once the map is still."""
    # Leaflet re-clusters and re-orders its icons while the map settles: an index taken then can point
    # at another icon by the time it is clicked, so wait for two identical looks 100 ms apart.
    last = None
    for _ in range(100):  # 10 s
        seen = markers.evaluate_all(_LAYOUT)
        if seen == last and not seen["moving"]:
            break
        last = seen
        time.sleep(0.1)
    else:
        pytest.fail("the map's markers never stopped moving")
    assert seen["index"] >= 0, "every marker of this kind is covered by another or outside the map"
    return markers.nth(seen["index"])


# --- the search (overrides/partials/search.html: Pagefind's components) ----------------------------

SEARCH_DIALOG = "pagefind-modal dialog"


def open_search(page) -> None:
    """Open the header's search as a reader would, with `/`, and wait for its input to take focus."""
    from playwright.sync_api import expect

    page.keyboard.press("/")
    expect(page.locator(SEARCH_DIALOG)).to_be_visible()
    expect(page.locator("pagefind-input input")).to_be_focused()


def search(page, words: str) -> None:
    """Open the search and type some words."""
    open_search(page)
    page.keyboard.type(words)


def results(page):
    """Return the search results shown (each a title link, a line saying what it is, an excerpt)."""
    return page.locator("pagefind-results li.pf-result")


def result_for(page, path: str):
    """Return the search result linking to a site path such as 'events/x/'."""
    return results(page).filter(has=page.locator(f'a.pf-result-link[href$="/{path}"]'))
