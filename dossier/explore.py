"""The explore stage: the /explore/ page, its compact event index, and the histogram library it uses.

The page (templates/explore.html.j2) shows one selection of events three ways,
on a map, a time histogram and a list, and keeps the selection in its address
(the parameters are documented on the page and in docs/methodology.md). Its
script, docs/assets/explore.js, reads one JSON index written here. The index
holds only what the page shows or filters on, in columns, with every record
id replaced by its position in a table and every date by a day number, so that
10,000 events fit in well under 300 KB once gzipped (bench/README.md).

The histogram is drawn with uPlot (npm package `uplot`, pinned in
package-lock.json and installed by `npm ci`; `make site` runs it): a maintained
charting library of about 50 KB that draws thousands of bars on a canvas in a
few milliseconds and has range selection (the brush) built in. This stage
copies its distributed files into the site, as dossier/vendor.py does for
Leaflet, so no request leaves the site but the map tiles.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from babel.dates import get_month_names

from . import config, i18n, style, vendor
from .contexts import ExplorePage
from .errors import SetupError
from .escape import html_text
from .model import Dossier
from .schema import CONFIDENCE, EVENT_KINDS, Event
from .write import Sink, put_all

log = logging.getLogger(__name__)

PAGE = "explore/index.md"
INDEX = "assets/generated/explore/index.json"
# Another language's index (titles, dates, names and labels in it) beside the English one: index.fr.json.
INDEXES = {lang: INDEX if lang == i18n.SOURCE else INDEX.replace(".json", f".{lang}.json") for lang in i18n.LANGUAGES}
UPLOT_DIR = Path(__file__).resolve().parent.parent / "node_modules" / "uplot"
UPLOT_JS = f"{vendor.VENDOR}/uplot/uPlot.iife.min.js"
UPLOT_CSS = f"{vendor.VENDOR}/uplot/uPlot.min.css"
UPLOT_LICENSE = f"{vendor.VENDOR}/uplot/LICENSE"
EPOCH = dt.date(1970, 1, 1)  # day numbers count from here, as JavaScript's Date does in milliseconds
# The query-string parameters of a view, in the order the page writes them (documented on the page).
# Values per part of the index file (parts): the largest part, of titles, parses in a few ms on the benchmark's machine.
PART_ITEMS = 2000
PARAMETERS = ("kind", "actor", "system", "country", "confidence", "contested", "from", "to")


class MissingLibrary(SetupError):
    """A front-end library the site serves is not installed (node_modules is missing or stale)."""


def day(date: dt.date) -> int:
    """Return a date's day number (days since 1970-01-01)."""
    return (date - EPOCH).days


def contested_events(dossier: Dossier) -> set[str]:
    """Return the ids of events where sources disagree: an item identified as two systems or more.

    The rule is the model's (model.Delivery.contested, which keeps such items out of totals).
    """
    return {d.event.id for register in dossier.system_register.values() for d in register if d.contested}


def event_countries(event: Event) -> list[str]:
    """List the countries an event touches: its place's, then its route stops', once each."""
    return list(dict.fromkeys(p.country for p in _places(event) if p.country))


def system_parents(dossier: Dossier) -> dict[str, str]:
    """Map each variant system to the system it is a variant of, from the model's variants."""
    return {variant.id: parent for parent, variants in dossier.variants.items() for variant in variants}


def _place_key(place) -> tuple:
    """Return what the page shows of a place: name, longitude, latitude, precision."""
    return (place.name, place.lon, place.lat, place.precision)


def _numbered(values) -> dict:
    """Number values in order of first appearance."""
    return {value: n for n, value in enumerate(dict.fromkeys(values))}


def _places(event: Event) -> list:
    """List an event's places: its own, then its route's stops."""
    return ([event.place] if event.place else []) + list(event.route)


def _positions(dossier: Dossier, events: list[Event], kinds: list[str]) -> dict[str, dict]:
    """Number the entries of each lookup table: kinds, confidence levels, actors, systems, countries, places."""
    return {"kind": {k: n for n, k in enumerate(kinds)},
            "confidence": {c: n for n, c in enumerate(CONFIDENCE)},
            "actor": {a: n for n, a in enumerate(dossier.actors)},
            "system": {s: n for n, s in enumerate(dossier.systems)},
            "country": {c: n for n, c in enumerate(sorted({c for e in events for c in event_countries(e)}))},
            "place": _numbered(_place_key(p) for e in events for p in _places(e))}


def _row(dossier: Dossier, e: Event, at: dict[str, dict], contested: set[str], names) -> dict:
    """Return one event's entries in the index's columns, its start as a day number (not yet a difference)."""
    date = dossier.date(e)
    return {"id": e.id, "title": names.name("events", e), "date": names.date(date), "start": day(date.start),
            "span": (date.end - date.start).days, "kind": at["kind"][e.kind],
            "confidence": at["confidence"][e.confidence],
            "actors": sorted({at["actor"][r.actor] for r in e.actors}),
            "systems": sorted(at["system"][s.id] for s in dossier.event_systems(e)),
            "countries": [at["country"][c] for c in event_countries(e)],
            "contested": int(e.id in contested),
            "place": at["place"][_place_key(e.place)] if e.place else -1,
            "route": [at["place"][_place_key(p)] for p in e.route] or 0}


def _columns(dossier: Dossier, events: list[Event], at: dict[str, dict], names) -> dict[str, list]:
    """Lay the events out in columns, each start a difference from the previous event's."""
    contested = contested_events(dossier)
    columns: dict[str, list] = {name: [] for name in (
        "id", "title", "date", "start", "span", "kind", "confidence", "actors", "systems", "countries",
        "contested", "place", "route")}
    previous = 0
    for e in events:
        row = _row(dossier, e, at, contested, names)
        row["start"], previous = row["start"] - previous, row["start"]
        for name, value in row.items():
            columns[name].append(value)
    return columns


class _Names:
    """Names, titles and dates as the index of a language shows them (English: as the data writes them)."""

    def __init__(self, dossier: Dossier, lang: str):
        """Read the dossier's translations into `lang`."""
        self.lang = lang
        self.translations = dossier.translations.get(lang) if lang != i18n.SOURCE else None

    def name(self, kind: str, record) -> str:
        """Return a record's name or title in the index's language, its English when it is not translated."""
        english = record.title if kind == "events" else record.name
        if self.translations is None:
            return english
        field = "title" if kind == "events" else "name"
        return self.translations.get(kind, record.id, field, english).text

    def date(self, date) -> str:
        """Label a date in the index's language."""
        return date.label() if self.lang == i18n.SOURCE else i18n.date_label(date, self.lang)


def index(dossier: Dossier, lang: str = i18n.SOURCE) -> dict:
    """Build the explore page's index: lookup tables and one column per event field.

    Columns (one entry per event, in date order): id, title, date (the reader's label),
    start (day number, as a difference from the previous event's start, which keeps the
    numbers small), span (end minus start, in days), kind and confidence (positions in
    their tables), actors, systems and countries (lists of positions), contested (0 or 1),
    place (position in `places`, or -1) and route (positions in `places`, or 0 for none).
    A place is [name, lon, lat, precision]; lon and lat are null when it has no coordinates.
    `months` names the months in the index's language, for the page's "date accessed".
    The file holds it in parts (`encoded`).
    """
    # Complexity C (radon): the table's comprehensions and the other language's labels; left whole
    # while explore.js and this index change together (ARCHITECTURE.md, Complexity).
    events = list(dossier.events.values())
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in events)]
    at = _positions(dossier, events, kinds)
    parents = system_parents(dossier)
    names = _Names(dossier, lang)
    data = {
        "version": 2,  # 2: the file in parts
        "kinds": [[k, style.colour_of_kind(k)] for k in kinds],
        "confidence": list(CONFIDENCE),
        "actors": [[a.id, names.name("actors", a)] for a in dossier.actors.values()],
        "systems": [[s.id, names.name("systems", s), at["system"].get(parents.get(s.id), -1)]
                    for s in dossier.systems.values()],
        "countries": list(at["country"]),
        "places": [list(key) for key in at["place"]],
        "events": _columns(dossier, events, at, names),
        "months": month_names(lang),
    }
    if lang != i18n.SOURCE:  # explore.js shows these labels where an index has them, else the ids
        for entry in data["kinds"]:
            entry.append(i18n.word(lang, "EVENT_KINDS", entry[0]))
        data["confidenceLabels"] = [i18n.word(lang, "CONFIDENCE", c) for c in CONFIDENCE]
        data["contestedLabel"] = i18n.translate(lang, CONTESTED_LABEL)
        for place in data["places"]:  # [name, lon, lat, precision]: the card shows the precision as a word
            if place[3]:
                place[3] = i18n.word(lang, "PRECISIONS", place[3])
    return data


def month_names(lang: str) -> list[str]:
    """Name the months in a language, January first, as a date is written ('30 November', '30 novembre').

    explore.js dates its citation with them rather than with the browser's Intl, whose first
    date format costs the page 30 to 60 ms of one task (bench/README.md, explore).
    """
    names = get_month_names("wide", locale=lang)
    return [names[m] for m in range(1, 13)]


def parts(data: dict) -> list[dict]:
    """Cut an index into the parts explore.js parses one at a time: its tables and its count of events, then
    its places and each of its events' columns, PART_ITEMS values a part (a column's parts one after the other:
    cut into events' rows instead, the file was 12% larger gzipped)."""
    head = {key: value for key, value in data.items() if key not in ("places", "events")}
    head["count"] = len(data["events"]["id"])
    return [head] + [{"places": chunk} for chunk in _cut(data["places"])] + [
        {"events": {name: chunk}} for name, column in data["events"].items() for chunk in _cut(column)]


def _cut(values: list) -> list[list]:
    """Cut a list into pieces of PART_ITEMS values."""
    return [values[at:at + PART_ITEMS] for at in range(0, len(values), PART_ITEMS)]


def encoded(data: dict) -> bytes:
    """Serialise the index as a JSON array of its parts, one a line (the same bytes every build).

    The file is one JSON value; each line between its brackets is one part, followed by a comma but for the
    last. The page parses the parts a line at a time, each in a task of a few milliseconds, where parsing
    the whole index at once was one task of 20-35 ms at 10,000 events (bench/README.md, explore).
    """
    lines = [json.dumps(part, ensure_ascii=False, separators=(",", ":")) for part in parts(data)]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode()


def library_files() -> dict[str, bytes]:
    """Copy uPlot's distributed script, style sheet and licence from node_modules into the site."""
    dist = UPLOT_DIR / "dist"
    try:
        return {UPLOT_JS: (dist / "uPlot.iife.min.js").read_bytes(),
                UPLOT_CSS: (dist / "uPlot.min.css").read_bytes(),
                UPLOT_LICENSE: (UPLOT_DIR / "LICENSE").read_bytes()}
    except FileNotFoundError as exc:
        raise MissingLibrary(f"{exc.filename} is missing: the explore page's histogram needs uPlot from npm; "
                             "run `npm ci` (or `make site`) to install package-lock.json") from None


TITLE = i18n.N_("Explore")
CONTESTED_LABEL = i18n.N_("Only events where sources disagree")


def _page(dossier: Dossier, total: int, out: Sink, lang: str = i18n.SOURCE) -> None:
    """Render the explore page of a language into `out` from its template (context: contexts.ExplorePage)."""
    from .render import Renderer

    tiles = config.tiles()
    r = Renderer(dossier, out, lang, dossier.translations.get(lang))
    r.page(PAGE, {"title": i18n.translate(lang, TITLE), "hide": ["navigation", "toc"]}, ExplorePage(
        total=total, confidence=CONFIDENCE,
        assets={"index": INDEXES[lang], "leaflet": vendor.LEAFLET_JS, "leafletCss": vendor.LEAFLET_CSS,
                "countries": vendor.COUNTRIES_JS, "uplot": UPLOT_JS, "uplotCss": UPLOT_CSS},
        tiles={"url": tiles.url, "attribution": html_text(tiles.attribution),
               "maxZoom": tiles.max_zoom} if tiles else None))


def outputs(dossier: Dossier, out: Sink) -> None:
    """Put the files this stage generates into `out`, keyed by path under docs/: uPlot, the page and index of
    each language."""
    put_all(out, library_files())
    for lang in i18n.LANGUAGES:
        out[INDEXES[lang]] = data = encoded(index(dossier, lang))
        log.info("explore: index of %d events in %s, %d bytes", len(dossier.events), lang, len(data))
        _page(dossier, len(dossier.events), out, lang)
