"""Markdown pages from templates: the map and Downloads pages, which MkDocs converts as any hand-written page.

The other generated pages are finished HTML (render.py); these two are Markdown,
so their templates print every value escaped as one line of Markdown text
(escape.md_text), under the same conventions: undefined names fail, and markup
made on purpose is `Markup` (`code` makes a code span; Markdown declared in the
code itself, such as export.COLUMNS' help texts, is marked `safe`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import i18n
from .escape import md_text

TEMPLATES = jinja2.FileSystemLoader(Path(__file__).resolve().parent.parent / "templates")


def _finalize(value: object) -> str:
    """Escape every printed value as Markdown text unless it is already markup."""
    return str(value) if isinstance(value, Markup) else md_text(value)


def code(value: object) -> Markup:
    """Show a value as a Markdown code span, verbatim (a code span shows entities as they are written)."""
    text = str(value)
    if "`" in text or "\n" in text:
        raise ValueError(f"a code span cannot hold {text!r}")
    return Markup(f"`{text}`")


@functools.cache
def environment(lang: str = i18n.SOURCE) -> jinja2.Environment:
    """Build the Jinja environment of the Markdown pages in a language, once."""
    env = jinja2.Environment(loader=TEMPLATES, undefined=jinja2.StrictUndefined, finalize=_finalize,
                             autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             auto_reload=False)
    i18n.install_escaped(env, lang, _finalize)
    env.filters["code"] = code
    env.filters["word"] = lambda value, vocabulary: i18n.label(lang, vocabulary, value)
    env.filters["num"] = lambda n: i18n.number(n, lang)
    # A message declared in code (N_, NP_), translated as it is: `_()` would fill in values, and a '%' in it
    # ('% both') would be read as one.
    env.filters["say"] = lambda message, context=None: i18n.translate(lang, (context, message) if context
                                                                      else message)
    env.globals["lang"] = lang
    return env


def page(template: str, lang: str = i18n.SOURCE, **context) -> bytes:
    """Render a Markdown page's template in a language to the bytes of its file."""
    return environment(lang).get_template(template).render(**context).encode()
