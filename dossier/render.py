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
table of contents. What each template is given is declared once, as a dataclass
per page type in dossier/contexts.py; `Renderer.page` takes one of those.

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
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import jinja2
import nh3
from markupsafe import Markup

from . import charts, escape, feed, history, i18n, maps, sketch, style
from .contexts import (ActorPage, ActorsIndexPage, ChangesPage, EventPage, EventsIndexPage, Group, HistoryView,
                       HomePage, ItemView, MapView, Part, ReferencePage, RegisterPage, SourcePage,
                       SourcesIndexPage, SystemPage, SystemsIndexPage, TimelinePage, YearPage, fields_of)
from .dates import FuzzyDate, parse_date
from .errors import CODES
from .i18n import N_, NP_
from .jsonschema import ONE_OF, TYPE_NAMES, field_reference
from .model import INVERSE, Dossier
from .passthrough import anchor_headings, front_matter_fields, heading_id, markdown_html
from .schema import ACTOR_KINDS, CATEGORIES, CONFIDENCE, EVENT_KINDS, PRECISIONS, RELATION_TYPES, ROLES
from .schema import KIND, SOURCE_KINDS, Event, Quantity
from .translations import Translations
from .write import Sink

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LATEST = 5  # events listed on the home page
RECENT = 50  # rows a record page lists before sending the reader to its year pages
PAGE_ROWS = 300  # rows on a year page at most: keeps every page under 300 KB at 10,000 events
# Records an actors or systems index lists on one page; a longer index gets a page per kind (or category),
# so that a phone does not restyle hundreds of rows as the page starts (bench/README.md, Lighthouse).
INDEX_ROWS = 100
TOP = 3  # most cited records a split index names for each kind
EDIT_LINES = "assets/generated/edit-lines.json"  # read by hooks/generate.py, left out of the site
PROSE_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "pre", "blockquote", "br", "hr"}
# Page titles and labels the render stage writes from Python (extracted for the catalogue).
PART = N_("%(year)s, part %(n)s of %(count)s")
MAP_OF = N_("Map of %(title)s")
MAP_OF_INVOLVING = N_("Map of events involving %(name)s")
MAP_OF_EVERY = N_("Map of every located event")
REGISTER_TITLE = N_("%(name)s: %(label)s")
YEAR_TITLE = N_("Events of %(label)s")
SOURCES_TITLE = N_("Sources, %(label)s")
TITLES = {"index.md": N_("Sahel Arms Dossier"), "events": N_("Events"), "actors": N_("Actors"),
          "systems": N_("Systems"), "sources": N_("Sources"), "timeline": N_("Timeline"),
          "changes": N_("What changed"), "reference": N_("Data reference")}
# Examples on the data reference page; what they are "shown as" comes from the code that shows them.
QUANTITY_EXAMPLES = (("5", 5, N_("exactly five")), ("{min: 5}", {"min": 5}, N_("at least five")),
                     ("{min: 4, max: 6}", {"min": 4, "max": 6}, N_("between four and six")),
                     ("{about: 6}", {"about": 6}, N_("about six")))
DATE_EXAMPLES = (("2025", N_("some time in 2025")), ("2025-01", N_("some day in January 2025")),
                 ("2025-01-17", N_("that day")), ("2025-01~", N_("about January 2025")),
                 ("2025?", N_("2025, uncertain")),
                 ("2025-01%", N_("about January 2025, and uncertain")),
                 ("2024-12/2025-01", N_("a span from December 2024 to January 2025")))
PERMALINK = N_("Permanent link")  # a heading's permalink title, as mkdocs.yml's toc extension gives it
# Words the source lines write from Python (extracted for the catalogue).
ORIGINAL = N_("original")
ARCHIVED_COPY = N_("archived copy")
PUBLISHER_UNKNOWN = N_("publisher unknown")
# A date's precision beside it on an event page (dates.FuzzyDate.precision).
DATE_PRECISIONS = (NP_("date precision", "year"), NP_("date precision", "month"), NP_("date precision", "day"),
                   NP_("date precision", "span"))
# The what-changed page's lines (templates/changes.html.j2), an action and a record's kind.
CHANGE_LINES = (NP_("change", "Added event"), NP_("change", "Added actor"),
                NP_("change", "Added system"), NP_("change", "Added source"),
                NP_("change", "Changed event"), NP_("change", "Changed actor"),
                NP_("change", "Changed system"), NP_("change", "Changed source"),
                NP_("change", "Removed event"), NP_("change", "Removed actor"),
                NP_("change", "Removed system"), NP_("change", "Removed source"))
CHANGE_MORE = (NP_("change", "… and %(n)s more records added"),
               NP_("change", "… and %(n)s more records changed"),
               NP_("change", "… and %(n)s more records removed"))
# What a source supports, on its page (model.Claim.kind).
CLAIM_KINDS = (NP_("claim", "event"), NP_("claim", "identification"), NP_("claim", "quantity"),
               NP_("claim", "casualties"), NP_("claim", "relation"), NP_("claim", "role"))
# How a citation names a record's kind (schema.KIND[...].singular), translated in its context.
RECORD_NOUNS = (NP_("record", "event"), NP_("record", "actor"), NP_("record", "system"), NP_("record", "source"))
# Built once: nh3.clean(html, **options) builds its sanitiser on every call.
_CLEANER = nh3.Cleaner(tags=PROSE_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"},
                       url_relative="deny", link_rel="noopener noreferrer nofollow")
_BLANK_LINES = re.compile(r"\n{2,}")
_JSON = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(value, ensure_ascii=False) builds one a call


@functools.lru_cache(maxsize=1 << 16)
def _html(text: str) -> Markup:
    """Escape a text for HTML content or a quoted attribute (cached: names repeat on thousands of pages)."""
    return Markup(escape.inert_html(text))


def _finalize(value: object) -> Markup:
    """Escape every template value as HTML text unless it is already markup."""
    if isinstance(value, Markup):
        return value
    return _html(value) if isinstance(value, str) else Markup(escape.inert_html(value))


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


def _link(root: str, kind: str, record, name: Markup | None = None) -> str:
    """Link a record's page by its name (an event or a source by its title); `root` leads to the site root."""
    # Ids are slugs (the validator's pattern): safe in a URL and an attribute as they are.
    shown = name if name is not None else _html(KIND[kind].name_of(record))
    return f'<a href="{root}{KIND[kind].folder}/{record.id}/">{shown}</a>'


def _cite(root: str, number: int, source, title: str | None = None) -> str:
    """Cite a source by its number in the page's list: '[1]' linking its page, titled with its title (or
    `title`, its translation)."""
    return f'<a href="{root}sources/{source.id}/" title="{_html(title or source.title)}">[{number}]</a>'


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


def front_matter(title: str, **fields) -> str:
    """Render YAML front matter (JSON values are valid YAML) without empty fields; the title as inert HTML.

    MkDocs themes print `page.title` into <title> and the header unescaped, so the
    title is HTML-escaped here; the browser shows the characters as written.
    """
    fields = {"title": escape.inert_html(title), **fields}
    lines = [f"{key}: {_JSON(value)}" for key, value in fields.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n"


def environment(lang: str = i18n.SOURCE) -> jinja2.Environment:
    """Build the Jinja environment of a language: strict undefined, escaped by default, helpers registered."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                       finalize=_finalize, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True, auto_reload=False)
    i18n.install_escaped(env, lang, _finalize)
    env.filters.update(prose=prose, distinct=distinct, qty=lambda q: i18n.quantity_text(q, lang),
                       datelabel=lambda value: i18n.date_label(value, lang),
                       total=lambda total: i18n.total_label(total, lang),
                       num=lambda n: i18n.number(n, lang),
                       word=lambda value, vocabulary, spaced=False: word(lang, vocabulary, value, spaced))
    env.filters.update(text=str, en=lambda value: _finalize(value) if lang == i18n.SOURCE else english(value),
                       anchor=lambda heading: heading_id(_finalize(heading)),
                       # Jinja's capitalize lowercases the rest: "ONG" would read "Ong".
                       upper_first=lambda value: value[:1].upper() + value[1:])
    env.globals.update(ext_link=ext_link, INVERSE=INVERSE, lang=lang, vocabulary_keys=VOCABULARY_KEYS)
    return env


def word(lang: str, vocabulary: str, value: str, spaced: bool = False) -> str:
    """Show a vocabulary's value in a language; in English as the data writes it, or its display label ('PMC'),
    its hyphens spaces if `spaced`."""
    return i18n.label(lang, vocabulary, value) if spaced else i18n.word(lang, vocabulary, value)


# The field that names a record in links and titles and is translated; a source keeps its original title.
NAME_FIELDS = {"events": "title", "actors": "name", "systems": "name"}


def english(value) -> Markup:
    """Mark a data text that has no translation field (a place's note, a role's note) as English on another
    language's page."""
    return Markup(f'<span lang="en">{_finalize(value)}</span>') if value else Markup("")


def untranslated(english: Markup, status: str, lang: str, block: bool = False, note: bool = True) -> Markup:
    """Mark English shown on a page of another language: lang="en", with a visible note saying why (unless
    `note` is false: a heading, whose note follows it, or a text quoted again lower on the page)."""
    if not note:
        return Markup(f'<span lang="en">{english}</span>')
    note = _html(i18n.translate(lang, i18n.STALE_NOTE if status == "stale" else i18n.MISSING_NOTE))
    if block:
        return Markup(f'<div lang="en" class="dossier-untranslated">\n<p class="dossier-untranslated__note" '
                      f'lang="{lang}">{note}</p>\n{english}\n</div>')
    short = _html(i18n.translate(lang, i18n.STALE_SHORT if status == "stale" else i18n.MISSING_SHORT))
    return Markup(f'<span lang="en" class="dossier-untranslated" title="{note}">{english}</span> '
                  f'<small class="dossier-untranslated__note">({short})</small>')


def edit_lines(d: Dossier) -> bytes:
    """Return each record page's line in its data file, as JSON, for the hook's edit buttons."""
    # Kept out of the pages: with the line in each page, a line added near the top of a data
    # file changed every page below it (thousands at 10,000 events) where only one record changed.
    lines = {f"{kind}/{record_id}.md": line for (kind, record_id), line in d.lines.items()}
    return (json.dumps(lines, sort_keys=True, separators=(",", ":")) + "\n").encode()


class Renderer:
    """Render pages of one language into `out` (a sink: path -> bytes) with one shared environment."""

    def __init__(self, d: Dossier, out: Sink, lang: str = i18n.SOURCE, translations: Translations | None = None):
        """Prepare the environment for one dossier in one language, with the filters that link and list its records.

        A language other than English writes its pages under its edition's folder (`fr/`),
        its data text from `translations` (none given: every field falls back to English).
        Each page goes into `out` as it is rendered: in a build, the writer, which writes it at
        once (dossier/write.py); a dict for the preview's few pages and tests.
        """
        self.d, self.lang, self.env, self.out = d, lang, environment(lang), out
        self.prefix, self.pages = i18n.edition(lang), 0
        self.permalink = escape.inert_html(i18n.translate(lang, PERMALINK))
        self.translations = translations if translations is not None else Translations(lang)
        self.fragments: dict[tuple, Markup] = {}  # (what, page root, record...) -> its HTML
        self.env.filters.update(link=self.link, links=self.links, source_refs=self.source_refs,
                                source_line=self.source_line, event_line=self.event_line,
                                event_date=self.event_date, tr=self.text, trprose=self.prose,
                                trnote=self.note)

    def say(self, message, **values) -> str:
        """Translate an interface message marked with N_ or NP_ into the page's language."""
        return i18n.translate(self.lang, message, **values)

    def translated(self, kind: str, record_id: str, path: str, english):
        """Return a data field's text in the page's language and its status ('current', 'stale', 'missing')."""
        if self.lang == i18n.SOURCE or english is None:
            return english, "current"
        return self.translations.get(kind, record_id, path, english)

    def text(self, english, kind: str, record_id: str, path: str, note: bool = True):
        """Show a data field inline in the page's language: `{{ e.title | tr("events", e.id, "title") }}`.

        A list (aliases) is shown joined with commas; `note=False` leaves out the visible note.
        """
        if isinstance(english, (list, tuple)):  # aliases: a list, shown joined
            english = tuple(english)
        text, status = self.translated(kind, record_id, path, english)
        text = ", ".join(text) if isinstance(text, tuple) else text
        return text if status == "current" else untranslated(_finalize(text), status, self.lang, note=note)

    def note(self, english, kind: str, record_id: str, path: str) -> Markup:
        """Return the note below a heading whose text is shown in English, or nothing when it is translated."""
        status = self.translated(kind, record_id, path, english)[1]
        if status == "current":
            return Markup("")
        message = i18n.STALE_NOTE if status == "stale" else i18n.MISSING_NOTE
        return Markup(f'\n<p class="dossier-untranslated__note">{_html(self.say(message))}</p>')

    def prose(self, english, kind: str, record_id: str, path: str) -> Markup:
        """Show a data field of Markdown prose in the page's language, the English marked when it is shown."""
        text, status = self.translated(kind, record_id, path, english)
        return prose(text) if status == "current" else untranslated(prose(text), status, self.lang, block=True)

    def name(self, kind: str, record) -> str:
        """Return a record's name in the page's language as plain text (titles, front matter)."""
        field = NAME_FIELDS.get(kind)
        english = KIND[kind].name_of(record)
        return english if field is None else self.translated(kind, record.id, field, english)[0]

    def _name_html(self, kind: str, record) -> Markup:
        """Return a record's name for a link, English in a lang="en" span when it is not translated."""
        english = KIND[kind].name_of(record)
        field = NAME_FIELDS.get(kind)
        if self.lang == i18n.SOURCE:
            return _html(english)
        if field is None:  # a source's title, in the source's own language
            language = getattr(record, "language", None)
            return _html(english) if language in (None, self.lang) else Markup(
                f'<span lang="{_html(language)}">{_html(english)}</span>')
        text, status = self.translated(kind, record.id, field, english)
        return _html(text) if status == "current" else Markup(f'<span lang="en">{_html(text)}</span>')

    def _fragment(self, key: tuple, make) -> Markup:
        """Return the fragment made for a key, making it the first time it is asked for."""
        found = self.fragments.get(key)
        if found is None:
            found = self.fragments[key] = Markup(make())
        return found

    def _link(self, root: str, kind: str, record) -> Markup:
        """Link a record's page by its name, from a page whose root is `root`."""
        return self._fragment(("link", root, kind, record.id), lambda: _link(root, kind, record,
                                                                           self._name_html(kind, record)))

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

    def title_of(self, source) -> str:
        """Return a source's title as the page's language shows it: its translation when current (a descriptive
        title of an untitled source), else as published."""
        text, status = self.translated("sources", source.id, "title", source.title)
        return text if status == "current" else source.title

    def _cite(self, root: str, number: int, source) -> Markup:
        """Cite a source by its number in the page's list, from a page whose root is `root`."""
        return self._fragment(("cite", root, number, source.id),
                              lambda: _cite(root, number, source, self.title_of(source)))

    @jinja2.pass_context
    def source_line(self, ctx, s) -> Markup:
        """Describe a source in a list: title linked, publisher, date, links to the original and a copy."""
        root = ctx["root"]

        def make() -> str:
            """Build the line, each value escaped as finalize escapes a printed one."""
            say = self.say
            published = i18n.date_label(s.published, self.lang) if s.published else say(i18n.DATE_UNKNOWN)
            original = f" · {ext_link(say(ORIGINAL), s.url)}" if s.url else f" · {_finalize(say(i18n.LINK_UNKNOWN))}"
            copy = f" · {ext_link(say(ARCHIVED_COPY), s.archive_url)}" if s.archive_url else ""
            return (f"{self._link(root, 'sources', s)} · {_finalize(s.publisher or say(PUBLISHER_UNKNOWN))}"
                    f" · {_finalize(published)}{original}{copy}")
        return self._fragment(("source", root, s.id), make)

    def event_date(self, e) -> Markup:
        """Label an event's date (once: lists, registers and related events show it again and again)."""
        return self._fragment(("date", e.id), lambda: _html(i18n.date_label(self.d.date(e), self.lang)))

    @jinja2.pass_context
    def event_line(self, ctx, e) -> Markup:
        """Describe an event in a list: its date, its title linked, its kind."""
        root = ctx["root"]
        kind = _finalize(word(self.lang, "EVENT_KINDS", e.kind))
        return self._fragment(("event", root, e.id), lambda: (
            f"{self.event_date(e)} · {self._link(root, 'events', e)} ({kind})"))

    def page(self, path: str, front: dict, context) -> None:
        """Render a page's context (dossier/contexts.py) with its template to a docs-relative path.

        `front` holds the page's front matter fields (title, and source_path, tags or
        search where they apply); the template gets the context's fields, `d` and `root`,
        the root's URL of the page's edition from the page, and `site`, the URL of the site's root,
        where the files both editions share are (maps, charts, data). Search (dossier/searchindex.py)
        indexes a page unless `search` excludes it (overrides/main.html). A page of another language
        than English is written under its edition's folder, at the same path below it.
        """
        template = context.TEMPLATE
        body = self.env.get_template(template).render(d=self.d, root=relative_url(path),
                                                      site=relative_url(self.prefix + path), **fields_of(context))
        # Blank lines (only a contributor's text can bring them) go: HTML needs none, prose blocks have none.
        if "\n\n" in body:  # far cheaper than the pattern on every page
            body = _BLANK_LINES.sub("\n", body)
        body, toc = anchor_headings(body, self.permalink)
        head = front_matter(**{"source_path": f"templates/{template}", **front}, **front_matter_fields(toc))
        self.out[self.prefix + path] = (head + "\n" + body).encode("utf-8")
        self.pages += 1


def _split(rows: list, year, path: str, lang: str = i18n.SOURCE) -> list[tuple[Part, list]]:
    """Cut a list in date order into pages of at most PAGE_ROWS rows, one year or part of a year each.

    `year` gives a row's year, `path` the site path of a page from its file stem ("{stem}"); labels in `lang`.
    """
    by_year: dict[int, list] = defaultdict(list)
    for row in rows:
        by_year[year(row)].append(row)
    pages = []
    for y, found in sorted(by_year.items(), reverse=True):
        chunks = [found[i:i + PAGE_ROWS] for i in range(0, len(found), PAGE_ROWS)]
        for n, chunk in enumerate(chunks, 1):
            stem = str(y) if n == 1 else f"{y}-{n}"
            name = str(y) if len(chunks) == 1 else i18n.translate(lang, PART, year=str(y), n=str(n),
                                                                    count=str(len(chunks)))
            pages.append((Part(path.format(stem=stem), name, len(chunk)), chunk))
    return pages


def _kind_counts(events) -> dict[str, int]:
    """Count events by kind, kinds in vocabulary order."""
    counts = Counter(e.kind for e in events)
    return {k: counts[k] for k in EVENT_KINDS if counts[k]}


def _colours() -> dict[str, str]:
    """Return each event kind's colour on the maps and charts."""
    return {k: style.colour_of_kind(k) for k in EVENT_KINDS}


def _grouped(records, key) -> list[tuple[str, list]]:
    """Group records by a key, groups in vocabulary order when the key is known."""
    groups: dict[str, list] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return list(groups.items())


def _charts(d: Dossier, lang: str = i18n.SOURCE) -> dict[str, tuple[str, str]]:
    """Return the charts the charts stage declares: name -> (path of the chart in `lang`, alt text in `lang`)."""
    alt = charts.alt_text(d, lang)
    return {name: (charts.path(name, lang), alt[name]) for name in charts.CHARTS}


# The controlled vocabularies as the field reference names them, and their names in dossier/i18n.py.
VOCABULARY_KEYS = {"event kind": "EVENT_KINDS", "actor role": "ROLES", "confidence": "CONFIDENCE",
                   "place precision": "PRECISIONS", "actor kind": "ACTOR_KINDS", "relation type": "RELATION_TYPES",
                   "system category": "CATEGORIES", "source kind": "SOURCE_KINDS"}
VOCABULARY_NAMES = (NP_("vocabulary", "event kind"), NP_("vocabulary", "actor role"), NP_("vocabulary", "confidence"),
                    NP_("vocabulary", "place precision"), NP_("vocabulary", "actor kind"),
                    NP_("vocabulary", "relation type"), NP_("vocabulary", "system category"),
                    NP_("vocabulary", "source kind"))


def _vocabularies() -> dict[str, tuple[str, ...]]:
    """Return the controlled vocabularies for the field reference."""
    return {"event kind": EVENT_KINDS, "actor role": ROLES, "confidence": CONFIDENCE,
            "place precision": PRECISIONS, "actor kind": ACTOR_KINDS, "relation type": RELATION_TYPES,
            "system category": CATEGORIES, "source kind": SOURCE_KINDS}


def _field_type(row, lang: str) -> Markup:
    """Name a field's type on the data reference in a language; a choice's values as code, as data writes them."""
    if not row.choices:
        return _html(i18n.translate(lang, TYPE_NAMES[row.type]))
    values = ", ".join(f"<code>{_html(value)}</code>" for value in row.choices)
    return Markup(_html(i18n.translate(lang, ONE_OF)) % {"values": Markup(values)})


def _field_rows(lang: str) -> dict[str, list[tuple]]:
    """Return the data reference's fields in a language: (path, type, required, help text)."""
    return {kind: [(row.path, _field_type(row, lang), row.required,
                    i18n.translate(lang, row.help) if row.help else "") for row in rows]
            for kind, rows in field_reference().items()}


def record_front(kind: str, title: str, *tags: str) -> dict:
    """Return a record page's front matter: its title, its data file (the line is in EDIT_LINES), its tags."""
    return {"title": title, "source_path": f"data/{kind}.yaml", "tags": list(tags)}


def _records(d: Dossier, kind: str, only: set[tuple[str, str]] | None) -> list:
    """List a kind's records, or only those whose (kind, id) is in `only`."""
    records = getattr(d, kind).values()
    return list(records) if only is None else [rec for rec in records if (kind, rec.id) in only]


def map_view(d: Dossier, kind: str, record_id: str, title: str, events: list[Event]) -> MapView | None:
    """Describe a record's map for its page: the map file, a title, and a sketch of its located events."""
    src = maps.map_path(kind, record_id, d)
    if src is None:
        return None
    located = [e for e in events if maps.is_located(e)]
    return MapView(src, title, sketch.dots(located), len(located))


def history_view(d: Dossier, kind: str, record_id: str) -> HistoryView:
    """Describe a record's history for the foot of its page, from the history the build computed."""
    h = history.of(d)
    return HistoryView(kind=kind, record_id=record_id, noun=KIND[kind].singular,
                       version=h.version(kind, record_id), note=h.note, repo=h.repo, file=h.file(kind))


def event_page(r: Renderer, e: Event, site: str) -> EventPage:
    """Build an event page's context; `site` is the site's address (feed.site_url)."""
    d = r.d
    items = tuple(ItemView(item, tuple(item.identified_as), len(distinct(item.identified_as, "system")) > 1)
                  for item in e.equipment)
    return EventPage(e=e, date=d.date(e), colour=style.colour_of_kind(e.kind), items=items,
                     contested=sum(1 for i in items if i.contested),
                     map=map_view(d, "events", e.id, r.say(MAP_OF, title=r.name("events", e)), [e]),
                     related=d.related.get(e.id, []), numbers={sid: n for n, sid in enumerate(e.sources, 1)},
                     address=f"{site}{r.prefix}events/{e.id}/", history=history_view(d, "events", e.id))


def _event_year(d: Dossier):
    """Return a function giving the start year of a row's event (an event, or a tuple or delivery holding one)."""
    def year(row) -> int:
        """Return the start year of the row's event."""
        event = row if isinstance(row, Event) else row[0] if isinstance(row, tuple) else row.event
        return d.date(event).start.year
    return year


def _register_pages(r: Renderer, kind: str, owner, rows: list) -> list[Part]:
    """Render a long record list's year pages under <kind>/<id>/ and return them; none for a short list."""
    if len(rows) <= RECENT:
        return []
    pages = _split(rows, _event_year(r.d), f"{kind}/{owner.id}/{{stem}}/", r.lang)
    parts = [part for part, _ in pages]
    name = r.name(kind, owner)
    for part, chunk in pages:
        path = part.path.rstrip("/") + ".md"
        r.page(path, {"title": r.say(REGISTER_TITLE, name=name, label=part.label), "search": {"exclude": True}},
               RegisterPage(owner=owner, kind=kind, label=part.label, rows=chunk, parts=parts, here=part.path))
    return parts


def actor_page(r: Renderer, a) -> ActorPage:
    """Build an actor page's context, rendering its year pages when it has many events."""
    d = r.d
    events = d.actor_events.get(a.id, [])
    roles = Counter(role for _, role in events).most_common()
    title = r.say(MAP_OF_INVOLVING, name=r.name("actors", a))
    return ActorPage(a=a, map=map_view(d, "actors", a.id, title, [e for e, _ in events]),
                     roles=roles, events=events[::-1][:RECENT], event_count=len(events),
                     parts=_register_pages(r, "actors", a, events), relations_in=d.relations_in.get(a.id, []),
                     systems=d.actor_systems(a.id), history=history_view(d, "actors", a.id))


def system_page(r: Renderer, s) -> SystemPage:
    """Build a system page's context, rendering its register's year pages when the register is long."""
    d = r.d
    register = d.system_register.get(s.id, [])
    return SystemPage(s=s, map=map_view(d, "systems", s.id, r.say(MAP_OF_INVOLVING, name=r.name("systems", s)),
                                        [row.event for row in register]),
                      total=d.total(s.id), register=register[::-1][:RECENT], register_count=len(register),
                      first=register[0].event if register else None, last=register[-1].event if register else None,
                      parts=_register_pages(r, "systems", s, register), variants=d.variants.get(s.id, []),
                      history=history_view(d, "systems", s.id))


def source_page(d: Dossier, s) -> SourcePage:
    """Build a source page's context."""
    claims = d.source_claims.get(s.id, [])
    return SourcePage(s=s, claims=claims[:PAGE_ROWS], claim_count=len(claims),
                      events=sum(1 for c in claims if c.kind == "event"),
                      kinds=Counter(c.kind for c in claims).most_common(),
                      history=history_view(d, "sources", s.id))


def render_records(r: Renderer, only: set[tuple[str, str]] | None = None) -> None:
    """Render one page per event, actor, system and source (or only the records in `only`)."""
    d, site, lang = r.d, feed.site_url(), r.lang
    for e in _records(d, "events", only):
        r.page(f"events/{e.id}.md", record_front("events", r.name("events", e), word(lang, "EVENT_KINDS", e.kind),
                                                 str(d.date(e).start.year)), event_page(r, e, site))
    for a in _records(d, "actors", only):
        r.page(f"actors/{a.id}.md", record_front("actors", r.name("actors", a), word(lang, "ACTOR_KINDS", a.kind)),
               actor_page(r, a))
    for s in _records(d, "systems", only):
        r.page(f"systems/{s.id}.md", record_front("systems", r.name("systems", s),
                                                  word(lang, "CATEGORIES", s.category)), system_page(r, s))
    for s in _records(d, "sources", only):
        r.page(f"sources/{s.id}.md", record_front("sources", s.title, word(lang, "SOURCE_KINDS", s.kind)),
               source_page(d, s))


def _years(r: Renderer) -> list[tuple[int, list[Part], dict[str, int]]]:
    """Render the events' year pages; return each year, newest first, with its pages and its events by kind."""
    d = r.d
    colours = _colours()
    pages = _split(list(d.events.values()), _event_year(d), "events/years/{stem}/", r.lang)
    parts = [part for part, _ in pages]
    years: dict[int, tuple[list[Part], Counter]] = {}
    for part, chunk in pages:
        kinds = _kind_counts(chunk)
        label = part.label
        r.page(part.path.rstrip("/") + ".md", {"title": r.say(YEAR_TITLE, label=label), "search": {"exclude": True}},
               YearPage(label=label, events=chunk, kinds=list(kinds), colours=colours, parts=parts,
                        here=part.path))
        found = years.setdefault(int(label[:4]), ([], Counter()))
        found[0].append(part)
        found[1].update(kinds)
    return [(y, found, {k: counts[k] for k in EVENT_KINDS if counts[k]}) for y, (found, counts) in years.items()]


def _sources_index(r: Renderer) -> None:
    """Render the sources index, in pages of at most PAGE_ROWS sources by id, labelled by their first letters."""
    sources = list(r.d.sources.values())
    chunks = [sources[i:i + PAGE_ROWS] for i in range(0, len(sources), PAGE_ROWS)] or [[]]
    paths = ["sources/"] + [f"sources/list/{n}/" for n in range(2, len(chunks) + 1)]
    parts = [Part(path, f"{chunk[0].id[0].upper()}–{chunk[-1].id[0].upper()}", len(chunk))
             for path, chunk in zip(paths, chunks)] if len(chunks) > 1 else []
    for n, (path, chunk) in enumerate(zip(paths, chunks)):
        title = r.say(TITLES["sources"]) if n == 0 else r.say(SOURCES_TITLE, label=parts[n].label)
        r.page(path + "index.md" if n == 0 else path.rstrip("/") + ".md", {"title": title, "search": {"exclude": True}},
               SourcesIndexPage(sources=chunk, parts=parts, here=path))


def render_indexes(r: Renderer) -> None:
    """Render the home page, the indexes, the year pages, the timeline and the field reference."""
    d = r.d
    # The indexes and the timeline list every record again: search finds the record pages themselves.
    unsearched = {"exclude": True}
    latest = list(d.events.values())[-LATEST:][::-1]
    shown = _charts(d, r.lang)  # once for both pages: the alt texts go through every event
    say = r.say
    colours = _colours()
    years = _years(r)
    kinds = [k for k in EVENT_KINDS if any(k in counts for _, _, counts in years)]
    r.page("index.md", {"title": say(TITLES["index.md"])},
           HomePage(latest=latest, charts=shown, map=_overview(r), years=[p for _, ps, _ in years for p in ps],
                    colours=colours))
    r.page("events/index.md", {"title": say(TITLES["events"]), "search": unsearched},
           EventsIndexPage(years=years, kinds=kinds, colours=colours, latest=latest))
    _kind_index(r, "actors", lambda a: a.kind, ACTOR_KINDS, d.actor_events, ActorsIndexPage)
    _kind_index(r, "systems", lambda s: s.category, CATEGORIES, d.system_register,
                lambda **kw: SystemsIndexPage(charts=shown if kw["here"] == "systems/" else {}, **kw))
    _sources_index(r)
    most = max((sum(counts.values()) for *_, counts in years), default=0)
    r.page("timeline/index.md", {"title": say(TITLES["timeline"]), "search": unsearched},
           TimelinePage(years=years[::-1], most=most, kinds=kinds, colours=colours, chart=shown.get("timeline")))
    r.page("changes/index.md", {"title": say(TITLES["changes"]), "search": unsearched},
           ChangesPage(h=history.of(d), shown=history.PAGE_COMMITS, listed=history.LISTED))
    r.page("reference/index.md", {"title": say(TITLES["reference"]), "source_path": "dossier/schema.py"},
           _reference(r))


def _overview(r: Renderer) -> MapView | None:
    """Return the home page's sketch of every located event, linking the map; None if no event is located."""
    located = [e for e in r.d.events.values() if maps.is_located(e)]
    return MapView(maps.MAP_HTML, r.say(MAP_OF_EVERY), sketch.dots(located), len(located)) if located else None


def _reference(r: Renderer) -> ReferencePage:
    """Return the field reference's context: every field, vocabulary, example quantity and date, problem code."""
    say = r.say
    return ReferencePage(fields=_field_rows(r.lang), vocabularies=_vocabularies(),
                         quantities=[(text, say(meaning), i18n.quantity_label(Quantity.model_validate(value), r.lang))
                                     for text, value, meaning in QUANTITY_EXAMPLES],
                         dates=[(text, say(meaning), i18n.date_label(text, r.lang)) for text, meaning in DATE_EXAMPLES],
                         codes={code: say(meaning) for code, meaning in CODES.items()})


def _kind_index(r: Renderer, kind: str, key, order: tuple[str, ...], cited: dict, context) -> None:
    """Render the actors or systems index: one page when short, else a summary and a page per kind (or category).

    A long index made a phone restyle and lay out some 500 rows as the theme started (bench/README.md);
    its first page now names each kind's most cited records and links the kind's own page.
    """
    rank = {k: i for i, k in enumerate(order)}
    vocabulary = "ACTOR_KINDS" if kind == "actors" else "CATEGORIES"
    groups = sorted(_grouped(_by_name(r, kind), key), key=lambda g: rank[g[0]])
    index = {"title": r.say(TITLES[kind]), "search": {"exclude": True}}
    if sum(len(records) for _, records in groups) <= INDEX_ROWS:
        r.page(f"{kind}/index.md", index, context(groups=groups, kinds=[], parts=[], here=f"{kind}/"))
        return
    def label(group: str) -> str:
        """Name a kind as a heading does: its first letter raised."""
        name = word(r.lang, vocabulary, group, True)
        return name[:1].upper() + name[1:]
    pages = [Part(f"{kind}/list/{group}/", label(group), len(records)) for group, records in groups]
    parts = [Part(f"{kind}/", index["title"], sum(p.count for p in pages)), *pages]  # the index first, as a way back
    kinds = [Group(group, part, sorted(((rec, len(cited.get(rec.id, []))) for rec in records),
                                       key=lambda pair: -pair[1])[:TOP])
             for (group, records), part in zip(groups, pages)]
    r.page(f"{kind}/index.md", index, context(groups=[], kinds=kinds, parts=parts, here=f"{kind}/"))
    for (group, records), part in zip(groups, pages):
        r.page(part.path.rstrip("/") + ".md",
               {"title": r.say(REGISTER_TITLE, name=r.say(TITLES[kind]), label=part.label), "search": {"exclude": True}},
               context(groups=[(group, records)], kinds=[], parts=parts, here=part.path))


def _by_name(r: Renderer, kind: str) -> list:
    """List a kind's records in data order in English, by their names in another language's order there."""
    records = list(getattr(r.d, kind).values())
    if r.lang == i18n.SOURCE:
        return records
    return sorted(records, key=lambda record: i18n.sort_key(r.name(kind, record)))


def renderers(dossier: Dossier, out: Sink,
              languages: tuple[str, ...] = i18n.LANGUAGES) -> Iterator[Renderer]:
    """Make a renderer per language of the site in turn, each with the dossier's translations, all into `out`."""
    # One at a time: a renderer's fragments (links, list lines) go with it before the next language's.
    for lang in languages:
        yield Renderer(dossier, out, lang, dossier.translations.get(lang))


def record_pages(dossier: Dossier, only: set[tuple[str, str]]) -> dict[str, bytes]:
    """Return the pages of the records in `only`, as `outputs` would render them, in English and in each
    language whose translations the dossier holds.

    Without its translations a French page would show every field as untranslated: the preview's quick
    path (dossier/preview.py) reads none, so it leaves the French pages to its full build.
    """
    out: dict[str, bytes] = {}
    for r in renderers(dossier, out, (i18n.SOURCE, *dossier.translations)):
        render_records(r, only)
    out[EDIT_LINES] = edit_lines(dossier)
    return out


def outputs(dossier: Dossier, out: Sink) -> None:
    """Put the files this stage generates in every language into `out`, keyed by path under docs/, each as it
    is rendered (the build's writer writes it at once)."""
    pages = 0
    for r in renderers(dossier, out):
        render_records(r)
        render_indexes(r)
        pages += r.pages
    out[sketch.OUTLINE] = sketch.outline()
    out[EDIT_LINES] = edit_lines(dossier)
    log.info("rendered %d pages", pages)
