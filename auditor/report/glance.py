"""The report's first screen: how many H100e-hours were rented without KYC this week, by whom, on which GPUs,
against last week and the trailing trend, derived from the query results so it never disagrees with them.

Every figure is exact (Decimal over the queries' exact sums); shares are of the table they come from (entities,
by_gpu), so they add up within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from auditor.report.formatting import as_decimal
from auditor.report.weeks import IsoWeek
from auditor.sqlfile import Cell, Table

GLANCE_ENTITIES = 3      # entities named on the first screen
GLANCE_GPUS = 3          # GPU models named on the first screen
TREND_WEEKS = 4          # this week is compared with the average of the weeks before it
SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_SIZE = (96, 20)    # px; the HTML sparkline, small enough for a line of text on a phone


@dataclass(frozen=True)
class Glance:
    """The first screen's figures; `table` is the same as at_a_glance.csv."""

    week: str
    series: tuple[tuple[str, Decimal], ...]    # (week, no-KYC H100e-hours), oldest first, this week last
    entities: tuple[dict[str, Cell], ...]
    gpus: tuple[dict[str, Cell], ...]           # named models, most H100e-hours first
    unknown_gpu: dict[str, Cell] | None         # rentals whose GPU the marketplace does not say (payment-based)
    top: dict[str, Cell]                        # count and share_pct of the week's H100e-hours of the top entities
    trend: dict[str, Cell]
    table: Table

    def sparkline_text(self) -> str:
        """The trailing weeks as block characters, for Markdown and terminals."""
        values = [v for _, v in self.series]
        top = max(values, default=Decimal(0))
        if top <= 0:
            return SPARK_BARS[0] * len(values)
        steps = len(SPARK_BARS) - 1
        return "".join(SPARK_BARS[int((v / top * steps).to_integral_value())] for v in values)

    def sparkline_svg(self) -> Markup:
        """The trailing weeks as a tiny inline SVG line, this week's point marked; numbers only, no text."""
        width, height = SPARK_SIZE
        values = [v for _, v in self.series]
        top = max(values, default=Decimal(0))
        n = max(len(values) - 1, 1)
        points = [(Decimal(2) + Decimal(width - 4) * i / n,
                   Decimal(height - 2) - (Decimal(height - 4) * v / top if top > 0 else Decimal(0)))
                  for i, v in enumerate(values)]
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        last = points[-1] if points else (Decimal(0), Decimal(0))
        return Markup(
            f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true">'
            f'<polyline fill="none" stroke="#0072B2" stroke-width="1.5" points="{line}"/>'
            f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2.5" fill="#D55E00"/></svg>')


def _share(part: Decimal | None, whole: Decimal) -> Decimal | None:
    return None if part is None or whole <= 0 else 100 * part / whole


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if now is None or before is None or before == 0 else 100 * (now - before) / before


def glance(week: IsoWeek, tables: dict[str, Table], top_entities: int) -> Glance:
    """The first screen from the headline, trend, entities and by_gpu results."""
    series = tuple((str(r["week"]), as_decimal(r["h100e_hours_no_kyc"]) or Decimal(0))
                   for r in tables["trend"].records())
    now = series[-1][1] if series else Decimal(0)
    before = [v for _, v in series[:-1]][-TREND_WEEKS:]
    average = sum(before, Decimal(0)) / len(before) if before else None
    trend: dict[str, Cell] = {"h100e_hours": now, "average_h100e_hours": average,
                              "change_pct": _change(now, average), "weeks": len(before)}

    entity_rows = tables["entities"].records()
    entity_total = sum((d for r in entity_rows if (d := as_decimal(r["h100e_hours"])) is not None), Decimal(0))
    entities = tuple({"cluster_id": r["cluster_id"], "h100e_hours": r["h100e_hours"],
                      "share_pct": _share(as_decimal(r["h100e_hours"]), entity_total),
                      "prev_h100e_hours": r["prev_h100e_hours"], "change_pct": r["change_pct_h100e_hours"],
                      "gpu_models": r["gpu_models"], "addresses": r["addresses"]}
                     for r in entity_rows[:GLANCE_ENTITIES])
    top = [d for r in entity_rows[:top_entities] if (d := as_decimal(r["h100e_hours"])) is not None]
    top_share = _share(sum(top, Decimal(0)), entity_total) if top else None

    gpu_rows = tables["by_gpu"].records()
    gpu_total = sum((d for r in gpu_rows if (d := as_decimal(r["h100e_hours"])) is not None), Decimal(0))
    named = [r for r in gpu_rows if r["gpu"] != "unknown" and as_decimal(r["h100e_hours"])]
    named.sort(key=lambda r: as_decimal(r["h100e_hours"]) or Decimal(0), reverse=True)  # stable: ties keep SQL order
    gpus = tuple({"label": r["gpu"], "h100e_hours": r["h100e_hours"],
                  "share_pct": _share(as_decimal(r["h100e_hours"]), gpu_total)} for r in named[:GLANCE_GPUS])
    unknown = next(({"label": "unknown", "h100e_hours": r["h100e_hours"],
                     "share_pct": _share(as_decimal(r["h100e_hours"]), gpu_total)}
                    for r in gpu_rows if r["gpu"] == "unknown" and as_decimal(r["h100e_hours"])), None)

    rows: list[tuple[Cell, ...]] = [
        ("this_week", 1, week.label, now, None, None, None),
        ("trend", 1, f"average of the {len(before)} weeks before", average, None, None, trend["change_pct"]),
        *(("entity", i + 1, e["cluster_id"], e["h100e_hours"], e["share_pct"], e["prev_h100e_hours"], e["change_pct"])
          for i, e in enumerate(entities)),
        *(("gpu", i + 1, g["label"], g["h100e_hours"], g["share_pct"], None, None) for i, g in enumerate(gpus)),
        *((("gpu", 0, "unknown", unknown["h100e_hours"], unknown["share_pct"], None, None),) if unknown else ()),
    ]
    table = Table("at_a_glance", ("aspect", "rank", "label", "h100e_hours", "share_pct", "prev_h100e_hours",
                                  "change_pct"), tuple(rows))
    top_row: dict[str, Cell] = {"count": min(top_entities, len(entity_rows)), "share_pct": top_share}
    return Glance(week.label, series, entities, gpus, unknown, top_row, trend, table)
