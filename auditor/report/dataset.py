"""Everything one weekly report shows, read from the database in one pass of named queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from auditor.report.completeness import WeekCoverage, week_coverage
from auditor.report.formatting import as_decimal, as_int, display
from auditor.report.glance import Glance, glance
from auditor.report.queries import require_analysis, run
from auditor.report.sources import coverage_summary
from auditor.report.weeks import IsoWeek
from auditor.sqlfile import Cell, Table

TRAILING_WEEKS = 12
TOP_ENTITIES = 10
# Addresses listed per top entity in the report; entity_addresses.csv has all of them.
ADDRESSES_PER_ENTITY = 5
# Queries whose result is one CSV each, in the order the report presents them.
TABLE_QUERIES = (
    "headline",
    "trend",
    "missing_estimates",
    "by_marketplace",
    "by_chain",
    "payments",
    "prices_used",
    "by_gpu",
    "by_eccn",
    "entities",
    "entity_addresses",
    "funding_sources",
    "services",
    "weekly_series",
    "chains",
    "coverage",
    "unknown_gpu",
    "implausible_rentals",
    "open_leases",
    "analysis_check",
    "assumptions",
    "methods",
    "gpu_reference",
    "rentals",
)

# Tables derived in Python from the query results (each is a CSV too).
DERIVED_TABLES = ("at_a_glance", "top_entities", "new_entities", "top_entity_addresses", "report_settings",
                  "week_coverage", "coverage_summary")
RANGE_DASH = "\u2013"   # en dash, between the low and the high of a range


@dataclass(frozen=True)
class WeeklySeries:
    """The trailing window pivoted for charts: one value per (marketplace, week)."""

    weeks: tuple[str, ...]
    marketplaces: tuple[str, ...]
    h100e_hours: tuple[tuple[Decimal | None, ...], ...]  # [marketplace][week], exact; None: not estimated
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
                "total_h100e_hours": sum((v for h in self.h100e_hours if (v := h[i]) is not None), Decimal(0)),
            }
            row.update({m: self.h100e_hours[j][i] for j, m in enumerate(self.marketplaces)})
            rows.append(row)
        return rows


@dataclass(frozen=True)
class ReportData:
    """One week's query results, keyed by table (= CSV) name."""

    week: IsoWeek
    tables: dict[str, Table]
    coverage: WeekCoverage
    glance: Glance

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


def query_parameters(week: IsoWeek, coverage: WeekCoverage) -> dict[str, object]:
    """Every named parameter the report's queries may use; each query takes the ones it names."""
    previous, first = week.shifted(-1), week.shifted(1 - TRAILING_WEEKS)
    return {
        "week_complete": coverage.complete,
        "missing_data": coverage.missing(),
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
    """Runs every report query for the week; StoreError when the analysis has not run, UncoveredWeekError
    when the indexed marketplace data does not reach into the week."""
    require_analysis(con)
    coverage = week_coverage(con, week)
    params = query_parameters(week, coverage)
    tables = {name: run(con, name, params) for name in TABLE_QUERIES}
    entities = tables["entities"]
    ranks = entities.column("rank")
    tables["top_entities"] = with_range(entities.select("top_entities", [as_int(r) <= TOP_ENTITIES for r in ranks]))
    tables["new_entities"] = entities.select("new_entities", [bool(n) for n in entities.column("is_new")])
    tables["top_entity_addresses"] = top_addresses(tables["entity_addresses"], tables["top_entities"])
    tables["report_settings"] = report_settings()
    tables["week_coverage"] = coverage.table()
    tables["coverage_summary"] = coverage_summary(tables["coverage"])
    first_screen = glance(week, tables, TOP_ENTITIES)
    tables["at_a_glance"] = first_screen.table
    return ReportData(week, tables, coverage, first_screen)


def with_range(table: Table) -> Table:
    """The table with an `h100e_range` column: low and high H100e-hours as the report shows them, joined by an
    en dash, so one narrow column carries the estimate's range."""
    low, high = table.column("h100e_hours_low"), table.column("h100e_hours_high")
    ranges = [None if a is None or b is None else display(a, "h100e_hours") + RANGE_DASH + display(b, "h100e_hours")
              for a, b in zip(low, high, strict=True)]
    return Table(table.name, (*table.columns, "h100e_range"),
                 tuple((*row, r) for row, r in zip(table.rows, ranges, strict=True)))


def top_addresses(addresses: Table, top: Table) -> Table:
    """The top entities' addresses in rank order, at most ADDRESSES_PER_ENTITY each, busiest buyers first."""
    ranks = {str(r["cluster_id"]): as_int(r["rank"]) for r in top.records()}
    cluster = addresses.columns.index("cluster_id")
    shown: dict[str, int] = {}
    rows: list[tuple[Cell, ...]] = []
    for row in addresses.rows:
        entity = str(row[cluster])
        if entity in ranks and shown.get(entity, 0) < ADDRESSES_PER_ENTITY:
            shown[entity] = shown.get(entity, 0) + 1
            rows.append((ranks[entity], *row))
    rows.sort(key=lambda r: as_int(r[0]))  # stable: keeps the query's order within an entity
    return Table("top_entity_addresses", ("rank", *addresses.columns), tuple(rows))


def report_settings() -> Table:
    """The report's own parameters and the figures it cannot give yet, stated rather than left out."""
    rows: tuple[tuple[Cell, ...], ...] = (
        ("trailing_weeks", str(TRAILING_WEEKS)),
        ("top_entities", str(TOP_ENTITIES)),
        ("addresses_per_top_entity", f"{ADDRESSES_PER_ENTITY} (all in entity_addresses.csv)"),
        ("time_zone", "UTC for every time and week boundary"),
        ("week_complete", "every marketplace source of every chain that has one is indexed over the whole week "
                          "(block times known in the database, never beyond the safe block)"),
        ("h100e_estimate", "central, with low and high (rentals.h100e_hours_low / _high)"),
        ("utc_offset", "entities.utc_offset: the quietest 8 hours of the buyers' own transactions taken as "
                       "23:00-07:00 local time; blank under 40 events; ranks merge candidates, never merges"),
        ("funder_labels", "service_addresses: shipped exchange and bridge labels, `auditor labels import`, "
                          "contracts, high fan-out"),
    )
    return Table("report_settings", ("key", "value"), rows)


def pivot_series(table: Table, weeks: tuple[str, ...]) -> WeeklySeries:
    """Pivots weekly_series rows; weeks without rows (no marketplace active in the window) are zeros; a week
    whose rentals have no estimate is None."""
    markets = tuple(sorted({str(m) for m in table.column("marketplace")}))
    hours = {(str(r["marketplace"]), str(r["week"])): as_decimal(r["h100e_hours"]) for r in table.records()}
    counts = {(str(r["marketplace"]), str(r["week"])): as_int(r["rentals"]) for r in table.records()}
    return WeeklySeries(
        weeks,
        markets,
        tuple(tuple(hours.get((m, w), Decimal(0)) for w in weeks) for m in markets),
        tuple(tuple(counts.get((m, w), 0) for w in weeks) for m in markets),
    )
