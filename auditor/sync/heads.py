"""The chain's ends: the first block the node has, and what a completed run records as known."""

from __future__ import annotations

from auditor.errors import RpcError
from auditor.model import Block
from auditor.rpc.client import Rpc
from auditor.rpc.eth import get_block, parse_block, to_int
from auditor.store.chains import known_through, record_heads, stored_safe
from auditor.sync.context import ChainRun


async def earliest_block(client: Rpc) -> int:
    """The first block the node has: 0 on full chains, later on devnets started at a given number."""
    try:
        return to_int((await get_block(client, "earliest"))["number"], "block number")
    except RpcError:
        return 0


async def record(run: ChainRun, head: Block, safe: Block | None, state_from: int | None) -> None:
    """Record a completed pass: the head seen, the block coverage says is known, the node's state floor."""
    record_heads(run.db.con, run.chain, run.client.where, head, await _known_block(run, safe), state_from)


async def _known_block(run: ChainRun, safe: Block | None) -> Block | None:
    """The block up to which coverage says the chain is known, with its hash and time: this run's safe block,
    the one stored before (a narrower run), or asked of the node."""
    known = known_through(run.db.con, run.chain)
    if known is None:
        return None
    if safe is not None and safe.number == known:
        return safe
    stored = stored_safe(run.db.con, run.chain)
    if stored is not None and stored.number == known:
        return stored
    return parse_block(await get_block(run.client, known))
