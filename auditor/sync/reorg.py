"""Reorg detection before each pass: stored block hashes against the node's, rolled back to the fork point."""

from __future__ import annotations

from auditor.rpc.eth import get_block_hashes
from auditor.store.reorg import rollback, stored_hashes
from auditor.sync.context import ChainRun

REORG_CHECK_BLOCKS = 64   # stored block hashes compared with the node per round trip


async def rewind_reorg(run: ChainRun) -> int:
    """Compare stored block hashes with the node, newest first; on a mismatch roll back to the highest
    block that still matches (the fork point). Returns the depth rolled back (0: no reorg)."""
    below: int | None = None
    newest: int | None = None
    while True:
        stored = stored_hashes(run.db.con, run.chain, below, REORG_CHECK_BLOCKS)
        if not stored and newest is None:
            return 0  # nothing stored yet
        if not stored:
            fork = run.earliest - 1
            break
        newest = stored[0][0] if newest is None else newest
        node = await get_block_hashes(run.client, [n for n, _ in stored])
        matching = [n for (n, h), now in zip(stored, node, strict=True) if now == h]
        if matching and matching[0] == stored[0][0] and below is None:
            return 0
        if matching:
            fork = matching[0]
            break
        below = stored[-1][0]
    assert newest is not None
    rollback(run.db.con, run.chain, fork)
    return newest - fork
