"""The shared frame of the analyst's CSV imports (`auditor labels import`, `auditor prices import`).

Every import reads the file as text, names the missing columns, lets the caller reject the first bad line and
duplicate keys, then loads the whole file in one transaction or nothing: a bad file leaves the database as it was
and gives one line saying what to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from auditor.errors import InputError
from auditor.sqlfile import database_error
from auditor.store.tx import transaction

READ = "read_csv($path, header = true, all_varchar = true)"


@dataclass(frozen=True)
class CsvImport:
    """One kind of import: its name in messages, the columns it needs and the header a user should write."""

    kind: str
    required: tuple[str, ...]
    header: str


def columns(con: duckdb.DuckDBPyConnection, spec: CsvImport, path: Path) -> list[str]:
    """The file's lower-cased column names, once it is known to exist and to hold every required column."""
    if not path.is_file():
        raise InputError(f"{spec.kind} file {path} does not exist")
    try:
        found = [c.lower() for c in con.sql(f"SELECT * FROM {READ}", params={"path": str(path)}).columns]
    except duckdb.Error as exc:
        raise database_error(exc, f"cannot read {spec.kind} file {path.name}", InputError) from exc
    missing = [c for c in spec.required if c not in found]
    if missing:
        raise InputError(f"{spec.kind} file {path.name} lacks column(s) {', '.join(missing)} "
                         f"(expected a header {spec.header})")
    return found


def load(con: duckdb.DuckDBPyConnection, spec: CsvImport, path: Path, insert: str,
         validate: Callable[[dict[str, Any]], None]) -> int:
    """Run validate (which raises InputError on the first problem), then insert, in one transaction.

    Both get the parameters `path` and, for insert, `name` (the file name, kept as the rows' provenance).
    """
    params: dict[str, Any] = {"path": str(path)}
    with transaction(con, f"importing {spec.kind} file {path.name}"):
        validate(params)
        try:
            row = con.execute(insert, {**params, "name": path.name}).fetchone()
        except duckdb.Error as exc:
            raise database_error(exc, f"cannot read {spec.kind} file {path.name}", InputError) from exc
    return int(row[0]) if row else 0
