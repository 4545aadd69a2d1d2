"""Opening the database. DuckDB's own errors are translated to StoreError here, and only here.

Only `auditor index` (and the demo) create a database; every other command says it does not exist. A file
held by an index run is waited for (see store.handover): the run yields it between commits.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from auditor.errors import StoreError
from auditor.store.handover import await_waiters, index_lock, waiters, waiting
from auditor.store.migrate import migrate

LOCK_WAIT_S = 120.0       # how long a command waits for a file another process holds (AUDITOR_LOCK_WAIT)
INDEX_WAIT_S = 3600.0     # how long an index run waits, between its commits, for readers to finish
POLL_S = 0.05
# DuckDB checkpoints once its WAL passes this (default 16 MB, about 60,000 logs): each checkpoint compresses the
# table's last row group again, so at the default an index run spent a third of its DuckDB time checkpointing.
# 64 MB: 2 µs less per log, and the memory held between checkpoints stays within the run's bound.
INDEX_CHECKPOINT = "64MB"
# The index run's DuckDB memory (default 80% of RAM): it grew to half a gigabyte at a million logs, holding
# pages it could drop. Enough for a checkpoint's worth of rows, the primary-key index, the insert and a
# checkpoint's compression (its hash tables and buffers: up to 100 MB at 10,000,000 logs). 96 MB aborts the
# insert; 128 MB indexes 10,000,000 logs in 60 MiB less peak RSS, but at its limit DuckDB evicts on every
# allocation and hands memory back to the system each time (10,000 madvise calls a million logs, against 7,000):
# 2 s more CPU per million logs.
INDEX_MEMORY = "192MB"


def lock_wait() -> float:
    raw = os.environ.get("AUDITOR_LOCK_WAIT")
    try:
        return max(0.0, float(raw)) if raw else LOCK_WAIT_S
    except ValueError:
        raise StoreError(f"AUDITOR_LOCK_WAIT={raw!r} is not a number of seconds") from None


def _check_path(path: Path, read_only: bool, create: bool) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if path.exists():
        return
    if read_only or not create:
        raise StoreError(f"database {path} does not exist (create it with `auditor index` or `auditor demo`)")
    if not path.parent.exists():
        raise StoreError(f"cannot create database {path}: directory {path.parent} does not exist")


def _translate(path: Path, exc: duckdb.Error) -> StoreError:
    text = str(exc)
    lowered = text.lower()
    if "lock" in lowered:
        return StoreError(f"database {path} is in use by another auditor process and was not released in time")
    if "not a valid duckdb" in lowered or "invalid" in lowered or "magic" in lowered:
        return StoreError(f"{path} is not a DuckDB database")
    return StoreError(f"cannot open database {path}: {text.splitlines()[0] if text else type(exc).__name__}")


def _is_lock(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _connect(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """A connection; while another process holds the file, a waiting note and retries for up to wait_s."""
    deadline = time.monotonic() + wait_s
    try:
        return _open(path, read_only)
    except duckdb.Error as exc:
        if not _is_lock(exc) or wait_s <= 0:
            raise _translate(path, exc) from None
    with waiting(path):
        while True:
            time.sleep(POLL_S)
            try:
                return _open(path, read_only)
            except duckdb.Error as exc:
                if not _is_lock(exc) or time.monotonic() >= deadline:
                    raise _translate(path, exc) from None


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET TimeZone = 'UTC'")
    return con


@contextmanager
def open_db(path: Path, *, read_only: bool = False, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with the schema up to date (writers) or as found (readers). Only `create` makes a file."""
    _check_path(path, read_only, create)
    con = _connect(path, read_only, lock_wait())
    try:
        if not read_only:
            migrate(con)
        elif not has_table(con, "schema_migrations"):
            raise StoreError(f"{path} is not an auditor database")
        yield con
    finally:
        con.close()


class Lease:
    """The index run's hold on the database: `con` opens it when needed; `yield_to_waiters()`, called between
    commits with no transaction open, closes it while other processes wait for it."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self._con: duckdb.DuckDBPyConnection | None = con
        self.handovers = 0

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = _for_index(_connect(self.path, False, INDEX_WAIT_S))
        return self._con

    def yield_to_waiters(self) -> None:
        if self._con is not None and waiters(self.path):
            self._con.close()
            self._con = None
            self.handovers += 1
            await_waiters(self.path)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def _for_index(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.execute(f"SET checkpoint_threshold = '{INDEX_CHECKPOINT}'")
    con.execute(f"SET memory_limit = '{INDEX_MEMORY}'")
    return con


@contextmanager
def open_lease(path: Path) -> Iterator[Lease]:
    """The index run's database (created when absent, migrated), one index run at a time."""
    _check_path(path, False, True)
    with index_lock(path):
        con = _for_index(_connect(path, False, lock_wait()))
        lease = Lease(path, con)
        try:
            migrate(con)
            yield lease
        finally:
            lease.close()


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
    return bool(row and row[0])
