"""Test helpers: logs as a node returns them, as the log table the indexer builds, and decoded rows as stored."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from auditor.decode.rows import EventRows
from auditor.model import RawLog
from auditor.rpc.logs import log_table
from auditor.store.load import insert_event_rows
from auditor.store.tables import ensure_event_table, quote


def node_log(log: RawLog) -> dict[str, Any]:
    """A log object as eth_getLogs returns it."""
    return {"address": log.address, "topics": ["0x" + t.hex() for t in log.topics], "data": "0x" + log.data.hex(),
            "blockNumber": hex(log.block_number), "blockHash": log.block_hash,
            "blockTimestamp": None if log.block_time is None else hex(log.block_time),
            "transactionHash": log.tx_hash, "transactionIndex": hex(log.tx_index), "logIndex": hex(log.log_index),
            "removed": False}


def table_of(logs: list[RawLog]) -> pa.Table:
    return log_table([node_log(log) for log in logs])


def stored(chain_id: int, rows: EventRows) -> list[dict[str, Any]]:
    """The rows as an event table holds them, every value as DuckDB's text (None for NULL)."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        ensure_event_table(con, rows.spec)
        insert_event_rows(con, chain_id, rows)
        result = con.execute(f"SELECT * FROM {quote(rows.spec.table)}")
        names = [d[0] for d in result.description]
        types = [str(d[1]) for d in result.description]
        casts = ", ".join(f"epoch({quote(n)})::BIGINT::VARCHAR" if t.startswith("TIMESTAMP")
                          else f"{quote(n)}::VARCHAR" for n, t in zip(names, types, strict=True))
        return [dict(zip(names, r, strict=True))
                for r in con.execute(f"SELECT {casts} FROM {quote(rows.spec.table)} "
                                     "ORDER BY block_number, log_index").fetchall()]
    finally:
        con.close()


def as_text(value: Any) -> str | None:
    """A decoded Python value as DuckDB prints it once stored."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
