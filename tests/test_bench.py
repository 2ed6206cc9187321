"""The benchmark's synthetic data and harness, on small N (speed itself is measured by `make bench`)."""

from __future__ import annotations

import importlib.util
import logging
from collections import Counter
from pathlib import Path

import pytest

from bench.measure import edit_title, middle_event, rewritten, write_counts
from bench.project import bare_config, read_config, set_aside
from bench.synth import generate, write_dataset
from conftest import made, render_all
from dossier import render
from dossier.build import build, check, load_valid
from dossier.model import build_dossier
from dossier.schema import EVENT_KINDS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[int, Path]:
    """Write the synthetic datasets for 60 and 600 events once for the module."""
    base = tmp_path_factory.mktemp("synth")
    out = {}
    for n in (60, 600):
        out[n] = base / str(n)
        write_dataset(n, out[n])
    return out


def test_same_n_gives_the_same_bytes_and_another_n_other_bytes():
    """A benchmark compares runs, so its data must not change between them."""
    assert generate(60) == generate(60)
    assert generate(61)["events"] != generate(60)["events"]


@pytest.mark.parametrize("n", [1, 2, 60])
def test_synthetic_data_passes_the_strict_check(tmp_path, n):
    """Every record is valid, used and described, even at tiny N: `check --strict` finds nothing."""
    write_dataset(n, tmp_path)
    dataset, problems = check(tmp_path)
    assert problems == []
    assert len(dataset.events) == n


def test_proportions_look_like_the_real_data(datasets):
    """About N/20 actors, N/30 systems, N/5 sources; 2-3 claims an event; most events located."""
    d = load_valid(datasets[600], strict=True)
    assert (len(d.actors), len(d.systems), len(d.sources)) == (30, 20, 120)
    assert {len(e.equipment) for e in d.events} == {2, 3}
    located = [e.place for e in d.events if e.place and e.place.located]
    assert len(located) > 0.8 * len(d.events)
    assert all(4 < p.lat < 22 and -18 < p.lon < 17 for p in located)  # the Sahel and West Africa
    kinds = Counter(e.kind for e in d.events)
    assert set(kinds) == set(EVENT_KINDS)
    assert all(e.casualties for e in d.events if e.kind == "attack")
    assert all(e.route for e in d.events if e.kind == "shipment")
    competing = [i for e in d.events for i in e.equipment if len(i.identified_as) > 1]
    assert 0.05 < len(competing) / sum(len(e.equipment) for e in d.events) < 0.3
    dossier = build_dossier(d)
    precisions = Counter(dossier.date(e).precision for e in d.events)
    assert set(precisions) == {"day", "month", "year", "span"}
    assert all(2013 <= dossier.date(e).start.year <= 2025 for e in d.events)


def test_event_pages_do_not_grow_with_the_dataset(datasets):
    """The average event page at 600 events is within 10% of its size at 60: no quadratic output."""
    sizes = {}
    for n, data in datasets.items():
        pages = made(render.outputs, build_dossier(load_valid(data)))
        events = [body for path, body in pages.items() if path.startswith("events/") and path.count("/") == 1
                  and path != "events/index.md"]
        assert len(events) == n
        sizes[n] = sum(map(len, events)) / n
    assert sizes[600] == pytest.approx(sizes[60], rel=0.10)


def test_bare_baseline_keeps_the_theme_and_drops_the_dossier(tmp_path):
    """Bare Material has the dossier's theme, features and plugins but search, no hooks, and only a home page in the nav."""
    config = read_config(ROOT / "mkdocs.yml")
    bare = bare_config(config)
    assert bare["theme"].get("features") == config["theme"].get("features")
    assert bare.get("plugins") == [p for p in config.get("plugins") if p != "search"] and "search" not in bare["plugins"]
    assert "hooks" not in bare and "extra_css" not in bare
    assert bare["nav"] == [{"Home": "index.md"}]


def test_one_edited_title_changes_only_that_event(tmp_path):
    """The benchmark's edit is a contributor's edit: one title, the data still valid."""
    write_dataset(60, tmp_path)
    event_id = middle_event(tmp_path / "events.yaml")
    edit_title(tmp_path / "events.yaml", event_id, "A new title")
    events = {e.id: e for e in load_valid(tmp_path, strict=True).events}
    assert events[event_id].title == "A new title"
    assert sum(e.title == "A new title" for e in events.values()) == 1


def test_a_line_added_above_the_records_changes_only_the_lines_file(tmp_path):
    """Records moving down a line change no page: the edit buttons' lines live in one file."""
    write_dataset(60, tmp_path)
    before = render_all(load_valid(tmp_path))
    events = tmp_path / "events.yaml"
    text = events.read_text(encoding="utf-8")
    first = text.index("\n- id: ")
    events.write_text(text[:first] + "\n# a contributor's note" + text[first:], encoding="utf-8")
    after = render_all(load_valid(tmp_path))
    assert {path for path in after if after[path] != before.get(path)} == {render.EDIT_LINES}


def test_rewritten_files_are_counted_by_folder():
    """The rebuild report says which folders a one-event edit touched, maps and charts by kind."""
    before = {"events/a.md": 1, "events/b.md": 1, "assets/generated/maps/events/a.html": 1, "index.md": 1}
    after = {"events/a.md": 2, "events/b.md": 1, "assets/generated/maps/events/a.html": 2, "feed.xml": 1,
             "index.md": 1}
    assert rewritten(before, after) == {"assets/generated/maps": 1, "events": 1, "feed.xml": 1}
    assert write_counts("generated pages: 12 written, 3 unchanged, 0 removed") == (12, 3, 0)


def test_one_edit_rewrites_only_what_it_changes(tmp_path):
    """After one title edit the rebuild rewrites that event's twin, not every twin, and few files in all."""
    write_dataset(60, tmp_path)
    before = render_all(load_valid(tmp_path))
    event_id = middle_event(tmp_path / "events.yaml")
    edit_title(tmp_path / "events.yaml", event_id, "A new title")
    after = render_all(load_valid(tmp_path))
    changed = {path for path in after if after[path] != before.get(path)}
    assert {p for p in changed if p.startswith("data/events/")} == {f"data/events/{event_id}.json"}
    assert len(changed) < 0.2 * len(after)


def test_serve_shows_an_edit_at_once_and_catches_up_in_the_background(tmp_path, monkeypatch, caplog):
    """In `mkdocs serve` an edit rewrites its page at once; the background generation then makes docs/
    byte-identical to a full build, and the rebuild its writes trigger skips generation and re-indexes."""
    write_dataset(60, tmp_path / "data")
    monkeypatch.setenv("DOSSIER_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("DOSSIER_SKIP_GENERATE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763683200")  # else on_startup sets it for the whole session
    spec = importlib.util.spec_from_file_location("generate_hook", ROOT / "hooks" / "generate.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    hook.on_startup(command="serve", dirty=True)
    config = {"docs_dir": str(tmp_path / "docs"), "nav": None}
    event_id = middle_event(tmp_path / "data" / "events.yaml")
    try:
        with caplog.at_level(logging.INFO):
            hook.on_pre_build(config)  # first build
            hook.on_pre_build(config)  # woken by its own writes
            edit_title(tmp_path / "data" / "events.yaml", event_id, "A new title")
            hook.on_pre_build(config)  # woken by the edit
            assert "A new title" in (tmp_path / "docs" / "events" / f"{event_id}.md").read_text()
            assert hook.state.serve.background is None  # not during MkDocs' rebuild of the edited page
            hook.on_post_build({**config, "site_dir": str(tmp_path / "site")})
            assert hook.state.indexing is None  # search waits for the site to settle
            assert hook.state.serve.background.wait(timeout=120) == 0
            hook.on_pre_build(config)  # woken by the background generation's writes
            hook.on_post_build({**config, "site_dir": str(tmp_path / "site")})
            assert hook.state.indexing is not None  # now the site is settled: Pagefind indexes it
    finally:
        hook.on_shutdown()
    generated = [r.getMessage() for r in caplog.records
                 if r.name != "dossier.write" and r.getMessage().startswith(("generated", "pages not"))]
    assert [m.split(":")[0] for m in generated] == ["generated pages", "pages not regenerated", "generated pages",
                                                    "pages not regenerated"]
    assert "1 page(s) of edited records" in generated[2]
    build(tmp_path / "data", tmp_path / "full")
    assert tree(tmp_path / "docs") == tree(tmp_path / "full")


def tree(root: Path) -> dict[str, bytes]:
    """Read every file under a folder."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_serve_fixes_an_invalid_edit_through_the_quick_path(tmp_path, monkeypatch, caplog):
    """After an edit that breaks the data, the edit that mends it rewrites its page at once, without a full generation."""
    write_dataset(60, tmp_path / "data")
    monkeypatch.setenv("DOSSIER_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("DOSSIER_SKIP_GENERATE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763683200")
    spec = importlib.util.spec_from_file_location("generate_hook", ROOT / "hooks" / "generate.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    hook.on_startup(command="serve", dirty=True)
    config = {"docs_dir": str(tmp_path / "docs"), "nav": None}
    events = tmp_path / "data" / "events.yaml"
    event_id = middle_event(events)
    try:
        with caplog.at_level(logging.INFO):
            hook.on_pre_build(config)
            good = events.read_text(encoding="utf-8")
            events.write_text(good.replace("  kind: ", "  kind: not-a-kind-", 1), encoding="utf-8")
            hook.on_pre_build(config)
            events.write_text(good, encoding="utf-8")
            edit_title(events, event_id, "Mended")
            hook.on_pre_build(config)
    finally:
        hook.on_shutdown()
    generated = [r.getMessage() for r in caplog.records if r.name != "dossier.write" and r.getMessage().startswith("generated pages")]
    assert len(generated) == 2 and "1 page(s) of edited records" in generated[1]
    assert "Mended" in (tmp_path / "docs" / "events" / f"{event_id}.md").read_text()


def test_previous_runs_are_set_aside_not_deleted_before_measuring(tmp_path):
    """The last run's projects are moved out of the way in one rename each (deleting them first slowed the
    generator's writes on this machine's filesystem); nothing else in the folder moves."""
    assert set_aside(tmp_path / "missing") is None and set_aside(tmp_path) is None
    for name in ("n1000", "n10000", ".old-1"):
        (tmp_path / name / "docs").mkdir(parents=True)
    (tmp_path / "results.json").write_text("{}")
    trash = set_aside(tmp_path)
    assert sorted(p.name for p in trash.iterdir()) == [".old-1", "n1000", "n10000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([trash.name, "results.json"])


def test_the_benchmark_serves_text_gzip_compressed_as_github_pages_does(tmp_path):
    """Text files go out gzip-compressed under the site's path; Pagefind's compressed files as they are."""
    import gzip
    import urllib.request

    from bench.transfer import served

    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "index.html").write_text("<p>" + "event " * 500 + "</p>")
    (tmp_path / "index.pf_index").write_bytes(gzip.compress(b"chunk"))

    def get(url: str) -> tuple[dict, bytes]:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})) as r:
            return dict(r.headers), r.read()

    with served(tmp_path, "/dossier/") as base:
        headers, body = get(base + "events/")
        assert headers["Content-Encoding"] == "gzip" and len(body) < 200
        assert gzip.decompress(body).startswith(b"<p>event ")
        headers, body = get(base + "index.pf_index")
        assert "Content-Encoding" not in headers and gzip.decompress(body) == b"chunk"


def test_history_commits_the_dataset_in_steps_with_corrections_and_removals(tmp_path, today):
    """--history makes a repository whose last commit is the synthetic dataset, with corrections and withdrawals."""
    from bench.history import commit_history
    from dossier import history

    write_dataset(60, tmp_path / "data")
    commit_history(tmp_path, generate(60), 12, seed=60)
    dossier = build_dossier(load_valid(tmp_path / "data"))
    found = history.compute(tmp_path / "data", dossier)
    assert found.available and len(found.entries) == 12
    actions = Counter(c.action for entry in found.entries for c in entry.changes)
    assert actions["changed"] >= 10 and actions["removed"] >= 1
    assert all(not v.uncommitted for v in found.versions.values())  # the working tree is the last commit
    assert {found.version("events", e).first is not None for e in dossier.events} == {True}
