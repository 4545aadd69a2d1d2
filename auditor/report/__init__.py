"""The weekly report: Markdown, self-contained HTML, SVG charts and a CSV per table, for one ISO week.

Reads only (SELECT statements), so it runs on read-only connections. The same database gives
byte-identical files: no wall-clock time, fully ordered queries, fixed number formats. The wall clock is
used only by `ensure_fresh`, which schedulers run after writing a report to fail on stale data.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from auditor.errors import InputError
from auditor.report.completeness import UncoveredWeekError, resolve_week
from auditor.report.dataset import collect
from auditor.report.freshness import ChainFreshness, Freshness, StaleDataError, check_freshness, ensure_fresh
from auditor.report.render import HTML_TEMPLATE, MARKDOWN_TEMPLATE, render_report, table_csv, write_text
from auditor.report.weeks import parse_iso_week, parse_week

__all__ = [
    "ChainFreshness",
    "Freshness",
    "StaleDataError",
    "UncoveredWeekError",
    "check_freshness",
    "ensure_fresh",
    "parse_iso_week",
    "resolve_week",
    "write_weekly_report",
]


def write_weekly_report(con: duckdb.DuckDBPyConnection, week: str, out_dir: Path) -> Path:
    """Writes out_dir/<YYYY-Www>/report.md, report.html and CSV extracts; returns that directory.

    `week` is 'YYYY-Www' or 'last' (the last complete week). Re-running overwrites the same files. A week the
    indexed marketplace data does not reach raises UncoveredWeekError before anything is written.
    """
    label = resolve_week(con, week)
    data = collect(con, parse_week(label))
    from auditor.report.charts import render_charts  # lazy: importing matplotlib takes about a second

    charts = render_charts(data.series)
    target = Path(out_dir) / label
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, table in data.tables.items():
            write_text(target / f"{name}.csv", table_csv(table))
        for chart in charts:
            write_text(target / f"{chart.name}.svg", chart.svg)
        write_text(target / "report.md", render_report(data, MARKDOWN_TEMPLATE, charts))
        write_text(target / "report.html", render_report(data, HTML_TEMPLATE, charts))
    except OSError as exc:
        raise InputError(f"cannot write the report to {target}: {exc.strerror or exc}") from exc
    return target
