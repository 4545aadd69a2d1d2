"""The chains table: head, safe block (known up to here) and the node's state floor of the last run."""

from __future__ import annotations

import duckdb

from auditor.chains import chain_name
from auditor.model import Block
from auditor.store.sqlfiles import store_sql


def known_through(con: duckdb.DuckDBPyConnection, chain_id: int) -> int | None:
    """The block up to which every marketplace source of the chain is covered (see known_through.sql)."""
    row = con.execute(store_sql("known_through"), {"chain": chain_id}).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def stored_safe(con: duckdb.DuckDBPyConnection, chain_id: int) -> Block | None:
    row = con.execute("SELECT safe_block, safe_hash, epoch(safe_time)::BIGINT FROM chains "
                      "WHERE chain_id = ? AND safe_block IS NOT NULL", [chain_id]).fetchone()
    return None if row is None else Block(int(row[0]), str(row[1]), int(row[2]))


def record_heads(con: duckdb.DuckDBPyConnection, chain_id: int, host: str, head: Block, safe: Block | None,
                 state_from: int | None) -> None:
    """Record a completed run: the head it saw, the safe block (what coverage says is known, so a narrower run
    never lowers it; staleness checks and open rentals rely on it) and the node's first block with state."""
    con.execute("INSERT OR REPLACE INTO chains (chain_id, name, rpc_host, head_block, head_time, safe_block, "
                "safe_time, safe_hash, state_from_block) VALUES (?, ?, ?, ?, to_timestamp(?), ?, to_timestamp(?), "
                "?, ?)",
                [chain_id, chain_name(chain_id), host, head.number, head.timestamp,
                 safe.number if safe else None, safe.timestamp if safe else None, safe.hash if safe else None,
                 state_from])
