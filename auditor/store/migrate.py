"""Numbered schema migrations (migrations/NNN_name.sql), each applied once, then one table per known marketplace
and price-feed event, so analyses find every table even on chains not indexed. All of it is one transaction:
a new file costs one commit, not one per migration (the index run's first commit comes before its first
request), and a failed migration leaves the file as it was."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from auditor.errors import StoreError
from auditor.events import own_events
from auditor.marketplaces import all_event_specs
from auditor.sqlfile import read_sql
from auditor.store.tables import ensure_event_tables
from auditor.store.tx import transaction

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def migrations() -> list[tuple[int, str, Path]]:
    out = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = _NAME.match(path.name)
        if m:
            out.append((int(m.group(1)), m.group(2), path))
    return out


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con, "migrating the schema"):
        con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR)")
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
        known = {v for v, _, _ in migrations()}
        if done - known:
            raise StoreError("database was written by a newer auditor version; upgrade the auditor")
        for version, name, path in migrations():
            if version not in done:
                con.execute(read_sql(path))
                con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, name])
        ensure_event_tables(con, [*all_event_specs(), *own_events()])
