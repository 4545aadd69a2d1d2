"""SQL plumbing every layer shares: reading a .sql file, binding only the parameters a statement names, running
it into a Table, and turning a DuckDB error into one StoreError line.

At the bottom (next to model and errors) so that store, analyze, report, status and `auditor sql` use one copy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, overload

import duckdb

from auditor.errors import AuditorError, StoreError

# DuckDB rejects parameters a statement does not use, so each statement gets only the ones it names.
PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
LINE_COMMENT = re.compile(r"--[^\n]*")

E = TypeVar("E", bound=AuditorError)

Cell = str | int | float | Decimal | bool | dt.date | None


def first_line(exc: BaseException) -> str:
    """DuckDB errors run to several lines; the first says what is wrong."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@overload
def database_error(exc: duckdb.Error, context: str) -> StoreError: ...
@overload
def database_error(exc: duckdb.Error, context: str, error: type[E]) -> E: ...
def database_error(exc: duckdb.Error, context: str, error: type[AuditorError] = StoreError) -> AuditorError:
    """The one translation of a DuckDB error: one line, `context: what DuckDB said` (disk full, a constraint, a
    type out of range). `error` is StoreError for the database's own failures, InputError for the user's input."""
    return error(f"{context}: {first_line(exc)}")


@cache
def read_sql(path: Path) -> str:
    """The text of a .sql file, read once per process."""
    if not path.is_file():
        raise StoreError(f"SQL file {path.name} is missing from {path.parent}")
    return path.read_text(encoding="utf-8")


def parameter_names(sql: str) -> list[str]:
    """Named parameters ($name) a statement uses, in order of first use, ignoring `--` comments."""
    return list(dict.fromkeys(PARAMETER.findall(LINE_COMMENT.sub("", sql))))


def bind(sql: str, params: Mapping[str, object], what: str) -> dict[str, object]:
    """The parameters `sql` names, taken from params; a missing one is a bug in the caller."""
    needed = parameter_names(sql)
    missing = [p for p in needed if p not in params]
    if missing:
        raise KeyError(f"{what} needs parameters {', '.join(missing)}")
    return {p: params[p] for p in needed}


@dataclass(frozen=True)
class Table:
    """A result to show or report: a name (a query's, or a rendered table's title), columns, rows in order."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]   # Cells from a query; plain values in a rendered table

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def single(self) -> dict[str, Cell]:
        """The only row of a one-row result."""
        if len(self.rows) != 1:
            raise StoreError(f"query {self.name} returned {len(self.rows)} rows, expected 1")
        return self.records()[0]

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def select(self, name: str, keep: list[bool]) -> Table:
        """A renamed subset of the rows, in the same order."""
        return Table(name, self.columns, tuple(row for row, k in zip(self.rows, keep, strict=True) if k))


def query(con: duckdb.DuckDBPyConnection, name: str, sql: str, params: Mapping[str, object] | None = None,
          doing: str | None = None) -> Table:
    """Runs one statement with the parameters it names and returns its result as a Table named `name`."""
    bound = bind(sql, params or {}, f"query {name}")
    try:
        result = con.execute(sql, bound)
        columns = tuple(d[0] for d in result.description or ())
        rows = tuple(tuple(row) for row in result.fetchall())
    except duckdb.Error as exc:
        raise database_error(exc, doing or f"query {name} failed") from exc
    return Table(name, columns, rows)
