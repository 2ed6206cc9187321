"""The render stage: what a reader sees on each page type, escaping by default, and the generate hook."""

from __future__ import annotations

import html
import importlib.util
import dataclasses
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, TODAY, VALID, made, render_all
from dossier import charts, i18n, maps, render
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
    return {path: data.decode() for path, data in made(render.outputs, dossier).items()}


def test_every_record_has_a_page_and_every_index_links_it(dossier, pages):
    """Each event, actor, system and source has a page, linked from its index."""
    for kind in ("events", "actors", "systems", "sources"):
        index = pages[f"{kind}/index.md"]
        for record_id in getattr(dossier, kind):
            assert f"{kind}/{record_id}.md" in pages
            assert f'href="../{kind}/{record_id}/"' in index


def test_event_page_shows_disagreement_sources_and_confidence(pages):
    """Competing identifications are flagged, each with its sources; confidence links its definition."""
    page = pages["events/2025-01-17-convoy.md"]
    assert page.count('<tr class="dossier-contested">') == 1  # one item, marked in the equipment table
    assert page.count('<strong class="dossier-disagree">≠ Sources disagree</strong>') == 1
    assert '<a class="dossier-chip dossier-disagree" href="#equipment">sources disagree on 1 item</a>' in page
    assert '<a href="../../systems/bmp-3/">BMP-3</a>' in page and '<a href="../../systems/bmd-2/">BMD-2</a>' in page
    assert 'href="../../methodology/#reported">reported</a>' in page
    assert "at least 5 (“at least five”)" in page
    assert 'href="../../data/events/2025-01-17-convoy.json"' in page
    assert '<a href="../../sources/report-a/">Convoy seen in the capital</a> · Example News · 26 January 2025' in page
    assert '<a href="https://example.org/convoy">original</a>' in page
    assert "publisher unknown · date unknown · link unknown" in page  # report-b says none of them


def test_event_page_links_each_cited_source_by_number(pages):
    """Claims cite the event's sources as [n], matching the numbered list."""
    page = pages["events/2025-01-17-convoy.md"]
    assert '<a href="../../sources/report-b/" title="Analysis of the convoy">[2]</a>' in page
    sources = page.split('<h2 id="sources">')[1].split("</ol>")[0]
    assert sources.index("report-a") < sources.index('<li id="source-2"><a href="../../sources/report-b/">Analysis of the convoy')


def test_unknowns_stay_unknown(pages):
    """Missing place, quantity and date read 'unknown'."""
    assert "<div><dt>Place</dt> <dd>unknown</dd></div>" in pages["events/2022-corps-created.md"]
    assert '<td data-label="Quantity">unknown</td>' in pages["events/2025-01-17-convoy.md"]
    assert "Publisher unknown · author unknown · date unknown</p>" in pages["sources/report-b.md"]


def test_event_map_is_a_sketch_linking_the_map_relative_to_the_page(pages, dossier):
    """The event's map is a static sketch linking the map file, from events/<id>/ to the site root; no iframe yet."""
    path = maps.map_path("events", "2025-01-17-convoy", dossier)
    page = pages["events/2025-01-17-convoy.md"]
    assert f'<a class="dossier-sketch__open" href="../../{path}" data-map-title="Map of ' in page
    assert '<circle cx=' in page and "<iframe" not in page


def test_no_map_no_sketch(dossier, monkeypatch):
    """A record without a map gets no map section."""
    monkeypatch.setattr(maps, "map_path", lambda kind, record_id, d: None)
    page = made(render.outputs, dossier)["events/2022-corps-created.md"].decode()
    assert "dossier-sketch" not in page and "<h2 id=\"map\">" not in page


def test_relations_read_both_ways(pages):
    """The successor's page says 'successor of'; the predecessor's says 'succeeded by'."""
    new, old = pages["actors/new-corps.md"], pages["actors/old-pmc.md"]
    assert '<td data-label="Relation">successor of</td> <td data-label="Actor"><a href="../../actors/old-pmc/">Old PMC</a>' in new
    assert '<td data-label="Relation">succeeded by</td> <td data-label="Actor"><a href="../../actors/new-corps/">New Corps</a>' in old


def test_actor_page_counts_roles_and_lists_events_and_systems(pages):
    """An actor's page counts its roles first, lists its events with its role in each, and the systems it supplied."""
    page = pages["actors/russia.md"]
    assert '<span class="dossier-figure__value">2</span> <span class="dossier-figure__label">as supplier</span>' in page
    assert 'href="../../events/2024-12-shipment/"' in page and '<td data-label="Role">supplier</td>' in page
    assert '<li>As supplier: <a href="../../systems/t-72b3/">T-72B3</a>' in page


def test_system_page_register_and_total(pages):
    """Counted, contested and parent/variant lines are marked; the total links the counting rules."""
    tank = pages["systems/t-72b3.md"]
    assert ('<a href="../../methodology/#counting-rules"><span class="dossier-figure__value">at least 5</span> '
            '<span class="dossier-figure__label">reported delivered</span></a>') in tank
    assert tank.index("reported delivered") < tank.index('<h2 id="register">')  # the headline figure first
    assert 'Variant of <a href="../../systems/t-72/">T-72</a>.' in tank
    assert '<td data-label="Counted">yes</td>' in tank
    assert '<a href="../../actors/mali-armed-forces/">Malian Armed Forces</a>' in tank
    assert "no: identification contested" in pages["systems/bmp-3.md"]
    assert 'Variants: <a href="../../systems/t-72b3/">T-72B3</a>.' in pages["systems/t-72.md"]
    none = pages["systems/bmp-3.md"]  # its only item is contested: nothing counted
    assert "none counted</span>" in none and "deliveries counted" not in none  # said once, not twice
    assert "delivery counted</span>" in tank


def test_source_page_lists_what_it_supports(pages):
    """A source's page lists each claim it supports, linked to its record."""
    page = pages["sources/report-b.md"]
    assert ('<tr><td data-label="Claim">relation</td> <td data-label="About">New Corps successor of Old PMC</td> '
            '<td data-label="Record"><a href="../../actors/new-corps/">New Corps</a></td></tr>') in page
    assert ('<tr><td data-label="Claim">identification</td> '
            '<td data-label="About">infantry fighting vehicles identified as BMD-2</td>') in page


def test_record_pages_carry_their_edit_location_and_tags(pages):
    """Front matter points at the record's data file, the lines file at its line; events are tagged by kind and year."""
    page = pages["events/2024-12-shipment.md"]
    assert page.startswith('---\ntitle: "Shipment leaves the Baltic"\nsource_path: "data/events.yaml"\n')
    assert 'tags: ["shipment", "2024"]' in page
    assert 'source_path: "data/actors.yaml"' in pages["actors/new-corps.md"]
    lines = json.loads(pages[render.EDIT_LINES])
    assert lines["events/2024-12-shipment.md"] == 13 and lines["actors/new-corps.md"] == 16


def front_and_body(page: str) -> tuple[dict, str]:
    """Split a generated page into its front matter and its body."""
    _, front, body = page.split("---\n", 2)
    return yaml.safe_load(front), body


def test_every_page_is_finished_html_with_its_toc(pages):
    """Each rendered page is marked as HTML, and its toc lists its headings, each with its id and permalink."""
    for path, page in pages.items():
        if not path.endswith(".md"):
            continue
        front, body = front_and_body(page)
        assert front["body"] == "html", path
        headings = re.findall(r'<h([1-6]) id="([^"]+)">(.*?)<a class="headerlink" href="#\2" title="(?:Permanent link|'
                              r'Lien permanent)">&para;</a></h\1>', body)
        assert [[int(level), hid, title] for level, hid, title in headings] == front["toc"], path
        assert len({hid for _, hid, _ in headings}) == len(headings), path


def test_headings_get_the_ids_the_toc_extension_gave():
    """Ids are slugs of the text, made unique as Python-Markdown does; the toc keeps the escaped title."""
    body, toc = render.anchor_headings("<h1>Armour &amp; more</h1>\n<h2>Map</h2><h2>Map</h2><h3>&lt;*&gt;</h3>")
    assert [hid for _, hid, _ in toc] == ["armour-more", "map", "map_1", "_1"]
    assert toc[0] == [1, "armour-more", "Armour &amp; more"]
    assert '<h2 id="map_1">Map<a class="headerlink" href="#map_1" title="Permanent link">&para;</a></h2>' in body


def test_links_are_final_directory_urls():
    """A page at events/x.md is served at events/x/; an index.md at its folder."""
    assert render.relative_url("events/x.md", "actors/y/") == "../../actors/y/"
    assert render.relative_url("events/index.md", "actors/y/") == "../actors/y/"
    assert render.relative_url("index.md", "map/") == "map/"


def test_list_pages_are_left_out_of_search(pages):
    """The indexes and the timeline only repeat the record pages: search skips them. Record pages and
    the reference leave `search` unset, so that Pagefind indexes them (overrides/main.html)."""
    for path in ("events/index.md", "actors/index.md", "systems/index.md", "sources/index.md", "timeline/index.md"):
        assert front_and_body(pages[path])[0]["search"] == {"exclude": True}
    for path in ("events/2025-01-17-convoy.md", "actors/russia.md", "index.md", "reference/index.md"):
        assert "search" not in front_and_body(pages[path])[0]


def test_year_pages_rows_carry_their_kind_and_link(pages, dossier):
    """Each event is on its year's page, its row carrying its kind for the filter script; the timeline links the years."""
    for event in dossier.events.values():
        year = dossier.date(event).start.year
        page = pages[f"events/years/{year}.md"]
        assert f'<tr data-kind="{event.kind}"><td data-label="Date"' in page
        assert f'href="../../../events/{event.id}/"' in page
        assert f'href="../events/years/{year}/"' in pages["timeline/index.md"]
        assert f'href="../events/years/{year}/"' in pages["events/index.md"]
    assert 'data-kinds="delivery"' in pages["events/years/2025.md"]


def test_reference_lists_every_field(pages):
    """The data reference shows every field path from the schema with its help text."""
    page = pages["reference/index.md"]
    for rows in field_reference().values():
        for row in rows:
            assert f"<code>{render.escape.inert_html(row.path)}</code>" in page
            assert render.escape.inert_html(row.help) in page
    assert ('<tr><td data-label="Written"><code>&#123;min: 5&#125;</code></td> <td data-label="Meaning">at least five</td> '
            '<td data-label="Shown as">at least 5</td></tr>') in page
    assert ('<tr><td data-label="Written"><code>2025-01~</code></td> <td data-label="Meaning">about January 2025</td> '
            '<td data-label="Shown as">about January 2025</td></tr>') in page


def test_reference_lists_every_problem_code(pages):
    """A contributor who meets a code in `make check` finds it, with its meaning, on the data reference."""
    from dossier.errors import CODES

    page = pages["reference/index.md"]
    for code, meaning in CODES.items():
        assert (f'<tr><td data-label="Code"><code>{code}</code></td> '
                f'<td data-label="Meaning">{render.escape.inert_html(meaning)}</td></tr>') in page


def test_home_shows_figures_latest_events_and_links(pages):
    """The home page gives counts, the date range, the newest event first and links to map and downloads."""
    page = pages["index.md"].split("\n---\n", 1)[1]  # the body, after the front matter's table of contents
    assert ('<a href="events/"><span class="dossier-figure__value">3</span> '
            '<span class="dossier-figure__label">events</span></a>') in page
    assert '<span class="dossier-figure__value">2022–2025</span> <span class="dossier-figure__label">period' in page
    assert page.index("2025-01-17-convoy") < page.index("2024-12-shipment")
    assert 'href="map/"' in page and 'href="downloads/"' in page
    # The map and the latest events come before the figures: the first screen shows what the dossier covers.
    assert page.index("dossier-sketch__open") < page.index("Latest events") < page.index("Key figures")


def test_charts_are_embedded_only_when_declared(dossier, monkeypatch):
    """With no charts declared no page has an image; declared ones show with their (escaped) alt text."""
    monkeypatch.setattr(charts, "CHARTS", {}, raising=False)
    assert "<img" not in made(render.outputs, dossier)["index.md"].decode()
    monkeypatch.setattr(charts, "CHARTS", {"timeline": "assets/generated/charts/timeline.svg",
                                           "deliveries": "assets/generated/charts/deliveries.svg"}, raising=False)
    monkeypatch.setattr(charts, "alt_text", lambda d, lang="en": {"timeline": "Events per year",
                                                       "deliveries": "Deliveries <b>by</b> year"}, raising=False)
    out = made(render.outputs, dossier)
    assert 'alt="Events per year" src="assets/generated/charts/timeline.svg"' in out["index.md"].decode()
    systems = out["systems/index.md"].decode()
    assert 'alt="Deliveries &lt;b&gt;by&lt;/b&gt; year" src="../assets/generated/charts/deliveries.svg"' in systems


def test_template_values_are_escaped_by_default():
    """A value printed without any filter is literal HTML text, even in an attribute; a misspelt name fails loudly."""
    env = render.environment()
    out = env.from_string("<a title=\"{{ x }}\">{{ x }}</a>").render(x="\"'><b onclick=x> {{ y }} ${z} `t`")
    assert out.count("<") == 2 and out.count(">") == 2 and out.count('"') == 2 and "'" not in out
    assert "{" not in out and "$" not in out and "`" not in out
    assert html.unescape(out) == "<a title=\"\"'><b onclick=x> {{ y }} ${z} `t`\">\"'><b onclick=x> {{ y }} ${z} `t`</a>"
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


def test_hook_points_the_edit_button_at_the_record(tmp_path, monkeypatch):
    """A page with source_path in its front matter edits that file, at the line the lines file gives."""
    monkeypatch.setenv("DOSSIER_SKIP_GENERATE", "1")
    hook = load_hook()
    (tmp_path / render.EDIT_LINES).parent.mkdir(parents=True)
    (tmp_path / render.EDIT_LINES).write_text('{"events/x.md": 23}')
    hook.on_pre_build({"docs_dir": str(tmp_path), "nav": None})

    class File:
        src_uri = "events/x.md"

    class Page:
        meta = {"source_path": "data/events.yaml"}
        edit_url = "https://example.org/edit/main/docs/events/x.md"
        file = File()

    page = Page()
    hook.on_page_markdown("", page, {"repo_url": "https://example.org/r/"}, None)
    assert page.edit_url == "https://example.org/r/blob/main/data/events.yaml#L23"
    File.src_uri = "index.md"
    hook.on_page_markdown("", page, {"repo_url": "https://example.org/r/"}, None)
    assert page.edit_url == "https://example.org/r/blob/main/data/events.yaml"


def test_hook_passes_finished_html_through_with_its_toc():
    """A page marked `body: html` gives Markdown nothing, gets its body back as content, and its toc nested."""
    hook = load_hook()

    class File:
        src_uri = "events/x.md"

    class Page:
        file, url = File(), "events/x/"
        meta = {"body": "html", "toc": [[1, "t", "T &amp; u"], [2, "a", "A"], [3, "b", "B"], [2, "c", "C"]]}

    page, body = Page(), '<h1 id="t">T &amp; u</h1>'
    assert hook.on_page_markdown(body, page, {}, None) == ""
    assert hook.on_page_content("", page, {}, None) == body
    assert [(item.title, item.id, item.level) for item in page.toc] == [("T &amp; u", "t", 1)]
    assert [(c.id, [g.id for g in c.children]) for c in page.toc.items[0].children] == [("a", ["b"]), ("c", [])]
    assert page.present_anchor_ids == {"t", "a", "b", "c"}
    other = Page()
    other.meta = {}
    assert hook.on_page_markdown("# Hand-written", other, {}, None) == "# Hand-written"
    assert hook.on_page_content("<h1>Hand-written</h1>", other, {}, None) == "<h1>Hand-written</h1>"


def test_hook_refuses_plain_file_urls(caplog):
    """The generated links are written for directory URLs: without them the hook logs an error (strict fails)."""
    hook = load_hook()
    with caplog.at_level(logging.ERROR, logger="mkdocs.hooks.generate"):
        hook.on_config({"use_directory_urls": True})
        assert not caplog.records
        hook.on_config({"use_directory_urls": False})
    assert "use_directory_urls" in caplog.records[0].getMessage()


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


# Lines of words and marks, some with stray marks: Python-Markdown's HTML is the check, whichever way they go.
_WORDS = st.lists(st.sampled_from(["a", "Word", "3", "é", "日本", "x²", "ß"]), min_size=1, max_size=3).map(" ".join)
_MARKS = (_WORDS.map("*{}*".format) | _WORDS.map("**{}**".format)
          | _WORDS.map("[{}](https://example.org/a-1.html)".format))
_ITEMS = st.tuples(st.sampled_from([" "] * 8 + ["", "  ", " (", "(", " *", "["]),
                   _MARKS | _WORDS | st.sampled_from(["'s", "$5", "–", "e.g."]),
                   st.sampled_from([""] * 8 + [".", ",", ";", ":", ")", ".b", ")c", "*", "]", "!", "_"])).map("".join)
_LINES = st.tuples(st.sampled_from(["A", "The", "É"] * 3 + ["1", " "]), st.lists(_ITEMS, max_size=8)).map(
    lambda t: t[0] + "".join(t[1]))


@settings(max_examples=500, deadline=None)
@given(_LINES | st.text(max_size=60))
def test_summaries_get_python_markdowns_html(text):
    """Whether made without Python-Markdown (a line of words and marks) or by it, a summary's HTML is its HTML."""
    source = html.escape(text, quote=False)
    assert render.markdown_html(source) == markdown.Markdown().convert(source)


def test_the_pipeline_imports_no_drawing_library():
    """`build_pages.py check` imports the pipeline, but neither matplotlib nor Folium (a second of its
    time): they are imported where charts and maps are drawn."""
    script = ("import sys; from dossier import build; "
              "print(sorted({name.split('.')[0] for name in sys.modules} & {'matplotlib', 'folium', 'branca'}))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "[]\n", done.stderr + done.stdout


def test_event_page_shows_place_and_role_notes_escaped(valid_dir, monkeypatch):
    """A place's note (where its point comes from) and a role's note (a source's hedge) reach the page, escaped."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    events = valid_dir / "events.yaml"
    text = events.read_text(encoding="utf-8")
    text = text.replace(
        "  place: {name: Bamako, country: ML, lat: 12.64, lon: -8.0, precision: town}\n",
        "  place: {name: Bamako, country: ML, lat: 12.64, lon: -8.0, precision: town, "
        "note: \"The city's centre <b>only</b>\"}\n", 1)
    text = text.replace("    - {actor: russia, role: supplier}\n",
                        "    - {actor: russia, role: supplier, note: \"AP: it \\\"appears\\\" so\"}\n", 1)
    events.write_text(text, encoding="utf-8")
    pages = [page.decode() for path, page in made(render.outputs, build_dossier(load_valid(valid_dir))).items()
             if path.startswith("events/")]
    assert any("<summary>About this place</summary>The city&#x27;s centre &lt;b&gt;only&lt;/b&gt;</details>" in page
               for page in pages)
    assert any('<td data-label="Role">supplier (AP: it &quot;appears&quot; so)</td>' in page for page in pages)


def test_each_page_type_declares_its_context_once():
    """Every page template names its context dataclass in its header, and the reference lists every field."""
    from dossier import contexts

    described = contexts.reference()
    for page in contexts.PAGES:
        header = (render.TEMPLATES / page.TEMPLATE).read_text(encoding="utf-8").splitlines()[0]
        assert f"contexts.{page.__name__}" in header, page.TEMPLATE
        for field in dataclasses.fields(page):
            assert f"    {field.name}: " in described, (page.__name__, field.name)


# --- The French edition (issue 18): every page's twin under fr/, in French, English fallbacks marked ---------


@pytest.fixture(scope="module")
def editions() -> dict[str, str]:
    """Generate every file of the valid fixture, both editions, with its French translations (data/fr/)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOSSIER_TODAY", TODAY)
        return {path: data.decode() for path, data in render_all(load_valid(VALID), VALID, dated=False).items()
                if path.endswith((".md", ".html", ".svg"))}


def french_pages(data_dir: Path, monkeypatch) -> dict[str, str]:
    """Generate a data directory's French pages (its translations read from data_dir/fr/)."""
    monkeypatch.setenv("DOSSIER_TODAY", TODAY)
    return {path: data.decode() for path, data in render_all(load_valid(data_dir), data_dir, dated=False).items()
            if path.startswith("fr/") and path.endswith(".md")}


def test_every_generated_page_has_its_french_twin(editions):
    """Each generated English page (records, indexes, map, explore, downloads) has a twin at fr/<same path>."""
    english = {p for p in editions if p.endswith(".md") and not p.startswith("fr/")}
    french = {p.removeprefix("fr/") for p in editions if p.startswith("fr/") and p.endswith(".md")}
    assert english == french
    assert {"index.md", "map/index.md", "explore/index.md", "downloads/index.md", "events/2025-01-17-convoy.md",
            "reference/index.md", "changes/index.md"} <= french


def test_no_english_interface_text_on_a_french_page(editions):
    """No French page, nor a French chart, shows an English message of the catalogue outside an element marked
    lang="en": not in its text, its search filters and labels, the reference's help texts or the charts' labels."""
    left = {path: i18n.leftover_english(page, "fr") for path, page in editions.items()
            if path.startswith("fr/") or path.endswith(".fr.svg")}
    assert {path: found for path, found in left.items() if found} == {}
    # the test would see them: the English page of the same record, the English reference and chart are full of them
    found = i18n.leftover_english(editions["events/2025-01-17-convoy.md"], "fr")
    assert {"Equipment", "event kind", "delivery", "Event"} <= set(found)
    assert "What sort of event this is." in i18n.leftover_english(editions["reference/index.md"], "fr")
    assert {"Events per quarter", "count", "Deliveries"} <= set(i18n.leftover_english(
        editions["assets/generated/charts/timeline.svg"], "fr"))


def test_french_pages_link_inside_their_edition_and_to_the_shared_files(editions):
    """A French page links French pages by the same relative paths, and the one dataset one level further up."""
    page = editions["fr/events/2025-01-17-convoy.md"]
    assert '<a href="../../systems/t-72b3/">T-72B3</a>' in page  # fr/systems/t-72b3/
    assert 'href="../../../assets/generated/maps/events/2025-01-17-convoy.html#lang=fr"' in page  # the shared map, French
    assert 'href="../../../data/events/2025-01-17-convoy.json"' in page
    assert 'href="map.html"' in editions["fr/map/index.md"] and "fr/map/map.html" in editions


def test_french_pages_show_french_dates_numbers_and_words(editions):
    """Dates, quantities, vocabulary and titles in French, as a French reader writes them."""
    convoy = editions["fr/events/2025-01-17-convoy.md"]
    assert 'title: "Un convoi de blindés arrive dans la capitale"' in convoy
    assert "<h1" in convoy and ">Un convoi de blindés arrive dans la capitale<" in convoy
    assert "17 janvier 2025" in convoy and "au moins 5 (\u00ab\u00a0at least five\u00a0\u00bb)" in convoy
    assert ">livraison</span>" in convoy and ">signalé</a>" in convoy and "≠ Les sources divergent" in convoy
    assert "vers décembre 2024" in editions["fr/events/2024-12-shipment.md"]
    corps = editions["fr/events/2022-corps-created.md"]
    assert "2022 (incertain)" in corps and "au moins 30" in corps
    assert "<p>Un convoi de <strong>plus de 100</strong> véhicules a atteint la capitale.</p>" in convoy


def test_french_indexes_sort_names_in_french(editions):
    """The French actors index orders names by their French spelling (Ancienne SMP before Nouveau Corps)."""
    index = editions["fr/actors/index.md"]
    assert index.index("Ancienne SMP") < index.index("Nouveau Corps")


def test_french_numbers_are_grouped_with_a_narrow_no_break_space(valid_dir, monkeypatch):
    """'1 000' in French, with U+202F between the groups; '1000' in English as before."""
    events = valid_dir / "events.yaml"
    events.write_text(events.read_text().replace("{min: 30}", "{min: 1000}"))
    french = french_pages(valid_dir, monkeypatch)["fr/events/2022-corps-created.md"]
    assert "au moins 1\u202f000" in french


def test_a_stale_or_missing_translation_shows_the_english_marked(valid_dir, monkeypatch):
    """A stale title and a missing summary show the current English in lang="en", each with its note in French."""
    events = valid_dir / "events.yaml"
    events.write_text(events.read_text().replace("Armour convoy arrives in the capital",
                                                 "Armour convoy reaches the capital"))
    french_file = valid_dir / "fr" / "events.yaml"
    french_file.write_text("\n".join(line for line in french_file.read_text().splitlines()
                                     if "plus de 100" not in line) + "\n")
    page = french_pages(valid_dir, monkeypatch)["fr/events/2025-01-17-convoy.md"]
    stale = i18n.translate("fr", i18n.STALE_NOTE)
    missing = i18n.translate("fr", i18n.MISSING_NOTE)
    assert '<h1 id="armour-convoy-reaches-the-capital"><span lang="en">Armour convoy reaches the capital</span>' in page
    assert f'<p class="dossier-untranslated__note">{html.escape(stale)}</p>' in page  # below the heading
    assert (f'<div lang="en" class="dossier-untranslated">\n<p class="dossier-untranslated__note" lang="fr">'
            f"{html.escape(missing)}</p>\n<div class=\"dossier-prose\">\n<p>A convoy of <strong>over 100</strong>") in page
    assert "Un convoi de blindés" not in page  # the stale French is not shown


def test_hostile_text_stays_inert_on_french_pages(monkeypatch):
    """The hostile fixture's French title and summary, and its untranslated English, never become markup."""
    pages = french_pages(Path(__file__).parent / "fixtures" / "hostile", monkeypatch)
    assert len(pages) > 10
    for path, page in pages.items():
        for payload in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "{{ 7*7 }}", "{% raw %}",
                        '<a href="javascript:', "<a href='javascript:"):
            assert payload not in page, (path, payload)
    event = pages["fr/events/2024-05-01-hostile.md"]
    assert "Événement &lt;script&gt;alert(1)&lt;/script&gt;" in event  # the French, shown as written
    assert '<span lang="en" class="dossier-untranslated"' in event  # the untranslated items, marked


def test_french_search_filters_and_labels_are_french_and_english_ones_read_as_words(editions):
    """The French search filters and result labels are in French ("type d’événement:livraison"); the English
    ones are English words, a hyphenated kind spaced as it reads ("port call")."""
    french, english = editions["fr/events/2025-01-17-convoy.md"], editions["events/2025-01-17-convoy.md"]
    for attribute in ('data-pagefind-filter="fiche:Événement"', 'data-pagefind-meta="type:Événement"',
                      'data-pagefind-filter="type d’événement:livraison"', 'data-pagefind-meta="kind:livraison"',
                      'data-pagefind-filter="confiance:signalé"', 'data-pagefind-filter="année:2025"',
                      'data-pagefind-filter="pays"'):
        assert attribute in french
    for attribute in ('data-pagefind-filter="record:Event"', 'data-pagefind-filter="event kind:delivery"',
                      'data-pagefind-filter="confidence:reported"', 'data-pagefind-filter="year:2025"'):
        assert attribute in english
    assert 'data-pagefind-filter="fiche:Acteur"' in editions["fr/actors/russia.md"]
    assert 'data-pagefind-filter="fiche:Système"' in editions["fr/systems/t-72b3.md"]
    assert 'data-pagefind-filter="fiche:Source"' in editions["fr/sources/report-a.md"]


def test_french_reference_and_downloads_explain_every_field_in_french(editions):
    """The French data reference gives each field's help, type and each problem code's meaning in French, nothing
    marked as English; the French Downloads page gives each CSV column's meaning and type, and sizes, in French."""
    from dossier.errors import CODES

    page = editions["fr/reference/index.md"]
    assert 'lang="en"' not in page
    assert '<td data-label="Aide">Le type d’événement.</td>' in page
    assert ('<td data-label="Type">l’une des valeurs : <code>confirmed</code>, <code>reported</code>, '
            '<code>alleged</code>, <code>disputed</code></td>') in page
    assert '<td data-label="Type">liste de lieux</td>' in page
    for code, meaning in CODES.items():
        assert (f'<tr><td data-label="Code"><code>{code}</code></td> '
                f'<td data-label="Sens">{render.escape.inert_html(i18n.translate("fr", meaning))}</td>') in page
    assert ('<tr><td data-label="Code"><code>bad-url</code></td> '
            '<td data-label="Sens">Une URL n’est pas une URL http(s).</td></tr>') in page
    downloads = editions["fr/downloads/index.md"]
    assert "| `kind` | texte | oui | Le type d’événement. |" in downloads
    assert "| `date_approximate` | booléen | oui | La date est marquée «\u00a0environ\u00a0» (~ ou %). |" in downloads
    assert "en anglais, comme dans" not in downloads and " kB |" not in downloads and " o | " in downloads
    assert "| `kind` | string | yes | What sort of event this is. |" in editions["downloads/index.md"]


def test_french_pages_show_french_charts_and_english_pages_spell_abbreviations(editions):
    """French pages show the French charts (timeline.fr.svg), quarters named the French way in their alt text;
    English index headings spell an abbreviation as one ("PMC", not "Pmc")."""
    home = editions["fr/index.md"]
    assert 'src="../assets/generated/charts/timeline.fr.svg"' in home and "de T4 2024 à T1 2025" in home
    assert 'src="../../assets/generated/charts/deliveries.fr.svg"' in editions["fr/systems/index.md"]
    assert 'src="assets/generated/charts/timeline.svg"' in editions["index.md"]
    assert '<h2 id="pmc">PMC<a class="headerlink"' in editions["actors/index.md"]
    assert "Pmc" not in editions["actors/index.md"]


def test_a_source_title_kept_as_published_is_not_given_again_as_its_translation(valid_dir, monkeypatch, editions):
    """A French source page gives a translated title beside the original, but not a title whose translation is
    the title itself (kept as published); French citations carry the title a French reader is shown."""
    assert "Titre traduit : «\u00a0Convoi aperçu dans la capitale\u00a0»" in editions["fr/sources/report-a.md"]
    assert 'title="Convoi aperçu dans la capitale">[1]</a>' in editions["fr/events/2025-01-17-convoy.md"]
    assert 'title="Convoy seen in the capital">[1]</a>' in editions["events/2025-01-17-convoy.md"]
    french = valid_dir / "fr" / "sources.yaml"
    french.write_text(french.read_text().replace("Convoi aperçu dans la capitale", "Convoy seen in the capital"))
    page = french_pages(valid_dir, monkeypatch)["fr/sources/report-a.md"]
    assert "Titre traduit" not in page and '<span lang="en">Convoy seen in the capital</span>' in page
