"""The render stage: an HTML page (in a .md file) for every record and index, from the Jinja templates.

The pages are finished HTML so that MkDocs can skip Python-Markdown for them
(hooks/generate.py passes the body through): converting them was most of
MkDocs' time. So this stage does what Markdown and MkDocs did: every
`{{ value }}` in a template is HTML-escaped by default, template delimiters
included (`finalize`, with autoescape on so that helper output counts as markup
and is not escaped twice), and a forgotten filter cannot let contributor text
become markup; helpers that build markup on purpose return `Markup`. Links are
final URLs relative to the page, for directory URLs; headings get ids and
permalinks as the toc extension gave them, and the front matter carries the
table of contents. Each template documents its context in a comment block at
its top.

The pages are laid out as Python-Markdown laid out the Markdown they replace.
Table cells are separated by a space: the search index joins the texts of
adjacent elements as they are, so without one a row would read "Kinddelivery".
Links, citations and list lines recur on thousands of pages, so the filters of
`Renderer` make each once per page depth.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from collections import defaultdict
from pathlib import Path

import jinja2
import jinja2.compiler
import markdown
import nh3
from markdown.extensions.toc import slugify, unique
from markupsafe import Markup

from . import charts, escape, history, maps, style
from .dates import FuzzyDate, parse_date
from .jsonschema import field_reference
from .model import INVERSE, Dossier
from .schema import ACTOR_KINDS, CATEGORIES, CONFIDENCE, EVENT_KINDS, PRECISIONS, RELATION_TYPES, ROLES
from .schema import SOURCE_KINDS, Event, Quantity

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LATEST = 5  # events listed on the home page
EDIT_LINES = "assets/generated/edit-lines.json"  # read by hooks/generate.py, left out of the site
PROSE_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "pre", "blockquote", "br", "hr"}
# Examples on the data reference page; what they are "shown as" comes from the code that shows them.
QUANTITY_EXAMPLES = (("5", 5, "exactly five"), ("{min: 5}", {"min": 5}, "at least five"),
                     ("{min: 4, max: 6}", {"min": 4, "max": 6}, "between four and six"),
                     ("{about: 6}", {"about": 6}, "about six"))
DATE_EXAMPLES = (("2025", "some time in 2025"), ("2025-01", "some day in January 2025"),
                 ("2025-01-17", "that day"), ("2025-01~", "about January 2025"), ("2025?", "2025, uncertain"),
                 ("2025-01%", "about January 2025, and uncertain"),
                 ("2024-12/2025-01", "a span from December 2024 to January 2025"))
_MARKDOWN = markdown.Markdown()  # one parser, reset per text: building one costs more than converting
# Most summaries are a line of words, a few in *emphasis* or **strong**, and [links](https://...).
# For those the HTML is made here as Python-Markdown makes it, in a fraction of its time: a line
# from a letter on, no other Markdown character, each mark around whole words, after a space or "("
# and before a space or . , ; : ) (tests/test_render.py checks the two agree).
_WORDS = r"[^\W_]+(?: [^\W_]+)*"  # letters and digits, single spaces between words
_MARK = re.compile(rf"\*\*({_WORDS})\*\*|\*({_WORDS})\*|\[({_WORDS})\]\((https?://[A-Za-z0-9./-]+)\)")
_SIMPLE = re.compile(r"(?=[^\W\d_])(?:[^*_`\\\[\]<>&#!]"
                     rf"|(?<![^ (])(?:{_MARK.pattern})(?![^ .,;:)]))+(?<! )")
# Built once: nh3.clean(html, **options) builds its sanitiser on every call.
_CLEANER = nh3.Cleaner(tags=PROSE_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"},
                       url_relative="deny", link_rel="noopener noreferrer nofollow")
_BLANK_LINES = re.compile(r"\n{2,}")
_JSON = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(value, ensure_ascii=False) builds one a call
# Headings in the templates hold escaped text only (prose allows none), so a pattern finds them all.
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)


@functools.lru_cache(maxsize=1 << 16)
def _html(text: str) -> Markup:
    """Escape a text for HTML content or a quoted attribute (cached: names repeat on thousands of pages)."""
    return Markup(escape.inert_html(text))


def _finalize(value: object) -> Markup:
    """Escape every template value as HTML text unless it is already markup."""
    if isinstance(value, Markup):
        return value
    return _html(value) if isinstance(value, str) else Markup(escape.inert_html(value))


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


def prose(text: str | None) -> Markup:
    """Render contributor Markdown to sanitised HTML: no raw HTML, http(s) links only."""
    if not text:
        return Markup("")
    # Escaping first shows raw HTML as text; nh3 then drops anything Markdown could still produce.
    clean = _CLEANER.clean(markdown_html(html.escape(text, quote=False)))
    body = escape.neutralise_template(clean).replace("\n\n", "\n").strip()
    return Markup(f'<div class="dossier-prose">\n{body}\n</div>')


def quantity(q: Quantity | None) -> str:
    """Render a quantity with the source's own words, or 'unknown'."""
    if q is None:
        return "unknown"
    if q.as_reported:
        return f"{q.label()} (“{q.as_reported}”)"
    return q.label()


def relative_url(page: str, target: str = "") -> str:
    """Return the URL of a site path as seen from a generated page, for directory URLs.

    'events/x.md' is served at events/x/, so from it 'actors/y/' is '../../actors/y/';
    'events/index.md' is served at events/, so from it the same target is '../actors/y/'.
    """
    parts = page.split("/")
    return "../" * (len(parts) - 1 if parts[-1] == "index.md" else len(parts)) + target


def _link(root: str, kind: str, record) -> str:
    """Link a record's page by its name (an event or a source by its title); `root` leads to the site root."""
    label = record.title if kind in ("events", "sources") else record.name
    # Ids are slugs (the validator's pattern): safe in a URL and an attribute as they are.
    return f'<a href="{root}{kind}/{record.id}/">{_html(label)}</a>'


def _cite(root: str, number: int, source) -> str:
    """Cite a source by its number in the page's list: '[1]' linking its page, titled with its title."""
    return f'<a href="{root}sources/{source.id}/" title="{_html(source.title)}">[{number}]</a>'


def ext_link(text: object, url: str | None) -> Markup:
    """Link an external http(s) URL, or show the text alone when the URL is unsafe or absent."""
    target = escape.html_url(url)
    if target is None:
        return _finalize(text)
    return Markup(f'<a href="{target}">{_finalize(text)}</a>')


def distinct(items, attribute: str) -> list:
    """Return the values an attribute takes in a list, once each, in order (faster than Jinja's filters)."""
    return list(dict.fromkeys(getattr(item, attribute) for item in items))


def date_label(value: FuzzyDate | str | None) -> str:
    """Render a date text for readers, or 'unknown'."""
    if value is None:
        return "unknown"
    if isinstance(value, FuzzyDate):
        return value.label()
    return _text_date_label(value)


@functools.lru_cache(maxsize=1 << 14)
def _text_date_label(text: str) -> str:
    """Label a date text (cached: a source's date is shown on every page that cites it)."""
    return parse_date(text).label()


@functools.lru_cache(maxsize=1 << 12)
def _heading(inner: str) -> tuple[str, str]:
    """Return a heading's HTML, spaces collapsed, and its id as the toc extension made it (cached)."""
    inner = " ".join(inner.split())
    return inner, slugify(html.unescape(inner), "-")


def anchor_headings(body: str) -> tuple[str, list[list]]:
    """Give each heading a unique id and a permalink, as the toc extension did; return the body and its toc.

    The toc lists [level, id, title as HTML] in page order, as the front matter carries it.
    """
    parts = _HEADING.split(body)  # text, then (level, heading HTML, text) for each heading
    ids: set[str] = set()
    toc: list[list] = []
    for i in range(1, len(parts), 3):
        level, (inner, slug) = parts[i], _heading(parts[i + 1])
        hid = unique(slug, ids)
        toc.append([int(level), hid, inner])
        permalink = f'<a class="headerlink" href="#{hid}" title="Permanent link">&para;</a>'
        parts[i], parts[i + 1] = f'<h{level} id="{hid}">{inner}{permalink}</h{level}>', ""
    return "".join(parts), toc


def front_matter(title: str, **fields) -> str:
    """Render YAML front matter (JSON values are valid YAML) without empty fields; the title as inert HTML.

    MkDocs themes print `page.title` into <title> and the header unescaped, so the
    title is HTML-escaped here; the browser shows the characters as written.
    """
    fields = {"title": escape.inert_html(title), **fields}
    lines = [f"{key}: {_JSON(value)}" for key, value in fields.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n"


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compile `{{ value }}` to `finalize(value)`: it returns markup, so escape() around it does nothing."""

    # Jinja's own hooks around each printed value: internal, so the golden pages and the escaping
    # tests are what catch a Jinja release that changes them.
    def _output_child_pre(self, node, frame, finalize) -> None:
        """Open the finalize call alone where Jinja opens escape(finalize(...))."""
        self.write(finalize.src)

    def _output_child_post(self, node, frame, finalize) -> None:
        """Close the finalize call."""
        self.write(")")


class _Environment(jinja2.Environment):
    """A Jinja environment whose templates print values through finalize alone."""

    code_generator_class = _CodeGenerator


def environment() -> jinja2.Environment:
    """Build the Jinja environment: strict undefined, escaped by default, helpers registered."""
    env = _Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                       finalize=_finalize, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True, auto_reload=False)
    env.filters.update(prose=prose, qty=quantity, datelabel=date_label, distinct=distinct, history=history.of)
    env.globals.update(ext_link=ext_link, INVERSE=INVERSE)
    return env


def map_src(kind: str, record_id: str, d: Dossier) -> str | None:
    """Return the docs-relative path of a record's map, if the maps stage draws one."""
    finder = getattr(maps, "map_path", None)
    return finder(kind, record_id, d) if finder else None


def edit_lines(d: Dossier) -> bytes:
    """Return each record page's line in its data file, as JSON, for the hook's edit buttons."""
    # Kept out of the pages: with the line in each page, a line added near the top of a data
    # file changed every page below it (thousands at 10,000 events) where only one record changed.
    lines = {f"{kind}/{record_id}.md": line for (kind, record_id), line in d.lines.items()}
    return (json.dumps(lines, sort_keys=True, separators=(",", ":")) + "\n").encode()


class Renderer:
    """Render pages into a dict of path -> bytes with one shared environment."""

    def __init__(self, d: Dossier):
        """Prepare the environment for one dossier, with the filters that link and list its records."""
        self.d, self.env, self.out = d, environment(), {}
        self.fragments: dict[tuple, Markup] = {}  # (what, page root, record...) -> its HTML
        self.env.filters.update(link=self.link, links=self.links, source_refs=self.source_refs,
                                source_line=self.source_line, event_line=self.event_line,
                                event_date=self.event_date)

    def _fragment(self, key: tuple, make) -> Markup:
        """Return the fragment made for a key, making it the first time it is asked for."""
        found = self.fragments.get(key)
        if found is None:
            found = self.fragments[key] = Markup(make())
        return found

    def _link(self, root: str, kind: str, record) -> Markup:
        """Link a record's page by its name, from a page whose root is `root`."""
        return self._fragment(("link", root, kind, record.id), lambda: _link(root, kind, record))

    @jinja2.pass_context
    def link(self, ctx, record, kind: str) -> Markup:
        """Link a record's page by its name, relative to the current page: `{{ a | link("actors") }}`."""
        return self._link(ctx["root"], kind, record)

    @jinja2.pass_context
    def links(self, ctx, records, kind: str) -> Markup:
        """Link several records' pages, separated by commas: `{{ variants | links("systems") }}`."""
        return Markup(", ".join(self._link(ctx["root"], kind, record) for record in records))

    @jinja2.pass_context
    def source_refs(self, ctx, ids: list[str], numbers: dict[str, int] | None = None) -> Markup:
        """List the sources behind a claim: '[n]' for sources in the page's numbered list, else by title."""
        root, sources, numbers = ctx["root"], self.d.sources, numbers or {}
        return Markup(", ".join(self._cite(root, numbers[sid], sources[sid]) if sid in numbers
                                else self._link(root, "sources", sources[sid]) for sid in ids))

    def _cite(self, root: str, number: int, source) -> Markup:
        """Cite a source by its number in the page's list, from a page whose root is `root`."""
        return self._fragment(("cite", root, number, source.id), lambda: _cite(root, number, source))

    @jinja2.pass_context
    def source_line(self, ctx, s) -> Markup:
        """Describe a source in a list: title linked, publisher, date, links to the original and a copy."""
        root = ctx["root"]

        def make() -> str:
            """Build the line, each value escaped as finalize escapes a printed one."""
            published = date_label(s.published) if s.published else "date unknown"
            original = f" · {ext_link('original', s.url)}" if s.url else " · link unknown"
            copy = f" · {ext_link('archived copy', s.archive_url)}" if s.archive_url else ""
            return (f"{self._link(root, 'sources', s)} · {_finalize(s.publisher or 'publisher unknown')}"
                    f" · {_finalize(published)}{original}{copy}")
        return self._fragment(("source", root, s.id), make)

    def event_date(self, e) -> Markup:
        """Label an event's date (once: lists, registers and related events show it again and again)."""
        return self._fragment(("date", e.id), lambda: _html(self.d.date(e).label()))

    @jinja2.pass_context
    def event_line(self, ctx, e) -> Markup:
        """Describe an event in a list: its date, its title linked, its kind."""
        root = ctx["root"]
        return self._fragment(("event", root, e.id), lambda: (
            f"{self.event_date(e)} · {self._link(root, 'events', e)} ({_finalize(e.kind)})"))

    def page(self, path: str, template: str, front: dict, **context) -> None:
        """Render one template to a docs-relative path: front matter, then the finished HTML body.

        `front` holds the page's front matter fields (title, and source_path, tags or
        search where they apply); the template gets `root`, the site root's URL from the page.
        hooks/generate.py indexes a page for search (dossier/search.py) unless `search` excludes it.
        """
        body = self.env.get_template(template).render(d=self.d, root=relative_url(path), **context)
        # Blank lines (only a contributor's text can bring them) go: HTML needs none, prose blocks have none.
        if "\n\n" in body:  # far cheaper than the pattern on every page
            body = _BLANK_LINES.sub("\n", body)
        body, toc = anchor_headings(body)
        head = front_matter(**{"source_path": f"templates/{template}", **front}, body="html", toc=toc)
        self.out[path] = (head + "\n" + body).encode("utf-8")


def _events_by_year(d: Dossier) -> list[tuple[int, list[Event]]]:
    """Group events by the year they start in, newest year first."""
    years: dict[int, list[Event]] = defaultdict(list)
    for event in d.events.values():
        years[d.date(event).start.year].append(event)
    return sorted(years.items(), reverse=True)


def _grouped(records, key) -> list[tuple[str, list]]:
    """Group records by a key, groups in vocabulary order when the key is known."""
    groups: dict[str, list] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return list(groups.items())


def _charts(d: Dossier) -> dict[str, tuple[str, str]]:
    """Return the charts the charts stage declares: name -> (path, alt text)."""
    alt = charts.alt_text(d)
    return {name: (path, alt[name]) for name, path in charts.CHARTS.items()}


def _vocabularies() -> dict[str, tuple[str, ...]]:
    """Return the controlled vocabularies for the field reference."""
    return {"event kind": EVENT_KINDS, "actor role": ROLES, "confidence": CONFIDENCE,
            "place precision": PRECISIONS, "actor kind": ACTOR_KINDS, "relation type": RELATION_TYPES,
            "system category": CATEGORIES, "source kind": SOURCE_KINDS}


def record_front(kind: str, title: str, *tags: str) -> dict:
    """Return a record page's front matter: its title, its data file (the line is in EDIT_LINES), its tags."""
    return {"title": title, "source_path": f"data/{kind}.yaml", "tags": list(tags)}


def _records(d: Dossier, kind: str, only: set[tuple[str, str]] | None) -> list:
    """List a kind's records, or only those whose (kind, id) is in `only`."""
    records = getattr(d, kind).values()
    return list(records) if only is None else [rec for rec in records if (kind, rec.id) in only]


def render_records(r: Renderer, only: set[tuple[str, str]] | None = None) -> None:
    """Render one page per event, actor, system and source (or only the records in `only`)."""
    d = r.d
    for e in _records(d, "events", only):
        date = d.date(e)
        r.page(f"events/{e.id}.md", "event.html.j2", record_front("events", e.title, e.kind, str(date.start.year)),
               e=e, date=date, map=map_src("events", e.id, d), related=d.related.get(e.id, []),
               numbers={sid: n for n, sid in enumerate(e.sources, 1)})
    for a in _records(d, "actors", only):
        r.page(f"actors/{a.id}.md", "actor.html.j2", record_front("actors", a.name, a.kind),
               a=a, map=map_src("actors", a.id, d), events=d.actor_events.get(a.id, []),
               relations_in=d.relations_in.get(a.id, []), systems=d.actor_systems(a.id))
    for s in _records(d, "systems", only):
        r.page(f"systems/{s.id}.md", "system.html.j2", record_front("systems", s.name, s.category),
               s=s, map=map_src("systems", s.id, d), register=d.system_register.get(s.id, []),
               total=d.total(s.id), variants=d.variants.get(s.id, []))
    for s in _records(d, "sources", only):
        r.page(f"sources/{s.id}.md", "source.html.j2", record_front("sources", s.title, s.kind),
               s=s, claims=d.source_claims.get(s.id, []))


def render_indexes(r: Renderer) -> None:
    """Render the home page, the four indexes, the timeline and the field reference."""
    d = r.d
    # The events index and the timeline list every event again: search finds the event pages themselves.
    unsearched = {"exclude": True}
    latest = list(d.events.values())[-LATEST:][::-1]
    shown = _charts(d)  # once for both pages: the alt texts go through every event
    r.page("index.md", "home.html.j2", {"title": "Sahel Arms Dossier"}, latest=latest, charts=shown,
           overview_map=maps.MAP_HTML)
    r.page("events/index.md", "events_index.html.j2", {"title": "Events", "search": unsearched},
           years=_events_by_year(d))
    actor_order = {k: i for i, k in enumerate(ACTOR_KINDS)}
    r.page("actors/index.md", "actors_index.html.j2", {"title": "Actors"}, groups=sorted(
        _grouped(d.actors.values(), lambda a: a.kind), key=lambda g: actor_order[g[0]]))
    category_order = {k: i for i, k in enumerate(CATEGORIES)}
    r.page("systems/index.md", "systems_index.html.j2", {"title": "Systems"}, charts=shown,
           groups=sorted(_grouped(d.systems.values(), lambda s: s.category),
                         key=lambda g: category_order[g[0]]))
    r.page("sources/index.md", "sources_index.html.j2", {"title": "Sources"})
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in d.events.values())]
    r.page("timeline/index.md", "timeline.html.j2", {"title": "Timeline", "search": unsearched}, kinds=kinds,
           colours={k: style.colour_of_kind(k) for k in EVENT_KINDS})
    r.page("changes/index.md", "changes.html.j2", {"title": "What changed", "search": unsearched},
           h=history.of(d), shown=history.PAGE_COMMITS, listed=history.LISTED)
    r.page("reference/index.md", "reference.html.j2",
           {"title": "Data reference", "source_path": "dossier/schema.py"},
           fields=field_reference(), vocabularies=_vocabularies(),
           quantities=[(text, meaning, Quantity.model_validate(value).label())
                       for text, value, meaning in QUANTITY_EXAMPLES],
           dates=[(text, meaning, parse_date(text).label()) for text, meaning in DATE_EXAMPLES])


def record_pages(dossier: Dossier, only: set[tuple[str, str]]) -> dict[str, bytes]:
    """Return the pages of the records in `only`, as `outputs` would render them."""
    r = Renderer(dossier)
    render_records(r, only)
    return r.out | {EDIT_LINES: edit_lines(dossier)}


def outputs(dossier: Dossier) -> dict[str, bytes]:
    """Return the files this stage generates, keyed by path under docs/."""
    r = Renderer(dossier)
    render_records(r)
    render_indexes(r)
    log.info("rendered %d pages", len(r.out))
    return r.out | {EDIT_LINES: edit_lines(dossier)}
