"""The native_transfer and native_scan tables: which addresses a level of the scan set holds, and storing a scan.

A scan's rows and its address's cursor commit in one transaction, so a killed run leaves every address either
scanned to its stored block or not at all; rows are keyed (transfer_id), so finding one again stores it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb

from auditor.model import NativeScan
from auditor.resources import package_data
from auditor.store.failures import clear_failures
from auditor.store.sqlfiles import store_sql
from auditor.store.tx import transaction

STEP = "native"


@dataclass(frozen=True)
class Candidate:
    """An address of the scan set: `what` is eoa | code | service | hub | unknown (code not known yet)."""

    address: str
    what: str
    scanned_to_block: int | None
    change_blocks: tuple[int, ...]


@cache
def _labels() -> str:
    return str(package_data("service_labels.csv"))


def candidates(con: duckdb.DuckDBPyConnection, chain_id: int, addresses: list[str]) -> list[Candidate]:
    rows = con.execute(store_sql("native_candidates"),
                       {"chain": chain_id, "addresses": addresses, "labels": _labels()}).fetchall()
    return [Candidate(str(a), str(w), None if s is None else int(s), tuple(int(b) for b in c))
            for a, w, s, c in rows]


def neighbours(con: duckdb.DuckDBPyConnection, chain_id: int, addresses: list[str]) -> list[str]:
    """The addresses one hop from these, sorted."""
    if not addresses:
        return []
    return [str(r[0]) for r in con.execute(store_sql("native_neighbours"),
                                           {"chain": chain_id, "addresses": addresses}).fetchall()]


def write_scan(con: duckdb.DuckDBPyConnection, chain_id: int, scan: NativeScan, depth: int) -> None:
    """Store one address's transfers and its cursor, and forget an earlier failure, in one transaction."""
    t = scan.transfers
    with transaction(con, "storing native transfers"):
        if t:
            con.execute("INSERT OR REPLACE INTO native_transfer SELECT $chain, unnest($b), "
                        "to_timestamp(unnest($time)), unnest($id), unnest($h), unnest($f), unnest($to), "
                        "unnest($v)::HUGEINT, unnest($k)",
                        {"chain": chain_id, "b": [x.block_number for x in t], "time": [x.block_time for x in t],
                         "id": [x.transfer_id for x in t], "h": [x.tx_hash for x in t],
                         "f": [x.sender for x in t], "to": [x.recipient for x in t],
                         "v": [str(x.value) for x in t], "k": [x.kind for x in t]}).fetchall()
        con.execute("INSERT OR REPLACE INTO native_scan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [chain_id, scan.address, scan.to_block, scan.status, scan.method, scan.changes, scan.nonce,
                     scan.reason, depth, list(scan.change_blocks) if scan.status == "scanned" else None])
        clear_failures(con, chain_id, STEP, [scan.address])


def set_depths(con: duckdb.DuckDBPyConnection, chain_id: int, depths: dict[str, int]) -> None:
    """Each scanned address's hop count from the nearest buyer, as the scan set has it now."""
    if depths:
        con.execute("UPDATE native_scan s SET depth = x.d FROM (SELECT unnest($a) AS a, unnest($d) AS d) x "
                    "WHERE s.chain_id = $chain AND s.address = x.a AND s.depth <> x.d",
                    {"chain": chain_id, "a": list(depths), "d": list(depths.values())}).fetchall()


def prune_native(con: duckdb.DuckDBPyConnection, chain_id: int, keep: list[str]) -> None:
    """Forget scans outside the scan set and the transfers only they found."""
    with transaction(con, "storing native transfers"):
        for statement in store_sql("native_prune").split(";\n\n"):
            params = {"chain": chain_id, "keep": keep} if "$keep" in statement else {"chain": chain_id}
            con.execute(statement, params).fetchall()

