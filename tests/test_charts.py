"""The charts stage: deterministic SVG in the map's colours, with text alternatives that state the figures."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import made
from dossier import charts, i18n, style
from dossier.build import load_valid
from dossier.dates import parse_date
from dossier.model import build_dossier
from dossier.validate import Dataset

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def dossier():
    """Index the tiny valid fixture."""
    return build_dossier(load_valid(FIXTURES / "valid"))


def test_two_builds_give_identical_bytes(dossier):
    """The same data draws the same SVG bytes, with no date in the metadata."""
    first, second = made(charts.outputs, dossier), made(charts.outputs, dossier)
    assert first == second
    assert set(first) == {charts.path(name, lang) for name in charts.CHARTS for lang in ("en", "fr")}
    for data in first.values():
        assert b"<dc:date>" not in data


def test_timeline_uses_the_map_colours(dossier):
    """A reader sees the same colour for deliveries on the chart as on the map."""
    svg = made(charts.outputs, dossier)[charts.CHARTS["timeline"]].decode()
    assert style.LAYER_COLOURS["deliveries"].lower() in svg.lower()


def test_no_request_leaves_the_site(dossier):
    """Charts reference nothing outside themselves (the SVG namespace is not a request)."""
    for data in made(charts.outputs, dossier).values():
        text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", data.decode())
        assert "http" not in text


def test_alt_text_states_the_figures(dossier):
    """The text alternative gives the range and total, and says what is too coarse to place."""
    alt = charts.alt_text(dossier)
    # The fixture: one event on a day (2025 Q1), one in a month (2024 Q4), one dated to a year only.
    assert alt["timeline"].startswith("Events per quarter by kind, 2024 Q4 to 2025 Q1: 2 in all")
    assert "1 event is dated less precisely than a quarter" in alt["timeline"]


@pytest.mark.parametrize("text, expected", [
    ("2025-01-17", "2025 Q1"), ("2024-12~", "2024 Q4"), ("2024-04/2024-06", "2024 Q2"),
    ("2024", None), ("2024-03/2024-04", None), ("2021?/2022-04", None),
])
def test_a_date_is_placed_only_within_one_quarter(text, expected):
    """A year-only date or a span across quarters is never drawn as if it were precise."""
    assert charts.quarter(parse_date(text)) == expected


def test_empty_dataset_draws_a_chart_that_says_so():
    """With no events the stage still writes charts, and the alternative says there is nothing."""
    empty = build_dossier(Dataset((), (), (), ()))
    out = made(charts.outputs, empty)
    assert b"No events to show" in out[charts.CHARTS["timeline"]]
    assert charts.alt_text(empty)["timeline"].endswith("none to show.")
    assert "Aucun événement à montrer" in out[charts.path("timeline", "fr")].decode()


def svg_texts(svg: bytes) -> list[str]:
    """Return the texts a chart shows (matplotlib writes its text as text)."""
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode())]


def test_french_charts_speak_french(dossier):
    """The French pages' charts have French titles, axis, quarters and legends; no English word of them is left."""
    out = made(charts.outputs, dossier)
    english = svg_texts(out[charts.path("timeline")]) + svg_texts(out[charts.path("deliveries")])
    french = svg_texts(out[charts.path("timeline", "fr")]) + svg_texts(out[charts.path("deliveries", "fr")])
    assert {"Events per quarter", "count", "2025 Q1", "Deliveries", "main battle tank"} <= set(english)
    assert {"Événements par trimestre", "Livraisons comptées par trimestre", "nombre", "T1 2025", "T4 2024",
            "Livraisons", "char de combat"} <= set(french)
    assert not set(french) & set(english) - {str(n) for n in range(100)}, "a chart label left in English"
    assert i18n.leftover_english("".join(f"<p>{t}</p>" for t in french), "fr") == []
    assert "T4 2024" in charts.alt_text(dossier, "fr")["timeline"]


def test_a_chart_of_one_quarter_says_so(dossier):
    """A chart whose bars fall in one quarter names it once, not as a span from it to itself."""
    assert charts.alt_text(dossier)["deliveries"].startswith(
        "Counted deliveries per quarter by system category, 2025 Q1 only: 1 in all.")
    assert "au T1 2025 seulement" in charts.alt_text(dossier, "fr")["deliveries"]


def _legend_and_plot(svg: bytes) -> tuple[list[float], float, list[str], list[str]]:
    """Return a chart's legend's y coordinates, the plot's top edge (SVG y grows downwards), and the legend's
    labels and colours."""
    text = svg.decode()
    plot = re.search(r'<g id="patch_2">\s*<path d="([^"]*)"', text).group(1)
    top = min(float(y) for y in re.findall(r"[\d.]+ ([\d.]+)", plot))
    start = text.index('<g id="legend_1">')
    end = text.find("<defs>", start)  # the legend is drawn last, before the clip paths
    legend = text[start:end if end >= 0 else None]
    ys = [float(y) for y in re.findall(r'y="([\d.]+)"', legend)]
    ys += [float(y) for path in re.findall(r'<path d="([^"]*)"', legend) for y in re.findall(r"[\d.]+ ([\d.]+)", path)]
    labels = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", legend)]
    return ys, top, labels, re.findall(r"fill: (#[0-9a-f]{6})", legend)


def test_the_legend_is_above_the_bars(dossier):
    """The legend has a band of its own over the plot, so it covers none of the first quarters' bars."""
    for name, svg in made(charts.outputs, dossier).items():
        ys, top, labels, _ = _legend_and_plot(svg)
        assert labels, f"{name} has no legend"
        assert max(ys) < top, f"{name}: the legend reaches y={max(ys)}, into the plot (top {top})"


def test_more_categories_than_colours_are_folded_into_one():
    """Eleven categories (today's data has eleven) are drawn as the seven largest and 'other categories', in
    eight distinct colours: no two series look alike."""
    from collections import Counter

    counts = {"2025 Q1": Counter({f"c{i:02}": i + 1 for i in range(11)})}
    series = {f"c{i:02}": f"category {i}" for i in range(11)}
    colours = {name: charts.CATEGORY_COLOURS[i % 8] for i, name in enumerate(series)}
    _, _, labels, fills = _legend_and_plot(charts._svg(counts, series, colours, charts.DELIVERIES_TITLE))
    assert labels == [f"category {i}" for i in range(4, 11)] + ["other categories"]
    assert len(set(fills)) == 8, f"legend colours {fills}"
    french = charts._svg(counts, series, colours, charts.DELIVERIES_TITLE, "fr")
    assert "autres catégories" in _legend_and_plot(french)[2]
