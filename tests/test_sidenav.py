"""The sidebar nav, rendered once per folder of record pages (dossier/sidenav.py)."""

from __future__ import annotations

import posixpath
from types import SimpleNamespace

from jinja2 import DictLoader, Environment

from dossier import sidenav

# A stand-in for Material's nav: it shows what the real one depends on, and counts its renderings.
NAV_TEMPLATE = "{{ count.append(1) or '' }}{% for target in nav.pages %}{{ target.url | rel(page) }} {% endfor %}"


def environment() -> tuple[Environment, list]:
    """Return an environment with the stand-in nav and a relative-link filter like MkDocs' `url`."""
    env = Environment(loader=DictLoader({sidenav.NAV: NAV_TEMPLATE, "page.html": "{{ shared_nav() }}"}))
    env.filters["rel"] = lambda url, page: posixpath.relpath("/" + url, "/" + page.url) + "/"
    env.globals["shared_nav"] = sidenav.shared_nav()
    return env, []


def nav(active: bool = False) -> SimpleNamespace:
    """Return a two-page nav, its first entry active or not."""
    items = [SimpleNamespace(url="events/", active=active), SimpleNamespace(url="actors/", active=False)]
    return SimpleNamespace(items=items, pages=items)


def render(env: Environment, count: list, url: str, the_nav: SimpleNamespace) -> str:
    """Render the stand-in page for a page at `url`."""
    return env.get_template("page.html").render(page=SimpleNamespace(url=url), nav=the_nav, base_url="../..",
                                                count=count)


def test_pages_of_one_folder_share_one_rendering():
    """Two events share their nav; an actor's is rendered again, with its own relative links."""
    env, count = environment()
    first, second = render(env, count, "events/a/", nav()), render(env, count, "events/b/", nav())
    assert first == second == "../ ../../actors/ " and len(count) == 1
    assert render(env, count, "actors/c/", nav()) == "../../events/ ../ " and len(count) == 2


def test_a_page_the_nav_names_is_rendered_as_material_renders_it():
    """With an entry active (the page is in the nav), every page gets its own rendering."""
    env, count = environment()
    render(env, count, "events/a/", nav(active=True))
    render(env, count, "events/b/", nav(active=True))
    assert len(count) == 2


def test_a_page_holding_a_nav_page_is_rendered_alone():
    """A nav page inside a page's own folder would be linked differently from its neighbours."""
    env, count = environment()
    assert render(env, count, "events/", nav()) == "./ ../actors/ " and len(count) == 1
    render(env, count, "events/", nav())
    assert len(count) == 2
