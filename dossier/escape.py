"""One escaper per output context: contributor text is untrusted everywhere it lands.

Pick the function named after the place the value goes, never a neighbour's:
Markdown text is not HTML text, an HTML attribute is not a JS string, and a CSV
cell needs its own guard against formula injection.
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote, urlsplit

# Characters that start Markdown syntax (emphasis, links, code, HTML, tables, headings, the
# pymdownx marks) plus the ones template engines and attr_list read: `{` `}` `$`.
# Without `[` no link or image can form, so `(`, `)` and `!` stay readable.
_MD_SPECIAL = "\\`*_[]{}<>&\"#|~^=$"
_MD_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _MD_SPECIAL}
# Control characters (the validator refuses them) would be read as Markdown's own placeholders.
_CONTROLS = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127]}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SCHEMES = ("http", "https")
# Template syntax left in rendered HTML (from summaries) is neutralised with entities.
_TEMPLATE_CHARS = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;"})


def html_text(value: object) -> str:
    """Escape a value for HTML element content."""
    return html.escape(str(value), quote=False)


def html_attr(value: object) -> str:
    """Escape a value for a quoted HTML attribute (both quote styles)."""
    return html.escape(str(value), quote=True)


def inert_html(value: object) -> str:
    """Escape a value for HTML text or a quoted attribute, with template delimiters as entities too.

    For places whose HTML a later engine may read again: page titles that MkDocs
    themes print without escaping, attributes of raw HTML in Markdown pages.
    """
    return neutralise_template(html.escape(str(value), quote=True))


def md_text(value: object) -> str:
    """Escape a value as one line of literal Markdown text, safe as HTML too.

    Every character that could start Markdown, HTML or template syntax becomes a
    numeric entity: Markdown leaves entities alone and browsers show the
    character, so the reader sees exactly what the contributor wrote.
    """
    out = " ".join(str(value).translate(_CONTROLS).split()).translate(_MD_ENTITIES)
    if out[:1] in ("-", "+"):  # would start a list item where the value begins a line
        out = f"&#{ord(out[0])};{out[1:]}"
    return out


def neutralise_template(html_fragment: str) -> str:
    """Replace template delimiters in an already safe HTML fragment with entities."""
    return html_fragment.translate(_TEMPLATE_CHARS)


def json_script(value: object) -> str:
    """Serialise a value as JSON that is safe inside an HTML <script> element."""
    # Compact separators: the map page carries one row per event, and the spaces were 1 byte in 8.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csv_cell(value: object) -> object:
    """Guard a CSV cell against formula injection: prefix ' to text starting = + - @ tab or CR."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_url(value: object) -> str | None:
    """Return the URL if it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or not parts.netloc:
        return None
    return value


def md_url(value: object) -> str | None:
    """Return an http(s) URL ready for a Markdown link target, or None if it is not one."""
    url = safe_url(value)
    if url is None:
        return None
    # Percent-encode what would end the target or open HTML; keep the URL otherwise intact.
    return quote(url, safe="/:?#[]@!$&*+,;=%~-._")


def html_url(value: object) -> str | None:
    """Return an http(s) URL ready for a quoted HTML href (encoded as for Markdown, then escaped), or None."""
    url = md_url(value)
    return None if url is None else html_attr(url)
