"""The charts stage: events per quarter by kind, and counted deliveries per quarter by category.

Charts are drawn once at build time as static SVG with matplotlib, in the map's
colours (dossier/style.py), with text kept as text (smaller, searchable, and
readable by assistive technology). Only events whose date falls within one
quarter are placed on the axis; the rest are counted in the text alternative,
so a year-only date never poses as a precise one. Each language has its own
files, their titles, axes and legends in its words (`path`).
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from . import style
from .dates import FuzzyDate
from .i18n import LANGUAGES, NP_, SOURCE, N_, label, number, translate
from .maps import GROUP_LABELS
from .model import Dossier
from .schema import CATEGORIES
from .write import Sink

log = logging.getLogger(__name__)

CHARTS = {
    "timeline": "assets/generated/charts/timeline.svg",
    "deliveries": "assets/generated/charts/deliveries.svg",
}  # the English files; another language's beside them (`path`)
# Fixed so that the same data gives the same bytes: no random ids, no date, text as text. The type is
# sized for a phone, where the chart is shown 600 px wide (docs/assets/dossier.css): about 10 px.
RC = {"svg.hashsalt": "sahel-arms-dossier", "svg.fonttype": "none", "font.family": "DejaVu Sans",
      "font.size": 10, "axes.spines.top": False, "axes.spines.right": False}
_PROLOGUE = re.compile(rb"<!DOCTYPE[^>]*>\n?|\s*<metadata>.*?</metadata>", re.S)
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                    "#7F7F7F")


def path(name: str, lang: str = SOURCE) -> str:
    """Return where a chart is in a language: timeline.svg in English, timeline.fr.svg in French."""
    return CHARTS[name] if lang == SOURCE else CHARTS[name].replace(".svg", f".{lang}.svg")


def quarter(date: FuzzyDate) -> str | None:
    """Return 'YYYY Qn' when the whole date falls in one quarter, else None."""
    q1, q2 = (date.start.month - 1) // 3 + 1, (date.end.month - 1) // 3 + 1
    if date.start.year != date.end.year or q1 != q2:
        return None
    return f"{date.start.year} Q{q1}"


def _axis(keys: list[str]) -> list[str]:
    """Return every quarter from the first to the last key, so gaps show as gaps."""
    if not keys:
        return []
    (y0, q0), (y1, q1) = ((int(k[:4]), int(k[-1])) for k in (min(keys), max(keys)))
    out = []
    while (y0, q0) <= (y1, q1):
        out.append(f"{y0} Q{q0}")
        y0, q0 = (y0 + 1, 1) if q0 == 4 else (y0, q0 + 1)
    return out


def event_counts(d: Dossier) -> tuple[dict[str, Counter], int]:
    """Count events per quarter by map layer; also return how many are dated too coarsely to place."""
    counts: dict[str, Counter] = {}
    coarse = 0
    for event in d.events.values():
        key = quarter(d.date(event))
        if key is None:
            coarse += 1
            continue
        counts.setdefault(key, Counter())[style.LAYER_OF_KIND[event.kind]] += 1
    return counts, coarse


def delivery_counts(d: Dossier) -> tuple[dict[str, Counter], int]:
    """Count counted deliveries (register lines) per quarter by system category."""
    counts: dict[str, Counter] = {}
    coarse = 0
    for system_id, register in sorted(d.system_register.items()):
        category = d.systems[system_id].category
        for line in register:
            if not line.counted:
                continue
            key = quarter(d.date(line.event))
            if key is None:
                coarse += 1
                continue
            counts.setdefault(key, Counter())[category] += 1
    return counts, coarse


# The figure's layout, in points (72 to the inch). 8 x 4 inches: the pages give the image that 2:1 box
# (width/height attributes and docs/assets/dossier.css), so nothing moves when it loads. The legend has
# a band of its own between the title and the bars: inside the plot it covered the first quarters' bars.
SIZE = (8, 4)
LEGEND_TEXT = 9
LEGEND_ROW = 13.5  # a legend row's height at 9 pt (the text and matplotlib's spacing of half a line)
CHAR = 0.6 * LEGEND_TEXT  # a wide estimate of a DejaVu Sans character's advance at 9 pt
ENTRY = 2.6 * LEGEND_TEXT  # a legend entry besides its text: the colour patch, its gap, the space to the next
MARGINS = {"left": 0.07, "right": 0.99, "bottom": 0.19}  # the rotated quarter labels take the bottom 55 pt
TITLE_BAND = 24  # points from the figure's top to the legend's first row
MAX_SERIES = len(CATEGORY_COLOURS)  # beyond eight colours two series would look alike


def _fold(counts: dict[str, Counter], series: dict[str, str], colours: dict[str, str],
          lang: str) -> tuple[dict[str, Counter], dict[str, str], dict[str, str]]:
    """Keep the seven largest series (in their order) and sum the rest as "other categories" in grey, when
    there are more series than distinct colours; return the counts, series and colours to draw."""
    totals = Counter()
    for counter in counts.values():
        totals.update(counter)
    drawn = [name for name in series if totals[name]]
    if len(drawn) <= MAX_SERIES:
        return counts, series, colours
    rank = {name: i for i, name in enumerate(series)}
    kept = set(sorted(drawn, key=lambda name: (-totals[name], rank[name]))[:MAX_SERIES - 1])
    folded = {key: Counter({name: n for name, n in counter.items() if name in kept}) for key, counter in counts.items()}
    for key, counter in counts.items():
        folded[key][OTHERS] = sum(n for name, n in counter.items() if name not in kept)
    shown = {name: series[name] for name in series if name in kept} | {OTHERS: translate(lang, OTHER_SERIES)}
    palette = dict(zip(shown, CATEGORY_COLOURS))  # the grey, last, goes to the folded series
    return folded, shown, palette


def _legend_rows(labels: list[str]) -> tuple[int, int]:
    """Return the legend's columns and rows: as many columns of the widest label as the plot's width holds."""
    width = 72 * SIZE[0] * (MARGINS["right"] - MARGINS["left"])
    widest = max(len(text) for text in labels) * CHAR + ENTRY
    columns = max(1, min(len(labels), int(width // widest)))
    return columns, -(-len(labels) // columns)


def _svg(counts: dict[str, Counter], series: dict[str, str], colours: dict[str, str], title: str,
         lang: str = SOURCE) -> bytes:
    """Draw stacked bars per quarter, each series under its name in `series`, its words in a language, and
    return deterministic SVG bytes."""
    # Imported here, not above: every command imports the pipeline, and matplotlib and Folium at the
    # top took `build_pages.py check` from 0.6 s to 1.6 s of CPU (ARCHITECTURE.md).
    import matplotlib
    from matplotlib.figure import Figure  # not pyplot: no display, no figure manager, a faster import

    counts, series, colours = _fold(counts, series, colours, lang)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=SIZE)
        ax = fig.subplots()
        axis = _axis(list(counts))
        if not axis:
            ax.text(0.5, 0.5, translate(lang, NO_EVENTS), ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
        bottom = [0] * len(axis)
        x = range(len(axis))  # numbers, not quarter names: a categorical axis makes a tick per bar (slow)
        for name, shown in series.items():
            values = [counts.get(k, Counter())[name] for k in axis]
            if any(values):
                ax.bar(x, values, bottom=bottom, color=colours[name], label=shown, width=0.8)
                bottom = [b + v for b, v in zip(bottom, values)]
        band = 0
        if axis:
            ax.set_ylabel(translate(lang, COUNT))
            ax.yaxis.get_major_locator().set_params(integer=True)
            step = max(1, len(axis) // 16)
            ax.set_xticks(range(0, len(axis), step), [quarter_label(k, lang) for k in axis[::step]], rotation=45,
                          ha="right")
            labels = ax.get_legend_handles_labels()[1]
            if labels:
                columns, rows = _legend_rows(labels)
                band = rows * LEGEND_ROW
                # Above the plot, its lower edge a few points over the bars' top; the title above it.
                ax.legend(frameon=False, fontsize=LEGEND_TEXT, loc="lower left", bbox_to_anchor=(0, 1.02),
                          ncol=columns, borderpad=0, borderaxespad=0, handlelength=1.2, columnspacing=1.2)
        ax.set_title(translate(lang, title), loc="left", pad=band + 8)
        # Fixed margins instead of tight_layout, which measured every tick label and took most of the time.
        top = 1 - (TITLE_BAND + band + 8) / (72 * SIZE[1])
        fig.subplots_adjust(top=top, **MARGINS)
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    # The DOCTYPE and RDF metadata only name W3C and Dublin Core URIs; dropping them keeps the rule
    # "no http in generated files but the tile template" checkable without exceptions.
    return _PROLOGUE.sub(b"", out.getvalue())


# The charts' own words and the alt texts' sentences (extracted for the catalogue; dossier/i18n.py translates them).
TIMELINE_TITLE = N_("Events per quarter")
DELIVERIES_TITLE = N_("Counted deliveries per quarter")
COUNT = N_("count")
NO_EVENTS = N_("No events to show")
OTHER_SERIES = N_("other categories")  # the smallest categories summed, when there are more than colours
OTHERS = "~others"  # the folded series' key: no category or layer is spelt with a tilde
QUARTER = NP_("quarter", "%(year)s Q%(n)s")  # French writes 'T1 2025' (trimestre)
NONE_TO_SHOW = N_("%(what)s: none to show.")
SUMMARY = N_("%(what)s, %(first)s to %(last)s: %(total)s in all, most in %(busiest)s (%(most)s).")
SUMMARY_ONE = N_("%(what)s, %(first)s only: %(total)s in all.")  # one quarter: not "2025 Q1 to 2025 Q1"
LEFT_OUT = {"events": (N_("%(n)s event is dated less precisely than a quarter and not shown."),
                       N_("%(n)s events are dated less precisely than a quarter and not shown.")),
            "deliveries": (N_("%(n)s delivery is dated less precisely than a quarter and not shown."),
                           N_("%(n)s deliveries are dated less precisely than a quarter and not shown."))}
TIMELINE_ALT = N_("Events per quarter by kind")
DELIVERIES_ALT = N_("Counted deliveries per quarter by system category")


def quarter_label(key: str, lang: str = SOURCE) -> str:
    """Name a quarter ('2025 Q1') for readers in a language: '2025 Q1' in English, 'T1 2025' in French."""
    return translate(lang, QUARTER, year=key[:4], n=key[-1])


def _describe(counts: dict[str, Counter], coarse: int, what: str, unplaced: str, lang: str = SOURCE) -> str:
    """Say in words what a chart shows, in a language: range, total, busiest quarter, what is left out."""
    what = translate(lang, what)
    if not counts:
        return translate(lang, NONE_TO_SHOW, what=what)
    totals = {k: sum(c.values()) for k, c in counts.items()}
    busiest = max(sorted(totals), key=lambda k: totals[k])
    text = translate(lang, SUMMARY if len(totals) > 1 else SUMMARY_ONE, what=what,
                     first=quarter_label(min(totals), lang), last=quarter_label(max(totals), lang),
                     total=number(sum(totals.values()), lang), busiest=quarter_label(busiest, lang),
                     most=number(totals[busiest], lang))
    if coarse:
        text += " " + translate(lang, LEFT_OUT[unplaced][0 if coarse == 1 else 1], n=number(coarse, lang))
    return text


def alt_text(d: Dossier, lang: str = SOURCE) -> dict[str, str]:
    """Return a text alternative for each chart in a language, stating its figures in words."""
    events, coarse_events = event_counts(d)
    deliveries, coarse_deliveries = delivery_counts(d)
    return {
        "timeline": _describe(events, coarse_events, TIMELINE_ALT, "events", lang),
        "deliveries": _describe(deliveries, coarse_deliveries, DELIVERIES_ALT, "deliveries", lang),
    }


def outputs(d: Dossier, out: Sink) -> None:
    """Put the chart files of every language into `out`, keyed by path under docs/."""
    events, _ = event_counts(d)
    deliveries, _ = delivery_counts(d)
    used = [c for c in CATEGORIES if any(c in counter for counter in deliveries.values())]
    colours = {c: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, c in enumerate(used)}
    for lang in LANGUAGES:
        layers = {layer: translate(lang, GROUP_LABELS[layer]) for layer in style.LAYERS}
        categories = {c: label(lang, "CATEGORIES", c) for c in used}
        out[path("timeline", lang)] = _svg(events, layers, style.LAYER_COLOURS, TIMELINE_TITLE, lang)
        out[path("deliveries", lang)] = _svg(deliveries, categories, colours, DELIVERIES_TITLE, lang)
