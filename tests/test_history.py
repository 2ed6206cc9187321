"""Every record's history from git: dates on each page, the "what changed" page and its feed.

A repository is made in a temporary folder from the tiny valid dataset, with four commits
on pinned dates: the dataset (with one more actor), an event added, a quantity changed,
that actor removed.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, VALID, render_all
from dossier import history
from dossier.build import build, load_valid

DAYS = ("2025-03-01", "2025-03-05", "2025-03-10", "2025-03-15")
EXTRA_ACTOR = "- id: gone-group\n  name: Gone Group\n  kind: armed-group\n  description: A group later removed.\n"
NEW_EVENT = """- id: 2025-02-01-second-convoy
  date: "2025-02-01"
  kind: delivery
  title: A second convoy arrives
  actors:
    - {actor: russia, role: supplier}
  sources: [report-a]
  confidence: reported
"""


def git(repo: Path, *args: str, day: str = DAYS[0]) -> str:
    """Run git in the test repository, as a fixed person on a fixed day; return its output."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Tester", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Tester", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00"}
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo, env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def commit(repo: Path, message: str, day: str) -> str:
    """Commit everything in the repository on a day; return the commit's id."""
    git(repo, "add", "-A", day=day)
    git(repo, "commit", "-q", "-m", message, day=day)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pinned_today():
    """Pin the validator's 'today' for the module's fixtures (conftest's `today`, module-wide)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOSSIER_TODAY", TODAY)
        yield TODAY


@pytest.fixture(scope="module")
def repo(tmp_path_factory, pinned_today) -> tuple[Path, list[str]]:
    """Make the test repository; return it and its four commits, oldest first."""
    repo = tmp_path_factory.mktemp("history") / "repo"
    data = repo / "data"
    shutil.copytree(VALID, data)
    git(repo, "init", "-q")
    actors = data / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + EXTRA_ACTOR, encoding="utf-8")
    shas = [commit(repo, "Add the dataset", DAYS[0])]
    events = data / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + NEW_EVENT, encoding="utf-8")
    shas.append(commit(repo, "Add the second convoy", DAYS[1]))
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("{min: 5, as_reported: at least five}", "{min: 7, as_reported: at least seven}"),
                      encoding="utf-8")
    shas.append(commit(repo, "Correct the tank count", DAYS[2]))
    actors.write_text(actors.read_text(encoding="utf-8").replace(EXTRA_ACTOR, ""), encoding="utf-8")
    shas.append(commit(repo, "Remove a <b>group</b>", DAYS[3]))
    return repo, shas


def pages(data: Path) -> dict[str, str]:
    """Generate the site's text files from a data folder, with its history."""
    return {path: out.decode("utf-8") for path, out in render_all(load_valid(data), data).items()
            if path.endswith((".md", ".xml", ".json", ".csv"))}


@pytest.fixture(scope="module")
def out(repo) -> dict[str, str]:
    """Return the files generated from the test repository's last commit."""
    return pages(repo[0] / "data")


def history_of(page: str) -> str:
    """Return the History and Cite sections of a record page."""
    return page[page.index('<h2 id="history">'):]


def test_record_pages_give_first_and_last_change(repo, out):
    """Each record page says when it was first published and last changed, with the commits."""
    _, shas = repo
    convoy = history_of(out["events/2025-01-17-convoy.md"])
    assert "First published: 1 March 2025" in convoy and "Last changed: 10 March 2025" in convoy
    assert f"/commit/{shas[2]}" in convoy and f"/commit/{shas[0]}" in convoy
    assert "/commits/main/data/events.yaml" in convoy  # the file's history on the repository
    added = history_of(out["events/2025-02-01-second-convoy.md"])
    assert "First published: 5 March 2025" in added and "Last changed: 5 March 2025" in added
    for path in ("actors/russia.md", "systems/t-72b3.md", "sources/report-a.md"):
        assert "Last changed: 1 March 2025" in history_of(out[path]), path
    assert "actors/gone-group.md" not in out


def test_citation_names_the_version(repo, out):
    """"Cite this page" gives the date of the record's last change and its commit."""
    _, shas = repo
    convoy = out["events/2025-01-17-convoy.md"]
    assert f"version of 10 March 2025 (commit {shas[2][:12]})" in convoy


def test_changes_page_lists_each_commit_in_words(repo, out):
    """The "what changed" page lists the commits newest first, with each record's change in words."""
    _, shas = repo
    page = out["changes/index.md"]
    body = page[page.index("<h1"):]
    days = [body.index(f">{d}<") for d in ("15 March 2025", "10 March 2025", "5 March 2025", "1 March 2025")]
    assert days == sorted(days)  # newest first
    assert ("Changed event <a href=\"../events/2025-01-17-convoy/\">Armour convoy arrives in the capital "
            "(17 January 2025)</a>: quantity of main battle tanks: at least 5 → at least 7</li>") in body
    assert 'Added event <a href="../events/2025-02-01-second-convoy/">A second convoy arrives (1 February 2025)</a>' in body
    assert "Removed actor “Gone Group”</li>" in body
    assert "Remove a &lt;b&gt;group&lt;/b&gt;" in body  # commit messages are text, escaped
    assert f'id="commit-{shas[3][:12]}"' in body and f"/commit/{shas[3]}" in body
    assert 'href="../changes.xml"' in body


def test_changes_feed_has_the_same_entries(repo, out):
    """The Atom feed of changes has one entry per commit, newest first, saying the same in words."""
    _, shas = repo
    feed = out["changes.xml"]
    entries = feed.split("<entry>")[1:]
    assert len(entries) == 4
    assert f"changes/#commit-{shas[3][:12]}" in entries[0] and "2025-03-15T12:00:00+00:00" in entries[0]
    assert "Removed actor “Gone Group”" in entries[0]
    assert "Changed event “Armour convoy arrives in the capital (17 January 2025)”: quantity of main battle tanks: " \
           "at least 5 → at least 7" in entries[1]
    assert "<updated>2025-03-15T12:00:00+00:00</updated>" in feed.split("<entry>")[0]


def test_twins_and_csv_carry_the_dates(repo, out):
    """The machine-readable twin and the CSV rows carry each record's first and last change dates."""
    twin = json.loads(out["data/events/2025-01-17-convoy.json"])
    assert (twin["event"]["first_published"], twin["event"]["last_changed"]) == ("2025-03-01", "2025-03-10")
    assert twin["actors"][0]["last_changed"] == "2025-03-01"
    header, *rows = out["data/events.csv"].splitlines()
    columns = header.split(",")
    row = next(r for r in rows if r.startswith("2025-01-17-convoy,"))
    assert "2025-03-01" in row and "2025-03-10" in row and "last_changed" in columns


def test_exports_with_dates_validate_with_frictionless(out, tmp_path):
    """The CSV files with their first and last change dates filled in validate as a Data Package."""
    for path, text in out.items():
        if path.startswith("data/") and path.endswith((".csv", "datapackage.json")):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text, encoding="utf-8")
    package = json.loads(out["data/datapackage.json"])
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    assert all("first_published" in fields[t] and "last_changed" in fields[t] for t in ("events", "actors", "systems", "sources"))
    done = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "datapackage.json"],
                          cwd=tmp_path / "data", capture_output=True, text=True, timeout=300, check=False)
    assert json.loads(done.stdout)["valid"], done.stdout[:3000]


def test_uncommitted_edit_is_shown_as_such(repo, tmp_path):
    """A record edited in the working tree is 'not yet committed'; the changes page lists commits only."""
    folder = tmp_path / "copy"
    shutil.copytree(repo[0], folder)
    events = folder / "data" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("Shipment leaves the Baltic", "Ship leaves"),
                      encoding="utf-8")
    out = pages(folder / "data")
    assert "Last changed: not yet committed" in out["events/2024-12-shipment.md"]
    assert "version of" not in history_of(out["events/2024-12-shipment.md"])
    assert "Last changed: 10 March 2025" in out["events/2025-01-17-convoy.md"]
    assert "Ship leaves" not in out["changes/index.md"]
    assert "last_changed" not in json.loads(out["data/events/2024-12-shipment.json"])["event"]


def test_shallow_clone_builds_and_says_history_is_unavailable(repo, tmp_path, caplog, monkeypatch):
    """A shallow clone builds; its pages say the history is unavailable, and a line is logged."""
    folder, _ = repo
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{folder}", str(shallow))
    monkeypatch.setattr(history, "_told", set())  # said once per process: say it again here
    with caplog.at_level(logging.WARNING, logger="dossier.history"):
        out = pages(shallow / "data")
    assert "history unavailable: the checkout is shallow" in caplog.text
    assert "The history of this record is unavailable in this build (the checkout is shallow)" in \
        out["events/2025-01-17-convoy.md"]
    assert "The history of the records is unavailable" in out["changes/index.md"]
    assert "first_published" not in out["data/events/2025-01-17-convoy.json"]


def test_outside_git_the_history_is_unavailable(valid_dir, today, caplog, monkeypatch):
    """Outside a git checkout the build works and says the history is unavailable."""
    monkeypatch.setattr(history, "_told", set())  # said once per process: say it again here
    with caplog.at_level(logging.WARNING, logger="dossier.history"):
        out = pages(valid_dir)
    assert "history unavailable" in caplog.text
    assert "not in a git checkout" in out["events/2025-01-17-convoy.md"]


def test_two_builds_of_one_commit_are_identical(repo, tmp_path, monkeypatch):
    """Two builds of the same commit write byte-identical files."""
    folder, _ = repo
    trees = []
    monkeypatch.setenv("DOSSIER_JOBS", "1")  # one process: the page process is tested elsewhere
    for name in ("one", "two"):
        docs = tmp_path / name
        build(folder / "data", docs)
        history._walked.clear()  # the second build walks the history again, as a new process would
        trees.append({p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1] and "changes/index.md" in trees[0]


def test_compare_finds_edits_far_apart():
    """Two edits far apart in a large file are found, each with its own record only."""
    records = [f"- id: r{i}\n  name: Record {i}\n  note: {'x' * 40}\n" for i in range(5000)]
    old = "".join(records).encode()
    records[10] = records[10].replace("Record 10", "Record ten")
    records[4000] = records[4000].replace("Record 4000", "Record 4k")
    records.append("- id: r-new\n  name: New\n")
    before, after = history.compare(old, "".join(records).encode())
    assert sorted(before) == ["r10", "r4000"] and sorted(after) == ["r-new", "r10", "r4000"]


def test_describe_uses_the_site_labels():
    """Field changes read as the pages do: quantities and dates in words, lists member by member."""
    old = {"date": "2025-01-17", "equipment": [{"item": "tanks", "quantity": {"min": 5}}],
           "actors": [{"actor": "a", "role": "supplier"}], "summary": "One."}
    new = {"date": "2025-01~", "equipment": [{"item": "tanks", "quantity": 7}],
           "actors": [{"actor": "b", "role": "supplier"}], "summary": "Two."}
    assert history.describe(old, new) == [
        "date: 17 January 2025 → about January 2025", "quantity of tanks: at least 5 → 7",
        "actor added: b", "actor removed: a", "summary rewritten"]


def test_compare_agrees_with_comparing_every_record():
    """On random edits (changed, added, removed, moved records), compare finds exactly the records that differ."""
    rng = random.Random(19)
    for _ in range(200):
        records = [f"- id: r{i}\n  name: Record {i}\n  note: {'y' * rng.randrange(4000)}\n" for i in range(60)]
        new = list(records)
        for _ in range(rng.randrange(1, 6)):
            i, what = rng.randrange(len(new)), rng.choice(("change", "add", "remove", "move"))
            if what == "change":
                new[i] = new[i].replace("name:", "name: changed")
            elif what == "add":
                new.insert(i, f"- id: n{rng.randrange(10**6)}\n  name: New\n")
            elif what == "remove" and len(new) > 1:
                new.pop(i)
            else:
                new.insert(rng.randrange(len(new)), new.pop(i))
        everything = [dict(zip([r.split("\n")[0][6:] for r in side], side)) for side in (records, new)]
        expected = {k for k in everything[0].keys() | everything[1].keys()
                    if everything[0].get(k) != everything[1].get(k)}
        before, after = history.compare("".join(records).encode(), "".join(new).encode())
        assert before.keys() | after.keys() == expected
