"""A Babel extraction method for the controlled vocabularies: every kind, role and category in the catalogue.

The vocabularies are tuples of the values contributors write (dossier/schema.py)
and the inverse relations' wording (dossier/model.py). Marking each of some
hundred values with a gettext call would copy the lists; this method reads the
assignments named in `i18n.VOCABULARIES` from the source instead, so a value
added there reaches the catalogue at the next `make messages`, and the test of
the catalogue fails until it is translated. babel.cfg maps it to those two files.
"""

from __future__ import annotations

import ast
import io

from babel.messages.extract import extract_python

from .i18n import VOCABULARIES


def _assigned(tree: ast.Module):
    """Yield (name, value node) for every top-level assignment to a single name."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            yield node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            yield node.target.id, node.value


def _strings(value: ast.expr) -> list[ast.Constant]:
    """Return the text constants of a tuple or list, or of a dict's values."""
    items = value.values if isinstance(value, ast.Dict) else getattr(value, "elts", [])
    return [item for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def vocabularies(fileobj, keywords, comment_tags, options):
    """Yield each vocabulary value as a pgettext message in its vocabulary's context, then the file's marked
    messages as Babel's Python method finds them (Babel's signature)."""
    source = fileobj.read()
    tree = ast.parse(source.decode(options.get("encoding", "utf-8")))
    for name, value in _assigned(tree):
        context = VOCABULARIES.get(name)
        for item in _strings(value) if context else ():
            comment = (f"{name}: how a relation reads from the other actor's page."
                       if isinstance(value, ast.Dict)
                       else f"{name}: a value as contributors write it; English pages show it as is.")
            yield item.lineno, "pgettext", (context, item.value), [comment]
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
