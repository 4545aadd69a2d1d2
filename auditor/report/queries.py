"""Named report queries: one SELECT per file in sql/, run with DuckDB named parameters (auditor.sqlfile binds
only the ones a query names and translates DuckDB errors).

The report only reads: it works on read-only connections and never creates views, macros or temp tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from auditor.errors import StoreError
from auditor.sqlfile import Table, query, read_sql

SQL_DIR = Path(__file__).resolve().parent / "sql"

ANALYSIS_TABLES = (
    "rentals", "address_entities", "address_funding", "cluster_evidence", "entity_weekly", "gpu_specs",
    "analysis_runs", "rental_flags", "service_addresses", "address_activity",
)
CORE_TABLES = ("chains", "sources", "coverage", "funding")
NO_ANALYSIS = "database has no analysis yet: run `auditor analyze --db PATH` first"

def run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object] | None = None) -> Table:
    """Runs sql/<name>.sql with the parameters it names, taken from params."""
    return query(con, name, read_sql(SQL_DIR / f"{name}.sql"), params, f"report query {name} failed")


def require_analysis(con: duckdb.DuckDBPyConnection) -> None:
    """Raises StoreError unless the indexing and analysis tables the report reads all exist."""
    present = {str(n) for n in run(con, "tables").column("table_name")}
    if any(t not in present for t in ANALYSIS_TABLES):
        raise StoreError(NO_ANALYSIS)
    missing = [t for t in CORE_TABLES if t not in present]
    if missing:
        raise StoreError(f"not an auditor database: missing tables {', '.join(missing)}")
