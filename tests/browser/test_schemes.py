"""The dossier's own look in the light and the dark scheme: the map sketch, the kind chips, the charts.

The theme follows the reader's system setting on a first visit, so a context with
`color_scheme="dark"` gets the dark (slate) scheme without touching the toggle.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, new_context, screenshot

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}


def _luminance(css_colour: str) -> float:
    """Return the relative luminance (WCAG) of a computed `rgb(...)`/`rgba(...)` colour."""
    red, green, blue = (int(x) / 255 for x in re.findall(r"[\d.]+", css_colour)[:3])
    def linear(c: float) -> float:
        """Undo the sRGB curve of one channel."""
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@pytest.fixture(params=list(SCHEMES))
def scheme_page(request, browser):
    """A guarded desk-sized page whose system prefers the light or the dark scheme: (page, scheme)."""
    context, _ = new_context(browser, viewport={"width": 1280, "height": 900}, color_scheme=request.param)
    yield context.new_page(), request.param
    context.close()


def test_the_map_sketch_follows_the_scheme(scheme_page, site):
    """The home page's sketch is a light map in the light scheme and a dark one in the dark, and passes axe."""
    page, scheme = scheme_page
    page.goto(site.page(""))
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    sketch = page.locator(".dossier-sketch__open").first
    sea = _luminance(sketch.evaluate("e => getComputedStyle(e).backgroundColor"))
    page_bg = _luminance(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
    if scheme == "dark":
        assert sea < 0.05 and page_bg < 0.05, f"the sketch's sea is too bright for the dark page ({sea:.2f})"
    else:
        assert sea > 0.7, f"the sketch's sea is too dark for the light page ({sea:.2f})"
    assert axe_violations(page) == []
    screenshot(page, f"scheme-home-{scheme}", maps=False)


def test_a_kind_chip_shows_its_colour_as_a_round_dot(scheme_page, site):
    """Each kind chip on the events index carries its kind's colour as a round dot, not a bent thick edge."""
    page, _ = scheme_page
    page.goto(site.page("events/"))
    chips = page.locator(".dossier-kind")
    assert chips.count() > 0
    for i in range(min(chips.count(), 6)):
        found = chips.nth(i).evaluate("""e => {
            const dot = getComputedStyle(e, "::before"), chip = getComputedStyle(e);
            const probe = document.createElement("span");
            probe.style.color = chip.getPropertyValue("--dossier-kind");
            document.body.append(probe);
            const kind = getComputedStyle(probe).color;
            probe.remove();
            return {dot: dot.backgroundColor, kind, radius: dot.borderRadius, width: dot.width, height: dot.height,
                    left: chip.borderLeftWidth, right: chip.borderRightWidth};
        }""")
        assert found["dot"] == found["kind"], found
        assert found["radius"] == "50%" and found["width"] == found["height"], found
        assert found["left"] == found["right"], f"the chip's edges differ, as a thick coloured edge would: {found}"


def test_the_scheme_is_chosen_before_the_theme_script_and_switches_from_the_keyboard(browser, site):
    """A dark-preferring reader gets the dark scheme without the theme's script; Enter switches; the choice sticks."""
    context, _ = new_context(browser, viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.route("**/assets/javascripts/bundle.*.js", lambda route: route.abort())  # the header's script alone
    page.goto(site.page("systems/"))
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "slate"
    assert page.evaluate("() => localStorage.length") == 0, "the system's choice was stored as the reader's"
    page.unroute("**/assets/javascripts/bundle.*.js")
    page.goto(site.page(""))
    page.locator("form[data-dossier-palette] input:checked").focus()
    page.keyboard.press("Enter")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(page.locator("form[data-dossier-palette] label:visible")).to_have_count(1)
    page.goto(site.page("systems/"))
    assert body.get_attribute("data-md-color-scheme") == "default"
    assert page.locator("meta[name=theme-color]").get_attribute("content", timeout=5000).startswith("#")
    context.close()
