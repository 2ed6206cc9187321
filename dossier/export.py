"""Open-data exports: JSON, CSV with a Frictionless Data Package, GeoJSON, JSON Schemas, Atom feed.

Every file is built from the Dossier in memory, so the exports always match the
pages. Each CSV column is declared once in COLUMNS, with its type and help text:
the CSV header, the Data Package schema and the Downloads page all read it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import subprocess
from dataclasses import dataclass
from json.encoder import encode_basestring  # how JSONEncoder writes text with ensure_ascii=False
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

from markupsafe import Markup

from . import feed, history, i18n, mdpages, translations
from .dates import FuzzyDate, parse_date
from .escape import csv_cell, md_url
from .jsonschema import schema_files
from .model import Dossier
from .i18n import N_, NP_
from .schema import KIND, KINDS, Event, Quantity
from .write import Sink

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
FORMAT_VERSION = 1  # bump when a field of the exports changes meaning or disappears
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
TITLE = "Sahel Arms Dossier"
_COMMIT = re.compile(r"^[0-9A-Za-z._-]{1,64}$")
CREATOR = "Sahel Arms Dossier contributors"


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, Frictionless type, whether it is required, and what it holds."""

    name: str
    type: str
    required: bool
    help: str


# The Frictionless types of the columns, named in the reader's language on the Downloads page.
COLUMN_TYPES = (NP_("column type", "string"), NP_("column type", "integer"), NP_("column type", "number"),
                NP_("column type", "boolean"), NP_("column type", "date"))


def _cols(*rows: tuple[str, str, bool, str]) -> tuple[Column, ...]:
    """Build a column list from (name, type, required, help) tuples."""
    return tuple(Column(*row) for row in rows)


_DATE_COLS = (("date_start", "date", True, N_("First day the date can mean.")),
              ("date_end", "date", True, N_("Last day the date can mean.")),
              ("date_precision", "string", True, N_("year, month, day or span.")),
              ("date_approximate", "boolean", True, N_("The date is marked 'about' (~ or %).")),
              ("date_uncertain", "boolean", True, N_("The date is marked uncertain (? or %).")))
# From the git history of the data (dossier/history.py); empty outside a full git checkout.
_HISTORY_COLS = (
    ("first_published", "date", False, N_("Day of the commit that first published the record; empty when "
                                          "not yet committed or the history is unavailable.")),
    ("last_changed", "date", False, N_("Day of the commit that last changed the record; empty when it has "
                                       "changes not yet committed or the history is unavailable.")))

COLUMNS: dict[str, tuple[Column, ...]] = {
    "events": _cols(
        ("id", "string", True, N_("Stable event id; the page is `events/<id>/`.")),
        ("date", "string", True, N_("The date as recorded: YYYY, YYYY-MM or YYYY-MM-DD, ~ about, "
                                    "? uncertain, % both, START/END for a span.")),
        *_DATE_COLS,
        ("kind", "string", True, N_("What sort of event this is.")),
        ("title", "string", True, N_("Short factual headline.")),
        ("summary", "string", False, N_("What happened (Markdown).")),
        ("place", "string", False, N_("Place name.")),
        ("country", "string", False, N_("ISO 3166-1 alpha-2 code of the place.")),
        ("lat", "number", False, N_("Latitude (WGS 84), empty when unknown.")),
        ("lon", "number", False, N_("Longitude (WGS 84), empty when unknown.")),
        ("place_precision", "string", False, N_("What the coordinates stand for: exact, site, town, ...")),
        ("route", "string", False, N_("Route place names in order, joined with ';'.")),
        ("actors", "string", False, N_("actor-id:role pairs joined with ';'.")),
        ("sources", "string", True, N_("Source ids joined with ';'.")),
        ("confidence", "string", True, N_("confirmed, reported, alleged or disputed.")),
        *_HISTORY_COLS,
        ("url", "string", True, N_("Page path relative to the site root.")),
    ),
    "equipment": _cols(
        ("event", "string", True, N_("Event id.")),
        ("item_no", "integer", True, N_("Position of the item in the event, from 1.")),
        ("claim_no", "integer", True, N_("Position of the identification within the item, from 1; "
                                         "0 for an item nobody identified.")),
        ("item", "string", True, N_("The item in plain words, as reported.")),
        ("system", "string", False, N_("System id this claim identifies the item as; empty if none.")),
        ("contested", "boolean", True, N_("Other claims identify the same item as another system.")),
        ("quantity_min", "integer", False, N_("Lower bound (the number itself when exact or 'about').")),
        ("quantity_max", "integer", False, N_("Upper bound; empty for 'at least'.")),
        ("quantity_qualifier", "string", True, N_("exact, at least, range, about or unknown.")),
        ("quantity_as_reported", "string", False, N_("The source's own wording.")),
        ("sources", "string", True, N_("Sources of this claim (else of the item), joined with ';'.")),
    ),
    "actors": _cols(
        ("id", "string", True, N_("Stable actor id; the page is `actors/<id>/`.")),
        ("name", "string", True, N_("Usual name in English.")),
        ("aliases", "string", False, N_("Other names joined with ';'.")),
        ("kind", "string", True, N_("What sort of actor this is.")),
        ("country", "string", False, N_("ISO 3166-1 alpha-2 code.")),
        ("description", "string", False, N_("Who they are (Markdown).")),
        ("relations", "string", False, N_("type:actor-id pairs joined with ';' (sources in events.json).")),
        ("wikidata", "string", False, N_("Wikidata item id.")),
        ("imo", "string", False, N_("IMO ship number.")),
        *_HISTORY_COLS,
        ("url", "string", True, N_("Page path relative to the site root.")),
    ),
    "systems": _cols(
        ("id", "string", True, N_("Stable system id; the page is `systems/<id>/`.")),
        ("name", "string", True, N_("Designation.")),
        ("aliases", "string", False, N_("Other designations joined with ';'.")),
        ("category", "string", True, N_("What sort of system this is.")),
        ("origin", "string", False, N_("Country of origin (ISO alpha-2).")),
        ("variant_of", "string", False, N_("Id of the parent system.")),
        ("description", "string", False, N_("What it is (Markdown).")),
        *_HISTORY_COLS,
        ("url", "string", True, N_("Page path relative to the site root.")),
    ),
    "sources": _cols(
        ("id", "string", True, N_("Stable source id; the page is `sources/<id>/`.")),
        ("title", "string", True, N_("Title as published.")),
        ("publisher", "string", False, N_("Who published it.")),
        ("author", "string", False, N_("Author(s) as credited.")),
        ("published", "string", False, N_("Publication date as recorded.")),
        ("kind", "string", True, N_("What sort of publication it is.")),
        ("language", "string", True, N_("ISO 639-1 code.")),
        ("link", "string", False, N_("The http(s) address.")),
        ("archive_url", "string", False, N_("An archived copy's http(s) address.")),
        ("note", "string", False, N_("What a reader should know about the source.")),
        *_HISTORY_COLS,
        ("url", "string", True, N_("Page path relative to the site root.")),
    ),
    "translations": _cols(*translations.TABLE_COLUMNS),
}
# Foreign keys of the Data Package: (table, field, referenced table); "" means the table itself.
FOREIGN_KEYS = (("equipment", "event", "events"), ("equipment", "system", "systems"),
                ("systems", "variant_of", ""))
PRIMARY_KEYS = {"events": ["id"], "equipment": ["event", "item_no", "claim_no"],
                "actors": ["id"], "systems": ["id"], "sources": ["id"],
                "translations": ["record_type", "id", "field", "lang"]}


class _Sized:
    """A sink that passes each file on to another and notes its size, for the Downloads page."""

    def __init__(self, out: Sink):
        """Pass files on to `out`; none noted yet."""
        self.out, self.sizes = out, {}

    def __setitem__(self, relpath: str, data: bytes) -> None:
        """Pass one file on, noting its size in bytes."""
        self.out[relpath] = data
        self.sizes[relpath] = len(data)


def outputs(dossier: Dossier, out: Sink) -> None:
    """Put the files this stage generates into `out`, keyed by path under docs/, each as it is made."""
    files = _Sized(out)  # the Downloads page gives their sizes
    # Each record is encoded once; the whole dataset, its digest and every twin are joined from
    # those pieces, instead of encoding each record three times (at 10,000 events: 1 s saved).
    encoded = {kind: {r["id"]: _JSON.encode(r) for r in records}
               for kind, records in _records(dossier).items()}
    body = {kind: _array(pieces.values()) for kind, pieces in encoded.items()}
    version, sha = _digest(body), commit()
    meta = {"title": TITLE, "format_version": FORMAT_VERSION, "version": version, "commit": sha,
            "license": LICENSE, "counts": {kind: len(pieces) for kind, pieces in encoded.items()}}
    files["data/events.json"] = _object(_encode_all(meta) | body)
    for name, rows in csv_tables(dossier).items():
        files[f"data/{name}.csv"] = csv_bytes(COLUMNS[name], rows)
    files["data/datapackage.json"] = json_bytes(datapackage(version), indent=2)
    files["data/events.geojson"] = json_bytes(geojson(dossier))
    for name, data in schema_files().items():
        files[f"data/schema/{name}"] = data
    for event in dossier.events.values():
        files[f"data/events/{event.id}.json"] = event_twin(dossier, event, encoded)
    files["feed.xml"] = feed.atom(dossier)
    files["changes.xml"] = feed.changes_atom(dossier)
    for lang in i18n.LANGUAGES:
        files[f"{i18n.edition(lang)}downloads/index.md"] = downloads_page(files.sizes, version, sha, lang)
    log.info("exports: %d files", len(files.sizes))


# The compact form of json_bytes; one encoder, as json.dumps builds a new one for every call.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_bytes(value: object, indent: int | None = None) -> bytes:
    """Serialise JSON stably: sorted keys, UTF-8, compact unless an indent is asked, final newline."""
    # Compact by default: with an indent Python falls back to its slow pure-Python encoder
    # (26 s instead of 3 s for 10,000 events); the small descriptor files are indented.
    if indent is None:
        return (_JSON.encode(value) + "\n").encode()
    return (json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=True) + "\n").encode()


def _array(pieces) -> str:
    """Join encoded values into a JSON array, as json_bytes writes one."""
    return "[" + ",".join(pieces) + "]"


def _object(members: dict[str, str]) -> bytes:
    """Join encoded member values into a JSON file exactly as json_bytes writes it, keys sorted."""
    pairs = ",".join(f"{encode_basestring(k)}:{v}" for k, v in sorted(members.items()))
    return ("{" + pairs + "}\n").encode()


def _encode_all(members: dict[str, object]) -> dict[str, str]:
    """Encode each member value on its own, for _object."""
    return {k: _JSON.encode(v) for k, v in members.items()}


_TWIN_META = _encode_all({"title": TITLE, "format_version": FORMAT_VERSION, "license": LICENSE})


def _digest(members: dict[str, str]) -> str:
    """Return the version of some records: a digest of their JSON file."""
    return hashlib.sha256(_object(members)).hexdigest()[:12]


def commit() -> str:
    """Return the commit the site is built from: DOSSIER_COMMIT, else git HEAD, else 'unknown'."""
    forced = os.environ.get("DOSSIER_COMMIT", "")
    if forced:  # lets golden tests and tarball builds pin it
        return forced if _COMMIT.match(forced) else "unknown"
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    head = done.stdout.strip()
    return head if done.returncode == 0 and len(head) == 40 else "unknown"


def date_fields(parsed: FuzzyDate | None) -> dict[str, object]:
    """Return a parsed date's start, end, precision and qualifiers, or {} when there is no date."""
    if parsed is None:
        return {}
    return {"date_start": parsed.start.isoformat(), "date_end": parsed.end.isoformat(),
            "date_precision": parsed.precision, "date_approximate": parsed.approximate,
            "date_uncertain": parsed.uncertain}


def page_url(kind: str, record_id: str) -> str:
    """Return a record page's path relative to the site root."""
    return f"{KIND[kind].folder}/{record_id}/"


def _dump(record) -> dict:
    """Dump a record as JSON-ready data; absent (unknown) fields are left out."""
    return record.model_dump(mode="json", exclude_none=True)


def event_json(dossier: Dossier, event: Event) -> dict:
    """Return one event as JSON data, with its parsed date and page path."""
    return (_dump(event) | date_fields(dossier.date(event)) | history.dates(dossier, "events", event.id)
            | {"url": page_url("events", event.id)})


def _records(dossier: Dossier) -> dict[str, list[dict]]:
    """Return the four record types as JSON data, in the order the pages list them."""
    return {
        "events": [event_json(dossier, e) for e in dossier.events.values()],
        "actors": [_dump(a) | history.dates(dossier, "actors", a.id) | {"url": page_url("actors", a.id)}
                   for a in dossier.actors.values()],
        "systems": [_dump(s) | history.dates(dossier, "systems", s.id) | {"url": page_url("systems", s.id)}
                    for s in dossier.systems.values()],
        "sources": [_dump(s) | _published(s.published) | history.dates(dossier, "sources", s.id)
                    | {"url": page_url("sources", s.id)} for s in dossier.sources.values()],
    }


def _published(text: str | None) -> dict:
    """Return a source's parsed publication date under published_* keys."""
    parsed = parse_date(text) if text else None
    return {k.replace("date_", "published_"): v for k, v in date_fields(parsed).items()}


def _cited(event: Event) -> set[str]:
    """Return the ids of every source an event cites, for itself or any of its claims."""
    source_ids = set(event.sources) | {s for r in event.actors for s in r.sources}
    for item in event.equipment:
        source_ids |= set(item.sources) | {s for i in item.identified_as for s in i.sources}
    return source_ids | {s for c in event.casualties for s in c.sources}


def event_twin(dossier: Dossier, event: Event, encoded: dict[str, dict[str, str]]) -> bytes:
    """Return an event's machine-readable twin: the event and every record it refers to."""
    actor_ids = {r.actor for r in event.actors} | {c.actor for c in event.casualties if c.actor}
    source_ids = _cited(event)
    records = {
        "event": encoded["events"][event.id],
        "actors": _array(encoded["actors"][a] for a in sorted(actor_ids)),
        "systems": _array(encoded["systems"][s] for s in sorted(s.id for s in dossier.event_systems(event))),
        "sources": _array(encoded["sources"][s] for s in sorted(source_ids)),
    }
    # The twin's version digests its own records, not the whole dataset's: with the dataset's,
    # one edit anywhere rewrote every twin (10,000 files at 10,000 events; see bench/README.md).
    return _object(_TWIN_META | {"version": encode_basestring(_digest(records))} | records)


def joined(values) -> str:
    """Join a list for one CSV cell with ';'."""
    return ";".join(str(v) for v in values)


def quantity_cells(q: Quantity | None) -> dict[str, object]:
    """Spread a quantity over the min, max, qualifier and as-reported columns."""
    if q is None:
        return {"quantity_qualifier": "unknown"}
    if q.exact is not None:
        cells = {"quantity_min": q.exact, "quantity_max": q.exact, "quantity_qualifier": "exact"}
    elif q.about is not None:
        cells = {"quantity_min": q.about, "quantity_max": q.about, "quantity_qualifier": "about"}
    elif q.max is not None:
        cells = {"quantity_min": q.min, "quantity_max": q.max, "quantity_qualifier": "range"}
    else:
        cells = {"quantity_min": q.min, "quantity_qualifier": "at least"}
    return cells | {"quantity_as_reported": q.as_reported}


def event_row(dossier: Dossier, e: Event) -> dict:
    """Return one events.csv row."""
    place = e.place
    return {"id": e.id, "date": e.date, **date_fields(dossier.date(e)), "kind": e.kind, "title": e.title,
            "summary": e.summary, "place": place and place.name, "country": place and place.country,
            "lat": place and place.lat, "lon": place and place.lon,
            "place_precision": place and place.precision, "route": joined(p.name for p in e.route),
            "actors": joined(f"{r.actor}:{r.role}" for r in e.actors), "sources": joined(e.sources),
            "confidence": e.confidence, **history.dates(dossier, "events", e.id), "url": page_url("events", e.id)}


def equipment_rows(dossier: Dossier) -> Iterator[dict]:
    """Yield one equipment.csv row per identification claim, or per unidentified item."""
    for e in dossier.events.values():
        for item_no, item in enumerate(e.equipment, 1):
            base = {"event": e.id, "item_no": item_no, "item": item.item}
            if not item.identified_as:
                yield base | {"claim_no": 0, "contested": False, **quantity_cells(item.quantity),
                              "sources": joined(item.sources)}
            for claim_no, ident in enumerate(item.identified_as, 1):
                yield base | {"claim_no": claim_no, "system": ident.system, "contested": item.contested,
                              **quantity_cells(item.figure(ident)), "sources": joined(ident.sources)}


def csv_tables(dossier: Dossier) -> dict[str, Iterator[dict]]:
    """Return the rows of every CSV file, by table name."""
    return {
        "events": (event_row(dossier, e) for e in dossier.events.values()),
        "equipment": equipment_rows(dossier),
        "actors": ({"id": a.id, "name": a.name, "aliases": joined(a.aliases), "kind": a.kind,
                    "country": a.country, "description": a.description,
                    "relations": joined(f"{r.type}:{r.actor}" for r in a.relations),
                    "wikidata": a.identifiers and a.identifiers.wikidata,
                    "imo": a.identifiers and a.identifiers.imo, **history.dates(dossier, "actors", a.id),
                    "url": page_url("actors", a.id)}
                   for a in dossier.actors.values()),
        "systems": ({"id": s.id, "name": s.name, "aliases": joined(s.aliases), "category": s.category,
                     "origin": s.origin, "variant_of": s.variant_of, "description": s.description,
                     **history.dates(dossier, "systems", s.id), "url": page_url("systems", s.id)}
                    for s in dossier.systems.values()),
        "sources": ({"id": s.id, "title": s.title, "publisher": s.publisher, "author": s.author,
                     "published": s.published, "kind": s.kind, "language": s.language, "link": s.url,
                     "archive_url": s.archive_url, "note": s.note, **history.dates(dossier, "sources", s.id),
                     "url": page_url("sources", s.id)}
                    for s in dossier.sources.values()),
        "translations": translations.table_rows(_as_dataset(dossier), list(dossier.translations.values())),
    }


def _as_dataset(dossier: Dossier) -> SimpleNamespace:
    """Present the dossier's records as a Dataset holds them, lists by kind (what translations.table_rows reads)."""
    return SimpleNamespace(**{kind.file: list(getattr(dossier, kind.file).values()) for kind in KINDS})


def _text_cell(value: object) -> object:
    """Format a text cell: unknown as empty, guarded against formulas."""
    if value is None or value == "":
        return ""
    # Line breaks become \n: the csv module quotes a cell for \n but not for a lone \r,
    # which readers would take as the end of the row.
    return csv_cell(str(value).replace("\r\n", "\n").replace("\r", "\n"))


def _boolean_cell(value: object) -> str:
    """Format a boolean cell as true or false, unknown as empty."""
    return "" if value is None or value == "" else "true" if value else "false"


def _number_cell(value: object) -> object:
    """Keep a number as it is (a negative longitude is data, not a formula), unknown as empty."""
    return "" if value is None or value == "" else value


_CELLS = {"boolean": _boolean_cell, "number": _number_cell, "integer": _number_cell}


def csv_bytes(columns: tuple[Column, ...], rows) -> bytes:
    """Write rows as UTF-8 CSV with a header and '\\n' line endings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.name for c in columns)
    cells = [(c.name, _CELLS.get(c.type, _text_cell)) for c in columns]
    writer.writerows([cell(row.get(name)) for name, cell in cells] for row in rows)
    return out.getvalue().encode()


def table_schema(name: str) -> dict:
    """Return the Table Schema of one CSV file, from COLUMNS."""
    fields = []
    for c in COLUMNS[name]:
        spec = {"name": c.name, "type": c.type, "description": c.help}
        if c.required:
            spec["constraints"] = {"required": True}
        fields.append(spec)
    keys = [{"fields": [f], "reference": {"resource": ref, "fields": ["id"]}}
            for table, f, ref in FOREIGN_KEYS if table == name]
    schema = {"fields": fields, "primaryKey": PRIMARY_KEYS[name], "missingValues": [""]}
    return schema | ({"foreignKeys": keys} if keys else {})


def datapackage(version: str) -> dict:
    """Return the Frictionless Data Package descriptor of the CSV files."""
    resources = [{"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
                  "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                  "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
                  "schema": table_schema(name)} for name in COLUMNS]
    return {"name": "sahel-arms-dossier", "title": TITLE, "profile": "tabular-data-package",
            "description": "Events, equipment claims, actors, systems and sources of an open, sourced "
                           "dossier on Russia's military footprint in Mali and the Sahel.",
            "version": version, "homepage": feed.site_url(), "licenses": [LICENSE],
            "contributors": [{"title": CREATOR, "role": "author"}], "resources": resources}


def _position(place) -> list[float] | None:
    """Return a place's [longitude, latitude] (RFC 7946 order), or None when unlocated."""
    return [place.lon, place.lat] if place is not None and place.located else None


def geojson(dossier: Dossier) -> dict:
    """Return located events as an RFC 7946 FeatureCollection.

    An event's place is a Point Feature; a route with two or more located places is a
    separate LineString Feature (id '<event>/route'), so tools that ignore
    GeometryCollection still draw both.
    """
    features = []
    for e in dossier.events.values():
        props = {"id": e.id, "title": e.title, "date": e.date, "kind": e.kind,
                 "url": page_url("events", e.id), "confidence": e.confidence}
        point = _position(e.place)
        if point:
            features.append({"type": "Feature", "id": e.id, "geometry": {"type": "Point", "coordinates": point},
                             "properties": props | {"place": e.place.name, "precision": e.place.precision}})
        line = [p for p in map(_position, e.route) if p]
        if len(line) >= 2:
            features.append({"type": "Feature", "id": f"{e.id}/route",
                             "geometry": {"type": "LineString", "coordinates": line},
                             "properties": props | {"place": joined(p.name for p in e.route if p.located)}})
    return {"type": "FeatureCollection", "features": features}


# A file's size in each unit (French writes octets: '812 o', '12,4 ko').
SIZES = (NP_("file size", "%(n)s B"), NP_("file size", "%(n)s kB"), NP_("file size", "%(n)s MB"))


def human_size(n: int, lang: str = i18n.SOURCE) -> str:
    """Render a byte count for readers in a language: '812 B', '12.4 kB', '3.1 MB'; '12,4 ko' in French."""
    if n < 1000:
        return i18n.translate(lang, SIZES[0], n=i18n.number(n, lang))
    unit, scale = (SIZES[1], 1000) if n < 1_000_000 else (SIZES[2], 1_000_000)
    return i18n.translate(lang, unit, n=i18n.decimal(n / scale, lang))


def _site_link() -> Markup | None:
    """Return the site's address for the citation, escaped as a Markdown URL, or None if it is not a safe one."""
    url = md_url(feed.site_url())
    return Markup(url) if url and url.isascii() and "]" not in url else None


# (path under docs/, format, what it holds) for the Downloads table, in reading order.
DOWNLOADS: tuple[tuple[str, str, str], ...] = (
    ("data/events.json", "JSON", N_("The whole dataset: events, actors, systems and sources, with version "
                                    "and commit; parsed dates beside the recorded ones.")),
    ("data/events.csv", "CSV", N_("One row per event.")),
    ("data/equipment.csv", "CSV", N_("One row per identification claim (an item nobody identified has one "
                                     "row with an empty system).")),
    ("data/actors.csv", "CSV", N_("One row per actor.")),
    ("data/systems.csv", "CSV", N_("One row per weapon system.")),
    ("data/sources.csv", "CSV", N_("One row per source.")),
    ("data/translations.csv", "CSV", N_("The French text of the records, one row per translated field: join it "
                                        "to the other tables on record_type and id.")),
    ("data/datapackage.json", "Frictionless Data Package", N_("Field types, primary and foreign keys of "
                                                              "the CSV files.")),
    ("data/events.geojson", "GeoJSON (RFC 7946)", N_("Located events as points; shipment routes as "
                                                     "separate line features.")),
    ("feed.xml", "Atom", N_("The latest events, newest first.")),
    ("changes.xml", "Atom", N_("The latest changes to the records (added, corrected, removed), newest first.")),
)


def _file_link(lang: str):
    """Return how a language's Downloads page links a file of the site: a Markdown link from the English page;
    from another edition's, whose MkDocs project holds only its own pages, an HTML link that MkDocs leaves alone."""
    up = "../" * (1 + i18n.edition(lang).count("/"))

    def link(path: str) -> Markup:
        """Link a file by its name."""
        name = path.split("/")[-1]
        return Markup(f"[{name}]({up}{path})" if lang == i18n.SOURCE else f'<a href="{up}{path}">{name}</a>')
    return link


def downloads_page(sizes: dict[str, int], version: str, sha: str, lang: str = i18n.SOURCE) -> bytes:
    """Render the Downloads page of a language (templates/downloads.md.j2): every file with its format, size
    (from `sizes`, path -> bytes) and licence (the files are the same for every language)."""
    twins = [p for p in sizes if p.startswith("data/events/")]
    schemas = sorted(p for p in sizes if p.startswith("data/schema/"))
    return mdpages.page(
        "downloads.md.j2", lang, version=version, sha=sha, licence=LICENSE, columns=COLUMNS, creator=CREATOR,
        title=TITLE, link=_file_link(lang),
        files=[(path, fmt, human_size(sizes[path], lang), what) for path, fmt, what in DOWNLOADS],
        schemas=[(p, human_size(sizes[p], lang), f"data/{p.split('/')[-1].split('.')[0]}.yaml")
                 for p in schemas],
        twins=len(twins), twins_size=human_size(sum(sizes[p] for p in twins), lang), site=_site_link())
