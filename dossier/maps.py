"""The maps stage: the map page, one small map per located event, actor and system, and their assets.

Every map file is a Folium map (Leaflet) that loads only files served by the
site: Leaflet and Leaflet.markercluster from the pinned XStatic packages, the
country boundaries shipped in dossier/assets/, and one shared script,
dossier-map.js, that draws markers and routes from compact rows. Only the map
tiles come from a third party (dossier/config.py).

Why rows and one shared script, not a Folium Marker per event: a Marker with a
popup costs about 1 KB of HTML and 1 ms to render, so 10,000 events made a
10 MB page in 9 s. A row is about 100 bytes, and the popup is built in the
browser from text nodes (textContent), so contributor text is never parsed as
HTML there. The row's fields are listed in dossier/assets/dossier-map.js.

Why one Folium render per map kind, not per file: the files of a kind differ only in
their title and data, so Folium renders a shell once with two slots and each file
fills them in (microseconds), which keeps 10,000 event maps cheap.
"""

from __future__ import annotations

import functools
import itertools
import logging
import posixpath
from contextlib import contextmanager
from typing import Iterator

from . import config, mdpages, sketch, style, vendor
from .i18n import LANGUAGES, N_, SOURCE, date_label, edition, translate, word
from .escape import html_text, json_script
from .model import Dossier
from .schema import KIND, Event, Place
from .write import Sink, put_all

log = logging.getLogger(__name__)

MAP_PAGE = "map/index.md"
MAP_HTML = "map/map.html"
MAP_TITLE = N_("Map of events: Sahel Arms Dossier")
MAPS_DIR = "assets/generated/maps"
SCRIPT = f"{MAPS_DIR}/dossier-map.js"
STYLE = f"{MAPS_DIR}/dossier-map.css"
EVENTS_DIR = "events"
RECORD_KINDS = ("events", "actors", "systems")  # the kinds whose pages show a map of their events
GROUPS = tuple(style.LAYERS)
# The layers' names on the map page and in the map's layer control (translated where shown).
GROUP_LABELS = {"deliveries": N_("Deliveries"), "shipments": N_("Shipments"), "attacks": N_("Attacks"),
                "deployments": N_("Deployments"), "others": N_("Others")}
CENTRE = [15.0, 0.0]  # the Sahel: the view before the markers' bounds are known
_TITLE_SLOT = "@@DOSSIER-MAP-TITLE@@"
_DATA_SLOT = "@@DOSSIER-MAP-DATA@@"


# Folium and branca are imported where a map is drawn, not above: every command imports the pipeline,
# and matplotlib and Folium at the top took `build_pages.py check` from 0.6 s to 1.6 s of CPU.


@functools.cache
def _layers() -> type:
    """Return the Folium element that calls the shared script drawing the markers, routes and controls."""
    from branca.element import MacroElement
    from folium.template import Template

    class _DossierLayers(MacroElement):
        """Call the shared script that draws the markers, routes and controls from the data slot."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            DossierMap.show({{ this._parent.get_name() }}, {{ this.data }});
            {% endmacro %}
        """)

        def __init__(self, data: str):
            """Hold the data expression (a slot filled in per file)."""
            super().__init__()
            self._name = "DossierLayers"
            self.data = data

    return _DossierLayers


@contextmanager
def _fixed_ids() -> Iterator[None]:
    """Number Folium's element ids from 1 inside the block, so each map renders the same bytes every build."""
    from branca.element import Element

    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):04d}")
    try:
        yield
    finally:
        Element._generate_id = original  # never leak the counter into other maps or other code


@functools.lru_cache(maxsize=256)  # each map file asks; the files of a kind sit in one folder
def _relative(target: str, from_file: str) -> str:
    """Return the URL of a docs-relative target as seen from a docs-relative file."""
    return posixpath.relpath(target, posixpath.dirname(from_file))


def _shell(path: str, lang: str = SOURCE) -> tuple[str, str, str]:
    """Render the Folium map for a file at `path` once; return the HTML split around the title and data slots."""
    import folium

    tiles = config.tiles()
    with _fixed_ids():
        m = folium.Map(location=CENTRE, zoom_start=4, tiles=None, control_scale=True)
        # Per instance, not add_js_link: that would change the class defaults for every map.
        # Names key the links in the page header, so a script and a style must not share one.
        m.default_js = [(f"js-{p}", _relative(p, path)) for p in (*vendor.SCRIPTS, SCRIPT)]
        m.default_css = [(f"css-{p}", _relative(p, path)) for p in (*vendor.STYLES, STYLE)]
        if tiles:
            folium.TileLayer(tiles=tiles.url, attr=html_text(tiles.attribution), name="Base map",
                             max_zoom=tiles.max_zoom, control=False).add_to(m)
        _layers()(_DATA_SLOT).add_to(m)
        m.get_root().title = _TITLE_SLOT
        # An empty icon: without one the browser asks the host's root for favicon.ico (a 404 on every map).
        icon = folium.Element('<link rel="icon" href="data:,">')
        m.get_root().header.add_child(icon, name="icon")
        html = m.get_root().render().replace("<html>", f'<html lang="{lang}">', 1)
    # Folium indents generously; dropping indentation and blank lines saves a third of each small map
    # (about 9 MB over 10,000 event maps). Its output has no multi-line strings, so this is safe.
    html = "\n".join(line.strip() for line in html.splitlines() if line.strip()) + "\n"
    head, rest = html.split(_TITLE_SLOT)
    middle, tail = rest.split(_DATA_SLOT)
    return head, middle, tail


def _fill(shell: tuple[str, str, str], title: str, data: dict) -> bytes:
    """Fill a shell's slots with an escaped title and the data as script-safe JSON."""
    head, middle, tail = shell
    return (head + html_text(title) + middle + json_script(data) + tail).encode()


def _located_stops(route: list[Place]) -> int:
    """Count the stops of a route that have coordinates."""
    return sum(1 for stop in route if stop.located)


def is_located(event: Event) -> bool:
    """Say whether an event can be drawn: a located place, or a route with two located stops."""
    return bool(event.place and event.place.located) or _located_stops(event.route) >= 2


def _row(dossier: Dossier, event: Event) -> list:
    """Encode a located event as one compact row (fields in dossier/assets/dossier-map.js)."""
    date = dossier.date(event)
    place = event.place if event.place and event.place.located else None
    route = None
    if _located_stops(event.route) >= 2:
        route = [[stop.lon, stop.lat, stop.name] for stop in event.route]
    return [event.id, event.title, date.label(), GROUPS.index(style.LAYER_OF_KIND[event.kind]),
            date.start.year, date.end.year,
            place.lon if place else None, place.lat if place else None,
            place.name if place else None, place.precision if place else None, route]


def _translated_row(dossier: Dossier, event: Event, row: list, lang: str) -> list:
    """Return an event's row with its title, date, place and stops' names and precision in another language."""
    found = dossier.translations.get(lang)

    def text(path: str, english: str) -> str:
        """Return a field's translation when current, else its English."""
        return found.get("events", event.id, path, english).text if found else english
    row = list(row)
    row[1], row[2] = text("title", event.title), date_label(dossier.date(event), lang)
    if row[8] is not None:
        row[8], row[9] = text("place.name", row[8]), word(lang, "PRECISIONS", row[9])
    if row[10]:
        row[10] = [[lon, lat, text(f"route[{i}].name", name)] for i, (lon, lat, name) in enumerate(row[10])]
    return row


RECORD_MAP_TITLE = N_("Map: %(name)s")  # a record map's title (its English is written as before)

# The words the map script writes around the data (dossier/assets/dossier-map.js), in another language.
MAP_WORDS = {"place": N_("Place: %(name)s (precision: %(precision)s)"), "route": N_("Route: %(stops)s"),
             "year": N_("Year"), "allYears": N_("All years"), "shown": N_("%(n)s events shown"),
             "shownOne": N_("%(n)s event shown")}


def _words(lang: str) -> dict[str, str]:
    """Return the map script's words in a language."""
    return {key: translate(lang, message) for key, message in MAP_WORDS.items()}


def _french_map(rows: dict[str, list], lang: str, out: Sink) -> None:
    """Render the overview map of another language's edition from its translated rows, popups and layers in it."""
    path = f"{edition(lang)}{MAP_HTML}"
    data = _data(list(rows.values()), path, collection=True, lang=lang)
    data["words"] = _words(lang)
    out[path] = _fill(_shell(path, lang), translate(lang, MAP_TITLE), data)


def _other_editions(shown: list[str], french: dict[str, dict[str, list]], sample: str, collection: bool,
                    titles: dict[str, str]) -> dict[str, dict]:
    """A record map's rows, layers, links and words in each other language, keyed by language.

    One file serves both editions (thousands of record maps at 10,000 events: a second set
    would double them); the French pages link it with #lang=fr and dossier-map.js picks these.
    """
    out = {}
    for lang, rows in french.items():
        data = _data([rows[event_id] for event_id in shown], sample, collection, lang)
        data["words"] = _words(lang)
        data["title"] = titles[lang]
        out[lang] = {key: data[key] for key in ("rows", "groups", "base", "words", "title")}
    return out


def _data(rows: list[list], path: str, collection: bool, lang: str = SOURCE) -> dict:
    """Build the data a map file passes to DossierMap.show."""
    years = sorted({y for row in rows for y in range(row[4], row[5] + 1)}) if collection else []
    groups = [{"label": translate(lang, GROUP_LABELS[g]), "colour": style.LAYER_COLOURS[g]} for g in GROUPS]
    return {"rows": rows, "groups": groups, "base": _relative(f"{edition(lang)}{EVENTS_DIR}", path) + "/",
            "years": years, "cluster": collection, "control": collection}


def _candidates(dossier: Dossier, kind: str, record_id: str) -> list[Event]:
    """List the events a record's map may show, located or not, with repeats."""
    if kind == "events":
        event = dossier.events.get(record_id)
        return [event] if event else []
    if kind == "actors":
        return [e for e, _role in dossier.actor_events.get(record_id, [])]
    return [d.event for d in dossier.system_register.get(record_id, [])]


def map_path(kind: str, record_id: str, dossier: Dossier) -> str | None:
    """Return the docs-relative path of a record's map ('events', 'actors' or 'systems'), or None if it has none."""
    # any(): the first located event settles it; every record page asks.
    if kind not in RECORD_KINDS or not any(map(is_located, _candidates(dossier, kind, record_id))):
        return None
    return f"{MAPS_DIR}/{KIND[kind].folder}/{record_id}.html"


def _record_maps(dossier: Dossier, rows: dict[str, list], french: dict[str, dict[str, list]], out: Sink) -> int:
    """Render the small map of every event, actor and system that has located events, with its French words,
    into `out`, each as it is made; return how many."""
    made = 0
    for kind in RECORD_KINDS:
        records = getattr(dossier, kind)
        sample = f"{MAPS_DIR}/{KIND[kind].folder}/x.html"
        shell = _shell(sample)
        for record_id, record in records.items():
            # The rows of the located events, in date order, without repeats.
            located = {e.id: rows[e.id] for e in _candidates(dossier, kind, record_id) if e.id in rows}
            shown = list(located.values())
            if shown:
                name = KIND[kind].name_of(record)
                title = translate(SOURCE, RECORD_MAP_TITLE, name=name)
                data = _data(shown, sample, collection=kind != "events")
                titles = {lang: translate(lang, RECORD_MAP_TITLE, name=by_id[record_id][1] if kind == "events"
                                          else name) for lang, by_id in french.items()}
                data["editions"] = _other_editions(list(located), french, sample, kind != "events", titles)
                out[f"{MAPS_DIR}/{KIND[kind].folder}/{record_id}.html"] = _fill(shell, title, data)
                made += 1
    return made


def _style_sheet() -> bytes:
    """Return the shared map style sheet with one colour rule per layer, from dossier/style.py."""
    base = (vendor.ASSETS / "dossier-map.css").read_text(encoding="utf-8")
    rules = "".join(f".dm-g{i} {{ background: {style.LAYER_COLOURS[g]}; }}\n" for i, g in enumerate(GROUPS))
    return (base + rules).encode()


def _map_pages(dossier: Dossier, rows: dict[str, list], out: Sink) -> None:
    """Render the map page of each language (templates/map.md.j2) into `out`: what the map shows, how to use it,
    a text alternative, the frame."""
    counts = {g: 0 for g in GROUPS}
    for row in rows.values():
        counts[GROUPS[row[3]]] += 1
    tiles = config.tiles()
    located = sketch.dots([dossier.events[event_id] for event_id in rows])
    for lang in LANGUAGES:  # every edition's map page opens the one map file
        page = f"{edition(lang)}{MAP_PAGE}"
        frame = _relative(f"{edition(lang)}{MAP_HTML}", page)  # each edition's overview map, in its language
        layers = [(translate(lang, GROUP_LABELS[g]), list(style.LAYERS[g]), counts[g]) for g in GROUPS]
        out[page] = mdpages.page("map.md.j2", lang, located=len(rows), total=len(dossier.events),
                                 frame=frame, sketch=located, layers=layers,
                                 credit=tiles.attribution if tiles else None)


def outputs(dossier: Dossier, out: Sink) -> None:
    """Put the files this stage generates into `out`, keyed by path under docs/, each as it is made."""
    rows = {e.id: _row(dossier, e) for e in dossier.events.values() if is_located(e)}
    put_all(out, vendor.files())
    out[SCRIPT] = (vendor.ASSETS / "dossier-map.js").read_bytes()
    out[STYLE] = _style_sheet()
    main = _data(list(rows.values()), MAP_HTML, collection=True)
    out[MAP_HTML] = _fill(_shell(MAP_HTML), translate(SOURCE, MAP_TITLE), main)
    french = {lang: {event_id: _translated_row(dossier, dossier.events[event_id], row, lang)
                     for event_id, row in rows.items()} for lang in LANGUAGES[1:]}
    for lang in LANGUAGES[1:]:
        _french_map(french[lang], lang, out)
    _map_pages(dossier, rows, out)
    record_maps = _record_maps(dossier, rows, french, out)
    log.info("maps: %d of %d events located, %d record maps", len(rows), len(dossier.events), record_maps)
