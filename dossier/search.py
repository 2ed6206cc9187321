"""Search entries for the generated pages, made from their finished HTML without parsing it.

Material's search plugin indexes a page by parsing its HTML again with html.parser,
which took half of MkDocs' time on the dossier's pages. hooks/generate.py indexes
the generator's HTML pages itself instead (one entry per heading, with the page's
tags, as Material makes them), tells Material to skip them, and adds their
entries to Material's index after each build.
"""

from __future__ import annotations

import functools
import html
import json
import re

# Headings come from render.anchor_headings, always in this shape.
_SECTION = re.compile(r'<h[1-6] id="([^"]+)">(.*?)<a class="headerlink" [^>]*>&para;</a></h[1-6]>', re.DOTALL)
_KEEP = ("code", "li", "ol", "p", "pre", "sub", "sup", "ul")  # the tags Material's index keeps, bare
_OTHER_TAG = re.compile(r"<(?!/?(?:%s)\b)[^>]*>" % "|".join(_KEEP))
_KEPT_TAG = re.compile(r"<(/?(?:%s))\b[^>]*>" % "|".join(_KEEP))
_EMPTY = re.compile(r"<(%s)> ?</\1> ?" % "|".join(_KEEP))  # Material drops empty kept elements


def plain(fragment: str) -> str:
    """Return an HTML fragment's text, spaces collapsed, escaped as Material's index holds text."""
    text = _OTHER_TAG.sub("", fragment)
    if "<" in text or ">" in text or "&" in text:  # kept tags or entities (most fragments have none)
        parts = _KEPT_TAG.split(text)  # text, then (kept tag, text) pairs
        # Entities read, then only & < > escaped, as Material holds text (most parts have none).
        parts[::2] = [html.escape(html.unescape(part), quote=False) if "&" in part or "<" in part
                      or ">" in part else part for part in parts[::2]]
        parts[1::2] = [f"<{tag}>" for tag in parts[1::2]]
        text = "".join(parts)
    # `\s+` -> " ", faster: str.split has the same whitespace, and the ends it drops are stripped below.
    text, emptied = " ".join(text.split()), "<" in text
    while emptied:  # an element holding only emptied ones is empty too
        text, emptied = _EMPTY.subn("", text)
    return text.strip()


_title = functools.lru_cache(maxsize=1 << 12)(plain)  # headings recur on every page: Actors, Sources, Map...


def page_entries(url: str, body: str, tags: list[str]) -> list[dict]:
    """Return a page's entries: one per heading, its text up to the next; the first at the page's own URL."""
    parts = _SECTION.split(body)
    entries = []
    for i in range(1, len(parts), 3):
        heading_id, title, text = parts[i:i + 3]
        location = url if i == 1 else f"{url}#{heading_id}"
        entry = {"location": location, "title": _title(title), "text": plain(text)}
        if tags:
            entry["tags"] = list(tags)
        entries.append(entry)
    return entries


def encoded(entries: list[dict]) -> str:
    """Encode entries as the items of a compact JSON array, the form merged_index splices."""
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))[1:-1]


def merged_index(material: str, pages: list[str]) -> str:
    """Add the generated pages' entries (each page's `encoded` items) to Material's index (its JSON text)."""
    index = json.loads(material)
    theirs = json.dumps(index["docs"], separators=(",", ":"))[1:-1]
    # Spliced as text: the pages were encoded once each, when built, and 10,000 need no re-encoding.
    docs = ",".join(part for part in (theirs, *pages) if part)
    return f'{{"config":{json.dumps(index["config"], separators=(",", ":"))},"docs":[{docs}]}}'
