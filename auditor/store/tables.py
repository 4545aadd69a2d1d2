"""Event tables: created from an event's ABI (one column per parameter), checked when they already exist."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from auditor.decode.columns import table_columns
from auditor.errors import InputError
from auditor.model import EventSpec


def quote(identifier: str) -> str:
    """A SQL identifier, quoted. Identifiers come from ABIs, never from row values."""
    return '"' + identifier.replace('"', '""') + '"'


def existing_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """The columns of every table of the database's main schema, by table name (one catalog query: it costs
    milliseconds each; duckdb_columns() itself, not the information_schema view over it, which took 40 ms)."""
    rows = con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                       "WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal "
                       "ORDER BY table_name, column_index").fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, name, ctype in rows:
        out.setdefault(table, []).append((name, ctype))
    return out


def ensure_event_tables(con: duckdb.DuckDBPyConnection, specs: Iterable[EventSpec]) -> None:
    """Create each event's table, or check that the existing one has the same columns."""
    have = existing_columns(con)
    for spec in specs:
        cols = table_columns(spec)
        want = [(name, ctype.split()[0]) for name, ctype in cols]
        if spec.table in have:
            if [n.lower() for n, _ in have[spec.table]] != [n.lower() for n, _ in want]:
                raise InputError(f"table {spec.table} already exists with other columns; "
                                 f"{spec.signature} needs ({', '.join(n for n, _ in want)})")
            continue
        body = ",\n  ".join(f"{quote(name)} {ctype}" for name, ctype in cols)
        con.execute(f"CREATE TABLE {quote(spec.table)} (\n  {body},\n"
                    "  PRIMARY KEY (chain_id, block_number, log_index)\n)")
        have[spec.table] = want


def ensure_event_table(con: duckdb.DuckDBPyConnection, spec: EventSpec) -> None:
    ensure_event_tables(con, [spec])
