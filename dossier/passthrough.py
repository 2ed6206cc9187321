"""Pages as finished HTML: the generated pages skip Python-Markdown in MkDocs (a speed trick, ARCHITECTURE.md).

The render stage writes each page's body as finished HTML, with `body: html` and
the table of contents in its front matter. Python-Markdown would turn that HTML
into the same page, much more slowly. Both halves of the trick live here: for
the generator, `anchor_headings` gives every heading the id and permalink the
toc extension would have given it and lists the table of contents; for the
MkDocs hook, `Passthrough` sets such a body aside before Markdown and puts it
back, with its table of contents, after.

Summaries go through Python-Markdown as contributors' Markdown, except the commonest: one line
of words with *emphasis*, **strong** words and links, whose HTML `markdown_html` makes
itself as Python-Markdown makes it (property-tested against it).

A builder that runs no hooks (Zensical) converts the body as Markdown instead:
the HTML passes through as raw HTML blocks, and the page lacks only the table of
contents in its sidebar.
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass, field

import markdown
from markdown.extensions.toc import nest_toc_tokens, slugify, unique
from mkdocs.structure.toc import get_toc

_MARKDOWN = markdown.Markdown()  # one parser, reset per text: building one costs more than converting
# Most summaries are a line of words, a few in *emphasis* or **strong**, and [links](https://...).
# For those the HTML is made here as Python-Markdown makes it, in a fraction of its time: a line
# from a letter on, no other Markdown character, each mark around whole words, after a space or "("
# and before a space or . , ; : ) (tests/test_render.py checks the two agree).
_WORDS = r"[^\W_]+(?: [^\W_]+)*"  # letters and digits, single spaces between words
_MARK = re.compile(rf"\*\*({_WORDS})\*\*|\*({_WORDS})\*|\[({_WORDS})\]\((https?://[A-Za-z0-9./-]+)\)")
_SIMPLE = re.compile(r"(?=[^\W\d_])(?:[^*_`\\\[\]<>&#!]"
                     rf"|(?<![^ (])(?:{_MARK.pattern})(?![^ .,;:)]))+(?<! )")
# Headings in the templates hold escaped text only (prose allows none), so a pattern finds them all.
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _marked(match: re.Match) -> str:
    """Return the HTML Python-Markdown makes of a mark: strong or emphasised words, or a link."""
    strong, em, text, url = match.groups()
    if strong:
        return f"<strong>{strong}</strong>"
    return f"<em>{em}</em>" if em else f'<a href="{url}">{text}</a>'


def markdown_html(source: str) -> str:
    """Convert (escaped) Markdown to HTML: a simple line here, anything else by Python-Markdown."""
    if source.isprintable() and _SIMPLE.fullmatch(source):  # printable: one line, no space but " "
        return f"<p>{_MARK.sub(_marked, source)}</p>"
    return _MARKDOWN.reset().convert(source)


@functools.lru_cache(maxsize=1 << 12)
def _heading(inner: str) -> tuple[str, str]:
    """Return a heading's HTML, spaces collapsed, and its id as the toc extension made it (cached)."""
    inner = " ".join(inner.split())
    # A heading may hold a span marking its language (an untranslated title); its id is made of the text.
    return inner, slugify(html.unescape(_TAG.sub("", inner)), "-")


def heading_id(inner: str) -> str:
    """Return the id a heading's HTML gets (before repeats are numbered): a link's #fragment to it."""
    return _heading(inner)[1]


def anchor_headings(body: str, permalink_title: str = "Permanent link") -> tuple[str, list[list]]:
    """Give each heading a unique id and a permalink, as the toc extension did; return the body and its toc.

    `permalink_title` is the permalink's title in the page's language (the toc extension's option).

    The toc lists [level, id, title as HTML] in page order, as the front matter carries it.
    """
    parts = _HEADING.split(body)  # text, then (level, heading HTML, text) for each heading
    ids: set[str] = set()
    toc: list[list] = []
    for i in range(1, len(parts), 3):
        level, (inner, slug) = parts[i], _heading(parts[i + 1])
        hid = unique(slug, ids)
        toc.append([int(level), hid, inner])
        permalink = f'<a class="headerlink" href="#{hid}" title="{permalink_title}">&para;</a>'
        parts[i], parts[i + 1] = f'<h{level} id="{hid}">{inner}{permalink}</h{level}>', ""
    return "".join(parts), toc


def front_matter_fields(toc: list[list]) -> dict:
    """Return the front matter that marks a page as finished HTML, with its table of contents."""
    return {"body": "html", "toc": toc}


def finished(path: str) -> bool:
    """Say whether a page file is finished HTML (its front matter says so): MkDocs converts nothing in it."""
    with open(path, encoding="utf-8") as file:
        head = file.read(1 << 12)  # the body field comes before the table of contents
    return head.startswith("---\n") and f"\nbody: {json.dumps('html')}\n" in head.split("\n---\n", 1)[0] + "\n"


@dataclass
class Passthrough:
    """The hook's half: finished HTML bodies set aside from Markdown, by page, until their content is due."""

    bodies: dict[str, str] = field(default_factory=dict)

    def set_aside(self, markdown: str, page) -> str:
        """Give Markdown nothing to convert for a finished HTML page; return other pages' Markdown unchanged."""
        if page.meta.get("body") != "html":
            return markdown
        self.bodies[page.file.src_uri] = markdown
        return ""

    def put_back(self, content: str, page) -> str | None:
        """Return a finished HTML page's body, its table of contents and anchors set; None for other pages."""
        body = self.bodies.pop(page.file.src_uri, None)
        if body is None:
            return None
        toc = page.meta.get("toc") or []
        # The toc extension's tokens, nested by level: what MkDocs itself turns into page.toc.
        tokens = [{"level": level, "id": hid, "name": title} for level, hid, title in toc]
        page.toc = get_toc(nest_toc_tokens(tokens))
        page.present_anchor_ids = {hid for _, hid, _ in toc}  # for MkDocs' check of links to anchors
        return body
