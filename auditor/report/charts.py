"""Trailing-weeks charts as deterministic, self-contained SVG.

Uses matplotlib's object API (no pyplot state), a fixed hash salt and no date metadata, so the same data
gives byte-identical SVG. Imported lazily: matplotlib takes about a second to load.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import matplotlib
from markupsafe import escape
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from auditor.report.dataset import WeeklySeries

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Narrow enough that text stays legible when a phone scales the chart to its width; the legend sits above
# the axes so the bars get the full width.
FIGSIZE = (6.0, 3.4)
LEGEND_COLUMNS = 4
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "gpu-rental-auditor",
    "svg.fonttype": "none",  # text stays text: smaller, selectable, no embedded glyphs
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
NO_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
ID_ATTR = re.compile(r'\bid="([^"]+)"')
ID_REF = re.compile(r'(url\(#|href="#)([^")]+)')
ROOT_NOISE = re.compile(r'\s(?:xmlns(?::xlink)?|width|height)="[^"]*"')


@dataclass(frozen=True)
class Chart:
    """One chart: its file name, a title that doubles as alt text, and the standalone SVG document."""

    name: str
    title: str
    svg: str

    def inline(self) -> str:
        """The SVG for embedding in HTML5: no XML prolog or DTD, ids namespaced, sized by CSS."""
        body = self.svg[self.svg.index("<svg"):]
        ids = set(ID_ATTR.findall(body))
        body = ID_ATTR.sub(lambda m: f'id="{self.name}-{m.group(1)}"', body)
        body = ID_REF.sub(
            lambda m: m.group(1) + (f"{self.name}-{m.group(2)}" if m.group(2) in ids else m.group(2)), body
        )
        head_end = body.index(">")
        root = ROOT_NOISE.sub("", body[:head_end])
        title = f'<title id="{self.name}-title">{escape(self.title)}</title>'
        return f'{root} role="img" aria-labelledby="{self.name}-title">{title}{body[head_end + 1:]}'


def render_charts(series: WeeklySeries) -> tuple[Chart, ...]:
    """Stacked bars, so each week's total reads off the top and no marketplace hides behind another."""
    span = f"{series.weeks[0]} to {series.weeks[-1]}"
    return (
        Chart(
            "h100e_hours_by_week",
            f"H100e-hours per week by marketplace, {span}",
            _stacked_bars(series, _floats(series.h100e_hours), "H100e-hours", integer=False),
        ),
        Chart(
            "rentals_by_week",
            f"Rentals per week by marketplace, {span}",
            _stacked_bars(series, series.rentals, "Rentals", integer=True),
        ),
    )


def _stacked_bars(
    series: WeeklySeries, values: tuple[tuple[float, ...], ...] | tuple[tuple[int, ...], ...], ylabel: str,
    *, integer: bool,
) -> str:
    with matplotlib.rc_context(RC):
        fig, ax = _figure(series, ylabel)
        bottom = [0.0] * len(series.weeks)
        for i, (market, heights) in enumerate(zip(series.marketplaces, values, strict=True)):
            ax.bar(series.weeks, heights, bottom=bottom, label=market, color=_colour(i), width=0.7)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        if integer:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        return _finish(fig, ax, series)


def _figure(series: WeeklySeries, ylabel: str) -> tuple[Figure, Axes]:
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_subplot()
    ax.set_ylabel(ylabel)
    ax.set_xticks(range(len(series.weeks)), series.weeks, rotation=45, ha="right")
    ax.grid(axis="y", linewidth=0.5, alpha=0.5)
    ax.set_axisbelow(True)
    return fig, ax


def _finish(fig: Figure, ax: Axes, series: WeeklySeries) -> str:
    if series.marketplaces:
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False,
                  ncols=min(LEGEND_COLUMNS, len(series.marketplaces)), borderaxespad=0.2)
    else:
        ax.text(0.5, 0.5, "no rentals in these weeks", transform=ax.transAxes, ha="center", va="center")
        ax.set_ylim(0, 1)
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=NO_METADATA)
    return buffer.getvalue()


def _floats(values: tuple[tuple[Decimal | None, ...], ...]) -> tuple[tuple[float, ...], ...]:
    """Bar heights: the exact sums as floats, which only place pixels; no estimate draws no bar."""
    return tuple(tuple(0.0 if v is None else float(v) for v in row) for row in values)


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]
