"""The data model: every field declared once, with its help text beside it.

The JSON Schemas for editors and the field reference page are generated from
these declarations, so the help a contributor reads is the rule the validator
applies.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import os
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      WithJsonSchema, model_validator)
from pydantic_core import PydanticCustomError

from .dates import DateSyntaxError, parse_date
from .errors import shown
from .i18n import N_

log = logging.getLogger(__name__)
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Checked with fullmatch: a bare `$` would also accept a value ending in a newline.
SLUG_RE = _SLUG = re.compile(SLUG)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$", re.IGNORECASE)
WIKIDATA = r"^Q[1-9][0-9]*$"
IMO = r"^[0-9]{7}$"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?[~?%]?(/\d{4}(-\d{2}(-\d{2})?)?[~?%]?)?$"

EVENT_KINDS = ("delivery", "shipment", "port-call", "deployment", "withdrawal", "attack",
               "allegation", "political", "sanction", "statement")
ROLES = ("supplier", "recipient", "operator", "carrier", "escort", "attacker", "target",
         "perpetrator", "victim", "announcer", "subject", "commander", "participant", "documenter")
CONFIDENCE = ("confirmed", "reported", "alleged", "disputed")
PRECISIONS = ("exact", "site", "town", "district", "region", "country")
ACTOR_KINDS = ("state", "armed-forces", "government-body", "pmc", "armed-group", "intergovernmental",
               "company", "media", "research", "ngo", "person", "vessel")
RELATION_TYPES = ("part-of", "member-of", "successor-of", "overseen-by", "commands", "escorts",
                  "operates", "owns", "flagged-in", "allied-with", "affiliated-with", "opposes")
CATEGORIES = ("main-battle-tank", "infantry-fighting-vehicle", "armoured-personnel-carrier",
              "armoured-vehicle", "mrap", "armoured-ambulance", "utility-vehicle", "truck",
              "towed-artillery", "self-propelled-artillery", "rocket-artillery", "anti-aircraft-gun",
              "air-defence-system", "radar", "attack-helicopter", "transport-helicopter",
              "combat-aircraft", "trainer-aircraft", "transport-aircraft", "drone", "boat", "warship",
              "small-arms", "other")
SOURCE_KINDS = ("news", "analysis", "report", "official", "social-media", "video", "aggregator", "other")


def today() -> dt.date:
    """Return the date that 'the future' starts after (DOSSIER_TODAY overrides it for tests)."""
    forced = os.environ.get("DOSSIER_TODAY")
    return _forced_today(forced) if forced else dt.date.today()


@functools.lru_cache(maxsize=8)  # read once per value, so a bad one is logged once, not per date
def _forced_today(text: str) -> dt.date:
    """Parse DOSSIER_TODAY; a mistyped value falls back to the real date instead of failing every date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        log.warning("DOSSIER_TODAY=%r is not a date (YYYY-MM-DD); using today's date", text)
        return dt.date.today()


def _fail(code: str, message: str) -> PydanticCustomError:
    """Build a validation error that carries one of the dossier's stable codes."""
    return PydanticCustomError(code, message)


def _slug(value: str) -> str:
    """Accept a slug: lower-case letters and digits joined by single hyphens."""
    if not _SLUG.fullmatch(value):
        hint = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:60] or "my-record"
        raise _fail("bad-id", f"'{shown(value)}' is not a slug; use lower-case letters, digits and "
                              f"single hyphens, for example '{hint}'")
    return value


def _text(value: str) -> str:
    """Accept non-blank text without control characters."""
    if not value.strip():
        raise _fail("bad-text", "text is empty; write something or remove the field")
    if _CONTROL.search(value):
        raise _fail("bad-text", "text contains a control character; delete it")
    return value


def _matching(pattern: re.Pattern, code: str, fix: str):
    """Build a check that a whole value matches a pattern, failing with `code` and a fix-it hint."""
    def check(value: str) -> str:
        """Accept a value that matches the pattern from start to end."""
        if not pattern.fullmatch(value):
            raise _fail(code, f"'{shown(value)}' {fix}")
        return value
    return check


_country = _matching(_COUNTRY, "bad-country", "is not a country code; use two upper-case letters "
                                              "(ISO 3166-1 alpha-2), for example ML, RU or FR")
# Only absolute http(s) URLs: no javascript:, data: or relative links.
_url = _matching(_URL, "bad-url", "is not an http(s) URL; give the full address starting with https:// "
                                  "or remove the field")


def _date(value: str) -> str:
    """Accept a date or span that is on the calendar, ordered and not in the future."""
    try:
        parsed = parse_date(value)
    except DateSyntaxError as exc:
        raise _fail("bad-date", f"{exc}; write YYYY, YYYY-MM or YYYY-MM-DD, with ~ for 'about', "
                                "? for 'uncertain', and START/END for a span") from None
    if parsed.last and parsed.last.end < parsed.first.start:
        raise _fail("span-order", f"span '{value}' ends before it starts; swap the two dates")
    if (parsed.last or parsed.first).start > today():  # a span may not end in the future either
        raise _fail("future-date", f"'{value}' is in the future; check the year")
    return value


def _identifier(pattern: str, example: str):
    """Build a check that an external identifier matches its registry's pattern."""
    return _matching(re.compile(pattern), "bad-identifier", f"is not in the form {example}; "
                                                            "copy it from the registry or remove it")


def _year_as_text(value: object) -> object:
    """Let an unquoted year (YAML reads `2025` as a number) stand for the text '2025'."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _coordinate(limit: float):
    """Build a check that a latitude or longitude is a finite number within ±limit."""
    def check(value: float) -> float:
        """Accept a finite number within the range."""
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise _fail("bad-coordinate", f"{value} is outside -{limit:g}..{limit:g}; "
                                          "latitude comes first, in decimal degrees")
        return value
    return check


Slug = Annotated[str, AfterValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG})]
Text = Annotated[str, AfterValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
Country = Annotated[str, AfterValidator(_country), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]
Url = Annotated[str, AfterValidator(_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})]
DateText = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_date),
                     WithJsonSchema({"type": ["string", "integer"], "pattern": DATE_PATTERN})]
Latitude = Annotated[float, AfterValidator(_coordinate(90)),
                     WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})]
Longitude = Annotated[float, AfterValidator(_coordinate(180)),
                      WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})]
SourceRefs = Annotated[list[Slug], Field(min_length=1)]


class Record(BaseModel):
    """Base for every mapping in the data: strict types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Quantity(Record):
    """A count as reported: exact, at least, a range or about; omit the field when unknown."""

    exact: int | None = Field(None, description=N_("The exact number, when the source gives one."))
    min: int | None = Field(None, description=N_("Lower bound: 'at least', 'over', 'dozens'."))
    max: int | None = Field(None, description=N_("Upper bound, with min for a range."))
    about: int | None = Field(None, description=N_("An approximate number: 'about', 'half a dozen'."))
    as_reported: Text | None = Field(None, description=N_("The source's own wording, e.g. 'over 100'."))

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, value: object) -> object:
        """Let a bare whole number stand for an exact quantity."""
        if isinstance(value, int) and not isinstance(value, bool):
            return {"exact": value}
        return value

    @model_validator(mode="after")
    def _check(self) -> Quantity:
        """Require one form, no negative numbers and min not above max."""
        # Complexity C (radon): one test per rule of the form, each with its own fix-it message.
        numbers = [n for n in (self.exact, self.min, self.max, self.about) if n is not None]
        if any(n < 0 for n in numbers):
            raise _fail("bad-quantity", "a quantity cannot be negative; give 0 or more")
        if self.exact is not None and len(numbers) > 1 or self.about is not None and len(numbers) > 1:
            raise _fail("bad-quantity", "use one form: a number, {min}, {min, max} or {about}")
        if not numbers:
            raise _fail("bad-quantity", "the quantity has no number; omit 'quantity' when it is unknown")
        if self.max is not None and self.min is None:
            raise _fail("bad-quantity", "a range needs 'min' with 'max'; use min: 0 if no lower bound")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise _fail("bad-quantity", f"min {self.min} is above max {self.max}; swap them")
        return self

    @property
    def floor(self) -> int:
        """Return the most conservative lower bound (the counting rules' figure)."""
        return next(n for n in (self.exact, self.min, self.about) if n is not None)

    def label(self) -> str:
        """Render the quantity for readers: '5', 'at least 5', '4–6', 'about 6'."""
        if self.exact is not None:
            return str(self.exact)
        if self.about is not None:
            return f"about {self.about}"
        if self.max is not None:
            return f"{self.min}–{self.max}"
        return f"at least {self.min}"


QuantityField = Annotated[Quantity, WithJsonSchema({
    "description": "A whole number, or {min}, {min, max}, {about} with optional as_reported.",
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "object", "additionalProperties": False,
              "properties": {k: {"type": "integer", "minimum": 0} for k in ("exact", "min", "max", "about")}
              | {"as_reported": {"type": "string"}}}]})]


class Place(Record):
    """A named place with optional coordinates and how precise they are."""

    name: Text = Field(description=N_("The place as a reader knows it, e.g. 'Bamako'."))
    country: Country | None = Field(
        None, description=N_("ISO 3166-1 alpha-2 code, e.g. ML; omit if unknown."))
    lat: Latitude | None = Field(
        None, description=N_("Latitude in decimal degrees (WGS 84); omit if unknown."))
    lon: Longitude | None = Field(
        None, description=N_("Longitude in decimal degrees (WGS 84); omit if unknown."))
    precision: Literal[PRECISIONS] | None = Field(
        None, description=N_("What the coordinates stand for: a town's centre is 'town', never 'exact'."))
    note: Text | None = Field(None, description=N_("Where the coordinates come from, or why there are none."))

    @model_validator(mode="after")
    def _complete(self) -> Place:
        """Require latitude, longitude and precision together or not at all."""
        given = [v is not None for v in (self.lat, self.lon, self.precision)]
        if any(given) and not all(given):
            raise _fail("bad-coordinate", "give lat, lon and precision together, or none of them "
                                          "when the location is unknown")
        return self

    @property
    def located(self) -> bool:
        """Say whether the place has coordinates."""
        return self.lat is not None


class ActorRole(Record):
    """An actor's part in an event."""

    actor: Slug = Field(description=N_("The id of an actor in actors.yaml."))
    role: Literal[ROLES] = Field(description=N_("What the actor did in the event."))
    sources: list[Slug] = Field(
        [], description=N_("Sources for this role, when not all the event's sources state it."))
    note: Text | None = Field(None, description=N_("How the sources qualify the role, e.g. 'appears to'."))


class Identification(Record):
    """One reading of what an item is, with the sources that give it."""

    system: Slug = Field(description=N_("The id of a system in systems.yaml."))
    sources: SourceRefs = Field(description=N_("The sources that identify the item as this system."))
    quantity: QuantityField | None = Field(
        None, description=N_("A count this source gives for this reading."))
    note: Text | None = Field(None, description=N_("Anything a reader needs to weigh this reading."))


class Equipment(Record):
    """A group of physical things seen or reported in an event."""

    item: Text = Field(description=N_("The item in plain words, as reported: 'main battle tanks'."))
    quantity: QuantityField | None = Field(None, description=N_("How many; omit when no figure is given."))
    sources: SourceRefs = Field(description=N_("The sources for the item and its quantity."))
    identified_as: list[Identification] = Field(
        [], description=N_("Competing identifications, side by side, each with its sources."))
    note: Text | None = Field(None, description=N_("Anything a reader needs to weigh the item."))

    @property
    def contested(self) -> bool:
        """Say whether the sources identify the item as more than one system: then no reading is counted."""
        return len({i.system for i in self.identified_as}) > 1

    def figure(self, ident: Identification) -> Quantity | None:
        """Return the figure for one reading: its own count if its source gives one, else the item's."""
        return ident.quantity or self.quantity


class Casualties(Record):
    """Reported casualties of one group in an attack, per source."""

    group: Text = Field(description=N_("Who: 'Malian soldiers', 'civilians'."))
    actor: Slug | None = Field(None, description=N_("The id of the actor the group belongs to, if any."))
    killed: QuantityField | None = Field(None, description=N_("Killed, as reported; omit if not stated."))
    wounded: QuantityField | None = Field(None, description=N_("Wounded, as reported; omit if not stated."))
    captured: QuantityField | None = Field(None, description=N_("Captured or missing, as reported."))
    sources: SourceRefs = Field(description=N_("The sources that give these figures."))
    note: Text | None = Field(None, description=N_("Who disputes the figure, or other context."))


class Event(Record):
    """Something that happened on a date: a delivery, a shipment, an attack, a decision."""

    id: Slug = Field(
        description=N_("Stable slug, e.g. '2025-01-17-bamako-convoy'; never change it once published."))
    date: DateText = Field(
        description=N_("YYYY, YYYY-MM or YYYY-MM-DD; ~ about, ? uncertain, % both; START/END span."))
    kind: Literal[EVENT_KINDS] = Field(description=N_("What sort of event this is."))
    title: Text = Field(description=N_("A short factual headline in our own words."))
    summary: Text | None = Field(None, description=N_("What happened, in our own words (Markdown, no HTML)."))
    place: Place | None = Field(None, description=N_("Where it happened; omit when unknown."))
    route: list[Place] = Field(
        [], description=N_("For shipments: the places in order, port of loading first."))
    actors: list[ActorRole] = Field([], description=N_("Who took part, each with a role."))
    equipment: list[Equipment] = Field([], description=N_("What was delivered, seen or used."))
    casualties: list[Casualties] = Field(
        [], description=N_("For attacks: casualty figures per group and source."))
    sources: SourceRefs = Field(description=N_("Every source for the event; at least one."))
    confidence: Literal[CONFIDENCE] = Field(
        description=N_("How well established the event is (see methodology)."))


class Relation(Record):
    """A sourced link from one actor to another."""

    type: Literal[RELATION_TYPES] = Field(description=N_("How this actor relates to the other."))
    actor: Slug = Field(description=N_("The id of the other actor."))
    sources: SourceRefs = Field(description=N_("The sources that state the relation."))
    note: Text | None = Field(None, description=N_("Context, such as dates or qualifications."))


class Identifiers(Record):
    """External identifiers, only where known for certain: never guessed."""

    wikidata: Annotated[str, AfterValidator(_identifier(WIKIDATA, "Q1234")),
                        WithJsonSchema({"type": "string", "pattern": WIKIDATA})] | None = Field(
        None, description=N_("Wikidata item id, e.g. Q1234."))
    imo: Annotated[str, AfterValidator(_identifier(IMO, "1234567 (seven digits)")),
                   WithJsonSchema({"type": "string", "pattern": IMO})] | None = Field(
        None, description=N_("IMO ship number, seven digits, for vessels."))


class Actor(Record):
    """A state, force, group, company, person or vessel that the sources name."""

    id: Slug = Field(description=N_("Stable slug, e.g. 'africa-corps'."))
    name: Text = Field(description=N_("The usual name in English."))
    aliases: list[Text] = Field([], description=N_("Other names and spellings."))
    kind: Literal[ACTOR_KINDS] = Field(description=N_("What sort of actor this is."))
    country: Country | None = Field(None, description=N_("ISO 3166-1 alpha-2 code; omit if unknown."))
    description: Text | None = Field(
        None, description=N_("Who they are, in our own words (Markdown, no HTML)."))
    relations: list[Relation] = Field([], description=N_("Sourced links to other actors."))
    identifiers: Identifiers | None = Field(None, description=N_("Wikidata or IMO ids, only when certain."))


class System(Record):
    """A weapon system, vehicle, aircraft, radar or boat type."""

    id: Slug = Field(description=N_("Stable slug, e.g. 't-72b3m'."))
    name: Text = Field(description=N_("The designation, e.g. 'T-72B3M'."))
    aliases: list[Text] = Field([], description=N_("Other designations and spellings."))
    category: Literal[CATEGORIES] = Field(description=N_("What sort of system this is."))
    origin: Country | None = Field(None, description=N_("Country of origin (ISO alpha-2); omit if unknown."))
    variant_of: Slug | None = Field(None, description=N_("The id of the parent system this is a variant of."))
    description: Text | None = Field(
        None, description=N_("What it is, in our own words (Markdown, no HTML)."))


class Source(Record):
    """A publication that the dossier cites."""

    id: Slug = Field(description=N_("Stable slug, e.g. 'lbnn-2025-01-26'."))
    title: Text = Field(description=N_("The title as published."))
    publisher: Text | None = Field(None, description=N_("Who published it; omit if the source does not say."))
    author: Text | None = Field(None, description=N_("Author(s) as credited; omit if uncredited."))
    published: DateText | None = Field(None, description=N_("Publication date; omit if unknown."))
    kind: Literal[SOURCE_KINDS] = Field(description=N_("What sort of publication it is."))
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] = Field(
        description=N_("ISO 639-1 code, e.g. 'en'."))
    url: Url | None = Field(None, description=N_("The http(s) address, only when known; never guessed."))
    archive_url: Url | None = Field(
        None, description=N_("An archived copy's http(s) address, when one exists."))
    note: Text | None = Field(None, description=N_("What a reader should know about this source."))


@dataclass(frozen=True)
class Kind:
    """One kind of record, declared once: its data file, its name, its model, its pages, its order."""

    file: str  # data/<file>.yaml, the Dossier's attribute, the key of its exports
    singular: str  # how messages and problem codes name one record: "event 'x'", unused-source
    model: type[Record]
    folder: str  # its pages are <folder>/<id>/, its maps under assets/generated/maps/<folder>/
    label: str  # the field that names a record in links and titles: "title" or "name"
    order: str  # what the pages list records by: "date", "name" (case-folded) or "id"

    def name_of(self, record: Record) -> str:
        """Return what names a record in links and titles."""
        return getattr(record, self.label)


# In load order: the kinds that are cited before the kinds that cite them.
KINDS: tuple[Kind, ...] = (
    Kind("sources", "source", Source, "sources", "title", "id"),
    Kind("actors", "actor", Actor, "actors", "name", "name"),
    Kind("systems", "system", System, "systems", "name", "name"),
    Kind("events", "event", Event, "events", "title", "date"),
)
KIND: dict[str, Kind] = {kind.file: kind for kind in KINDS}
