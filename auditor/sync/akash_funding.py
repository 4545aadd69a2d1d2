"""Akash owners' transfers, from tx search: per deployment owner the txs that sent it tokens, that it sent, and
the fee grants it received (the tx of a Console grant also holds the deposit authorization), each searched in
(last height searched, safe height]. An owner's rows, its scan cursor and its funding row commit together (with
those of owners finished meanwhile, up to COMMIT_OWNERS); an owner whose search fails is recorded in
enrichment_failures (step akash-transfers) and searched again next run.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from auditor.errors import RpcError
from auditor.extract.akash import lcd
from auditor.extract.akash.transfers import transfers
from auditor.model import ItemFailure
from auditor.rpc.client import Rpc
from auditor.rpc.eth import asked_until_valid
from auditor.store.akash import TRANSFER_STEP, owners_to_scan, write_transfers
from auditor.store.db import Lease
from auditor.store.failures import write_failures
from auditor.sync.bounded import as_done
from auditor.sync.summary import ChainSummary, Progress

TX_PAGE = 100
COMMIT_OWNERS = 50      # owners searched whose rows commit together (a DuckDB commit costs tens of ms)
MAX_TX_PAGES = 50       # an owner with more than 5,000 matching txs is a service, not a tenant: its first ones do
# Event conditions: incoming bank sends and IBC receipts (transfer.recipient), outgoing (transfer.sender), fee
# grants received.
CONDITIONS = ("transfer.recipient", "transfer.sender", "set_feegrant.grantee")


async def _search(client: Rpc, condition: str, owner: str, after: int, to: int) -> list[Any]:
    """Every tx matching `condition = owner` in (after, to], oldest first."""
    query = f"{condition}='{owner}' AND tx.height>{after} AND tx.height<={to}"
    found: list[Any] = []
    for page_no in range(1, MAX_TX_PAGES + 1):
        txs, total = await asked_until_valid(partial(lcd.tx_search, client, query, page_no, TX_PAGE))
        found += txs
        if not txs or len(found) >= total:
            break
    return found


async def discover_akash_funding(db: Lease, client: Rpc, chain: int, to: int, summary: ChainSummary,
                                 progress: Progress) -> None:
    """Search the transfers of every owner not yet searched up to `to`."""
    owners = owners_to_scan(db.con, chain, to)
    scanned = dict(db.con.execute("SELECT address, scanned_to FROM akash_transfer_scan WHERE chain_id = ?",
                                  [chain]).fetchall())
    failures = summary.failures_of(TRANSFER_STEP)
    label = f"{summary.name} owners' transfers"
    progress.start(label, len(owners))

    async def one(owner: str) -> list[Any] | ItemFailure:
        try:
            txs = [tx for c in CONDITIONS for tx in await _search(client, c, owner, scanned.get(owner, 0), to)]
            rows = {(r[0], r[1], r[2]): r for tx in txs for r in transfers(tx, owner)}
        except RpcError as exc:
            return failures.failed(owner, exc)
        failures.ok()
        return list(rows.values())

    done: list[str] = []
    rows: list[Any] = []

    def flush() -> None:
        write_transfers(db.con, chain, done, rows, to)
        summary.funding_checked += len(done)
        progress.advance(label, len(done), len(rows))
        done.clear()
        rows.clear()
        db.yield_to_waiters()

    async for owner, answer in as_done(one, owners, client.in_flight):
        if isinstance(answer, ItemFailure):
            write_failures(db.con, chain, [answer], to)
            continue
        done.append(owner)
        rows.extend(answer)
        if len(done) >= COMMIT_OWNERS:
            flush()
    if done:
        flush()
    progress.finish(label)
