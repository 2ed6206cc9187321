"""Search entries: the hook indexes the generated pages as Material's search plugin would, at a fraction of the cost."""

from __future__ import annotations

import html
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser

from dossier import render, search

HEADING = '<h{n} id="{id}">{title}<a class="headerlink" href="#{id}" title="Permanent link">&para;</a></h{n}>'


def material_sections(body: str) -> list[tuple[str, str]]:
    """Return (title, text) of each section as Material's own parser reads the HTML."""
    parser = Parser()
    parser.feed(body)
    parser.close()
    return [("".join(s.title).strip(), "".join(s.text).strip()) for s in parser.data]


def squeeze(text: str) -> str:
    """Collapse runs of spaces (Material keeps the runs inside one text node; the generator collapses all)."""
    return " ".join(text.split())


def test_entries_split_a_page_at_its_headings_and_carry_its_tags():
    """The first heading's entry sits at the page's URL, the others at their anchors."""
    body = HEADING.format(n=1, id="t", title="Title") + "<p>Intro <em>here</em></p>" + \
        HEADING.format(n=2, id="actors", title="Actors") + "<table><tr><td>Russia</td> <td>supplier</td></tr></table>"
    assert search.page_entries("events/x/", body, ["delivery", "2025"]) == [
        {"location": "events/x/", "title": "Title", "text": "<p>Intro here</p>", "tags": ["delivery", "2025"]},
        {"location": "events/x/#actors", "title": "Actors", "text": "Russia supplier", "tags": ["delivery", "2025"]},
    ]


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=40), text=st.text(max_size=200))
def test_any_text_is_indexed_as_material_indexes_it(title, text):
    """Whatever a contributor writes, the entry holds what Material's parser would: escaped text, kept tags."""
    body = (HEADING.format(n=1, id="t", title=html.escape(title)) + f"<p>{render.escape.inert_html(text)}</p>"
            + HEADING.format(n=2, id="s", title="Sources") + f"<ul><li>{html.escape(text)}</li></ul>")
    ours = [(e["title"], e["text"]) for e in search.page_entries("events/x/", body, [])]
    assert [(squeeze(t), squeeze(x)) for t, x in ours] == \
        [(squeeze(t), squeeze(x)) for t, x in material_sections(body)]
    assert all("<script" not in t + x for t, x in ours)


def test_generated_entries_join_materials_index():
    """The hook's merge keeps Material's config and entries and adds the generated pages' after them."""
    material = json.dumps({"config": {"lang": ["en"]}, "docs": [{"location": "about/", "title": "About", "text": ""}]})
    pages = [search.encoded([{"location": "events/x/", "title": "X", "text": "é"},
                             {"location": "events/x/#a", "title": "A", "text": ""}]),
             search.encoded([]), search.encoded([{"location": "actors/y/", "title": "Y", "text": "<p>y</p>"}])]
    merged = json.loads(search.merged_index(material, pages))
    assert merged["config"] == {"lang": ["en"]}
    assert [d["location"] for d in merged["docs"]] == ["about/", "events/x/", "events/x/#a", "actors/y/"]
    assert merged["docs"][1]["text"] == "é"
    assert json.loads(search.merged_index(material, []))["docs"] == json.loads(material)["docs"]
