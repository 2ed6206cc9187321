"""Problems: one line each, sorted in file order, each reported once."""

from __future__ import annotations

from dossier.errors import Problem, shown, tidy


def test_problem_format():
    """A problem prints as FILE:LINE:COL: severity[CODE]: message."""
    assert str(Problem("events.yaml", 3, 9, "bad-date", "fix it")) == "events.yaml:3:9: error[bad-date]: fix it"


def test_message_is_forced_onto_one_line():
    """Line breaks of every kind in a message are escaped."""
    message = Problem("e.yaml", 1, 1, "bad-text", "a\nb\rc\u2028d\x85e").message
    assert message == "a\\nb\\rc\\u2028d\\x85e"


def test_shown_cuts_long_values():
    """Long values are cut to the limit with an ellipsis."""
    assert shown("x" * 100, 10) == "x" * 9 + "…"
    assert shown(5) == "5"


def test_tidy_sorts_in_file_order_and_drops_repeats():
    """Sources come before events whatever the order found; a repeated problem appears once."""
    late = Problem("data/events.yaml", 1, 1, "bad-id", "m")
    early = Problem("data/sources.yaml", 9, 1, "bad-id", "m")
    assert tidy([late, early, late]) == [early, late]
