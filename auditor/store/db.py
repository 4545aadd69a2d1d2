"""Opening the database. DuckDB's own errors are translated to StoreError here, and only here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from auditor.errors import StoreError
from auditor.store.migrate import migrate


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise StoreError(f"database {path} does not exist (create it with `auditor index` or `auditor demo`)")
    if not read_only and not path.parent.exists():
        raise StoreError(f"cannot create database {path}: directory {path.parent} does not exist")
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreError(f"database {path} is in use by another auditor process (one writer at a time)") \
                from None
        if "not a valid duckdb" in text.lower() or "invalid" in text.lower() or "magic" in text.lower():
            raise StoreError(f"{path} is not a DuckDB database") from None
        raise StoreError(f"cannot open database {path}: {text.splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise StoreError(f"cannot open database {path}: {str(exc).splitlines()[0]}") from None
    con.execute("SET TimeZone = 'UTC'")
    return con


@contextmanager
def open_db(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with the schema up to date (writers) or as found (readers)."""
    con = _connect(path, read_only)
    try:
        if not read_only:
            migrate(con)
        elif not _has_table(con, "schema_migrations"):
            raise StoreError(f"{path} is not an auditor database")
        yield con
    finally:
        con.close()


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
    return bool(row and row[0])
