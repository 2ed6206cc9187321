"""What each page template is given: one dataclass per page type, declared once.

The renderer (dossier/render.py) builds one of these for every page and hands
its fields to the template named by `TEMPLATE`; each template's header points
here instead of repeating the list. Besides the fields below, every template
gets `d` (the Dossier) and `root` (the site root's URL from the page, see
render.Renderer.page). `python -m dossier.contexts` prints this reference.

Values are model objects (dossier/schema.py, dossier/model.py) or plain
views computed for the page; templates escape every value they print.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import sys
from dataclasses import dataclass
from typing import ClassVar

from .dates import FuzzyDate
from .history import History, Version
from .model import Claim, Delivery, Total
from .schema import Actor, Equipment, Event, Identification, Relation, Source, System


@dataclass(frozen=True)
class MapView:
    """A record's map, loaded when the reader asks: its file, its title, and a static preview."""

    src: str  # docs-relative path of the Folium map file (maps stage)
    title: str  # the iframe's title, for screen readers
    preview: str  # inline SVG markup of the located points, drawn over the shared outline (render.preview_svg)
    located: int  # how many events the map shows


@dataclass(frozen=True)
class Part:
    """One page of a list split to keep pages small: where it is and what it holds."""

    path: str  # site path of the page, as a directory URL ("events/years/2025/")
    label: str  # "2025", "2025, part 2 of 3"
    count: int  # rows on that page


@dataclass(frozen=True)
class Group:
    """One kind's page of a long actors or systems index, as the index's first page sums it up."""

    kind: str  # the vocabulary value (an actor kind, a system category)
    part: Part  # its page, its label and how many records it lists
    top: list[tuple[Actor | System, int]]  # its most cited records, with how many events cite each, most first


@dataclass(frozen=True)
class ItemView:
    """One equipment item on an event page, with its readings and whether they disagree."""

    item: Equipment
    readings: tuple[Identification, ...]  # competing identifications, each with its sources
    contested: bool  # the sources name more than one system for this item


@dataclass(frozen=True)
class HistoryView:
    """A record's history at the foot of its page, and the version its citation names (dossier/history.py)."""

    kind: str  # the record's kind, as its data file is named: "events", "actors", "systems" or "sources"
    record_id: str  # the record's id
    noun: str  # how the citation names its kind: "event", "actor", "system" or "source"
    version: Version | None  # its first and last commits; None when the history is unavailable in this build
    note: str  # why the history is unavailable, '' when it is available
    repo: str  # the repository's address (repo_url in mkdocs.yml), '' when unknown
    file: str  # the record's data file in the repository, e.g. "data/events.yaml"


@dataclass(frozen=True)
class EventPage:
    """Event page: docs/events/<id>.md."""

    TEMPLATE: ClassVar[str] = "event.html.j2"
    e: Event  # the event
    date: FuzzyDate  # its parsed date
    colour: str  # its kind's colour on maps and charts (dossier/style.py)
    items: tuple[ItemView, ...]  # its equipment, in data order
    contested: int  # how many items the sources identify differently
    map: MapView | None  # None when the event has no located place or route
    related: list[Event]  # related events (model.related)
    numbers: dict[str, int]  # source id -> its number in the page's source list
    address: str  # the page's canonical URL (mkdocs.yml site_url), printed on paper copies
    history: HistoryView  # when it was first published and last changed


@dataclass(frozen=True)
class ActorPage:
    """Actor page: docs/actors/<id>.md."""

    TEMPLATE: ClassVar[str] = "actor.html.j2"
    a: Actor  # the actor
    map: MapView | None  # None when none of its events is located
    roles: list[tuple[str, int]]  # its roles in events, most frequent first, with counts
    events: list[tuple[Event, str]]  # its latest events (at most render.RECENT), newest first, with its role
    event_count: int  # all its events
    parts: list[Part]  # pages listing all its events by year, when there are more than `events`
    relations_in: list[tuple[Actor, Relation]]  # relations other actors state towards it
    systems: dict[str, list[System]]  # systems it supplied or received, by role
    history: HistoryView  # when it was first published and last changed


@dataclass(frozen=True)
class SystemPage:
    """System page: docs/systems/<id>.md."""

    TEMPLATE: ClassVar[str] = "system.html.j2"
    s: System  # the system
    map: MapView | None  # None when no event of its register is located
    total: Total  # the reported total under the counting rules
    register: list[Delivery]  # its register's latest lines (at most render.RECENT), newest first
    register_count: int  # all the lines of its register
    first: Event | None  # the earliest event of its register
    last: Event | None  # the latest event of its register
    parts: list[Part]  # pages holding the whole register by year, when it is longer than `register`
    variants: list[System]  # systems recorded as variants of this one
    history: HistoryView  # when it was first published and last changed


@dataclass(frozen=True)
class SourcePage:
    """Source page: docs/sources/<id>.md."""

    TEMPLATE: ClassVar[str] = "source.html.j2"
    s: Source  # the source
    claims: list[Claim]  # what this source supports (at most render.PAGE_ROWS), in dossier order
    claim_count: int  # everything it supports
    events: int  # how many events cite it
    kinds: list[tuple[str, int]]  # claims by kind, most frequent first
    history: HistoryView  # when it was first published and last changed


@dataclass(frozen=True)
class RegisterPage:
    """One year (or part of a year) of a long record's list: docs/<kind>/<id>/<year>.md."""

    TEMPLATE: ClassVar[str] = "register.html.j2"
    owner: Actor | System  # the record whose list this is
    kind: str  # "actors" or "systems"
    label: str  # what this page holds, e.g. "2025" or "2025, part 2 of 3"
    rows: list  # (Event, role) for an actor, model.Delivery for a system, in date order
    parts: list[Part]  # every page of the list, this one included
    here: str  # this page's site path, to mark it in `parts`


@dataclass(frozen=True)
class HomePage:
    """Home page: docs/index.md."""

    TEMPLATE: ClassVar[str] = "home.html.j2"
    latest: list[Event]  # the newest events, newest first
    charts: dict[str, tuple[str, str]]  # name -> (site path, alt text) of the charts the charts stage declares
    map: MapView | None  # the overview map, None when no event is located
    years: list[Part]  # the events' year pages, newest first
    colours: dict[str, str]  # event kind -> its colour


@dataclass(frozen=True)
class EventsIndexPage:
    """Events index: docs/events/index.md, the way in to the year pages."""

    TEMPLATE: ClassVar[str] = "events_index.html.j2"
    years: list[tuple[int, list[Part], dict[str, int]]]  # year, its pages, its events by kind; newest first
    kinds: list[str]  # the event kinds present, in vocabulary order
    colours: dict[str, str]  # event kind -> its colour
    latest: list[Event]  # the newest events, newest first


@dataclass(frozen=True)
class YearPage:
    """One year of events (or part of a year): docs/events/years/<year>.md, filterable by kind."""

    TEMPLATE: ClassVar[str] = "year.html.j2"
    label: str  # "2025" or "2025, part 2 of 3"
    events: list[Event]  # in date order
    kinds: list[str]  # the kinds present on this page, in vocabulary order (filter buttons)
    colours: dict[str, str]  # event kind -> its colour
    parts: list[Part]  # every year page, newest first, this one included
    here: str  # this page's site path, to mark it in `parts`


@dataclass(frozen=True)
class TimelinePage:
    """Timeline: docs/timeline/index.md, events counted by year and kind, each year linking its pages."""

    TEMPLATE: ClassVar[str] = "timeline.html.j2"
    years: list[tuple[int, list[Part], dict[str, int]]]  # as EventsIndexPage.years, oldest first
    most: int  # the events of the busiest year: its bar is the longest
    kinds: list[str]  # the event kinds present, in vocabulary order
    colours: dict[str, str]  # event kind -> its colour
    chart: tuple[str, str] | None  # the events-over-time chart (site path, alt text), if declared


@dataclass(frozen=True)
class ExplorePage:
    """Explore page: docs/explore/index.md, built by the explore stage (dossier/explore.py)."""

    TEMPLATE: ClassVar[str] = "explore.html.j2"
    total: int  # how many events the dossier holds
    confidence: tuple[str, ...]  # the confidence vocabulary (for the parameter table)
    assets: dict[str, str]  # name -> site path of the index and the libraries docs/assets/explore.js loads
    tiles: dict[str, object] | None  # the tile provider (url, attribution as HTML text, maxZoom); None: no tiles


@dataclass(frozen=True)
class ActorsIndexPage:
    """Actors index: docs/actors/index.md."""

    TEMPLATE: ClassVar[str] = "actors_index.html.j2"
    groups: list[tuple[str, list[Actor]]]  # actors listed here by kind, in vocabulary order, by name within
    kinds: list[Group]  # when the index is split: each kind's page and most cited actors (on the first page only)
    parts: list[Part]  # when split: the index, then each kind's page (docs/actors/list/<kind>.md); else empty
    here: str  # this page's site path, to mark it in `parts`


@dataclass(frozen=True)
class SystemsIndexPage:
    """Systems index: docs/systems/index.md."""

    TEMPLATE: ClassVar[str] = "systems_index.html.j2"
    groups: list[tuple[str, list[System]]]  # systems listed here by category, in vocabulary order, by name within
    charts: dict[str, tuple[str, str]]  # as HomePage.charts (empty on a category's page)
    kinds: list[Group]  # when the index is split: each category's page and most cited systems (first page only)
    parts: list[Part]  # when split: the index, then each category's page (docs/systems/list/<category>.md); else empty
    here: str  # this page's site path, to mark it in `parts`


@dataclass(frozen=True)
class SourcesIndexPage:
    """Sources index: docs/sources/index.md, continued on docs/sources/list/<n>.md when long."""

    TEMPLATE: ClassVar[str] = "sources_index.html.j2"
    sources: list[Source]  # the sources on this page, by id (at most render.PAGE_ROWS)
    parts: list[Part]  # every page of the index, by the ids' first letters; empty when one page holds all
    here: str  # this page's site path, to mark it in `parts`


@dataclass(frozen=True)
class ReferencePage:
    """Data reference: docs/reference/index.md."""

    TEMPLATE: ClassVar[str] = "reference.html.j2"
    fields: dict[str, list[tuple]]  # file kind -> (path, type, required, help) in the page's language (render)
    vocabularies: dict[str, tuple[str, ...]]  # the controlled vocabularies
    quantities: list[tuple[str, str, str]]  # (written, meaning, shown as), labels from schema.Quantity
    dates: list[tuple[str, str, str]]  # (written, meaning, shown as), labels from dates.parse_date
    codes: dict[str, str]  # the validator's problem codes and their meaning (errors.CODES) in the page's language


@dataclass(frozen=True)
class ChangesPage:
    """What changed: docs/changes/index.md, the commits that changed the records, newest first."""

    TEMPLATE: ClassVar[str] = "changes.html.j2"
    h: History  # the dossier's history: h.entries, newest first; h.available false outside a full checkout
    shown: int  # how many commits the page lists (history.PAGE_COMMITS); the repository has the rest
    listed: int  # how many records it names per commit and action (history.LISTED); the rest are counted


PAGES = (EventPage, ActorPage, SystemPage, SourcePage, RegisterPage, HomePage, EventsIndexPage, YearPage,
         TimelinePage, ExplorePage, ActorsIndexPage, SystemsIndexPage, SourcesIndexPage, ReferencePage,
         ChangesPage)


def fields_of(page) -> dict[str, object]:
    """Return a page context's fields by name, as the template gets them (shallow: no copies)."""
    return {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}


_FIELD = re.compile(r"^    (\w+): (.+?)(?:  # (.*))?$")


def reference() -> str:
    """Describe every page type's template and context, from the declarations above (types and comments)."""
    lines = []
    for cls in PAGES:
        lines.append(f"{cls.TEMPLATE}  ({cls.__name__}) {cls.__doc__}")
        for line in inspect.getsource(cls).splitlines():
            found = _FIELD.match(line)
            if found and found.group(1) != "TEMPLATE":
                name, kind, note = found.groups()
                lines.append(f"    {name}: {kind}" + (f"  -- {note}" if note else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(reference() + "\n")
