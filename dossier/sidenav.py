"""Material's sidebar navigation, rendered once per folder of record pages (a speed trick, ARCHITECTURE.md).

Material renders the site's navigation on every page: 19 of 84 s of the English
edition's MkDocs build at 10,000 events, under the profiler. The record pages
(events/x/, actors/y/) are not in the nav, so no entry of it is active on them,
and their nav differs only by its links, which MkDocs' `url` filter makes
relative to the page. Pages in one folder (events/x/ and events/y/) get the same
relative links to any page outside their own folder, so one rendering serves
them all. A page the nav names, or one holding a page the nav names, is
rendered as Material renders it. overrides/main.html calls `shared_nav()` where
Material includes partials/nav.html; a builder that runs no hooks (Zensical)
includes it as Material does.
"""

from __future__ import annotations

import posixpath

from jinja2 import pass_context
from markupsafe import Markup

NAV = "partials/nav.html"  # Material's template, which the cache renders unchanged


def _folder(context) -> tuple | None:
    """Return what a page's nav depends on (the base URL and the page's parent folder), or None if more."""
    page, nav = context.get("page"), context.get("nav")
    url = getattr(page, "url", None)
    if not nav or not url or not url.endswith("/") or any(item.active for item in nav.items):
        return None
    # A nav page inside this page's own folder would get a link that differs between its neighbours.
    if any((target.url or "").startswith(url) for target in nav.pages):
        return None
    return context.get("base_url"), posixpath.dirname(url.rstrip("/"))


def _render(context) -> Markup:
    """Render Material's nav for the page being rendered."""
    return Markup(context.environment.get_template(NAV).render(context.get_all()))


def shared_nav():
    """Return a template function giving a page's sidebar nav, rendered once per folder where it is the same."""
    rendered: dict[tuple, Markup] = {}  # one build's: on_env makes a new one for each

    @pass_context
    def nav(context) -> Markup:
        """Return the sidebar nav of the page being rendered."""
        key = _folder(context)
        if key is None:
            return _render(context)
        if key not in rendered:
            rendered[key] = _render(context)
        return rendered[key]

    return nav
