"""The writer: only files whose bytes differ are written; files and folders no build makes go."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dossier import write
from dossier.write import is_generated, write_changed, write_tree


def files(root: Path) -> dict[str, bytes]:
    """Read every file under a folder, by path relative to it."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stamps(root: Path) -> dict[str, int]:
    """Return every file's modification time, to tell which were written."""
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def age(root: Path) -> None:
    """Set every file's modification time back, so a rewrite shows however fast it comes."""
    for path in root.rglob("*"):
        os.utime(path, ns=(0, 0))


def test_first_write_then_nothing_to_do(tmp_path):
    """A first write makes every file and folder; the same outputs again write nothing."""
    outputs = {"index.md": b"home", "events/a.md": b"a", "assets/generated/maps/events/a.html": b"<p>"}
    report = write_tree(outputs, tmp_path / "docs")
    assert (report.written, report.unchanged, report.removed) == (3, 0, 0)
    assert files(tmp_path / "docs") == outputs
    age(tmp_path / "docs")
    report = write_tree(outputs, tmp_path / "docs")
    assert (report.written, report.unchanged, report.removed) == (0, 3, 0)
    assert set(stamps(tmp_path / "docs").values()) == {0}


def test_only_changed_bytes_are_written(tmp_path):
    """A file of the same size with other bytes, and one of another size, are written; the rest are not."""
    write_tree({"events/a.md": b"aaaa", "events/b.md": b"bbbb", "events/c.md": b"cccc"}, tmp_path)
    age(tmp_path)
    written = write_changed({"events/a.md": b"aaaa", "events/c.md": b"cccccc", "events/b.md": b"bbbB"}, tmp_path)
    assert written == ["events/b.md", "events/c.md"]
    assert {p for p, t in stamps(tmp_path).items() if t} == {"events/b.md", "events/c.md"}
    assert files(tmp_path)["events/c.md"] == b"cccccc"


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_files_get_their_bytes_and_the_usual_mode(umask, tmp_path):
    """A file where there was none is written in place, with the mode open() gives, and nothing else is left."""
    data = bytes(range(256)) * 8192  # 2 MiB: more than one write may take
    mask = os.umask(umask)
    try:
        write_changed({"events/a.md": b"old"}, tmp_path)
        written = write_changed({"events/a.md": b"changed", "events/b.md": data, "events/c.md": b""}, tmp_path)
    finally:
        os.umask(mask)
    assert written == ["events/a.md", "events/b.md", "events/c.md"]
    assert files(tmp_path) == {"events/a.md": b"changed", "events/b.md": data, "events/c.md": b""}
    modes = {stat.S_IMODE((tmp_path / "events" / name).stat().st_mode) for name in ("a.md", "b.md", "c.md")}
    assert modes == {0o666 & ~umask}


def test_a_changed_file_is_replaced_whole(tmp_path):
    """A file that exists is replaced, not rewritten in place: a reader that has it open reads all of the old one."""
    write_changed({"events/a.md": b"old"}, tmp_path)
    with open(tmp_path / "events" / "a.md", "rb") as reader:
        write_changed({"events/a.md": b"new"}, tmp_path)
        assert reader.read() == b"old"
    assert files(tmp_path) == {"events/a.md": b"new"}


def test_a_file_that_appears_meanwhile_is_replaced(tmp_path, monkeypatch):
    """A file made by someone else between the look and the write is replaced, not an error."""
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "a.md").write_bytes(b"theirs")
    monkeypatch.setattr(write, "_holds", lambda path, data: None)  # as if it were not there when looked at
    assert write_changed({"events/a.md": b"ours"}, tmp_path) == ["events/a.md"]
    assert files(tmp_path) == {"events/a.md": b"ours"}


def test_stale_files_go_with_their_emptied_folders_and_hand_written_pages_stay(tmp_path):
    """Generated files no output names are removed, and folders left empty; other files are never touched."""
    write_tree({"events/a.md": b"a", "assets/generated/maps/events/a.html": b"m", "feed.xml": b"f"}, tmp_path)
    (tmp_path / "about.md").write_text("hand-written")
    (tmp_path / "events" / ".a.md.tmp").write_text("left by an interrupted build")
    report = write_tree({"events/b.md": b"b"}, tmp_path)
    assert (report.written, report.unchanged, report.removed) == (1, 0, 4)
    assert files(tmp_path) == {"about.md": b"hand-written", "events/b.md": b"b"}
    assert not (tmp_path / "assets" / "generated").exists() and (tmp_path / "assets").is_dir()


def test_a_folder_in_place_of_a_file_is_an_error(tmp_path):
    """A folder where an output file goes fails loudly rather than being taken as unchanged."""
    (tmp_path / "events" / "a.md").mkdir(parents=True)
    with pytest.raises(OSError):
        write_tree({"events/a.md": b"a"}, tmp_path)


def test_writing_outside_generated_folders_is_refused(tmp_path):
    """Only the generated folders and files are the writer's; a path elsewhere is a bug."""
    assert is_generated("events/a.md") and is_generated("feed.xml") and not is_generated("about.md")
    assert not is_generated("eventsx/a.md")
    with pytest.raises(ValueError):
        write_tree({"about.md": b"x"}, tmp_path)


def test_linked_folders_and_pipes_are_left_alone(tmp_path):
    """Nothing is removed through a symbolic link to a folder, and a named pipe in the way does not block."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("not the generator's")
    docs = tmp_path / "docs"
    (docs / "events").mkdir(parents=True)
    (docs / "events" / "linked").symlink_to(outside, target_is_directory=True)
    os.mkfifo(docs / "events" / "a.md")
    report = write_tree({"events/a.md": b"a"}, docs)
    assert (report.written, report.removed) == (1, 0)
    assert (docs / "events" / "a.md").read_bytes() == b"a"
    assert (outside / "keep.md").read_text() == "not the generator's"
