"""`auditor sql`: analysts' read-only SQL on the database."""

from __future__ import annotations

from pathlib import Path

import duckdb

from auditor.errors import InputError
from auditor.sqlfile import Table, database_error, first_line
from auditor.store.db import open_db

MAX_ROWS = 1_000_000


def run_sql(db_path: Path, sql: str) -> Table:
    """Runs one query on a read-only connection: writing statements fail, and the database stays as it was."""
    if not sql.strip():
        raise InputError("give a SQL query")
    with open_db(db_path, read_only=True) as con:
        try:
            cur = con.execute(sql)
            columns = tuple(d[0] for d in cur.description or ())
            rows = tuple(tuple(r) for r in cur.fetchmany(MAX_ROWS)) if columns else ()
        except duckdb.Error as exc:
            if "read-only" in first_line(exc).lower() or "read only" in first_line(exc).lower():
                raise InputError("auditor sql is read-only: writing statements are refused") from None
            raise database_error(exc, "SQL failed", InputError) from None
    return Table("", columns, rows)
