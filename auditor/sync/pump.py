"""Planning from coverage and the log pump: fetch -> decode -> store, with coverage in the same commit.

Contract: every fetched range commits with its coverage in one transaction (store.load.write_ranges), so the
run can be killed at any instant and re-run to the same end state. Ranges are planned from coverage, so
re-runs only fetch what is missing and never duplicate a row.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from auditor.decode.logs import Dispatcher
from auditor.extract.logs import block_headers, fetch_range, with_block_times
from auditor.extract.ranges import RangeCursor, missing
from auditor.model import BlockRange, Source
from auditor.store.db import Lease
from auditor.store.load import RangeRows, coverage_of, write_ranges
from auditor.sync.context import ChainRun

WATCH_BATCH = 200         # watched addresses per eth_getLogs topic filter (providers cap filter sizes)
YIELD_CHECK_S = 0.25      # while only waiting for the node, look this often for processes waiting for the file
T = TypeVar("T")
Plan = list[tuple[list[Source], list[BlockRange]]]


@dataclass(frozen=True)
class _Fetched:
    """One planned range, fetched and decoded, not yet stored."""

    rows: RangeRows
    logs: int
    splits: int


def plan(run: ChainRun, sources: list[Source]) -> Plan:
    """Missing ranges per group of sources that miss the same ranges and have the same shape (fetched with one
    query each); a group filtering on topics takes at most WATCH_BATCH sources."""
    groups: dict[tuple[tuple[BlockRange, ...], tuple[object, ...]], list[Source]] = defaultdict(list)
    coverage = coverage_of(run.db.con, run.chain, [s.key for s in sources])
    for source in sources:
        start = max(run.earliest, source.start_block if run.req.from_block is None else run.req.from_block)
        if start > run.to:
            continue
        gaps = tuple(missing(coverage[source.key], BlockRange(start, run.to)))
        if gaps:
            groups[gaps, source.shape].append(source)
    out = []
    for (gaps, shape), group in groups.items():
        size = len(group) if shape == ("plain",) else WATCH_BATCH
        out += [(group[i:i + size], list(gaps)) for i in range(0, len(group), size)]
    return out


async def fetch_all(run: ChainRun, planned: Plan, what: str) -> None:
    """Fetch the planned gaps with up to the endpoint's current limit of requests in flight, in ranges of
    the size the governor allows at that moment, decoding each as it arrives; a writer thread stores them,
    those that arrived while it was busy in one transaction."""
    client, summary, progress = run.client, run.summary, run.progress
    label = run.label(what)
    progress.start(label, sum(g.size for _, gaps in planned for g in gaps))

    async def fetch(group: list[Source], dispatcher: Dispatcher, rng: BlockRange) -> _Fetched:
        logs, splits = await fetch_range(client, group, rng, run.governor)
        blocks = await block_headers(client, logs)
        tables = await in_thread(dispatcher.decode, run.chain, with_block_times(logs, blocks))
        return _Fetched(RangeRows(group, rng, tables, blocks), logs.num_rows, splits)

    async def store(batch: list[_Fetched]) -> None:
        summary.rows += await in_thread(_store_ranges, run.db, run.chain, [f.rows for f in batch])
        for f in batch:
            summary.ranges += 1
            summary.splits += f.splits
            summary.logs += f.logs
            progress.advance(label, f.rows.rng.size, f.logs)

    cursors = [(group, Dispatcher((a, e) for s in group for a in s.emitters for e in s.events), RangeCursor(gaps))
               for group, gaps in planned]
    fetching: set[asyncio.Task[_Fetched]] = set()
    fetched: list[_Fetched] = []
    storing: asyncio.Task[None] | None = None
    try:
        while True:
            # fetched ranges waiting for the writer count against the limit too: memory stays bounded
            while cursors and len(fetching) < client.in_flight and len(fetched) < client.in_flight:
                group, dispatcher, cursor = cursors[0]
                rng = cursor.take(run.governor.size)
                if rng is None:
                    cursors.pop(0)
                    continue
                fetching.add(asyncio.ensure_future(fetch(group, dispatcher, rng)))
            if storing is None and fetched:
                storing = asyncio.ensure_future(store(fetched))
                fetched = []
            if storing is None and not fetching:
                break
            waiting: set[asyncio.Task[Any]] = {*fetching, *([storing] if storing else [])}
            done, _ = await asyncio.wait(waiting, timeout=YIELD_CHECK_S, return_when=asyncio.FIRST_COMPLETED)
            if not done and storing is None:
                run.db.yield_to_waiters()  # a slow node must not keep a reader waiting for the next commit
            if storing in done:
                storing.result()  # the writer's error, if any
                storing = None
            for task in fetching & done:
                fetching.discard(task)
                fetched.append(task.result())
    finally:
        for task in fetching:
            task.cancel()
        await asyncio.gather(*fetching, return_exceptions=True)  # none outlives the run or its HTTP session
        if storing is not None:
            await asyncio.wait([storing])  # the transaction ends before the database closes
            storing.exception()  # retrieved: the error already raised is the one reported
        progress.finish(label)


def _store_ranges(db: Lease, chain: int, rows: list[RangeRows]) -> int:
    """In the writer thread: one commit, then the file is handed over if another process waits for it."""
    written = write_ranges(db.con, chain, rows)
    db.yield_to_waiters()
    return written


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a worker thread, so responses keep being read meanwhile (Arrow and DuckDB release the GIL).
    Awaited to its end even when cancelled: the database must not close under a running transaction, nor a
    decoding thread outlive the run."""
    future = asyncio.get_running_loop().run_in_executor(None, fn, *args)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait([future])
        raise
