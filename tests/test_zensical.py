"""Builder-independent: `build_pages.py build`, then Zensical (which reads mkdocs.yml but runs no hooks), gives a usable site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, VALID

from dossier.build import load_valid
from dossier.escape import inert_html
from dossier.schema import KINDS
from dossier.write import is_generated

pytestmark = pytest.mark.slow
ZENSICAL = Path(sys.executable).parent / "zensical"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Generate the fixture's pages into a copy of the project, then build it with Zensical."""
    if not ZENSICAL.is_file():
        pytest.skip("zensical is not installed (requirements-dev.lock)")
    project = tmp_path_factory.mktemp("zensical")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "docs", project / "docs",
                    ignore=lambda folder, names: [n for n in names if is_generated(
                        (Path(folder) / n).relative_to(ROOT / "docs").as_posix())])
    env = {**os.environ, "DOSSIER_TODAY": TODAY}
    for command in ([sys.executable, str(ROOT / "build_pages.py"), "build", "--data", str(VALID),
                     "--docs", str(project / "docs")], [str(ZENSICAL), "build"]):
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


def test_every_record_has_its_page(site):
    """Each event, actor, system and source has a page, showing its name as its heading."""
    dataset = load_valid(VALID)
    for kind in KINDS:
        for record in getattr(dataset, kind.file):
            page = (site / kind.folder / record.id / "index.html").read_text(encoding="utf-8")
            assert "<h1 id=" in page and inert_html(kind.name_of(record)) in page


def test_the_map_and_downloads_are_in_place(site):
    """The map page's sketch opens its map, which loads its own scripts; Downloads links files that exist."""
    page = (site / "map" / "index.html").read_text(encoding="utf-8")
    assert 'href="map.html"' in page and (site / "map" / "map.html").is_file()
    assert (site / "assets" / "generated" / "maps" / "dossier-map.js").is_file()
    downloads = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    for path in ("data/events.json", "data/events.csv", "data/datapackage.json", "feed.xml"):
        assert f'href="../{path}"' in downloads and (site / path).is_file()


def test_a_record_page_keeps_its_tables_and_links(site):
    """An event page's finished HTML passes through Markdown intact: its tables and its links to other pages."""
    page = (site / "events" / "2025-01-17-convoy" / "index.html").read_text(encoding="utf-8")
    assert '<table class="dossier-compact' in page and 'href="../../actors/' in page and 'href="../../sources/' in page
    assert "&lt;table" not in page and "<p><tr>" not in page
