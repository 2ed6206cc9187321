"""Write a synthetic but plausible dataset of N events, deterministic for a given N.

    python bench/synth.py --events 1000 --out bench/out/1000/data

Proportions follow the real data's shape: about N/20 actors, N/30 systems and
N/5 sources; two or three equipment claims per event, some with competing
identifications; most events located over the Sahel and West Africa; routes on
shipments; casualties on attacks; dates over 2013-2025 with mixed precision.
Actors and systems are cited with a long tail (a few appear in thousands of
events, as Russia and the Malian army do), sources evenly (a report covers a
few events). Every record is used and described, so `build_pages.py check
--strict` passes. Only the vocabularies of dossier/schema.py are used.

YAML is written as plain lines (every string JSON-quoted, which YAML reads as a
double-quoted scalar): ten times faster than a YAML dumper at 10,000 events.
"""

from __future__ import annotations

import argparse
import calendar
import json
import logging
import random
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dossier import geo  # noqa: E402
from dossier.dates import parse_date, sort_key  # noqa: E402
from dossier.schema import (ACTOR_KINDS, CATEGORIES, CONFIDENCE, EVENT_KINDS,  # noqa: E402
                            RELATION_TYPES, SOURCE_KINDS)

log = logging.getLogger(__name__)

# Towns of the Sahel and West Africa: (name, country, lat, lon); events scatter around them.
TOWNS = (
    ("Bamako", "ML", 12.64, -8.00), ("Gao", "ML", 16.27, -0.04), ("Tombouctou", "ML", 16.77, -3.01),
    ("Kidal", "ML", 18.44, 1.41), ("Mopti", "ML", 14.49, -4.20), ("Ménaka", "ML", 15.92, 2.40),
    ("Ségou", "ML", 13.43, -6.26), ("Tessalit", "ML", 20.20, 1.01), ("Léré", "ML", 15.72, -4.91),
    ("Douentza", "ML", 15.00, -2.95), ("Kayes", "ML", 14.45, -11.44), ("Sikasso", "ML", 11.32, -5.67),
    ("Niamey", "NE", 13.51, 2.11), ("Tillabéri", "NE", 14.21, 1.45), ("Agadez", "NE", 16.97, 7.99),
    ("Diffa", "NE", 13.32, 12.61), ("Ouagadougou", "BF", 12.37, -1.52), ("Djibo", "BF", 14.10, -1.63),
    ("Dori", "BF", 14.03, -0.03), ("Kaya", "BF", 13.09, -1.08), ("N'Djamena", "TD", 12.13, 15.06),
    ("Nouakchott", "MR", 18.08, -15.98), ("Conakry", "GN", 9.54, -13.68), ("Dakar", "SN", 14.72, -17.47),
)
PORTS = (
    ("Baltiysk", "RU", 54.65, 19.90), ("Kaliningrad", "RU", 54.71, 20.51),
    ("Novorossiysk", "RU", 44.72, 37.77), ("Tartus", "SY", 34.89, 35.89),
    ("Conakry", "GN", 9.54, -13.68), ("Lomé", "TG", 6.13, 1.22), ("Dakar", "SN", 14.69, -17.44),
    ("Abidjan", "CI", 5.30, -4.01), ("Bamako", "ML", 12.64, -8.00),
)
KIND_WEIGHTS = {"delivery": 24, "shipment": 9, "port-call": 5, "deployment": 10, "withdrawal": 3,
                "attack": 26, "allegation": 8, "political": 7, "sanction": 3, "statement": 5}
# Which actor kinds usually fill each role; any actor may, when the pool is empty.
ROLE_KINDS = {
    "supplier": ("state", "company"), "recipient": ("armed-forces", "government-body"),
    "carrier": ("vessel", "company"), "operator": ("pmc", "armed-forces"),
    "attacker": ("armed-group", "pmc"), "target": ("armed-forces", "pmc"),
    "perpetrator": ("pmc", "armed-forces"), "victim": ("person", "ngo"),
    "announcer": ("government-body", "state"), "subject": ("pmc", "person", "company"),
    "documenter": ("research", "media", "ngo"), "participant": ACTOR_KINDS,
}
ROLES_OF_KIND = {
    "delivery": ("supplier", "recipient"), "shipment": ("supplier", "carrier", "recipient"),
    "port-call": ("carrier", "escort"), "deployment": ("operator", "participant"),
    "withdrawal": ("operator", "announcer"), "attack": ("attacker", "target"),
    "allegation": ("perpetrator", "victim", "documenter"), "political": ("announcer", "subject"),
    "sanction": ("announcer", "subject"), "statement": ("announcer", "subject"),
}
CODES = {"main-battle-tank": "T", "infantry-fighting-vehicle": "BMP", "armoured-personnel-carrier": "BTR",
         "armoured-vehicle": "BRDM", "mrap": "K", "attack-helicopter": "Mi", "transport-helicopter": "Mi",
         "combat-aircraft": "Su", "trainer-aircraft": "L", "transport-aircraft": "An", "drone": "Orlan",
         "air-defence-system": "Pantsir", "radar": "P", "boat": "BK", "warship": "PS"}
PUBLISHERS = ("Sahel Observer", "West Africa Wire", "Desert Monitor", "Niger River Post", "Open Conflict Lab",
              "Arms Trade Review", "Le Courrier du Fleuve", "Ship Watch Collective", "Regional Radio",
              "Human Security Desk", "Defence Weekly Digest", "Coastal Ports Bulletin")
FIRST = ("Amadou", "Fatoumata", "Ibrahim", "Aïssata", "Oleg", "Irina", "Moussa", "Claire", "Sergei", "Mariam")
LAST = ("Traoré", "Diallo", "Keïta", "Coulibaly", "Ivanov", "Sokolova", "Maïga", "Dupont", "Petrov", "Cissé")
WORDS = ("northern", "river", "desert", "liberty", "unity", "eastern", "frontier", "coastal", "central", "iron")
# Plural item words where adding an 's' to the category would read wrong.
ITEMS = {"mrap": "MRAPs", "towed-artillery": "towed artillery pieces", "self-propelled-artillery":
         "self-propelled guns", "rocket-artillery": "rocket launchers", "small-arms": "small arms",
         "other": "other items", "utility-vehicle": "utility vehicles"}
GROUPS = ("soldiers", "civilians", "militia members", "contractors", "fighters", "police officers")


def q(text: str) -> str:
    """Quote text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def slug(text: str) -> str:
    """Turn a name into a slug for ids."""
    table = str.maketrans("éèëïôç'", "eeeioc-")
    out = "".join(c if c.isalnum() else "-" for c in text.lower().translate(table))
    return "-".join(p for p in out.split("-") if p)


def _describe(kind: str) -> str:
    """Describe a synthetic actor in a sentence."""
    return f"A synthetic {kind.replace('-', ' ')} used to measure the build; it stands for no real actor."


def _ranked(items: Sequence) -> tuple[list, list[float]]:
    """Return items with cumulative Zipf weights, so the first ones are cited most."""
    cum, total = [], 0.0
    for rank in range(len(items)):
        total += 1.0 / (rank + 1)
        cum.append(total)
    return list(items), cum


def _pick_date(rng: random.Random) -> str:
    """Draw an event date: mostly days, some months, years, spans; some 'about' or uncertain."""
    year = rng.choices(range(2013, 2026), weights=(1, 1, 1, 1, 2, 2, 2, 3, 4, 6, 7, 8, 8))[0]
    month = rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    form = rng.random()
    if form < 0.08:  # a span of two or three months, ending by the end of 2025
        start = min(year * 12 + month - 1, 2025 * 12 + 9)
        end = start + rng.randint(1, 2)
        return f"{start // 12}-{start % 12 + 1:02d}/{end // 12}-{end % 12 + 1:02d}"
    text = f"{year}" if form < 0.15 else f"{year}-{month:02d}" if form < 0.35 else f"{year}-{month:02d}-{day:02d}"
    return text + rng.choices(("", "~", "?"), weights=(88, 7, 5))[0]


def _place(rng: random.Random, town: tuple, precision: str) -> str:
    """Render a located place near a town, scattered as events are around a town, inside its country."""
    name, country, lat, lon = town
    spread = 0.0 if precision == "town" else 0.6
    for _ in range(5):  # a town near a border scatters some points across it: the validator refuses those
        near = round(lat + rng.uniform(-spread, spread), 4), round(lon + rng.uniform(-spread, spread), 4)
        if geo.check_points([(country, *near)])[0] is None:
            lat, lon = near
            break
    label = name if precision == "town" else f"near {name}"
    return f"{{name: {q(label)}, country: {country}, lat: {lat}, lon: {lon}, precision: {precision}}}"


def _quantity(rng: random.Random) -> str | None:
    """Draw a quantity in one of the reported forms, or None when no figure is given."""
    n = rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 30))
    form = rng.random()
    if form < 0.40:
        return str(n)
    if form < 0.65:
        return f"{{min: {n}, as_reported: {q(f'at least {n}')}}}"
    if form < 0.80:
        return f"{{min: {n}, max: {n * 2}}}"
    return f"{{about: {n}}}" if form < 0.90 else None


class Synth:
    """Draw records from one seeded generator, making sure every record is used."""

    def __init__(self, n: int):
        """Plan the counts for N events and draw the actors, systems and sources."""
        # Complexity C (radon): one draw per field of the three record kinds, in a fixed order that
        # keeps the data deterministic; split, the order of the random draws would be harder to see.
        self.n = n
        self.rng = random.Random(n)
        self.actors = self._actors(max(8, n // 20))
        self.systems = self._systems(max(6, n // 30))
        self.sources = [f"{slug(PUBLISHERS[i % len(PUBLISHERS)])}-{i + 1}" for i in range(max(8, n // 5))]
        self.unused = {a["id"] for a in self.actors} | {s["id"] for s in self.systems} | set(self.sources)
        self.pools = {role: _ranked([a["id"] for a in self.actors if a["kind"] in kinds] or
                                    [a["id"] for a in self.actors]) for role, kinds in ROLE_KINDS.items()}
        self.pools["escort"] = self.pools["operator"]
        self.pools["systems"] = _ranked([s["id"] for s in self.systems])
        self.pools["sources"] = (list(self.sources), [])  # no weights: sources are cited evenly
        # Per pool, the ids not yet cited, taken first so that every record is used.
        self.pending = {name: list(reversed(pool[0])) for name, pool in self.pools.items()}
        self.category = {s["id"]: s["category"] for s in self.systems}

    def _actors(self, count: int) -> list[dict]:
        """Draw actors of every kind, the first few of each kind being the big ones."""
        out = []
        for i in range(count):
            kind = ACTOR_KINDS[i % len(ACTOR_KINDS)]
            name = f"{self.rng.choice(WORDS).title()} {kind.replace('-', ' ').title()} {i + 1}"
            out.append({"id": slug(name), "name": name, "kind": kind,
                        "country": self.rng.choice(("ML", "RU", "BF", "NE", "FR", "TD", "GN"))})
        return out

    def _systems(self, count: int) -> list[dict]:
        """Draw systems over every category; some are variants of an earlier one."""
        out = []
        for i in range(count):
            category = CATEGORIES[i % len(CATEGORIES)]
            name = f"{CODES.get(category, 'X')}-{10 + i}{self.rng.choice(('', 'M', 'B3', 'K'))}"
            system = {"id": slug(name), "name": name, "category": category,
                      "origin": self.rng.choice(("RU", "RU", "RU", "CN", "TR", "UA"))}
            if i >= len(CATEGORIES) and self.rng.random() < 0.3:
                system["variant_of"] = out[i - len(CATEGORIES)]["id"]  # same category, drawn earlier
            out.append(system)
        return out

    def take(self, pool_name: str, k: int = 1, avoid: Sequence[str] = ()) -> list[str]:
        """Take k distinct ids from a pool: unused ones first, then by weight (sources evenly)."""
        chosen: list[str] = []
        pending = self.pending[pool_name]
        while pending and len(chosen) < k:
            pick = pending.pop()
            if pick in self.unused and pick not in avoid:
                self.unused.discard(pick)
                chosen.append(pick)
        items, weights = self.pools[pool_name]
        for _ in range(8 * k):  # a few retries avoid repeats without looping forever
            if len(chosen) >= k:
                break
            pick = self.rng.choices(items, cum_weights=weights)[0] if weights else self.rng.choice(items)
            if pick not in chosen and pick not in avoid:
                self.unused.discard(pick)
                chosen.append(pick)
        return chosen

    def event(self, i: int) -> list[str]:
        """Render one event as YAML lines."""
        rng = self.rng
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        date = _pick_date(rng)
        town = rng.choice(TOWNS)
        sources = self.take("sources", k=rng.choices((1, 2, 3), weights=(45, 35, 20))[0])
        roles: list[tuple[str, str]] = []
        for role in ROLES_OF_KIND[kind]:
            roles += [(a, role) for a in self.take(role, avoid=[a for a, _ in roles])]
        names = {a["id"]: a["name"] for a in self.actors}
        first_actor, last_actor = names[roles[0][0]], names[roles[-1][0]]
        eid = f"{date[:7].replace('/', '-').rstrip('~?')}-{slug(town[0])}-{kind}-{i + 1}"
        title = self._title(kind, town[0], first_actor, last_actor)
        lines = [f"- id: {eid}", f"  date: {q(date)}", f"  kind: {kind}", f"  title: {q(title)}",
                 f"  summary: {q(self._summary(kind, town[0], first_actor, last_actor, sources))}"]
        lines += self._where(kind, town)
        lines.append("  actors:")
        lines += [f"    - {{actor: {a}, role: {r}}}" for a, r in roles]
        lines += self._equipment(sources)
        if kind == "attack":
            lines += self._casualties(sources, roles[-1][0])
        lines.append(f"  sources: [{', '.join(sources)}]")
        lines.append(f"  confidence: {rng.choices(CONFIDENCE, weights=(20, 50, 20, 10))[0]}")
        return lines

    def _title(self, kind: str, town: str, first: str, last: str) -> str:
        """Write a short factual headline for an event."""
        return {
            "delivery": f"{first} delivers equipment to {last} in {town}",
            "shipment": f"Cargo from {first} sails for {town}", "port-call": f"{first} calls at {town}",
            "deployment": f"{first} deploys near {town}", "withdrawal": f"{first} leaves {town}",
            "attack": f"Attack on {last} near {town}", "allegation": f"Abuses by {first} alleged near {town}",
            "political": f"{first} and {last} sign an agreement in {town}",
            "sanction": f"{first} sanctions {last}", "statement": f"{first} comments on {last}",
        }[kind]

    def _summary(self, kind: str, town: str, first: str, last: str, sources: list[str]) -> str:
        """Write two or three sentences of Markdown in the dossier's voice."""
        rng = self.rng
        parts = [f"{first} and {last} are named in reports of this {kind.replace('-', ' ')} event near {town}.",
                 f"The reports differ on the figures; *{len(sources)}* source(s) are cited below.",
                 rng.choice(("Local residents described **heavy vehicles** on the main road.",
                             "Officials neither confirmed nor denied the account.",
                             "Satellite imagery of the site was not available at the time.",
                             "The figures below are each source's own, as reported."))]
        if rng.random() < 0.05:
            parts.append("See the [original report](https://example.org/report) for context.")
        return " ".join(parts)

    def _where(self, kind: str, town: tuple) -> list[str]:
        """Render the place (most events located) and, for shipments, the route."""
        rng = self.rng
        lines = []
        if rng.random() < 0.88:
            precision = rng.choices(("town", "district", "region", "site", "exact"), weights=(50, 20, 15, 10, 5))[0]
            lines.append(f"  place: {_place(rng, town, precision)}")
        elif rng.random() < 0.5:
            lines.append(f"  place: {{name: {q(town[0])}, country: {town[1]}}}")
        if kind == "shipment" or (kind == "port-call" and rng.random() < 0.3):
            stops = rng.sample(PORTS[:4], rng.randint(1, 2)) + rng.sample(PORTS[4:], rng.randint(1, 2))
            lines.append("  route:")
            lines += [f"    - {_place(rng, port, 'town')}" for port in stops]
        return lines

    def _equipment(self, sources: list[str]) -> list[str]:
        """Render two or three equipment claims, some with competing identifications."""
        rng = self.rng
        lines = ["  equipment:"]
        for _ in range(rng.choice((2, 3))):
            competing = rng.random() < 0.15
            systems = self.take("systems", k=2 if competing else 1)
            category = self.category[systems[0]]
            lines.append(f"    - item: {q(ITEMS.get(category) or category.replace('-', ' ') + 's')}")
            quantity = _quantity(rng)
            if quantity:
                lines.append(f"      quantity: {quantity}")
            lines.append(f"      sources: [{', '.join(sources)}]")
            lines.append("      identified_as:")
            for system in systems:
                cited = rng.choice(sources)
                own = _quantity(rng) if competing and rng.random() < 0.3 else None
                extra = f", quantity: {own}" if own else ""
                lines.append(f"        - {{system: {system}, sources: [{cited}]{extra}}}")
        return lines

    def _casualties(self, sources: list[str], target: str) -> list[str]:
        """Render one or two casualty figures for an attack, per group and source."""
        rng = self.rng
        lines = ["  casualties:"]
        for group in rng.sample(GROUPS, rng.choice((1, 2))):
            killed = rng.choice(("3", "{min: 10}", "{min: 12, max: 40}", "{about: 20}"))
            wounded = f", wounded: {rng.randint(1, 30)}" if rng.random() < 0.5 else ""
            actor = f", actor: {target}" if group in ("soldiers", "contractors") else ""
            lines.append(f"    - {{group: {q(group)}{actor}, killed: {killed}{wounded}, "
                         f"sources: [{rng.choice(sources)}]}}")
        return lines

    def leftovers(self) -> list[str]:
        """Render an event citing whatever is still unused (only at very small N), or nothing."""
        # Complexity C (radon): one optional field per kind of record left unused.
        if not self.unused:
            return []
        sources = [s for s in self.sources if s in self.unused] or self.sources[:1]
        actors = [a["id"] for a in self.actors if a["id"] in self.unused] or [self.actors[0]["id"]]
        systems = [s["id"] for s in self.systems if s["id"] in self.unused]
        lines = ["- id: 2025-06-leftovers", '  date: "2025-06"', "  kind: statement",
                 '  title: "Statement naming the remaining actors"',
                 '  summary: "A statement that names every actor, system and source not cited elsewhere."',
                 "  actors:"]
        lines += [f"    - {{actor: {a}, role: participant}}" for a in actors]
        if systems:
            lines += ["  equipment:"] + [f'    - {{item: "items", sources: [{sources[0]}], identified_as: '
                                         f"[{{system: {s}, sources: [{sources[0]}]}}]}}" for s in systems]
        lines += [f"  sources: [{', '.join(sources)}]", "  confidence: alleged"]
        self.unused.clear()
        return lines

    def actor_lines(self) -> list[str]:
        """Render the actors, each described, some with aliases and sourced relations."""
        lines = []
        for i, actor in enumerate(self.actors):
            lines += [f"- id: {actor['id']}", f"  name: {q(actor['name'])}", f"  kind: {actor['kind']}",
                      f"  country: {actor['country']}",
                      f"  description: {q(_describe(actor['kind']))}"]
            if self.rng.random() < 0.3:
                lines.append(f"  aliases: [{q(actor['name'].upper())}]")
            if i and self.rng.random() < 0.3:
                other = self.actors[self.rng.randrange(i)]["id"]
                lines += ["  relations:", f"    - {{type: {self.rng.choice(RELATION_TYPES)}, actor: {other}, "
                                          f"sources: [{self.rng.choice(self.sources)}]}}"]
        return lines

    def system_lines(self) -> list[str]:
        """Render the systems, each described."""
        lines = []
        for system in self.systems:
            lines += [f"- id: {system['id']}", f"  name: {q(system['name'])}", f"  category: {system['category']}",
                      f"  origin: {system['origin']}",
                      f"  description: {q('A synthetic ' + system['category'].replace('-', ' ') + '.')}"]
            if "variant_of" in system:
                lines.append(f"  variant_of: {system['variant_of']}")
        return lines

    def source_lines(self) -> list[str]:
        """Render the sources with mixed metadata: some without author, date or address."""
        rng = self.rng
        lines = []
        for i, sid in enumerate(self.sources):
            publisher = PUBLISHERS[i % len(PUBLISHERS)]
            lines += [f"- id: {sid}", f"  title: {q(f'Report {i + 1} on arms and forces in the Sahel')}",
                      f"  publisher: {q(publisher)}", f"  kind: {rng.choice(SOURCE_KINDS)}",
                      f"  language: {rng.choice(('en', 'en', 'fr', 'ru'))}"]
            if rng.random() < 0.6:
                lines.append(f"  author: {q(f'{rng.choice(FIRST)} {rng.choice(LAST)}')}")
            if rng.random() < 0.8:
                lines.append(f"  published: {q(f'{rng.randint(2013, 2025)}-{rng.randint(1, 12):02d}')}")
            if rng.random() < 0.7:
                lines.append(f"  url: {q(f'https://{slug(publisher)}.example.org/articles/{i + 1}')}")
        return lines


def generate(n: int) -> dict[str, str]:
    """Return the four data files' text for N events."""
    synth = Synth(n)
    drawn = [synth.event(i) for i in range(n - 1)]
    drawn.append(synth.leftovers() or synth.event(n - 1))  # the last event cites anything still unused
    events = [line for lines in sorted(drawn, key=_when) for line in lines]  # oldest first, as data files are
    header = "# Synthetic data written by bench/synth.py: it describes nothing real.\n"
    files = {"events": events, "actors": synth.actor_lines(), "systems": synth.system_lines(),
             "sources": synth.source_lines()}
    return {name: header + "\n".join(lines) + "\n" for name, lines in files.items()}


def _when(lines: list[str]) -> tuple:
    """Return an event's place in the data file's order, from its first two lines ('- id:' and 'date:')."""
    return sort_key(parse_date(json.loads(lines[1].split(": ", 1)[1])), lines[0].split(": ", 1)[1])


def write_dataset(n: int, out: Path) -> dict[str, int]:
    """Write the synthetic dataset for N events into `out`; return the record count per file."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, text in generate(n).items():
        (out / f"{name}.yaml").write_text(text, encoding="utf-8")
        counts[name] = text.count("\n- id: ")
    log.info("synthetic dataset in %s: %s", out, counts)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and write the dataset."""
    p = argparse.ArgumentParser(prog="bench/synth.py", description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, required=True, help="how many events (N >= 1)")
    p.add_argument("--out", type=Path, required=True, help="the data folder to write")
    args = p.parse_args(argv)
    if args.events < 1:
        p.error("--events must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_dataset(args.events, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
