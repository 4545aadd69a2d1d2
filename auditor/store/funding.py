"""The funding table: which buyers still need their first funding found, and storing what was found."""

from __future__ import annotations

import duckdb

from auditor.marketplaces import MARKETPLACES
from auditor.model import Funding
from auditor.store.failures import clear_failures
from auditor.store.tables import quote
from auditor.store.tx import transaction

# Final answers are never re-checked; 'unfunded' and 'no_archive' are, once the chain has moved on.
FINAL = ("funded", "internal", "genesis")


def buyers_sql() -> str:
    """A query of every buyer address (and the block of the row naming it) in the marketplaces' tables on chain
    `$chain` (may repeat)."""
    selects = [f"SELECT {quote(b.column)} AS address, block_number FROM {quote(b.table)} WHERE chain_id = $chain"
               + (f" AND ({b.where})" if b.where else "") for m in MARKETPLACES for b in m.buyers]
    return " UNION ALL ".join(selects)


def buyers_to_check(con: duckdb.DuckDBPyConnection, chain_id: int, to_block: int) -> list[str]:
    """Buyer addresses seen on the chain with no final funding answer yet, sorted."""
    sql = (f"SELECT DISTINCT address FROM ({buyers_sql()}) b WHERE address NOT IN ("
           "SELECT address FROM funding WHERE chain_id = $chain AND (status IN $final OR checked_to_block >= $to))"
           " ORDER BY address")
    rows = con.execute(sql, {"chain": chain_id, "final": list(FINAL), "to": to_block}).fetchall()
    return [r[0] for r in rows]


def write_funding(con: duckdb.DuckDBPyConnection, chain_id: int, f: Funding) -> None:
    """Store one answer and forget an earlier failure of the same address, in one transaction."""
    value_eth = f.value_wei / 1e18 if f.value_wei is not None else None
    with transaction(con, "storing funding"):
        con.execute(
            "INSERT OR REPLACE INTO funding VALUES (?, ?, ?, ?, ?, to_timestamp(?), ?, ?, ?, ?, ?)",
            [chain_id, f.address, f.status, f.funder, f.block_number, f.block_time, f.tx_hash,
             str(f.value_wei) if f.value_wei is not None else None, value_eth, f.checked_to_block, f.reason])
        clear_failures(con, chain_id, "funding", [f.address])


def funding_to_check(con: duckdb.DuckDBPyConnection, chain_id: int, addresses: list[str], to_block: int) -> list[str]:
    """Those of `addresses` with no final funding answer yet, sorted."""
    rows = con.execute("SELECT DISTINCT a FROM (SELECT unnest($addresses) AS a) WHERE a NOT IN ("
                       "SELECT address FROM funding WHERE chain_id = $chain AND (status IN $final OR "
                       "checked_to_block >= $to)) ORDER BY a",
                       {"chain": chain_id, "addresses": addresses, "final": list(FINAL), "to": to_block}).fetchall()
    return [r[0] for r in rows]


def funders_of(con: duckdb.DuckDBPyConnection, chain_id: int, addresses: list[str]) -> list[str]:
    """The first funders of these addresses (the next level of a funding tree), sorted."""
    rows = con.execute("SELECT DISTINCT funder FROM funding WHERE chain_id = $chain AND funder IS NOT NULL "
                       "AND address IN (SELECT unnest($addresses)) ORDER BY funder",
                       {"chain": chain_id, "addresses": addresses}).fetchall()
    return [r[0] for r in rows]


def prune_funding(con: duckdb.DuckDBPyConnection, chain_id: int, keep: list[str]) -> None:
    """Forget the fundings of addresses no funding tree of the chain holds any more (a reorg took their buyer)."""
    with transaction(con, "storing funding"):
        con.execute("DELETE FROM funding WHERE chain_id = $chain AND address NOT IN (SELECT unnest($keep))",
                    {"chain": chain_id, "keep": keep}).fetchall()
