"""One Akash chain's pass (an LCD URL that `auditor index` detected): the list endpoints paged at the safe height
(head minus --confirmations, or --to-block), each page committed with its cursor; then block times of the
heights the leases name, then the owners' transfers (akash_funding.py) and their counterparties' account types
(akash_accounts.py); then the head recorded.

A list complete at the safe height is not read again until the chain has moved on: a re-run with nothing new
makes six requests (detection, head, API version, first block) and stores nothing. A run killed mid-list
resumes at its stored cursor while the safe height is the same, else it reads the list again at the new one
(rows are replaced by id, so the end state is one uninterrupted run's). `--from-block` keeps only objects
created at or after that height.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from functools import partial
from typing import Any

from auditor.chains import chain_name, default_confirmations
from auditor.errors import InputError, RpcError
from auditor.extract.akash import lcd, objects
from auditor.model import Block, BlockRange, ItemFailure, Source
from auditor.rpc.client import Rpc
from auditor.rpc.eth import asked_until_valid
from auditor.store.akash import BLOCK_STEP, Cursor, cursor_of, heights_to_time, source_key, write_blocks, write_page
from auditor.store.chains import known_through, record_heads, stored_safe
from auditor.store.db import Lease, open_lease
from auditor.store.failures import write_failures
from auditor.store.sources import register
from auditor.sync.akash_accounts import check_akash_accounts
from auditor.sync.akash_funding import discover_akash_funding
from auditor.sync.bounded import as_done
from auditor.sync.request import IndexRequest
from auditor.sync.summary import ChainSummary, Progress

MARKETPLACE = "akash"
BLOCK_BATCH = 200     # block times committed together


async def index_akash(req: IndexRequest, client: Rpc, chain: int, progress: Progress) -> ChainSummary:
    """Index the Akash chain behind `client` into the request's database; returns its summary."""
    if req.adhoc:
        raise InputError(f"{client.where} is an Akash REST endpoint: --contract/--event are for EVM chains")
    if req.marketplaces and MARKETPLACE not in req.marketplaces:
        raise InputError(f"{client.where} serves Akash, but --marketplace asked for {', '.join(req.marketplaces)}: "
                         f"add --marketplace {MARKETPLACE} or drop this URL")
    name = chain_name(chain)
    head = await lcd.block(client)
    confirmations = req.confirmations if req.confirmations is not None else default_confirmations(chain)
    if req.to_block is not None and req.to_block > head.number:
        raise InputError(f"--to-block {req.to_block} is beyond the head of {name} ({head.number})")
    if req.to_block is None and confirmations > head.number:
        raise InputError(f"--confirmations {confirmations} is more than the head of {name} ({head.number})")
    to = head.number - confirmations if req.to_block is None else req.to_block
    if req.from_block is not None and req.from_block > to:
        raise InputError(f"--from-block {req.from_block} is after the last height to index on {name} ({to})")
    safe = head if to == head.number else await lcd.block(client, to)
    version = await lcd.api_version(client)
    summary = ChainSummary(chain, name, client.where, head=head.number, to_block=to,
                           notes=[f"Akash API {version}, lists read at height {to}: 'logs' are the objects read, "
                                  "'ranges' the list pages, 'splits' the pages asked again smaller"])
    start = req.from_block or 0
    with open_lease(req.db_path) as db:
        register(db.con, [Source(source_key(n), chain, "", (), start, MARKETPLACE) for n in lcd.LISTS], "marketplace")
        lists = f"{name} logs"   # a list page is to the pump what a block range is to EVM logs
        progress.start(lists, sum(not _complete(cursor_of(db.con, chain, n), to) for n in lcd.LISTS))
        await _all([_list(db, client, chain, n, version, to, start, summary, progress) for n in lcd.LISTS])
        progress.finish(lists)
        await _block_times(db, client, chain, to, summary, safe, progress)
        if req.funding:
            await discover_akash_funding(db, client, chain, to, summary, progress)
            await check_akash_accounts(db, client, chain, to, summary, progress)
        record_heads(db.con, chain, client.where, head, await _known(db, client, chain, safe), None)
    summary.rpc_calls, summary.retries = client.stats.calls, client.stats.retries
    summary.rate_limited = client.stats.rate_limited
    return summary


async def _known(db: Lease, client: Rpc, chain: int, safe: Block) -> Block | None:
    """The height every list is complete at (the lowest), as the chain's safe block: this run's, the one stored
    before, or asked of the node."""
    known = known_through(db.con, chain)
    if known is None or known == safe.number:
        return safe if known is not None else None
    stored = stored_safe(db.con, chain)
    return stored if stored is not None and stored.number == known else await lcd.block(client, known)


def _rows(name: str, entries: list[Any], start: int) -> dict[str, list[tuple[Any, ...]]]:
    """A page's entries as rows per table, objects created before `start` left out."""
    if name == "providers":
        return {"akash_provider": [objects.provider(e) for e in entries]}
    if name == "leases":
        return {"akash_lease": [row for row in map(objects.lease, entries) if row[objects.CREATED_AT[name]] >= start]}
    main, units = ("akash_deployment", objects.deployment) if name == "deployments" else ("akash_bid", objects.bid)
    tables: dict[str, list[tuple[Any, ...]]] = {main: [], "akash_resource": []}
    created = objects.CREATED_AT[name]
    for entry in entries:
        row, resources = units(entry)
        if row[created] >= start:
            tables[main].append(row)
            tables["akash_resource"] += resources
    return tables


async def _read(client: Rpc, name: str, version: str, key: str | None, limit: int, height: int, start: int
                ) -> tuple[lcd.Page, dict[str, list[tuple[Any, ...]]]]:
    """A page and its rows; an answer failing its checks is asked again (a pool's next endpoint first)."""
    page = await lcd.page(client, name, version, key, limit, height)
    return page, _rows(name, page.entries, start)


def _complete(cursor: Cursor | None, height: int) -> bool:
    return cursor is not None and cursor.done and cursor.height >= height


async def _list(db: Lease, client: Rpc, chain: int, name: str, version: str, height: int, start: int,
                summary: ChainSummary, progress: Progress) -> None:
    """Every page of one list at `height`, from the stored cursor when it is at the same height."""
    cursor = cursor_of(db.con, chain, name)
    if _complete(cursor, height):
        return   # complete here, or at a later height already (a --to-block backfill never rolls state back)
    key = cursor.next_key if cursor is not None and cursor.height == height else None
    limit, good = lcd.START_LIMIT, 0
    while True:
        page, rows = await asked_until_valid(partial(_read, client, name, version, key, limit, height, start))
        key = page.next_key
        summary.rows += write_page(db.con, chain, name, height, rows, Cursor(height, key, key is None),
                                   BlockRange(start, height) if key is None else None)
        summary.ranges += 1
        summary.logs += len(page.entries)
        progress.advance(f"{summary.name} logs", int(key is None), len(page.entries))
        db.yield_to_waiters()
        if key is None:
            return
        good = good + 1 if page.limit == limit else 0
        summary.splits += page.limit < limit
        limit = page.limit
        if good >= lcd.GROW_AFTER and limit < lcd.MAX_LIMIT:
            limit, good = min(lcd.MAX_LIMIT, limit * 2), 0


async def _block_times(db: Lease, client: Rpc, chain: int, to: int, summary: ChainSummary, safe: Block,
                       progress: Progress) -> None:
    """The time of every height a lease names (and of the node's first block and the safe one), each failure
    recorded and retried on the next run."""
    failures = summary.failures_of(BLOCK_STEP)
    first = await lcd.earliest_block(client)   # the lists hold every object since: the report's coverage starts here
    write_blocks(db.con, chain, [safe, *([first] if first is not None else [])])
    heights = heights_to_time(db.con, chain)
    label = f"{summary.name} block times"
    progress.start(label, len(heights))

    async def one(height: int) -> Block | ItemFailure:
        try:
            found = await asked_until_valid(lambda: lcd.block(client, height))
        except RpcError as exc:
            return failures.failed(str(height), exc)
        failures.ok()
        return found

    found: list[Block] = []
    async for _, answer in as_done(one, heights, client.in_flight):
        if isinstance(answer, ItemFailure):
            write_failures(db.con, chain, [answer], to)
        else:
            found.append(answer)
        if len(found) >= BLOCK_BATCH:
            write_blocks(db.con, chain, found)
            progress.advance(label, len(found), 0)
            found = []
            db.yield_to_waiters()
    write_blocks(db.con, chain, found)
    progress.advance(label, len(found), 0)
    progress.finish(label)


async def _all(jobs: list[Coroutine[Any, Any, None]]) -> None:
    """Run the jobs together; the first error cancels the others (after they are awaited) and is raised."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
