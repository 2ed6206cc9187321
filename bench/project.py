"""Lay out the benchmark's throw-away projects: the dossier on synthetic data, and bare Material."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import yaml

from dossier.write import is_generated

from .history import commit_history
from .synth import generate, write_dataset

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
# Never linked into a project: its own data and docs are written there; the rest is not needed.
NOT_LINKED = {"data", "docs", "site", "bench", "tests", "mkdocs.yml", "mkdocs.fr.yml"}
# The bare baseline keeps the theme and what changes the theme's work; the rest is the dossier's own.
BARE_KEEPS = ("theme", "plugins", "markdown_extensions", "validation", "use_directory_urls", "strict",
              "site_url", "repo_url", "repo_name", "edit_uri", "copyright")


class _Tagged(str):
    """A YAML value with an explicit tag (`!!python/name:...`), kept as written."""

    tag = ""


class _TolerantLoader(yaml.SafeLoader):
    """Read mkdocs.yml, keeping Python tags as tagged text instead of importing anything."""


def _keep_tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> _Tagged:
    """Keep a tagged scalar with its tag."""
    value = _Tagged(loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else "")
    value.tag = node.tag
    return value


def _dump_tagged(dumper: yaml.Dumper, value: _Tagged) -> yaml.Node:
    """Write a tagged scalar back with its tag."""
    return dumper.represent_scalar(value.tag, str(value))


class _Dumper(yaml.SafeDumper):
    """Write a config back, tags included."""


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_TolerantLoader.add_multi_constructor("!", _keep_tag)
_Dumper.add_representer(_Tagged, _dump_tagged)


def read_config(path: Path) -> dict:
    """Read an mkdocs.yml without running its Python tags."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}


def set_aside(out: Path) -> Path | None:
    """Move the previous run's projects into one folder, to delete once this run is measured; return it."""
    # This machine's ext4 has no journal, and then it avoids reusing an inode freed in the last
    # five minutes: every file created meanwhile scans past the freed ones. Deleting the last
    # run's 65,000 files just before the generator writes 32,000 made its writes up to 10 x slower.
    # Earlier trash too, left by a run that was stopped before it could delete it.
    old = sorted(p for pattern in ("n*", ".old-*") for p in out.glob(pattern) if p.is_dir()) if out.is_dir() else []
    if not old:
        return None
    trash = Path(tempfile.mkdtemp(prefix=".old-", dir=out))
    for path in old:
        path.rename(trash / path.name)
    return trash


def dossier_project(n: int, base: Path, history: int = 0) -> Path:
    """Lay out `base` as a copy of the repository with N synthetic events, committed in `history` steps
    (0: a repository without a commit, so the build's history is unavailable, as outside git)."""
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    for entry in ROOT.iterdir():
        # Code is linked, not copied, so the benchmark measures the working tree as it is.
        if entry.name not in NOT_LINKED and not entry.name.startswith("."):
            (base / entry.name).symlink_to(entry)
    shutil.copy2(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    shutil.copy2(ROOT / "mkdocs.fr.yml", base / "mkdocs.fr.yml")  # the French edition (INHERITs the copy above)
    _copy_handwritten(ROOT / "docs", base / "docs")
    write_dataset(n, base / "data")
    commit_history(base, generate(n), history, seed=n)
    return base


def _copy_handwritten(src: Path, dst: Path) -> None:
    """Copy the hand-written part of docs/ (the generator writes the rest)."""
    dst.mkdir(parents=True, exist_ok=True)
    if not src.is_dir():
        return
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        if path.is_file() and not is_generated(rel):
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dst / rel)


def bare_config(config: dict) -> dict:
    """Derive bare Material's config: the same theme, features, plugins and extensions, no hooks, no search plugin.

    The floor of `make site`: the site's search is not Material's plugin (the search index is built over
    the finished site), so the plugin is no part of the floor.
    """
    bare = {key: config[key] for key in BARE_KEEPS if key in config}
    bare["plugins"] = [p for p in bare.get("plugins") or [] if (next(iter(p)) if isinstance(p, dict) else p) != "search"]
    theme = dict(bare.get("theme") or {"name": "material"})
    theme.pop("custom_dir", None)  # overrides are the dossier's own work, not the theme's
    bare.update(site_name="Bare Material", docs_dir="docs", site_dir="site", theme=theme,
                nav=[{"Home": "index.md"}])  # the other pages are out of the nav, as entity pages are
    return bare


def bare_project(pages: int, config: dict, base: Path) -> Path:
    """Lay out bare Material with `pages` trivial pages (one of them the home page); return it."""
    if base.exists():
        shutil.rmtree(base)
    docs = base / "docs" / "pages"
    docs.mkdir(parents=True)
    (base / "docs" / "index.md").write_text("# Bare Material\n\nThe benchmark's baseline.\n")
    for i in range(1, pages):
        (docs / f"p{i:06d}.md").write_text(f"# Page {i}\n\nA trivial page, number {i}.\n")
    (base / "mkdocs.yml").write_text(yaml.dump(bare_config(config), Dumper=_Dumper, sort_keys=False), encoding="utf-8")
    return base
