"""Event tables: created from an event's ABI (one column per parameter), checked when they already exist."""

from __future__ import annotations

import duckdb

from auditor.decode.columns import table_columns
from auditor.errors import InputError
from auditor.model import EventSpec


def quote(identifier: str) -> str:
    """A SQL identifier, quoted. Identifiers come from ABIs, never from row values."""
    return '"' + identifier.replace('"', '""') + '"'


def existing_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()
    return [(r[0], r[1]) for r in rows]


def ensure_event_table(con: duckdb.DuckDBPyConnection, spec: EventSpec) -> None:
    """Create the event's table, or check that the existing one has the same columns."""
    cols = table_columns(spec)
    have = existing_columns(con, spec.table)
    if have:
        want = [(name, ctype.split()[0]) for name, ctype in cols]
        if [n.lower() for n, _ in have] != [n.lower() for n, _ in want]:
            raise InputError(f"table {spec.table} already exists with other columns; "
                             f"{spec.signature} needs ({', '.join(n for n, _ in want)})")
        return
    body = ",\n  ".join(f"{quote(name)} {ctype}" for name, ctype in cols)
    con.execute(f"CREATE TABLE {quote(spec.table)} (\n  {body},\n"
                "  PRIMARY KEY (chain_id, block_number, log_index)\n)")
