"""The render stage: what a reader sees on each page type, escaping by default, and the generate hook."""

from __future__ import annotations

import importlib.util
import logging
import re
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, TODAY, VALID
from dossier import charts, maps, render
from dossier.build import build, load_valid
from dossier.errors import DataError
from dossier.jsonschema import field_reference
from dossier.model import build_dossier


@pytest.fixture
def dossier(monkeypatch):
    """Index the valid fixture with 'today' pinned."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    return build_dossier(load_valid(VALID))


@pytest.fixture
def pages(dossier) -> dict[str, str]:
    """Render the valid fixture's pages as text."""
    return {path: data.decode() for path, data in render.outputs(dossier).items()}


def test_every_record_has_a_page_and_every_index_links_it(dossier, pages):
    """Each event, actor, system and source has a page, linked from its index."""
    for kind in ("events", "actors", "systems", "sources"):
        index = pages[f"{kind}/index.md"]
        for record_id in getattr(dossier, kind):
            assert f"{kind}/{record_id}.md" in pages
            assert f"({record_id}.md)" in index or f"(../{kind}/{record_id}.md)" in index


def test_event_page_shows_disagreement_sources_and_confidence(pages):
    """Competing identifications are flagged, each with its sources; confidence links its definition."""
    page = pages["events/2025-01-17-convoy.md"]
    assert page.count('!!! warning "Sources disagree"') == 1  # the IFVs, not the tanks
    assert "[BMP-3](../systems/bmp-3.md)" in page and "[BMD-2](../systems/bmd-2.md)" in page
    assert "[reported](../methodology.md#reported)" in page
    assert "at least 5 (“at least five”)" in page
    assert 'href="../../data/events/2025-01-17-convoy.json"' in page
    assert "[Convoy seen in the capital](../sources/report-a.md) · Example News · 26 January 2025" in page
    assert "[original](<https://example.org/convoy>)" in page
    assert "publisher unknown · date unknown · link unknown" in page  # report-b says none of them


def test_event_page_links_each_cited_source_by_number(pages):
    """Claims cite the event's sources as [n], matching the numbered list."""
    page = pages["events/2025-01-17-convoy.md"]
    assert '[&#91;2&#93;](../sources/report-b.md "Analysis of the convoy")' in page
    assert "2. [Analysis of the convoy](../sources/report-b.md)" in page


def test_unknowns_stay_unknown(pages):
    """Missing place, quantity and date read 'unknown'."""
    assert "| Place | unknown |" in pages["events/2022-corps-created.md"]
    assert "- Quantity: unknown" in pages["events/2025-01-17-convoy.md"]
    assert "| Published | unknown |" in pages["sources/report-b.md"]


def test_event_map_is_embedded_relative_to_the_page(pages, dossier):
    """The event's map is an iframe whose src climbs from events/<id>/ to the site root."""
    path = maps.map_path("events", "2025-01-17-convoy", dossier) if hasattr(maps, "map_path") else None
    page = pages["events/2025-01-17-convoy.md"]
    if path is None:
        pytest.skip("the maps stage draws no map for this event")
    assert f'src="../../{path}"' in page and 'loading="lazy"' in page and 'title="Map of ' in page


def test_no_map_no_iframe(dossier, monkeypatch):
    """A record without a map gets no map section (and a stub maps stage breaks nothing)."""
    monkeypatch.setattr(maps, "map_path", lambda kind, record_id, d: None, raising=False)
    page = render.outputs(dossier)["events/2022-corps-created.md"].decode()
    assert "<iframe" not in page and "## Map" not in page
    monkeypatch.delattr(maps, "map_path", raising=False)
    assert "<iframe" not in render.outputs(dossier)["events/2025-01-17-convoy.md"].decode()


def test_relations_read_both_ways(pages):
    """The successor's page says 'successor of'; the predecessor's says 'succeeded by'."""
    assert "| successor of | [Old PMC](../actors/old-pmc.md) |" in pages["actors/new-corps.md"]
    assert "| succeeded by | [New Corps](../actors/new-corps.md) |" in pages["actors/old-pmc.md"]


def test_actor_page_lists_events_by_role_and_systems(pages):
    """An actor's page groups its events by role and lists systems it supplied."""
    page = pages["actors/russia.md"]
    assert "### supplier" in page and "(../events/2024-12-shipment.md)" in page
    assert "As supplier: [T-72B3](../systems/t-72b3.md)" in page


def test_system_page_register_and_total(pages):
    """Counted, contested and parent/variant lines are marked; the total links the counting rules."""
    tank = pages["systems/t-72b3.md"]
    assert "| Reported total | at least 5 ([counting rules](../methodology.md#counting-rules))" in tank
    assert "| Variant of | [T-72](../systems/t-72.md) |" in tank
    assert "| yes |" in tank and "[Malian Armed Forces](../actors/mali-armed-forces.md)" in tank
    assert "no: identification contested" in pages["systems/bmp-3.md"]
    assert "| Variants | [T-72B3](../systems/t-72b3.md) |" in pages["systems/t-72.md"]


def test_source_page_lists_what_it_supports(pages):
    """A source's page lists each claim it supports, linked to its record."""
    page = pages["sources/report-b.md"]
    assert "| relation | New Corps successor of Old PMC | [New Corps](../actors/new-corps.md) |" in page
    assert "| identification | infantry fighting vehicles identified as BMD-2 |" in page


def test_record_pages_carry_their_edit_location_and_tags(pages):
    """Front matter points at the record's line in its data file; events are tagged by kind and year."""
    page = pages["events/2024-12-shipment.md"]
    assert page.startswith('---\ntitle: "Shipment leaves the Baltic"\nsource_path: "data/events.yaml#L23"\n')
    assert 'tags: ["shipment", "2024"]' in page
    assert 'source_path: "data/actors.yaml#L16"' in pages["actors/new-corps.md"]


def test_timeline_rows_carry_their_kind_and_link(pages, dossier):
    """Each timeline row has its kind for the filter script and links its event page."""
    page = pages["timeline/index.md"]
    for event in dossier.events.values():
        assert f'<tr data-kind="{event.kind}"><td>' in page
        assert f'href="../events/{event.id}/"' in page
    assert 'data-kinds="delivery shipment political"' in page


def test_reference_lists_every_field(pages):
    """The data reference shows every field path from the schema with its help text."""
    page = pages["reference/index.md"]
    for rows in field_reference().values():
        for path, _, _, help_text in rows:
            assert f"<code>{render.escape.inert_html(path)}</code>" in page
            assert render.escape.md_text(help_text) in page
    assert "| <code>&#123;min: 5&#125;</code> | at least five | at least 5 |" in page
    assert "| <code>2025-01~</code> | about January 2025 | about January 2025 |" in page


def test_home_shows_figures_latest_events_and_links(pages):
    """The home page gives counts, the date range, the newest event first and links to map and downloads."""
    page = pages["index.md"]
    assert "| Events | [3](events/index.md) |" in page
    assert "| Period covered | 2022 (uncertain) – 17 January 2025 |" in page
    assert page.index("2025-01-17-convoy") < page.index("2024-12-shipment")
    assert 'href="map/"' in page and 'href="downloads/"' in page


def test_charts_are_embedded_only_when_declared(dossier, monkeypatch):
    """With no charts declared no page has an image; declared ones show with their (escaped) alt text."""
    monkeypatch.setattr(charts, "CHARTS", {}, raising=False)
    assert "![" not in render.outputs(dossier)["index.md"].decode()
    monkeypatch.setattr(charts, "CHARTS", {"timeline": "assets/generated/charts/timeline.svg",
                                           "deliveries": "assets/generated/charts/deliveries.svg"}, raising=False)
    monkeypatch.setattr(charts, "alt_text", lambda d: {"timeline": "Events per year",
                                                       "deliveries": "Deliveries <b>by</b> year"}, raising=False)
    out = render.outputs(dossier)
    assert "![Events per year](assets/generated/charts/timeline.svg)" in out["index.md"].decode()
    systems = out["systems/index.md"].decode()
    assert "![Deliveries &#60;b&#62;by&#60;/b&#62; year](../assets/generated/charts/deliveries.svg)" in systems


def test_template_values_are_escaped_by_default():
    """A value printed without any filter is literal Markdown text; a misspelt name fails loudly."""
    env = render.environment()
    out = env.from_string("{{ x }}").render(x="*[a](javascript:x)* <b> {{ y }}")
    assert "<" not in out and "[" not in out and "*" not in out and "{" not in out
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ misspelt }}").render()


def test_prose_keeps_markdown_but_no_html_or_unsafe_links():
    """Summaries keep emphasis and http(s) links; raw HTML shows as text; javascript: links lose their href."""
    out = render.prose("**bold** [ok](https://example.org) [bad](javascript:alert(1)) <script>x</script> {{ 7*7 }}")
    assert "<strong>bold</strong>" in out
    assert 'href="https://example.org"' in out
    assert "javascript:" not in out.split(">bad<")[0].split("<a")[-1]
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "{{" not in out


def test_build_on_invalid_data_leaves_docs_untouched(make_case, tmp_path, monkeypatch):
    """Invalid data raises and writes, changes or removes nothing under docs/."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    docs = tmp_path / "docs"
    build(VALID, docs)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in docs.rglob("*") if p.is_file()}
    with pytest.raises(DataError):
        build(make_case("unknown-reference"), docs)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in docs.rglob("*") if p.is_file()}
    assert after == before


def test_rebuild_rewrites_nothing(tmp_path, monkeypatch):
    """A second build of the same data writes no file (so `mkdocs serve` does not loop)."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    build(VALID, tmp_path / "docs")
    assert build(VALID, tmp_path / "docs").written == 0


def load_hook():
    """Import hooks/generate.py as MkDocs does, by path."""
    spec = importlib.util.spec_from_file_location("generate_hook", ROOT / "hooks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_keeps_previous_pages_and_logs_each_problem(make_case, tmp_path, monkeypatch, caplog):
    """On invalid data the hook logs one line per problem and leaves the pages as they were."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    monkeypatch.delenv("DOSSIER_SKIP_GENERATE", raising=False)
    hook = load_hook()
    docs = tmp_path / "docs"
    monkeypatch.setenv("DOSSIER_DATA", str(VALID))
    hook.on_pre_build({"docs_dir": str(docs), "nav": None})
    page = (docs / "index.md").read_bytes()
    monkeypatch.setenv("DOSSIER_DATA", str(make_case("every-problem-at-once")))
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.generate"):
        hook.on_pre_build({"docs_dir": str(docs), "nav": None})
    problems = [r for r in caplog.records if r.getMessage().startswith("data problem: ")]
    assert len(problems) > 1 and all("\n" not in r.getMessage() for r in problems)
    assert all("error[" in r.getMessage() or "warning[" in r.getMessage() for r in problems)
    assert (docs / "index.md").read_bytes() == page


def test_hook_skips_generation_when_asked(tmp_path, monkeypatch):
    """DOSSIER_SKIP_GENERATE=1 builds from the pages already there (the benchmark's bare MkDocs)."""
    monkeypatch.setenv("DOSSIER_SKIP_GENERATE", "1")
    hook = load_hook()
    hook.on_pre_build({"docs_dir": str(tmp_path / "docs"), "nav": None})
    assert not (tmp_path / "docs").exists()


def test_hook_leaves_out_nav_entries_no_stage_generated(tmp_path, monkeypatch):
    """A nav entry for a generated page that does not exist is dropped; hand-written ones stay."""
    monkeypatch.setenv("DOSSIER_SKIP_GENERATE", "1")
    hook = load_hook()
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "index.md").write_text("# Events\n")
    config = {"docs_dir": str(tmp_path),
              "nav": [{"Events": "events/index.md"}, {"Map": "map/index.md"}, {"About": "about.md"}]}
    hook.on_pre_build(config)
    assert config["nav"] == [{"Events": "events/index.md"}, {"About": "about.md"}]


def test_hook_points_the_edit_button_at_the_record():
    """A page with source_path in its front matter edits that file and line in the repository."""
    hook = load_hook()

    class Page:
        meta = {"source_path": "data/events.yaml#L23"}
        edit_url = "https://example.org/edit/main/docs/events/x.md"

    page = Page()
    hook.on_page_markdown("", page, {"repo_url": "https://example.org/r/"}, None)
    assert page.edit_url == "https://example.org/r/blob/main/data/events.yaml#L23"


def test_hostile_fixture_is_valid():
    """The hostile fixture passes validation, so its payloads reach every page."""
    assert load_valid(Path(__file__).parent / "fixtures" / "hostile", strict=True).events


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
       | st.lists(st.sampled_from(["<script>", "</div>", "[a](", "javascript:", "{{", "${", "`", "*",
                                   "\n\n", "- ", "> ", "<img onerror=x>", "](x)", "&lt;"])).map("".join))
def test_any_summary_renders_to_inert_html(text):
    """Whatever a summary says, its HTML has no script, no handler, no unsafe link and no template syntax."""
    out = render.prose(text)
    lowered = out.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert all(h.startswith(("http://", "https://")) for h in re.findall(r'href="([^"]*)"', out))
    assert not re.search(r"<[^>]*\son\w+=", out)
    assert "{{" not in out and "${" not in out
    assert out.count("<div") == out.count("</div>") <= 1
