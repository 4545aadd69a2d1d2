"""Named report queries: one SELECT per file in sql/, run with DuckDB named parameters.

The report only reads: it works on read-only connections and never creates views, macros or temp tables.
DuckDB errors are translated to StoreError here, the one place the report touches the driver.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb

from auditor.errors import StoreError

SQL_DIR = Path(__file__).resolve().parent / "sql"
# DuckDB rejects parameters a statement does not use, so each query gets only the ones it names.
PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
LINE_COMMENT = re.compile(r"--[^\n]*")

ANALYSIS_TABLES = (
    "rentals", "address_entities", "address_funding", "cluster_evidence", "entity_weekly", "gpu_specs",
    "analysis_runs",
)
CORE_TABLES = ("chains", "sources", "coverage", "funding")
NO_ANALYSIS = "database has no analysis yet: run `auditor analyze --db PATH` first"

Cell = str | int | float | Decimal | bool | dt.date | None


@dataclass(frozen=True)
class Table:
    """A query result: column names and rows in the query's order."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def single(self) -> dict[str, Cell]:
        """The only row of a one-row result."""
        if len(self.rows) != 1:
            raise StoreError(f"report query {self.name} returned {len(self.rows)} rows, expected 1")
        return self.records()[0]

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def select(self, name: str, keep: list[bool]) -> Table:
        """A renamed subset of the rows, in the same order."""
        return Table(name, self.columns, tuple(row for row, k in zip(self.rows, keep, strict=True) if k))


@cache
def load_sql(name: str) -> str:
    """The text of sql/<name>.sql, read once per process."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise StoreError(f"report query {name} is missing from {SQL_DIR}")
    return path.read_text(encoding="utf-8")


def parameter_names(sql: str) -> list[str]:
    """Named parameters a statement uses, in order of first use, ignoring `--` comments."""
    return list(dict.fromkeys(PARAMETER.findall(LINE_COMMENT.sub("", sql))))


def run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object] | None = None) -> Table:
    """Runs sql/<name>.sql with the parameters it names, taken from params."""
    sql = load_sql(name)
    available = params or {}
    needed = parameter_names(sql)
    missing = [p for p in needed if p not in available]
    if missing:
        raise KeyError(f"report query {name} needs parameters {', '.join(missing)}")
    bound = {p: available[p] for p in needed}
    try:
        result = con.execute(sql, bound)
        columns = tuple(d[0] for d in result.description or ())
        rows = tuple(tuple(row) for row in result.fetchall())
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"report query {name} failed: {first_line}") from exc
    return Table(name, columns, rows)


def require_analysis(con: duckdb.DuckDBPyConnection) -> None:
    """Raises StoreError unless the indexing and analysis tables the report reads all exist."""
    present = {str(n) for n in run(con, "tables").column("table_name")}
    if any(t not in present for t in ANALYSIS_TABLES):
        raise StoreError(NO_ANALYSIS)
    missing = [t for t in CORE_TABLES if t not in present]
    if missing:
        raise StoreError(f"not an auditor database: missing tables {', '.join(missing)}")
