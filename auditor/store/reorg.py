"""Reorg handling in the store: the stored block hashes to compare, and the rollback to a fork point.

Rollback is one transaction: every derived row above the fork point goes (event rows, blocks, funding and native
transfers found above it), and coverage and native scan cursors are cut back to the fork point, so the next pass
re-indexes exactly what was removed.
"""

from __future__ import annotations

import duckdb

from auditor.store.tables import quote
from auditor.store.tx import transaction


def stored_hashes(con: duckdb.DuckDBPyConnection, chain_id: int, below: int | None,
                  limit: int) -> list[tuple[int, str]]:
    """The newest stored block hashes of a chain (blocks with events and the last safe block), newest first."""
    rows = con.execute("""
        SELECT block_number, block_hash FROM (
            SELECT block_number, block_hash FROM blocks WHERE chain_id = $chain
            UNION
            SELECT safe_block, safe_hash FROM chains WHERE chain_id = $chain AND safe_hash IS NOT NULL
        ) WHERE $below IS NULL OR block_number < $below
        ORDER BY block_number DESC LIMIT $limit""", {"chain": chain_id, "below": below, "limit": limit}).fetchall()
    return [(int(n), str(h)) for n, h in rows]


def event_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table holding per-log rows (it has chain_id, block_number and log_index)."""
    rows = con.execute("""
        SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'main' AND column_name IN ('chain_id', 'block_number', 'log_index')
        GROUP BY table_name HAVING count(*) = 3 ORDER BY table_name""").fetchall()
    return [r[0] for r in rows if r[0] != "rentals"]


def rollback(con: duckdb.DuckDBPyConnection, chain_id: int, fork_block: int) -> int:
    """Remove everything of the chain above `fork_block`; returns the number of event rows removed."""
    removed = 0
    params = {"chain": chain_id, "fork": fork_block}
    with transaction(con, "rolling back a reorg"):
        for table in event_tables(con):
            row = con.execute(f"DELETE FROM {quote(table)} WHERE chain_id = $chain AND block_number > $fork",
                              params).fetchone()
            removed += int(row[0]) if row else 0
        con.execute("DELETE FROM blocks WHERE chain_id = $chain AND block_number > $fork", params).fetchall()
        con.execute("DELETE FROM funding WHERE chain_id = $chain AND (block_number > $fork OR "
                    "(status NOT IN ('funded', 'internal', 'genesis') AND checked_to_block > $fork))",
                    params).fetchall()
        con.execute("DELETE FROM tx_senders WHERE chain_id = $chain AND block_number > $fork", params).fetchall()
        con.execute("DELETE FROM native_transfer WHERE chain_id = $chain AND block_number > $fork", params).fetchall()
        con.execute("DELETE FROM native_scan WHERE chain_id = $chain AND status = 'hub' AND scanned_to_block > $fork",
                    params).fetchall()
        con.execute("UPDATE native_scan SET scanned_to_block = $fork, "
                    "change_blocks = list_filter(change_blocks, lambda b: b <= $fork), "
                    "changes = len(list_filter(change_blocks, lambda b: b <= $fork)) "
                    "WHERE chain_id = $chain AND scanned_to_block > $fork", params).fetchall()
        con.execute("DELETE FROM enrichment_failures WHERE chain_id = $chain AND at_block > $fork", params).fetchall()
        con.execute("DELETE FROM address_code WHERE chain_id = $chain AND seen_block > $fork", params).fetchall()
        con.execute("DELETE FROM coverage WHERE chain_id = $chain AND from_block > $fork", params).fetchall()
        con.execute("UPDATE coverage SET to_block = $fork WHERE chain_id = $chain AND to_block > $fork",
                    params).fetchall()
        con.execute("UPDATE chains SET safe_block = NULL, safe_time = NULL, safe_hash = NULL "
                    "WHERE chain_id = $chain AND safe_block > $fork", params).fetchall()
    return removed


def conflicting_blocks(con: duckdb.DuckDBPyConnection, chain_id: int, blocks: list[tuple[int, str]]) -> list[int]:
    """Blocks whose stored hash differs from the one just fetched: the chain reorganized under them."""
    if not blocks:
        return []
    rows = con.execute(
        "SELECT b.block_number FROM blocks b JOIN (SELECT unnest($numbers) AS n, unnest($hashes) AS h) x "
        "ON b.block_number = x.n WHERE b.chain_id = $chain AND b.block_hash <> x.h ORDER BY 1",
        {"chain": chain_id, "numbers": [n for n, _ in blocks], "hashes": [h for _, h in blocks]}).fetchall()
    return [int(r[0]) for r in rows]
