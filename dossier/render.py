"""Stage stub: replaced by the real render stage."""

from __future__ import annotations

from .model import Dossier


def outputs(dossier: Dossier) -> dict[str, bytes]:
    """Return the files this stage generates, keyed by path under docs/."""
    return {}
