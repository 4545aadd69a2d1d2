"""iExec deals to look up (matched, not yet read) and their stored details."""

from __future__ import annotations

import duckdb

from auditor.extract.deals import Deal, DealRef
from auditor.store.failures import clear_failures


def deals_to_view(con: duckdb.DuckDBPyConnection, chain_id: int, contract: str) -> list[DealRef]:
    rows = con.execute("""
        SELECT m.dealid, min(m.block_number), arg_min(m.log_index, (m.block_number, m.log_index)),
               arg_min(m.tx_hash, (m.block_number, m.log_index))
        FROM iexec_orders_matched m
        WHERE m.chain_id = $chain AND m.contract = $contract
          AND m.dealid NOT IN (SELECT dealid FROM iexec_deals WHERE chain_id = $chain)
        GROUP BY m.dealid ORDER BY 2, 3""", {"chain": chain_id, "contract": contract}).fetchall()
    return [DealRef(str(d), int(b), int(i), str(t)) for d, b, i, t in rows]


def write_deal(con: duckdb.DuckDBPyConnection, chain_id: int, contract: str, d: Deal) -> None:
    """Store one deal and forget an earlier failure to read it (one statement each, autocommitted in order:
    a failure row left behind only makes the next run read the deal again)."""
    con.execute(
        "INSERT OR REPLACE INTO iexec_deals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, to_timestamp(?), ?, ?)",
        [chain_id, contract, d.ref.block_number, d.ref.log_index, d.ref.tx_hash, d.ref.dealid, d.status,
         d.requester, d.beneficiary, d.workerpool, d.workerpool_owner,
         None if d.workerpool_price is None else str(d.workerpool_price), d.category, d.tag, d.start_time,
         d.bot_first, d.bot_size])
    clear_failures(con, chain_id, "deal", [d.ref.dealid])
