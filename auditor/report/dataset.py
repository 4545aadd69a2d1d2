"""Everything one weekly report shows, read from the database in one pass of named queries."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from auditor.report.queries import Cell, Table, require_analysis, run
from auditor.report.weeks import IsoWeek

TRAILING_WEEKS = 12
TOP_ENTITIES = 10
# Queries whose result is one CSV each, in the order the report presents them.
TABLE_QUERIES = (
    "headline",
    "missing_estimates",
    "by_marketplace",
    "by_chain",
    "payments",
    "by_gpu",
    "by_eccn",
    "entities",
    "weekly_series",
    "chains",
    "coverage",
    "unknown_gpu",
    "open_leases",
    "analysis_check",
    "assumptions",
    "methods",
    "gpu_reference",
    "rentals",
)


@dataclass(frozen=True)
class WeeklySeries:
    """The trailing window pivoted for charts: one value per (marketplace, week)."""

    weeks: tuple[str, ...]
    marketplaces: tuple[str, ...]
    h100e_hours: tuple[tuple[float, ...], ...]  # [marketplace][week]
    rentals: tuple[tuple[int, ...], ...]

    @property
    def columns(self) -> list[str]:
        """Columns of week_rows(): totals first, then one per marketplace."""
        return ["week", "total_rentals", "total_h100e_hours", *self.marketplaces]

    @property
    def formats(self) -> dict[str, str]:
        """Marketplace columns hold H100e-hours and are formatted like that column."""
        return dict.fromkeys(self.marketplaces, "h100e_hours")

    def week_rows(self) -> list[dict[str, Cell]]:
        """One row per week: totals, then H100e-hours per marketplace (keyed by marketplace name)."""
        rows: list[dict[str, Cell]] = []
        for i, week in enumerate(self.weeks):
            row: dict[str, Cell] = {
                "week": week,
                "total_rentals": sum(r[i] for r in self.rentals),
                "total_h100e_hours": sum(h[i] for h in self.h100e_hours),
            }
            row.update({m: self.h100e_hours[j][i] for j, m in enumerate(self.marketplaces)})
            rows.append(row)
        return rows


@dataclass(frozen=True)
class ReportData:
    """One week's query results, keyed by table (= CSV) name."""

    week: IsoWeek
    tables: dict[str, Table]

    @property
    def previous(self) -> IsoWeek:
        return self.week.shifted(-1)

    @property
    def headline(self) -> dict[str, Cell]:
        return self.tables["headline"].single()

    @property
    def analysis_check(self) -> dict[str, Cell]:
        return self.tables["analysis_check"].single()

    @property
    def series(self) -> WeeklySeries:
        labels = tuple(self.week.shifted(-i).label for i in reversed(range(TRAILING_WEEKS)))
        return pivot_series(self.tables["weekly_series"], labels)


def query_parameters(week: IsoWeek) -> dict[str, object]:
    """Every named parameter the report's queries may use; each query takes the ones it names."""
    previous, first = week.shifted(-1), week.shifted(1 - TRAILING_WEEKS)
    return {
        "week_start": week.start,
        "week_end": week.end,
        "prev_start": previous.start,
        "series_start": first.start,
        "week_monday": week.monday,
        "week_sunday": week.sunday,
        "series_monday": first.monday,
        "week_label": week.label,
        "prev_label": previous.label,
    }


def collect(con: duckdb.DuckDBPyConnection, week: IsoWeek) -> ReportData:
    """Runs every report query for the week; raises StoreError when the analysis has not run."""
    require_analysis(con)
    params = query_parameters(week)
    tables = {name: run(con, name, params) for name in TABLE_QUERIES}
    entities = tables["entities"]
    ranks = entities.column("rank")
    tables["top_entities"] = entities.select("top_entities", [as_int(r) <= TOP_ENTITIES for r in ranks])
    tables["new_entities"] = entities.select("new_entities", [bool(n) for n in entities.column("is_new")])
    return ReportData(week, tables)


def pivot_series(table: Table, weeks: tuple[str, ...]) -> WeeklySeries:
    """Pivots weekly_series rows; weeks without rows (no marketplace active in the window) are zeros."""
    markets = tuple(sorted({str(m) for m in table.column("marketplace")}))
    hours = {(str(r["marketplace"]), str(r["week"])): as_float(r["h100e_hours"]) for r in table.records()}
    counts = {(str(r["marketplace"]), str(r["week"])): as_int(r["rentals"]) for r in table.records()}
    return WeeklySeries(
        weeks,
        markets,
        tuple(tuple(hours.get((m, w), 0.0) for w in weeks) for m in markets),
        tuple(tuple(counts.get((m, w), 0) for w in weeks) for m in markets),
    )


def as_float(value: Cell) -> float:
    """A numeric cell as float; NULL (no rentals) is 0."""
    return float(value) if isinstance(value, int | float) else 0.0


def as_int(value: Cell) -> int:
    """A numeric cell as int; NULL (no rentals) is 0."""
    return int(value) if isinstance(value, int | float) else 0
