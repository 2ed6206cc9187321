"""The Dossier: validated records indexed both ways, with the aggregates the pages show.

Everything a template needs is computed here once, so rendering is a plain walk
over ready values and the counting rules live in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .dates import FuzzyDate, parse_date, sort_key
from .schema import KINDS, Actor, Equipment, Event, Identification, Kind, Quantity, Relation, Source, System
from .validate import Dataset

RELATED_LIMIT = 8
NEIGHBOURS = 3  # per shared actor or system, how many events either side in time count as related
# How each relation reads from the other end: Africa Corps "successor-of" Wagner,
# so Wagner's page says "succeeded by" Africa Corps.
INVERSE = {"part-of": "has part", "member-of": "has member", "successor-of": "succeeded by",
           "overseen-by": "oversees", "commands": "commanded by", "escorts": "escorted by",
           "operates": "operated by", "owns": "owned by", "flagged-in": "flag state of",
           "allied-with": "allied with", "affiliated-with": "affiliated with", "opposes": "opposed by"}
COUNTED_KINDS = ("delivery",)  # shipments and port calls of the same cargo are not counted again


@dataclass(frozen=True)
class Claim:
    """One sourced statement, for a source's page: what it supports and where."""

    kind: str  # event, identification, quantity, casualties, relation, role
    event: Event | None
    actor: Actor | None
    text: str


@dataclass(frozen=True)
class Delivery:
    """One line of a system's register: an event where an item is identified as the system."""

    event: Event
    item: Equipment
    identification: Identification
    quantity: Quantity | None
    contested: bool  # another identification competes for the same item
    counted: bool  # enters the firm total under the counting rules
    recipients: tuple[Actor, ...]


@dataclass(frozen=True)
class Total:
    """A system's reported total under the counting rules."""

    floor: int
    qualifier: str  # "exact", "about" or "at least"
    contested: int  # lower bounds of items whose identification is disputed, not in `floor`
    deliveries: int

    def label(self) -> str:
        """Render the total: '5', 'at least 105', 'about 6', 'unknown'."""
        if self.deliveries == 0:
            return "none counted"
        if self.floor == 0 and self.qualifier == "at least":
            return "unknown (no figure given)"
        return str(self.floor) if self.qualifier == "exact" else f"{self.qualifier} {self.floor}"


@dataclass
class Dossier:
    """The whole dataset with cross references both ways."""

    sources: dict[str, Source]
    actors: dict[str, Actor]
    systems: dict[str, System]
    events: dict[str, Event]  # in chronological order
    dates: dict[str, FuzzyDate]
    actor_events: dict[str, list[tuple[Event, str]]] = field(default_factory=dict)
    system_register: dict[str, list[Delivery]] = field(default_factory=dict)
    source_claims: dict[str, list[Claim]] = field(default_factory=dict)
    relations_in: dict[str, list[tuple[Actor, Relation]]] = field(default_factory=dict)
    variants: dict[str, list[System]] = field(default_factory=dict)
    related: dict[str, list[Event]] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, id) -> line in data/<kind>.yaml
    history: object = None  # history.History, when the build computed it from git (dossier/history.py)
    translations: dict = field(default_factory=dict)  # language -> translations.Translations, when the build read them

    def date(self, event: Event) -> FuzzyDate:
        """Return an event's parsed date."""
        return self.dates[event.id]

    def total(self, system_id: str) -> Total:
        """Sum a system's register under the counting rules (see docs/methodology.md)."""
        return count(self.system_register.get(system_id, []))

    def event_systems(self, event: Event) -> list[System]:
        """List the systems an event's items are identified as, without repeats."""
        seen = dict.fromkeys(i.system for item in event.equipment for i in item.identified_as)
        return [self.systems[s] for s in seen]

    def actor_systems(self, actor_id: str) -> dict[str, list[System]]:
        """List systems an actor supplied or received, by role."""
        out: dict[str, dict[str, System]] = defaultdict(dict)
        for event, role in self.actor_events.get(actor_id, []):
            if role in ("supplier", "recipient"):
                for system in self.event_systems(event):
                    out[role][system.id] = system
        return {role: list(systems.values()) for role, systems in sorted(out.items())}

    @property
    def span(self) -> tuple[FuzzyDate, FuzzyDate] | None:
        """Return the first and last event dates, or None with no events."""
        if not self.events:
            return None
        ordered = list(self.events)
        return self.dates[ordered[0]], self.dates[ordered[-1]]


def _qualifier(counted: list[Delivery]) -> str:
    """Qualify a sum of counted figures: any 'at least' (or no figure) makes it 'at least', else any 'about'."""
    quantities = [d.quantity for d in counted]
    if any(q is None or (q.exact is None and q.about is None) for q in quantities):
        return "at least"
    return "about" if any(q.exact is None for q in quantities) else "exact"


def count(register: list[Delivery]) -> Total:
    """Apply the counting rules: lower bounds add up; 'at least' stays 'at least'."""
    counted = [d for d in register if d.counted]
    floor = sum(d.quantity.floor for d in counted if d.quantity is not None)
    contested = sum(d.quantity.floor for d in register
                    if not d.counted and d.contested and d.event.kind in COUNTED_KINDS and d.quantity)
    return Total(floor, _qualifier(counted), contested, len(counted))


def _recipients(event: Event, actors: dict[str, Actor]) -> tuple[Actor, ...]:
    """List an event's recipients."""
    return tuple(actors[r.actor] for r in event.actors if r.role == "recipient")


def _index_item(d: Dossier, event: Event, item: Equipment, recipients: tuple[Actor, ...]) -> None:
    """Add one equipment item's readings to the systems' registers, and its claims to the sources'."""
    for s in item.sources:
        d.source_claims.setdefault(s, []).append(Claim("quantity", event, None, item.item))
    for ident in item.identified_as:
        counted = event.kind in COUNTED_KINDS and not item.contested
        d.system_register.setdefault(ident.system, []).append(
            Delivery(event, item, ident, item.figure(ident), item.contested, counted, recipients))
        for s in ident.sources:
            text = f"{item.item} identified as {d.systems[ident.system].name}"
            d.source_claims.setdefault(s, []).append(Claim("identification", event, None, text))


def _index_event(d: Dossier, event: Event) -> None:
    """Add one event's references to the indexes."""
    for role in event.actors:
        d.actor_events.setdefault(role.actor, []).append((event, role.role))
    for s in event.sources:
        d.source_claims.setdefault(s, []).append(Claim("event", event, None, event.title))
    recipients = _recipients(event, d.actors)
    for item in event.equipment:
        _index_item(d, event, item, recipients)
    for cas in event.casualties:
        for s in cas.sources:
            d.source_claims.setdefault(s, []).append(Claim("casualties", event, None, cas.group))
    for role in event.actors:
        for s in role.sources:
            text = f"{d.actors[role.actor].name} as {role.role}"
            d.source_claims.setdefault(s, []).append(Claim("role", event, None, text))


def _index_actor(d: Dossier, actor: Actor) -> None:
    """Add one actor's relations to the indexes, both ways."""
    for rel in actor.relations:
        d.relations_in.setdefault(rel.actor, []).append((actor, rel))
        for s in rel.sources:
            text = f"{actor.name} {rel.type.replace('-', ' ')} {d.actors[rel.actor].name}"
            d.source_claims.setdefault(s, []).append(Claim("relation", None, actor, text))


def _related(d: Dossier) -> None:
    """Find related events: near in time among events sharing an actor or system (bounded, linear)."""
    # Complexity C (radon): three short passes (group, score neighbours, rank) kept together, as
    # they share the positions; split, each would need them passed along.
    events, ids = list(d.events.values()), list(d.events)
    by_entity: dict[str, list[int]] = defaultdict(list)  # events by position, so in time order
    for at, event in enumerate(events):
        for key in {f"a:{r.actor}" for r in event.actors} | {f"s:{s.id}" for s in d.event_systems(event)}:
            by_entity[key].append(at)
    scores: list[dict[int, int]] = [{} for _ in events]
    for members in by_entity.values():
        for i, at in enumerate(members):
            found = scores[at]
            for other in members[max(0, i - NEIGHBOURS): i + NEIGHBOURS + 1]:
                if other != at:
                    found[other] = found.get(other, 0) + 1
    for at, found in enumerate(scores):
        if found:
            ranked = sorted((-n, abs(other - at), ids[other], other) for other, n in found.items())
            d.related[ids[at]] = [events[other] for *_, other in ranked[:RELATED_LIMIT]]


def _ordered(kind: Kind, records, dates: dict[str, FuzzyDate]) -> dict:
    """Key a kind's records by id, in the order the pages list them (the kind's `order`)."""
    keys = {"id": lambda r: r.id, "name": lambda r: r.name.casefold(),
            "date": lambda r: sort_key(dates[r.id], r.id)}  # the one order of dates (dates.sort_key)
    return {r.id: r for r in sorted(records, key=keys[kind.order])}


def build_dossier(dataset: Dataset) -> Dossier:
    """Index a validated dataset."""
    dates = {e.id: parse_date(e.date) for e in dataset.events}
    d = Dossier(**{kind.file: _ordered(kind, getattr(dataset, kind.file), dates) for kind in KINDS},
                dates=dates, lines=dict(dataset.lines))
    for event in d.events.values():
        _index_event(d, event)
    for actor in d.actors.values():
        _index_actor(d, actor)
    for system in d.systems.values():
        if system.variant_of:
            d.variants.setdefault(system.variant_of, []).append(system)
    _related(d)
    return d
