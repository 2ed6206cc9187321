#!/usr/bin/env python3
"""Command line for the Sahel Arms Dossier: check the data, write schemas, build the pages.

Exit status: 0 success, 1 invalid data, 2 wrong usage, 3 the machine lacks a package the build needs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from dossier import translations
from dossier.build import build, check
from dossier.errors import DataError, Problem, SetupError, tidy
from dossier.jsonschema import schema_files
from dossier.schema import KINDS
from dossier.write import write_tree

ROOT = Path(__file__).resolve().parent
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_SETUP = 0, 1, 2, 3


def _report(problems: list[Problem], strict: bool) -> int:
    """Print every problem and a summary line; return the exit status."""
    order = {kind.file: i for i, kind in enumerate(KINDS)}
    problems = sorted(problems, key=lambda p: (order.get(Path(p.file).stem, 9), p.file, p.line, p.col))
    for problem in problems:
        print(problem)
    summary, failing = _summary(problems, strict)
    print(summary)
    return EXIT_INVALID if failing else EXIT_OK


def _summary(problems: list[Problem], strict: bool) -> tuple[str, bool]:
    """Count the errors and warnings in one line; say whether they fail the run (warnings only with --strict)."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    blocking = sum(p.severity != "error" and p.fails(True) for p in problems)
    failing = bool(errors + (blocking if strict else 0))
    verdict = "invalid" if failing else "valid"
    return (f"{verdict}: {errors} error(s), {warnings} warning(s)"
            f"{' (warnings fail with --strict)' if blocking and strict else ''}"), failing


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the data and report every problem."""
    return _report(check(args.data, _display(args.data))[1], args.strict)


def cmd_translations(args: argparse.Namespace) -> int:
    """List a language's stale and missing translated fields for translators (--skeleton: YAML to fill in)."""
    dataset, problems = check(args.data, _display(args.data))
    tr, found = translations.load(args.data, args.lang, dataset, _display(args.data))
    errors = [p for p in tidy(problems + found) if p.severity == "error"]  # check() read them too
    if errors:
        return _report(errors, False)
    print("\n".join((translations.skeleton if args.skeleton else translations.todo)(dataset, tr)))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Validate the data, then generate the pages; on invalid data write nothing."""
    try:
        report = build(args.data, args.docs, strict=args.strict)
    except DataError as exc:
        _report(exc.problems, args.strict)
        print("nothing written: fix the problems above and build again", file=sys.stderr)
        return EXIT_INVALID
    except SetupError as exc:
        print(f"error[setup]: {exc}", file=sys.stderr)
        return EXIT_SETUP
    print(f"generated pages: {report}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema of each data file."""
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in schema_files().items():
        (args.out / name).write_bytes(data)
    print(f"wrote {len(schema_files())} schemas to {args.out}")
    return EXIT_OK


def cmd_clean(args: argparse.Namespace) -> int:
    """Remove every generated file under docs/, leaving hand-written pages alone."""
    report = write_tree({}, args.docs)
    print(f"generated pages: {report}")
    return EXIT_OK


def _display(path: Path) -> str:
    """Show a data path relative to the working directory when possible, as editors expect."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    p = argparse.ArgumentParser(prog="build_pages.py", description=__doc__.splitlines()[0])
    p.add_argument("-v", "--verbose", action="store_true", help="log each stage")
    sub = p.add_subparsers(dest="command", required=True)
    for name, func, help_text in (("check", cmd_check, "validate the data files"),
                                  ("build", cmd_build, "validate, then generate the pages under docs/")):
        c = sub.add_parser(name, help=help_text)
        c.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
        c.add_argument("--strict", action="store_true", help="fail on warnings too")
        c.set_defaults(func=func)
    sub.choices["build"].add_argument("--docs", type=Path, default=ROOT / "docs",
                                      help="MkDocs docs directory to write into (default: docs/)")
    k = sub.add_parser("clean", help="remove the generated pages under docs/")
    k.add_argument("--docs", type=Path, default=ROOT / "docs", help="MkDocs docs directory (default: docs/)")
    k.set_defaults(func=cmd_clean)
    t = sub.add_parser("translations", help="list the stale and missing translations of a language")
    t.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    t.add_argument("--lang", choices=translations.TRANSLATED, default=translations.TRANSLATED[0])
    t.add_argument("--skeleton", action="store_true", help="print YAML records for the missing fields")
    t.set_defaults(func=cmd_translations)
    s = sub.add_parser("schema", help="write the JSON Schemas of the data files")
    s.add_argument("--out", type=Path, default=ROOT / "schema", help="output folder (default: schema/)")
    s.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 terminal must not turn 'é' into a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    p = parser()
    args = p.parse_args(argv)  # argparse exits with 2 on wrong usage
    if getattr(args, "data", None) and not args.data.is_dir():  # a mistyped --data is wrong usage
        p.error(f"--data {args.data}: no such folder; give the folder that holds events.yaml")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
