"""Fetching the logs of a group of sources over one block range, cutting it when the provider refuses it."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from auditor.errors import InvalidResponseError, TooManyResultsError
from auditor.extract.governor import RangeGovernor
from auditor.model import Block, BlockRange, Source, chunks
from auditor.rpc.client import Rpc
from auditor.rpc.eth import asked_until_valid, get_blocks, get_logs


async def fetch_range(client: Rpc, sources: list[Source], rng: BlockRange,
                      governor: RangeGovernor) -> tuple[pa.Table, int]:
    """All logs of the sources' events in the range (a log table, auditor.logtable); returns the logs and
    how many splits it took.
    A refused range is cut into the pieces the provider accepts, which together cover it exactly."""
    addresses = sorted({a for s in sources for a in s.emitters})
    topics = sorted({e.topic0 for s in sources for e in s.events})
    topic1 = sorted({t for s in sources for t in s.topic1})
    topic2 = sorted({t for s in sources for t in s.topic2})
    try:
        logs = await _checked_logs(client, addresses, topics, (topic1, topic2), rng)
    except TooManyResultsError as exc:
        if rng.size < 2:
            raise
        size = governor.refused(rng.size, exc.suggested)
        parts = []
        splits = 1
        for part in chunks([rng], size):
            part_logs, part_splits = await fetch_range(client, sources, part, governor)
            parts.append(part_logs)
            splits += part_splits
        return pa.concat_tables(parts), splits
    governor.succeeded(rng.size)
    return logs, 0


async def _checked_logs(client: Rpc, addresses: list[str], topics: list[bytes],
                        filters: tuple[list[bytes], list[bytes]], rng: BlockRange) -> pa.Table:
    """get_logs, asked again when the answer contradicts the question (the next try may reach another
    endpoint of a pool)."""
    return await asked_until_valid(lambda: get_logs(client, addresses, topics, rng, *filters))


async def fetch_with_blocks(client: Rpc, sources: list[Source], rng: BlockRange,
                            governor: RangeGovernor) -> tuple[pa.Table, int, list[Block]]:
    """fetch_range and the headers of the logs' blocks, fetched again (both) while the two disagree on a
    block's hash; see block_headers."""
    async def ask() -> tuple[pa.Table, int, list[Block]]:
        logs, splits = await fetch_range(client, sources, rng, governor)
        return logs, splits, await block_headers(client, logs)
    return await asked_until_valid(ask)


async def block_headers(client: Rpc, logs: pa.Table) -> list[Block]:
    """The blocks the logs came from. The timestamp comes with the log where the node includes it
    (`blockTimestamp`); only the other blocks are fetched, in batches.

    Every log of a block must name the hash its header has: a mismatch means the chain changed between the
    two calls (a reorg deeper than the confirmations) or the node contradicts itself. Either way the logs may
    belong to a block that is not on the chain, so storing them under the header's hash would hide a fork
    from the reorg check: InvalidResponseError, and the range is fetched again."""
    runs = _block_runs(logs)
    if runs is None:
        hashes = logs.group_by("block_number", use_threads=False).aggregate(
            [("block_hash", "count_distinct"), ("block_hash", "last")])
        forked = hashes.filter(pc.greater(hashes["block_hash_count_distinct"], 1))
        if forked.num_rows:
            raise InvalidResponseError(f"node returned logs of block {forked['block_number'][0].as_py()} under "
                                       "different block hashes")
        named = dict(zip(hashes["block_number"].to_pylist(), hashes["block_hash_last"].to_pylist(), strict=True))
        timed = logs.filter(pc.is_valid(logs["block_time"]))
        per_block = timed.group_by("block_number", use_threads=False).aggregate(
            [("block_hash", "last"), ("block_time", "last")])
        known = {n: Block(n, h, t) for n, h, t in zip(per_block["block_number"].to_pylist(),
                                                       per_block["block_hash_last"].to_pylist(),
                                                       per_block["block_time_last"].to_pylist(), strict=True)}
        need = set(pc.unique(logs.filter(pc.is_null(logs["block_time"]))["block_number"]).to_pylist()) - set(known)
    else:
        numbers, block_hashes, times = runs
        named = dict(zip(numbers, block_hashes, strict=True))
        known = {} if times is None else {n: Block(n, h, t) for n, h, t in zip(numbers, block_hashes, times,
                                                                                strict=True)}
        need = set() if times is not None else set(numbers)
    if need:
        for block in await get_blocks(client, sorted(need)):
            if block.hash != named[block.number]:
                raise InvalidResponseError(f"the logs of block {block.number} name block hash "
                                           f"{named[block.number]}, its header {block.hash}: the chain changed "
                                           "between the two calls, or the node contradicts itself")
            known[block.number] = block
    return [known[n] for n in sorted(known)]


def _block_runs(logs: pa.Table) -> tuple[list[int], list[str], list[int] | None] | None:
    """Per block, its number, hash and time (None: no log has one), when the logs come in block order and every
    log has a time or none has (as nodes answer): then a block's logs are one run of rows, and comparing each
    row with the previous one finds a block named under two hashes without hashing every row as group_by does
    (a tenth of a run's CPU). Raises InvalidResponseError for such a block; None for any other answer."""
    nulls = logs["block_time"].null_count
    if not logs.num_rows or nulls not in (0, logs.num_rows):
        return None
    blocks = logs["block_number"].combine_chunks()
    if not pc.all(pc.greater_equal(blocks[1:], blocks[:-1]), min_count=0).as_py():
        return None
    block_hashes = logs["block_hash"].combine_chunks()
    same = pc.equal(blocks[1:], blocks[:-1])
    forked = pc.and_(same, pc.not_equal(block_hashes[1:], block_hashes[:-1]))
    if pc.any(forked, min_count=0).as_py():
        at = pc.index(forked, True).as_py()
        raise InvalidResponseError(f"node returned logs of block {blocks[at].as_py()} under different block hashes")
    firsts = pa.concat_arrays([pa.array([0], pa.int64()),
                               pc.add(pc.indices_nonzero(pc.invert(same)).cast(pa.int64()), 1)])
    times = None if nulls else logs["block_time"].combine_chunks().take(firsts).to_pylist()
    return blocks.take(firsts).to_pylist(), block_hashes.take(firsts).to_pylist(), times


def with_block_times(logs: pa.Table, blocks: list[Block]) -> pa.Table:
    """The logs with every block_time filled in from their blocks' headers."""
    if not logs["block_time"].null_count:
        return logs
    numbers = pa.array([b.number for b in blocks], pa.int64())
    times = pa.array([b.timestamp for b in blocks], pa.int64())
    filled = pc.coalesce(logs["block_time"], times.take(pc.index_in(logs["block_number"], numbers)))
    return logs.set_column(logs.schema.get_field_index("block_time"), "block_time", filled)
