"""The render stage: a Markdown page for every record and index, from the Jinja templates.

Every `{{ value }}` in a template is escaped as literal Markdown text by default
(`finalize`, with autoescape on so that macro output counts as markup and is not
escaped twice): a forgotten filter cannot let contributor text become markup.
Helpers that build markup on purpose return `Markup`, which passes unchanged.
Each template documents its context in a comment block at its top.
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
import markdown
import nh3
from markupsafe import Markup

from . import charts, escape, maps, style
from .dates import FuzzyDate, parse_date
from .jsonschema import field_reference
from .model import INVERSE, Dossier
from .schema import ACTOR_KINDS, CATEGORIES, CONFIDENCE, EVENT_KINDS, PRECISIONS, RELATION_TYPES, ROLES
from .schema import SOURCE_KINDS, Event, Quantity

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LATEST = 5  # events listed on the home page
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
_BLANK_RUNS = re.compile(r"\n{3,}")


@functools.lru_cache(maxsize=1 << 16)
def _md_markup(text: str) -> Markup:
    """Escape a text as Markdown (cached: names and titles repeat on thousands of pages)."""
    return Markup(escape.md_text(text))


def _finalize(value: object) -> Markup:
    """Escape every template value as Markdown text unless it is already markup."""
    if isinstance(value, Markup):
        return value
    return _md_markup(value) if isinstance(value, str) else Markup(escape.md_text(value))


def prose(text: str | None) -> Markup:
    """Render contributor Markdown to sanitised HTML: no raw HTML, http(s) links only."""
    if not text:
        return Markup("")
    # Escaping first shows raw HTML as text; nh3 then drops anything Markdown could still produce.
    rendered = _MARKDOWN.reset().convert(html.escape(text, quote=False))
    clean = nh3.clean(rendered, tags=PROSE_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"},
                      url_relative="deny", link_rel="noopener noreferrer nofollow")
    body = escape.neutralise_template(clean).replace("\n\n", "\n").strip()
    return Markup(f'<div class="dossier-prose">\n{body}\n</div>')


def quantity(q: Quantity | None) -> str:
    """Render a quantity with the source's own words, or 'unknown'."""
    if q is None:
        return "unknown"
    if q.as_reported:
        return f"{q.label()} (“{q.as_reported}”)"
    return q.label()


def inert(value: object) -> Markup:
    """Escape a value for text or an attribute in raw HTML, template delimiters neutralised."""
    return Markup(escape.inert_html(value))


@jinja2.pass_context
def link(ctx, kind: str, record) -> Markup:
    """Link a record's page by its name: '[Name](../kind/id.md)' relative to the current page."""
    label = record.title if kind in ("events", "sources") else record.name
    return Markup(f"[{_md_markup(label)}]({ctx['root']}{kind}/{record.id}.md)")


def _cite(root: str, number: int, source) -> str:
    """Cite a source by its number in the page's list: '[1]' linking its page, titled with its title."""
    return f'[&#91;{number}&#93;]({root}sources/{source.id}.md "{_md_markup(source.title)}")'


@jinja2.pass_context
def source_refs(ctx, ids: list[str], numbers: dict[str, int] | None = None) -> Markup:
    """List the sources behind a claim: '[n]' for sources in the page's numbered list, else by title."""
    root, sources, numbers = ctx["root"], ctx["d"].sources, numbers or {}
    return Markup(", ".join(_cite(root, numbers[sid], sources[sid]) if sid in numbers
                            else f"[{_md_markup(sources[sid].title)}]({root}sources/{sid}.md)" for sid in ids))


@jinja2.pass_context
def href(ctx, path: str) -> Markup:
    """Return a site path as an href for raw HTML, relative to the current page's URL."""
    return Markup(escape.html_attr("../" * ctx["depth"] + path))


def ext_link(text: object, url: str | None) -> Markup:
    """Link an external http(s) URL, or show the text alone when the URL is unsafe or absent."""
    target = escape.md_url(url)
    if target is None:
        return Markup(escape.md_text(text))
    return Markup(f"[{escape.md_text(text)}](<{target}>)")


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


def front_matter(title: str, **fields) -> Markup:
    """Render YAML front matter (JSON values are valid YAML); the title as inert HTML.

    MkDocs themes print `page.title` into <title> and the header unescaped, so the
    title is HTML-escaped here; the browser shows the characters as written.
    """
    fields = {"title": escape.inert_html(title), **fields}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items() if value]
    return Markup("---\n" + "\n".join(lines) + "\n---\n")


def environment() -> jinja2.Environment:
    """Build the Jinja environment: strict undefined, escaped by default, helpers registered."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             finalize=_finalize, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, auto_reload=False)
    env.filters.update(prose=prose, qty=quantity, attr=inert, html=inert, datelabel=date_label)
    env.globals.update(link=link, source_refs=source_refs, href=href, ext_link=ext_link, front_matter=front_matter, INVERSE=INVERSE,
                       raw=Markup)
    return env


def map_src(kind: str, record_id: str, d: Dossier) -> str | None:
    """Return the docs-relative path of a record's map, if the maps stage draws one."""
    finder = getattr(maps, "map_path", None)
    return finder(kind, record_id, d) if finder else None


def edit_path(d: Dossier, kind: str, record_id: str) -> str:
    """Return the repository path of a record in its data file, with its line."""
    line = d.lines.get((kind, record_id))
    return f"data/{kind}.yaml" + (f"#L{line}" if line else "")


class Renderer:
    """Render pages into a dict of path -> bytes with one shared environment."""

    def __init__(self, d: Dossier):
        """Prepare the environment for one dossier."""
        self.d, self.env, self.out = d, environment(), {}

    def page(self, path: str, template: str, **context) -> None:
        """Render one template to a docs-relative path; depth and root follow from the path."""
        parts = path.split("/")
        depth = len(parts) - 1 if parts[-1] == "index.md" else len(parts)
        root = "../" * (len(parts) - 1)
        text = self.env.get_template(template).render(d=self.d, root=root, depth=depth, **context)
        # Optional sections leave runs of blank lines; one is enough (none occur inside prose blocks).
        self.out[path] = _BLANK_RUNS.sub("\n\n", text).encode("utf-8")


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
    declared = getattr(charts, "CHARTS", {})
    alt = charts.alt_text(d) if declared and hasattr(charts, "alt_text") else {}
    return {name: (path, alt.get(name, name)) for name, path in declared.items()}


def _vocabularies() -> dict[str, tuple[str, ...]]:
    """Return the controlled vocabularies for the field reference."""
    return {"event kind": EVENT_KINDS, "actor role": ROLES, "confidence": CONFIDENCE,
            "place precision": PRECISIONS, "actor kind": ACTOR_KINDS, "relation type": RELATION_TYPES,
            "system category": CATEGORIES, "source kind": SOURCE_KINDS}


def _records(d: Dossier, kind: str, only: set[tuple[str, str]] | None) -> list:
    """List a kind's records, or only those whose (kind, id) is in `only`."""
    records = getattr(d, kind).values()
    return list(records) if only is None else [rec for rec in records if (kind, rec.id) in only]


def render_records(r: Renderer, only: set[tuple[str, str]] | None = None) -> None:
    """Render one page per event, actor, system and source (or only the records in `only`)."""
    d = r.d
    for e in _records(d, "events", only):
        r.page(f"events/{e.id}.md", "event.md.j2", e=e, date=d.date(e), map=map_src("events", e.id, d),
               edit=edit_path(d, "events", e.id), related=d.related.get(e.id, []),
               numbers={sid: n for n, sid in enumerate(e.sources, 1)})
    for a in _records(d, "actors", only):
        r.page(f"actors/{a.id}.md", "actor.md.j2", a=a, map=map_src("actors", a.id, d),
               edit=edit_path(d, "actors", a.id), events=d.actor_events.get(a.id, []),
               relations_in=d.relations_in.get(a.id, []), systems=d.actor_systems(a.id))
    for s in _records(d, "systems", only):
        r.page(f"systems/{s.id}.md", "system.md.j2", s=s, map=map_src("systems", s.id, d),
               edit=edit_path(d, "systems", s.id), register=d.system_register.get(s.id, []),
               total=d.total(s.id), variants=d.variants.get(s.id, []))
    for s in _records(d, "sources", only):
        r.page(f"sources/{s.id}.md", "source.md.j2", s=s, edit=edit_path(d, "sources", s.id),
               claims=d.source_claims.get(s.id, []))


def render_indexes(r: Renderer) -> None:
    """Render the home page, the four indexes, the timeline and the field reference."""
    d = r.d
    latest = list(d.events.values())[-LATEST:][::-1]
    r.page("index.md", "home.md.j2", latest=latest, charts=_charts(d), overview_map=getattr(maps, "MAP_HTML", None))
    r.page("events/index.md", "events_index.md.j2", years=_events_by_year(d))
    actor_order = {k: i for i, k in enumerate(ACTOR_KINDS)}
    r.page("actors/index.md", "actors_index.md.j2", groups=sorted(
        _grouped(d.actors.values(), lambda a: a.kind), key=lambda g: actor_order[g[0]]))
    category_order = {k: i for i, k in enumerate(CATEGORIES)}
    r.page("systems/index.md", "systems_index.md.j2", charts=_charts(d), groups=sorted(
        _grouped(d.systems.values(), lambda s: s.category), key=lambda g: category_order[g[0]]))
    r.page("sources/index.md", "sources_index.md.j2")
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in d.events.values())]
    r.page("timeline/index.md", "timeline.md.j2", kinds=kinds,
           colours={k: style.colour_of_kind(k) for k in EVENT_KINDS})
    r.page("reference/index.md", "reference.md.j2", fields=field_reference(), vocabularies=_vocabularies(),
           quantities=[(text, meaning, Quantity.model_validate(value).label())
                       for text, value, meaning in QUANTITY_EXAMPLES],
           dates=[(text, meaning, parse_date(text).label()) for text, meaning in DATE_EXAMPLES])


def record_pages(dossier: Dossier, only: set[tuple[str, str]]) -> dict[str, bytes]:
    """Return the pages of the records in `only`, as `outputs` would render them."""
    r = Renderer(dossier)
    render_records(r, only)
    return r.out


def outputs(dossier: Dossier) -> dict[str, bytes]:
    """Return the files this stage generates, keyed by path under docs/."""
    r = Renderer(dossier)
    render_records(r)
    render_indexes(r)
    log.info("rendered %d pages", len(r.out))
    return r.out
