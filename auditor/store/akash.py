"""The Akash tables (migrations/007_akash.sql): each page of a list endpoint is upserted with its paging cursor
in one transaction, and the list's coverage when it was the last page, so a run killed at any instant resumes
from the last page stored and ends in the same tables as an uninterrupted one. Rows are keyed by the objects'
on-chain ids: a page read again (a re-run, a resumed run) replaces the same rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from auditor.model import Block, BlockRange
from auditor.store.failures import clear_failures
from auditor.store.load import extend_coverage, insert_blocks
from auditor.store.sqlfiles import store_sql
from auditor.store.tables import quote
from auditor.store.tx import registered, transaction

COLUMNS: dict[str, tuple[str, ...]] = {
    "akash_deployment": ("owner", "dseq", "state", "created_at", "escrow_denom", "escrow_deposited",
                         "deposit_sources", "depositors", "groups_json"),
    "akash_resource": ("kind", "owner", "dseq", "gseq", "oseq", "provider", "bseq", "position", "group_name",
                       "resource_count", "cpu_millis", "memory_bytes", "storage_bytes", "gpu_units", "gpu_vendor",
                       "gpu_model", "gpu_memory", "gpu_interface", "gpu_models", "gpu_attributes", "price_denom",
                       "price_amount"),
    "akash_bid": ("owner", "dseq", "gseq", "oseq", "provider", "bseq", "state", "price_denom", "price_amount",
                  "created_at", "resources_offer"),
    "akash_lease": ("owner", "dseq", "gseq", "oseq", "provider", "bseq", "state", "price_denom", "price_amount",
                    "created_at", "closed_on", "reason", "reason_code", "paid_amount"),
    "akash_provider": ("owner", "host_uri", "email", "website", "attributes", "gpu_models"),
    "akash_transfer": ("tx_hash", "msg_index", "coin_index", "height", "block_time", "kind", "from", "to", "denom",
                       "amount"),
}
SNAPSHOT = ("akash_deployment", "akash_bid", "akash_lease", "akash_provider")   # carry snapshot_height
BLOCK_STEP = "akash-block"
TRANSFER_STEP = "akash-transfers"


@dataclass(frozen=True)
class Cursor:
    height: int
    next_key: str | None
    done: bool


def source_key(name: str) -> str:
    return f"akash/{name}"


def cursor_of(con: duckdb.DuckDBPyConnection, chain: int, name: str) -> Cursor | None:
    row = con.execute("SELECT height, next_key, done FROM akash_cursor WHERE chain_id = ? AND list = ?",
                      [chain, name]).fetchone()
    return None if row is None else Cursor(int(row[0]), row[1], bool(row[2]))


def upsert(con: duckdb.DuckDBPyConnection, chain: int, table: str, rows: Sequence[tuple[Any, ...]],
           height: int | None = None) -> int:
    """Insert or replace rows (tuples in COLUMNS order) through Arrow, with chain_id (and snapshot_height)."""
    if not rows:
        return 0
    names = COLUMNS[table]
    data = pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows])
    with registered(con, "__akash", data):
        extra = ", $height AS snapshot_height" if table in SNAPSHOT else ""
        con.execute(f"INSERT OR REPLACE INTO {quote(table)} BY NAME SELECT $chain AS chain_id, "
                    f"{', '.join(quote(n) for n in names)}{extra} FROM __akash",
                    {"chain": chain, **({"height": height} if table in SNAPSHOT else {})}).fetchall()
    return len(rows)


def write_page(con: duckdb.DuckDBPyConnection, chain: int, name: str, height: int,
               tables: dict[str, list[tuple[Any, ...]]], cursor: Cursor, covered: BlockRange | None) -> int:
    """One page's rows, the list's cursor after it and, on its last page, its coverage: one transaction."""
    written = 0
    with transaction(con, f"storing Akash {name}"):
        for table, rows in tables.items():
            written += upsert(con, chain, table, rows, height)
        con.execute("INSERT OR REPLACE INTO akash_cursor VALUES (?, ?, ?, ?, ?)",
                    [chain, name, cursor.height, cursor.next_key, cursor.done])
        if covered is not None:
            extend_coverage(con, chain, {source_key(name): [covered]})
    return written


def heights_to_time(con: duckdb.DuckDBPyConnection, chain: int) -> list[int]:
    """Heights the leases name (opened, closed) whose block time is not stored yet, sorted."""
    rows = con.execute("""
        SELECT DISTINCT h FROM (SELECT created_at AS h FROM akash_lease WHERE chain_id = $chain
                                UNION ALL SELECT closed_on FROM akash_lease WHERE chain_id = $chain)
        WHERE h IS NOT NULL AND h NOT IN (SELECT block_number FROM blocks WHERE chain_id = $chain)
        ORDER BY h""", {"chain": chain}).fetchall()
    return [int(r[0]) for r in rows]


def write_blocks(con: duckdb.DuckDBPyConnection, chain: int, blocks: Sequence[Block]) -> None:
    """Block times found, and the failures of those heights forgotten, in one transaction."""
    with transaction(con, "storing Akash block times"):
        insert_blocks(con, chain, blocks)
        clear_failures(con, chain, BLOCK_STEP, [str(b.number) for b in blocks])


def owners_to_scan(con: duckdb.DuckDBPyConnection, chain: int, to: int) -> list[str]:
    return [r[0] for r in con.execute(store_sql("akash_owners"), {"chain": chain, "to": to}).fetchall()]


def write_transfers(con: duckdb.DuckDBPyConnection, chain: int, owners: Sequence[str],
                    rows: Sequence[tuple[Any, ...]], to: int) -> None:
    """Owners' transfers found up to `to`, their scan cursors, fundings and native transfers: one transaction."""
    with transaction(con, "storing Akash transfers"):
        upsert(con, chain, "akash_transfer", rows)
        con.execute("INSERT OR REPLACE INTO akash_transfer_scan SELECT $chain, unnest($owners), $to",
                    {"chain": chain, "owners": list(owners), "to": to}).fetchall()
        con.execute(store_sql("akash_funding"), {"chain": chain, "owners": list(owners), "to": to})
        con.execute(store_sql("akash_native"), {"chain": chain, "owners": list(owners)})
        clear_failures(con, chain, TRANSFER_STEP, owners)
