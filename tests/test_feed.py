"""The Atom feed: newest events first, absolute links to their pages, stable dates, hostile text inert."""

from __future__ import annotations

import shutil
from dataclasses import replace
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier import feed
from dossier.build import load_valid
from dossier.model import build_dossier
from test_export import HOSTILE_EVENT

VALID = Path(__file__).resolve().parent / "fixtures" / "valid"
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(data_dir: Path = VALID) -> ET.Element:
    """Build the feed of a data directory and parse it."""
    return ET.fromstring(feed.atom(build_dossier(load_valid(data_dir))))


@pytest.fixture
def hostile_dir(tmp_path) -> Path:
    """A copy of the valid fixture with one hostile event added."""
    for f in VALID.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    with open(tmp_path / "events.yaml", "a", encoding="utf-8") as fh:
        fh.write(HOSTILE_EVENT)
    return tmp_path


def test_newest_event_first_with_absolute_links_and_the_newest_event_date():
    root = _feed()
    assert root.findtext(f"{ATOM}updated") == "2025-01-17T00:00:00+00:00"  # never the build time
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert len(links) == 3
    assert links[0].endswith("/events/2025-01-17-convoy/") and links[0].startswith("http")
    assert links[-1].endswith("/events/2022-corps-created/")


def test_the_site_url_comes_from_the_environment_first(monkeypatch):
    monkeypatch.setenv(feed.SITE_URL_ENV, "https://dossier.example.org/sahel")
    entry = _feed().find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == "https://dossier.example.org/sahel/events/2025-01-17-convoy/"


def test_the_site_url_falls_back_to_mkdocs_yml(monkeypatch, tmp_path):
    monkeypatch.delenv(feed.SITE_URL_ENV, raising=False)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://example.org/d\n")
    monkeypatch.setattr(feed, "ROOT", tmp_path)
    assert feed.site_url() == "https://example.org/d/"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert feed.site_url() == feed.PREVIEW_URL


def test_hostile_text_stays_text(hostile_dir):
    entry = _feed(hostile_dir).find(f"{ATOM}entry")
    title = entry.findtext(f"{ATOM}title")
    assert title.startswith('=HYPERLINK("http://evil.example"') and "<script>" in title
    assert "\ufffe" not in entry.findtext(f"{ATOM}summary")  # XML cannot carry it; the feed still parses


def test_the_feed_is_capped(monkeypatch):
    monkeypatch.setattr(feed, "FEED_LIMIT", 2)
    assert len(_feed().findall(f"{ATOM}entry")) == 2


@pytest.fixture(scope="module")
def dossier():
    """The valid fixture's dossier, built once for the property test."""
    return build_dossier(load_valid(VALID))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1))
def test_any_title_and_summary_give_a_feed_that_parses(dossier, text):
    newest = list(dossier.events)[-1]
    event = dossier.events[newest].model_copy(update={"title": text, "summary": text})
    entry = ET.fromstring(feed.atom(replace(dossier, events={**dossier.events, newest: event}))).find(f"{ATOM}entry")
    expected = feed.xml_text(text)
    assert entry.findtext(f"{ATOM}title") == (expected if expected.strip() else newest)
