"""The Atom feed of the latest events, built with feedgen so every value is escaped by the library.

Feeds need absolute URLs. The site's address is defined once, as `site_url` in
mkdocs.yml, and read here by site_url(); the DOSSIER_SITE_URL environment variable
overrides it (a deployment under another address), and without either the feed
points at the local preview address.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from feedgen.feed import FeedGenerator

from .model import Dossier
from .schema import Event

ROOT = Path(__file__).resolve().parent.parent
SITE_URL_ENV = "DOSSIER_SITE_URL"
PREVIEW_URL = "http://127.0.0.1:8000/"
FEED_LIMIT = 50
_SITE_URL_LINE = re.compile(r"^site_url:\s*['\"]?(https?://[^'\"\s#]+)", re.MULTILINE)
# Characters XML 1.0 cannot carry at all; the validator lets some through (e.g. U+FFFE written
# as an escape in a quoted YAML string), and lxml would refuse the whole feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def site_url() -> str:
    """Return the site's absolute base URL, ending with '/'."""
    url = os.environ.get(SITE_URL_ENV, "").strip()
    if not url:
        config = ROOT / "mkdocs.yml"
        found = _SITE_URL_LINE.search(config.read_text(encoding="utf-8")) if config.is_file() else None
        url = found.group(1) if found else PREVIEW_URL
    return url if url.endswith("/") else url + "/"


def xml_text(value: str) -> str:
    """Drop characters that XML 1.0 cannot represent, even escaped."""
    return _NOT_XML.sub("", value)


def _moment(day: dt.date) -> dt.datetime:
    """Return midnight UTC of a day: entries are dated by the event, never by the build."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def feed_updated(dossier: Dossier) -> dt.datetime:
    """Return the feed's date: the newest event's start, else SOURCE_DATE_EPOCH, else the epoch."""
    if dossier.events:
        return max(_moment(d.start) for d in dossier.dates.values())
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "0")
    return dt.datetime.fromtimestamp(int(epoch) if epoch.isdigit() else 0, dt.timezone.utc)


def latest(dossier: Dossier, limit: int) -> list[Event]:
    """Return the newest events first: the dossier's order (dates.sort_key), reversed."""
    return list(reversed(list(dossier.events.values())))[:limit]


def _add_entry(fg: FeedGenerator, dossier: Dossier, event: Event, base: str) -> None:
    """Add one event as an Atom entry linking to its page."""
    url = f"{base}events/{event.id}/"
    entry = fg.add_entry(order="append")
    entry.id(url)
    title = xml_text(event.title)
    entry.title(title if title.strip() else event.id)  # Atom needs a title; XML may have dropped it all
    entry.link(href=url, rel="alternate", type="text/html")
    entry.updated(_moment(dossier.date(event).start))
    entry.category(term=event.kind)
    text = f"{dossier.date(event).label()}. {event.summary or ''}".strip()
    entry.summary(xml_text(text), type="text")


def atom(dossier: Dossier) -> bytes:
    """Return the Atom feed of the latest events as UTF-8 XML bytes."""
    base = site_url()
    fg = FeedGenerator()
    fg.id(base)
    fg.title("Sahel Arms Dossier: latest events")
    fg.subtitle("Sourced events of Russia's military footprint in Mali and the Sahel.")
    fg.author({"name": "Sahel Arms Dossier contributors"})
    fg.link(href=base, rel="alternate", type="text/html")
    fg.link(href=f"{base}feed.xml", rel="self", type="application/atom+xml")
    fg.language("en")
    fg.rights("Data: CC BY 4.0")
    fg.updated(feed_updated(dossier))
    for event in latest(dossier, FEED_LIMIT):
        _add_entry(fg, dossier, event, base)
    return fg.atom_str(pretty=True, encoding="UTF-8")


def _change_line(change) -> str:
    """Describe one record's change in a line of text, as the "what changed" page does."""
    details = f": {'; '.join(change.details)}" if change.details else ""
    return f"{change.action.capitalize()} {change.noun} “{change.label}”{details}"


def _add_change(fg: FeedGenerator, entry, base: str) -> None:
    """Add one commit's changes as an Atom entry linking to the "what changed" page."""
    from .history import LISTED

    url = f"{base}changes/#commit-{entry.commit.short}"
    item = fg.add_entry(order="append")
    item.id(url)
    counts = [f"{len(entry.of(a))} {a}" for a in ("added", "changed", "removed") if entry.of(a)]
    item.title(f"{entry.commit.label}: records {', '.join(counts)}")
    item.link(href=url, rel="alternate", type="text/html")
    item.updated(dt.datetime.fromtimestamp(entry.commit.when, dt.timezone.utc))
    lines = [_change_line(c) for a in ("added", "changed", "removed") for c in entry.of(a)[:LISTED]]
    more = len(entry.changes) - len(lines)
    text = [entry.commit.subject, *lines] + ([f"… and {more} more"] if more else [])
    item.summary(xml_text("\n".join(text)), type="text")


def changes_atom(dossier: Dossier) -> bytes:
    """Return the Atom feed of the changes to the records, newest commit first, as UTF-8 XML bytes."""
    from .history import FEED_COMMITS, of

    history, base = of(dossier), site_url()
    fg = FeedGenerator()
    fg.id(f"{base}changes/")
    fg.title("Sahel Arms Dossier: what changed")
    fg.subtitle("Records added, corrected and removed, commit by commit.")
    fg.author({"name": "Sahel Arms Dossier contributors"})
    fg.link(href=f"{base}changes/", rel="alternate", type="text/html")
    fg.link(href=f"{base}changes.xml", rel="self", type="application/atom+xml")
    fg.language("en")
    fg.rights("Data: CC BY 4.0")
    entries = history.entries[:FEED_COMMITS]
    newest = entries[0].commit.when if entries else None
    fg.updated(dt.datetime.fromtimestamp(newest, dt.timezone.utc) if newest is not None else feed_updated(dossier))
    for entry in entries:
        _add_change(fg, entry, base)
    return fg.atom_str(pretty=True, encoding="UTF-8")
