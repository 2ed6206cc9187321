"""Search entries for the generated pages, made from the HTML the generator has just rendered.

Material's search plugin indexes a page by parsing its HTML again with html.parser,
which took half of MkDocs' time on the dossier's pages. The generated pages are
left out of it (front matter `search: {exclude: true}`) and their entries, one per
heading with the page's tags as Material makes them, are written to ENTRIES;
hooks/generate.py adds them to Material's index after each build.
"""

from __future__ import annotations

import functools
import html
import json
import re

ENTRIES = "assets/generated/search-entries.json"  # read by hooks/generate.py, left out of the site
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


def site_url(path: str) -> str:
    """Return a generated page's URL relative to the site root: 'events/x.md' -> 'events/x/'."""
    stem = path.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def page_entries(path: str, body: str, tags: list[str]) -> list[dict]:
    """Return a page's entries: one per heading, its text up to the next; the first at the page's own URL."""
    url, parts = site_url(path), _SECTION.split(body)
    entries = []
    for i in range(1, len(parts), 3):
        heading_id, title, text = parts[i:i + 3]
        location = url if i == 1 else f"{url}#{heading_id}"
        entry = {"location": location, "title": _title(title), "text": plain(text)}
        if tags:
            entry["tags"] = list(tags)
        entries.append(entry)
    return entries


def entries_file(entries: list[dict]) -> bytes:
    """Encode the entries as the compact JSON array the hook splices into Material's index."""
    return (json.dumps(entries, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def merged_index(material: str, entries: str) -> str:
    """Add the generated entries (a JSON array) to Material's search index (its JSON text)."""
    index = json.loads(material)
    ours = entries.strip()[1:-1]  # the array's items, spliced as text: 10,000 pages need no re-encoding
    theirs = json.dumps(index["docs"], separators=(",", ":"))[1:-1]
    docs = ",".join(part for part in (theirs, ours) if part)
    return f'{{"config":{json.dumps(index["config"], separators=(",", ":"))},"docs":[{docs}]}}'
