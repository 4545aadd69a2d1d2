"""The pump: a source kind's planned work, extracted with bounded concurrency and committed by one writer.

Contract: every extracted range commits with its coverage in one transaction (the kind's `commit`), so the run
can be killed at any instant and re-run to the same end state. Work is planned from coverage, so re-runs only
fetch what is missing and never duplicate a row.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from auditor.model import RangeCursor, Source
from auditor.store.db import Lease
from auditor.sync.context import ChainRun
from auditor.sync.kind import Piece, SourceKind, Work
from auditor.sync.threads import in_thread

YIELD_CHECK_S = 0.25      # while only waiting for the node, look this often for processes waiting for the file


def plan(run: ChainRun, kind: SourceKind, sources: Sequence[Source]) -> list[Work]:
    """What the sources still miss in this pass's window."""
    return kind.plan(run.db.con, run.chain, sources, run.window)


async def fetch_all(run: ChainRun, kind: SourceKind, planned: list[Work], what: str) -> None:
    """Extract the planned gaps with up to the endpoint's current limit of requests in flight, in ranges of
    the size the governor allows at that moment; a writer thread commits them, those that arrived while it
    was busy in one transaction."""
    client, summary, progress = run.client, run.summary, run.progress
    label = run.label(what)
    progress.start(label, sum(w.blocks for w in planned))

    async def store(batch: list[Piece]) -> None:
        summary.rows += await in_thread(_commit, kind, run.db, run.chain, batch)
        for piece in batch:
            summary.ranges += 1
            summary.splits += piece.splits
            summary.logs += piece.items
            progress.advance(label, piece.rng.size, piece.items)

    cursors = [(work, RangeCursor(list(work.gaps))) for work in planned]
    fetching: set[asyncio.Task[Piece]] = set()
    fetched: list[Piece] = []
    storing: asyncio.Task[None] | None = None
    writing = 0   # pieces in the transaction under way
    try:
        while True:
            # pieces waiting for the writer or being written count against a limit too: memory stays bounded
            # by the concurrency, whatever the range
            while cursors and len(fetching) < client.in_flight and \
                    len(fetching) + len(fetched) + writing < client.in_flight + _waiting_limit(client.in_flight):
                work, cursor = cursors[0]
                rng = cursor.take(run.governor.size)
                if rng is None:
                    cursors.pop(0)
                    continue
                fetching.add(asyncio.ensure_future(kind.extract(client, run.chain, work, rng, run.governor)))
            if storing is None and fetched:
                storing = asyncio.ensure_future(store(fetched))
                writing, fetched = len(fetched), []
            if storing is None and not fetching:
                break
            waiting: set[asyncio.Task[Any]] = {*fetching, *([storing] if storing else [])}
            done, _ = await asyncio.wait(waiting, timeout=YIELD_CHECK_S, return_when=asyncio.FIRST_COMPLETED)
            if not done and storing is None:
                run.db.yield_to_waiters()  # a slow node must not keep a reader waiting for the next commit
            if storing in done:
                storing.result()  # the writer's error, if any
                storing, writing = None, 0
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


def _waiting_limit(in_flight: int) -> int:
    """Pieces that may wait for the writer: half the requests in flight. The writer takes them all in its next
    transaction, so more would only hold memory (at 10,000 logs a piece about 10 MB) without adding speed."""
    return max(1, in_flight // 2)


def _commit(kind: SourceKind, db: Lease, chain: int, pieces: list[Piece]) -> int:
    """In the writer thread: one commit, then the file is handed over if another process waits for it."""
    written = kind.commit(db.con, chain, pieces)
    db.yield_to_waiters()
    return written
