"""One transaction helper for every write path, its DuckDB errors translated by auditor.sqlfile.

A write that fails for a reason of the database (disk full, file gone, a constraint) reaches the CLI as one
StoreError line, never as "unexpected"; errors of the auditor itself pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import duckdb

from auditor.sqlfile import database_error


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, doing: str = "writing") -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN, then COMMIT on success or ROLLBACK on any exit by exception (also cancellation and Ctrl-C)."""
    try:
        con.execute("BEGIN")
    except duckdb.Error as exc:
        raise database_error(exc, f"database error while {doing}") from None
    try:
        yield con
        con.execute("COMMIT")
    except duckdb.Error as exc:
        _rollback(con)
        raise database_error(exc, f"database error while {doing}") from None
    except BaseException:
        _rollback(con)
        raise


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, data: Any) -> Iterator[None]:
    """`data` (an Arrow table) readable as `name` in SQL inside the block. When a statement failed, the
    transaction is aborted and unregistering fails too ("Current transaction is aborted"): that second error is
    dropped, so the one reported is the cause (out of memory, a constraint, a conversion)."""
    con.register(name, data)
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):
            con.unregister(name)
        raise
    con.unregister(name)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with suppress(duckdb.Error):  # no transaction left to roll back (it failed at COMMIT, or the file is gone)
        con.execute("ROLLBACK")
