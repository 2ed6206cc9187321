"""A long actors or systems index, split by kind, read at a phone's and a desk's width, with and without JavaScript.

Past render.INDEX_ROWS records an index sums up each kind and links its page (issue 16: a long
index made a phone's main thread wait). The site here is 400 synthetic events built with a low
threshold, English only, so that both indexes split without building thousands of pages.
"""

from __future__ import annotations

import sys

import pytest
from playwright.sync_api import expect

from bench.synth import write_dataset
from dossier import render
from dossier.build import build as generate
from dossier.build import load_valid
from dossier.model import build_dossier

from .conftest import Site, _copy_project, _run, _serve, axe_violations, new_context, screenshot

pytestmark = pytest.mark.browser

CONTENT = "article.md-content__inner"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def split_site(browser, tmp_path_factory):
    """The English edition of 400 synthetic events with indexes split past 10 records, served."""
    project = tmp_path_factory.mktemp("split")
    data = project / "synthetic-data"
    write_dataset(400, data)
    docs = _copy_project(project)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "INDEX_ROWS", 10)
        generate(data, docs)
    _run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
         project)
    yield from _serve(Site("split", project / "site", build_dossier(load_valid(data))))


@pytest.fixture(params=[(w, js) for w in WIDTHS for js in (True, False)], ids=lambda p: f"{p[0]}-{'js' if p[1] else 'nojs'}")
def reader(request, browser):
    """A guarded page at a phone's or a desk's width, with or without JavaScript: (page, width, js)."""
    width, js = request.param
    phone = width == "phone"
    context, _ = new_context(browser, viewport=WIDTHS[width], is_mobile=phone, has_touch=phone,
                             java_script_enabled=js)
    yield context.new_page(), width, js
    context.close()


@pytest.mark.parametrize("kind,label", [("actors", "Actor"), ("systems", "System")])
def test_a_kind_is_reached_from_a_split_index_and_leads_back(reader, split_site, kind, label):
    """The index names each kind with its most cited records; a kind's link opens its full list, which links the index."""
    page, width, js = reader
    d = split_site.dossier
    records = getattr(d, kind)
    page.goto(split_site.page(f"{kind}/"))
    content = page.locator(CONTENT)
    kinds = content.locator("table.dossier-compact tbody tr")
    expect(kinds.first).to_be_visible()
    assert content.locator(f"td[data-label='{label}']").count() == 0, "the index still lists every record"
    first = kinds.first.locator("td").first.locator("a")
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(name)
    rows = page.locator(f"{CONTENT} td[data-label='{label}'] a")
    expect(rows.first).to_be_visible()
    listed = rows.count()
    assert 0 < listed < len(records)
    screenshot(page, f"long-index-{kind}-kind-{WIDTHS[width]['width']}{'' if js else '-nojs'}", maps=False)
    page.locator(f"{CONTENT} nav.dossier-parts a", has_text=kind.capitalize()).click()
    expect(page).to_have_url(split_site.page(f"{kind}/"))
    if js:
        assert axe_violations(page) == []


def test_every_record_is_on_one_kind_page(split_site, browser):
    """The kinds' pages together list every actor once."""
    context, _ = new_context(browser, viewport=WIDTHS["desktop"], java_script_enabled=False)
    page = context.new_page()
    page.goto(split_site.page("actors/"))
    links = [a.get_attribute("href") for a in page.locator(f"{CONTENT} tbody tr td:first-child a").all()]
    listed = []
    for href in links:
        page.goto(split_site.page("actors/" + href))
        listed += page.locator(f"{CONTENT} td[data-label='Actor'] a").all_inner_texts()
    context.close()
    assert sorted(listed) == sorted(a.name for a in split_site.dossier.actors.values())
