"""`auditor sql`: one analyst's SELECT on the database, in a sandbox.

The SQL comes from whoever holds a shell on the box (or a colleague's message pasted into one), so the
connection is read-only and locked down (sandbox.sql): no files, no network, no extensions, bounded memory,
and the configuration locked. Exactly one statement runs, and only a read; a timer interrupts it after
`timeout_s`. Analysts who need files use the DuckDB CLI on the file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from auditor import defaults
from auditor.errors import InputError
from auditor.sqlfile import Table, bind, database_error, first_line, read_sql
from auditor.store.db import open_db

MAX_ROWS = defaults.SQL_MAX_ROWS              # rows a table view (held in memory, laid out whole) may show
MAX_STREAM_ROWS = defaults.SQL_MAX_STREAM_ROWS  # rows csv and json (written as they come) may write
BATCH_ROWS = 10_000                             # rows fetched, then written, at a time
TIMEOUT_S = defaults.SQL_TIMEOUT_S
MEMORY_LIMIT = "1GB"
THREADS = 2                   # the box also runs index and analyze
MAX_SPILL = "4GB"             # temp files a large sort may write next to the database
SANDBOX_SQL = Path(__file__).with_name("sandbox.sql")

# Only reads run: SELECT covers FROM-first, WITH, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE and UNPIVOT.
# EXPLAIN is refused because EXPLAIN ANALYZE executes whatever it wraps.
READS = frozenset({duckdb.StatementType.SELECT})
READ_FORMS = "SELECT, FROM, WITH, VALUES, DESCRIBE, SHOW or SUMMARIZE"


@dataclass(frozen=True)
class SqlResult:
    table: Table
    truncated: bool   # the statement had more rows than the limit: the table holds the first `limit`


def query_rows(db_path: Path, sql: str, timeout_s: float | None = None, limit: int = MAX_ROWS) -> SqlResult:
    """Runs one read-only statement in the sandbox, stopped after timeout_s (default TIMEOUT_S), and returns at
    most `limit` rows (1..MAX_ROWS) of its result, saying whether more were left out."""
    _check_limit(limit, MAX_ROWS)
    with stream_rows(db_path, sql, timeout_s, limit) as stream:
        rows = tuple(row for batch in stream.batches() for row in batch)
        return SqlResult(Table("", stream.columns, rows), stream.truncated)


class RowStream:
    """A running statement's rows in batches, at most `limit` in all; `truncated` says, once the batches are
    exhausted, whether the statement had more."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, limit: int,
                 refuse: Callable[[duckdb.Error], InputError]) -> None:
        self.columns: tuple[str, ...] = tuple(d[0] for d in cursor.description or ())
        self.types: tuple[str, ...] = tuple(str(d[1]) for d in cursor.description or ())
        self.truncated = False
        self._cursor, self._limit, self._refuse = cursor, limit, refuse

    def batches(self) -> Iterator[list[Any]]:
        if not self.columns:
            return
        left = self._limit
        while left > 0:
            try:
                batch = self._cursor.fetchmany(min(BATCH_ROWS, left))
            except duckdb.Error as exc:
                raise self._refuse(exc) from None
            if not batch:
                return
            left -= len(batch)
            yield batch   # DuckDB's rows are tuples already
        try:
            self.truncated = bool(self._cursor.fetchmany(1))
        except duckdb.Error as exc:
            raise self._refuse(exc) from None


@contextmanager
def stream_rows(db_path: Path, sql: str, timeout_s: float | None = None,
                limit: int = MAX_STREAM_ROWS) -> Iterator[RowStream]:
    """Like query_rows, but the rows come in batches as the caller consumes them (csv and json output), so
    memory does not grow with the result; the timeout covers the statement until its last row is read."""
    if not sql.strip():
        raise InputError("give a SQL query")
    _check_limit(limit, MAX_STREAM_ROWS)
    timeout_s = TIMEOUT_S if timeout_s is None else timeout_s
    if not timeout_s > 0 or timeout_s == float("inf"):
        raise InputError("--timeout must be a positive number of seconds")
    with open_db(db_path, read_only=True) as con:
        lock_down(con)
        statement = single_read(con, sql)
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            con.interrupt()

        def refuse(exc: duckdb.Error) -> InputError:
            return _refusal(exc, timed_out.is_set(), timeout_s)

        timer = threading.Timer(timeout_s, stop)
        timer.daemon = True
        timer.start()
        try:
            try:
                cursor = con.execute(statement)
            except duckdb.Error as exc:
                raise refuse(exc) from None
            yield RowStream(cursor, limit, refuse)
        finally:
            timer.cancel()


def _check_limit(limit: int, most: int) -> None:
    if not 1 <= limit <= most:
        raise InputError(f"--limit must be between 1 and {most:,}")


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Applies sandbox.sql; after it the connection can read only the database it has open."""
    script = read_sql(SANDBOX_SQL)
    params = {"memory_limit": MEMORY_LIMIT, "threads": THREADS, "max_temp_directory_size": MAX_SPILL}
    for statement in con.extract_statements(script):
        con.execute(statement.query, bind(statement.query, params, "sandbox.sql"))


def single_read(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The one statement in `sql` if it is a read; anything else is refused with the reason."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise database_error(exc, "SQL failed", InputError) from None
    if not statements:
        raise InputError("give a SQL query (found only semicolons or comments)")
    if len(statements) > 1:
        raise InputError(f"auditor sql runs exactly one statement, found {len(statements)}: "
                         "run them one at a time")
    statement = statements[0]
    if statement.type not in READS:
        kind = statement.type.name.replace("_", " ")
        raise InputError(f"auditor sql runs only reads ({READ_FORMS}); a {kind} statement is refused: "
                         "for files or writes use the DuckDB CLI on a copy of the database")
    return statement


def _refusal(exc: duckdb.Error, timed_out: bool, timeout_s: float) -> InputError:
    """DuckDB's error as the one line an analyst needs: what was stopped and why."""
    text = first_line(exc)
    if timed_out and isinstance(exc, duckdb.InterruptException):
        return InputError(f"query stopped after {timeout_s:g}s (--timeout): narrow it or raise the limit")
    if isinstance(exc, duckdb.PermissionException) or "disabled by configuration" in text:
        return InputError("auditor sql reads only the database: files, URLs and extensions are off "
                          f"({text}); use the DuckDB CLI on the file")
    if "configuration has been locked" in text:
        return InputError(f"auditor sql settings are fixed ({text})")
    if "read-only" in text.lower() or "read only" in text.lower():
        return InputError("auditor sql is read-only: writing statements are refused")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return InputError(f"query needs more than auditor sql's {MEMORY_LIMIT} of memory ({text})")
    return database_error(exc, "SQL failed", InputError)
