"""Orchestration of `auditor index`: plan -> fetch -> decode -> load with coverage, per chain.

Contract: every fetched range commits with its coverage in one transaction (store.load.write_ranges), so the
run can be killed at any instant and re-run to the same end state. Ranges are planned from coverage, so
re-runs only fetch what is missing and never duplicate a row.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from auditor.chains import chain_name, default_confirmations
from auditor.decode.abi import parse_event_signature
from auditor.decode.logs import Dispatcher
from auditor.errors import InputError, ReorgError, RpcError
from auditor.extract.accounts import get_codes, get_senders
from auditor.extract.deals import Deal, DealRef, view_deal
from auditor.extract.enrich import StepFailures, for_each
from auditor.extract.funding import Funding, first_funding
from auditor.extract.governor import RangeGovernor
from auditor.extract.logs import block_headers, fetch_range, with_block_times
from auditor.extract.ranges import RangeCursor, missing
from auditor.extract.state import first_state_block
from auditor.extract.transfers import watch_sources
from auditor.marketplaces import select, sources_for_chain
from auditor.model import Block, BlockRange, Source
from auditor.prices.resolve import FeedPhase, feed_phases
from auditor.rpc.client import Rpc, RpcClient, open_client
from auditor.rpc.eth import block_number, chain_id, get_block, get_block_hashes, parse_block, to_int
from auditor.rpc.pool import RpcPool
from auditor.store.chains import known_through, record_heads, stored_safe
from auditor.store.db import Lease, open_lease
from auditor.store.deals import deals_to_view, write_deal
from auditor.store.failures import write_failures
from auditor.store.funding import buyers_to_check, write_funding
from auditor.store.load import RangeRows, coverage_of, register_sources, write_ranges
from auditor.store.reorg import rollback, stored_hashes
from auditor.store.tables import ensure_event_table
from auditor.store.watch import (
    codes_to_check,
    prune_watch,
    senders_to_fetch,
    watched_buyers,
    watched_hubs,
    write_codes,
    write_senders,
)

DEFAULT_CHUNK_BLOCKS = 10_000
DEFAULT_CONCURRENCY = 8
MAX_REORG_PASSES = 3        # a reorg during the run restarts the chain's pass at most this often
YIELD_CHECK_S = 0.25       # while only waiting for the node, look this often for processes waiting for the file
REORG_CHECK_BLOCKS = 64     # stored block hashes compared with the node per round trip
ACCOUNT_BATCH = 500          # addresses or txs looked up, then stored, per transaction
WATCH_BATCH = 200           # watched addresses per eth_getLogs topic filter (providers cap filter sizes)
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
T = TypeVar("T")


@dataclass(frozen=True)
class AdhocEvent:
    """`--contract/--event`: any event of any contract, into table evt_<event>."""

    contract: str
    signature: str


@dataclass(frozen=True)
class IndexRequest:
    rpc_urls: tuple[str, ...]
    db_path: Path
    from_block: int | None = None
    to_block: int | None = None
    marketplaces: tuple[str, ...] = ()
    confirmations: int | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    chunk_blocks: int = DEFAULT_CHUNK_BLOCKS
    adhoc: AdhocEvent | None = None
    funding: bool = True


@dataclass
class ChainSummary:
    chain_id: int
    name: str
    rpc_host: str
    head: int = 0
    to_block: int = 0
    ranges: int = 0
    splits: int = 0
    logs: int = 0
    rows: int = 0
    funding_checked: int = 0
    watched: int = 0
    codes_checked: int = 0
    deals_viewed: int = 0
    reorg_depth: int = 0
    rate_limited: int = 0
    refusals: int = 0
    rpc_calls: int = 0
    retries: int = 0
    no_archive: int = 0
    state_from: int | None = None
    notes: list[str] = field(default_factory=list)
    failures: dict[str, StepFailures] = field(default_factory=dict)

    def failures_of(self, step: str) -> StepFailures:
        """The failure record of one enrichment step (created on first use)."""
        return self.failures.setdefault(step, StepFailures(step, self.rpc_host))


@dataclass(frozen=True)
class _Fetched:
    """One planned range, fetched and decoded, not yet stored."""

    rows: RangeRows
    logs: int
    splits: int


class Progress(Protocol):
    def start(self, label: str, total: int) -> None: ...
    def advance(self, label: str, done: int, logs: int) -> None: ...
    def finish(self, label: str) -> None: ...


class NoProgress:
    def start(self, label: str, total: int) -> None: ...
    def advance(self, label: str, done: int, logs: int) -> None: ...
    def finish(self, label: str) -> None: ...


def validate(req: IndexRequest) -> AdhocEvent | None:
    """Check the request before any I/O, so bad input never touches the database."""
    if not req.rpc_urls:
        raise InputError("give at least one --rpc URL")
    for name, value in (("--from-block", req.from_block), ("--to-block", req.to_block),
                        ("--confirmations", req.confirmations)):
        if value is not None and value < 0:
            raise InputError(f"{name} must not be negative")
    if req.from_block is not None and req.to_block is not None and req.from_block > req.to_block:
        raise InputError(f"--from-block {req.from_block} is after --to-block {req.to_block}")
    if req.concurrency < 1 or req.chunk_blocks < 1:
        raise InputError("--concurrency and --chunk-blocks must be at least 1")
    select(list(req.marketplaces))
    if req.adhoc:
        if not _ADDRESS.match(req.adhoc.contract):
            raise InputError(f"--contract {req.adhoc.contract!r} is not a 0x-prefixed 20-byte hex address")
        parse_event_signature(req.adhoc.signature)
        if req.marketplaces:
            raise InputError("--contract/--event and --marketplace cannot be combined")
    return req.adhoc


def adhoc_source(chain: int, adhoc: AdhocEvent) -> Source:
    spec = parse_event_signature(adhoc.signature)
    address = adhoc.contract.lower()
    return Source(key=f"evt/{address}#{spec.topic0.hex()[:8]}", chain_id=chain, address=address, events=(spec,))


async def run_index(req: IndexRequest, progress: Progress | None = None) -> list[ChainSummary]:
    """Index every chain behind the request's RPC URLs; returns a summary per chain."""
    validate(req)
    progress = progress or NoProgress()
    summaries = []
    async with AsyncExitStack() as stack:
        by_chain: dict[int, list[RpcClient]] = {}
        for url in dict.fromkeys(req.rpc_urls):
            client = await stack.enter_async_context(open_client(url, connections=req.concurrency))
            by_chain.setdefault(await chain_id(client), []).append(client)
        for chain, clients in by_chain.items():
            rpc: Rpc = clients[0] if len(clients) == 1 else RpcPool(clients)
            summaries.append(await _index_chain(req, rpc, chain, progress))
    return summaries


async def _index_chain(req: IndexRequest, client: Rpc, chain: int, progress: Progress) -> ChainSummary:
    """Index one chain through one endpoint or a pool of endpoints serving it."""
    head = await block_number(client)
    summary = ChainSummary(chain, chain_name(chain), client.where, head=head)
    if req.adhoc:
        sources = [adhoc_source(chain, req.adhoc)]
    else:
        sources = sources_for_chain(chain, select(list(req.marketplaces)))
        if not sources:
            raise InputError(f"{client.where} serves {chain_name(chain)} (chain id {chain}), where no "
                             "supported marketplace is deployed (see `auditor marketplaces`)")
    earliest = await _earliest_block(client)
    governor = RangeGovernor(req.chunk_blocks)
    confirmations = req.confirmations if req.confirmations is not None else default_confirmations(chain)
    to = head - confirmations if req.to_block is None else req.to_block
    if req.to_block is not None and req.to_block > head:
        raise InputError(f"--to-block {req.to_block} is beyond the head of {chain_name(chain)} ({head})")
    summary.to_block = to
    head_block = parse_block(await get_block(client, head))
    safe = parse_block(await get_block(client, to)) if to >= earliest else None
    phases: list[FeedPhase] = []
    if not req.adhoc and to >= earliest:
        phases, notes = await feed_phases(client, chain, to)
        summary.notes += notes
    with open_lease(req.db_path) as db:
        for attempt in range(MAX_REORG_PASSES):
            try:
                summary.reorg_depth = max(summary.reorg_depth, await _rewind_reorg(db, client, chain, earliest))
                _register(db, sources, "adhoc" if req.adhoc else "marketplace")
                _register_feeds(db, phases)
                plan = _plan(db, chain, [*sources, *(p.source() for p in phases)], req, earliest, to)
                await _fetch_all(db, client, chain, plan, governor, summary, progress, "logs")
                db.yield_to_waiters()
                if req.funding and not req.adhoc:
                    await _watch(db, client, chain, req, earliest, to, governor, summary, progress)
                break
            except ReorgError:
                if attempt == MAX_REORG_PASSES - 1:
                    raise
        db.yield_to_waiters()
        state_from = await first_state_block(client, earliest, to) if to >= earliest and not req.adhoc else None
        summary.state_from = state_from
        for source in sources:
            if source.marketplace == "iexec" and state_from is not None:
                await _view_deals(db, client, chain, source.address, state_from, to, req.concurrency, summary,
                                  progress)
        if req.funding and state_from is not None:
            await _discover_funding(db, client, chain, earliest, to, state_from, req.concurrency, summary,
                                    progress)
            await _accounts(db, client, chain, to, summary, progress)
        record_heads(db.con, chain, client.where, head_block, await _known_block(db, client, chain, safe), state_from)
    summary.rpc_calls, summary.retries = client.stats.calls, client.stats.retries
    summary.rate_limited, summary.refusals = client.stats.rate_limited, governor.refusals
    return summary


async def _known_block(db: Lease, client: Rpc, chain: int, safe: Block | None) -> Block | None:
    """The block up to which coverage says the chain is known, with its hash and time: this run's safe block,
    the one stored before (a narrower run), or asked of the node."""
    known = known_through(db.con, chain)
    if known is None:
        return None
    if safe is not None and safe.number == known:
        return safe
    stored = stored_safe(db.con, chain)
    if stored is not None and stored.number == known:
        return stored
    return parse_block(await get_block(client, known))


async def _earliest_block(client: Rpc) -> int:
    """The first block the node has: 0 on full chains, later on devnets started at a given number."""
    try:
        return to_int((await get_block(client, "earliest"))["number"], "block number")
    except RpcError:
        return 0


async def _rewind_reorg(db: Lease, client: Rpc, chain: int, earliest: int) -> int:
    """Compare stored block hashes with the node, newest first; on a mismatch roll back to the highest
    block that still matches (the fork point). Returns the depth rolled back (0: no reorg)."""
    below: int | None = None
    newest: int | None = None
    while True:
        stored = stored_hashes(db.con, chain, below, REORG_CHECK_BLOCKS)
        if not stored and newest is None:
            return 0  # nothing stored yet
        if not stored:
            fork = earliest - 1
            break
        newest = stored[0][0] if newest is None else newest
        node = await get_block_hashes(client, [n for n, _ in stored])
        matching = [n for (n, h), now in zip(stored, node, strict=True) if now == h]
        if matching and matching[0] == stored[0][0] and below is None:
            return 0
        if matching:
            fork = matching[0]
            break
        below = stored[-1][0]
    assert newest is not None
    rollback(db.con, chain, fork)
    return newest - fork


def _register(db: Lease, sources: list[Source], kind: str) -> None:
    """Record the run's sources (and create an ad-hoc event's table)."""
    db.con.execute("BEGIN")
    try:
        if kind == "adhoc":
            for source in sources:
                ensure_event_table(db.con, source.events[0])
        register_sources(db.con, sources, kind)
        db.con.execute("COMMIT")
    except BaseException:
        db.con.execute("ROLLBACK")
        raise


def _register_feeds(db: Lease, phases: list[FeedPhase]) -> None:
    """Record the price feeds' aggregators as sources of their own."""
    db.con.execute("BEGIN")
    try:
        register_sources(db.con, [p.source() for p in phases], "price")
        for p in phases:
            db.con.execute("INSERT OR REPLACE INTO price_feeds VALUES (?, ?, ?, ?, ?, ?)",
                        [p.feed.chain_id, p.feed.asset, p.feed.proxy.lower(), p.phase, p.aggregator,
                         p.feed.decimals])
        db.con.execute("COMMIT")
    except BaseException:
        db.con.execute("ROLLBACK")
        raise


def _plan(db: Lease, chain: int, sources: list[Source], req: IndexRequest,
          earliest: int, to: int) -> list[tuple[list[Source], list[BlockRange]]]:
    """Missing ranges per group of sources that miss the same ranges and have the same shape (fetched with one
    query each); a group filtering on topics takes at most WATCH_BATCH sources."""
    groups: dict[tuple[tuple[BlockRange, ...], tuple[object, ...]], list[Source]] = defaultdict(list)
    coverage = coverage_of(db.con, chain, [s.key for s in sources])
    for source in sources:
        start = max(earliest, source.start_block if req.from_block is None else req.from_block)
        if start > to:
            continue
        gaps = tuple(missing(coverage[source.key], BlockRange(start, to)))
        if gaps:
            groups[gaps, source.shape].append(source)
    out = []
    for (gaps, shape), group in groups.items():
        size = len(group) if shape == ("plain",) else WATCH_BATCH
        out += [(group[i:i + size], list(gaps)) for i in range(0, len(group), size)]
    return out


async def _fetch_all(db: Lease, client: Rpc, chain: int,
                     plan: list[tuple[list[Source], list[BlockRange]]], governor: RangeGovernor,
                     summary: ChainSummary, progress: Progress, what: str) -> None:
    """Fetch the planned gaps with up to the endpoint's current limit of requests in flight, in ranges of
    the size the governor allows at that moment, decoding each as it arrives; a writer thread stores them,
    those that arrived while it was busy in one transaction."""
    label = f"{summary.name} {what}"
    progress.start(label, sum(g.size for _, gaps in plan for g in gaps))

    async def fetch(group: list[Source], dispatcher: Dispatcher, rng: BlockRange) -> _Fetched:
        logs, splits = await fetch_range(client, group, rng, governor)
        blocks = await block_headers(client, logs)
        tables = await _in_thread(dispatcher.decode, chain, with_block_times(logs, blocks))
        return _Fetched(RangeRows(group, rng, tables, blocks), logs.num_rows, splits)

    async def store(batch: list[_Fetched]) -> None:
        summary.rows += await _in_thread(_store_ranges, db, chain, [f.rows for f in batch])
        for f in batch:
            summary.ranges += 1
            summary.splits += f.splits
            summary.logs += f.logs
            progress.advance(label, f.rows.rng.size, f.logs)

    cursors = [(group, Dispatcher((a, e) for s in group for a in s.emitters for e in s.events), RangeCursor(gaps))
               for group, gaps in plan]
    fetching: set[asyncio.Task[_Fetched]] = set()
    fetched: list[_Fetched] = []
    storing: asyncio.Task[None] | None = None
    try:
        while True:
            # fetched ranges waiting for the writer count against the limit too: memory stays bounded
            while cursors and len(fetching) < client.in_flight and len(fetched) < client.in_flight:
                group, dispatcher, cursor = cursors[0]
                rng = cursor.take(governor.size)
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
                db.yield_to_waiters()  # a slow node must not keep a reader waiting for the next commit
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


async def _watch(db: Lease, client: Rpc, chain: int, req: IndexRequest, earliest: int,
                 to: int, governor: RangeGovernor, summary: ChainSummary, progress: Progress) -> None:
    """Token transfers of the buyers (both ways), then the code of their counterparties, then the outbound
    transfers of the EOAs they paid (hubs), which only the first pass reveals."""
    buyers = watched_buyers(db.con, chain)
    sources = [s for a in buyers for s in watch_sources(chain, a, inbound=True)]
    await _fetch_sources(db, client, chain, sources, req, earliest, to, governor, summary, progress)
    await _check_codes(db, client, chain, to, summary, progress)
    hubs = watched_hubs(db.con, chain)
    hub_sources = [s for a in hubs for s in watch_sources(chain, a, inbound=False)]
    await _fetch_sources(db, client, chain, hub_sources, req, earliest, to, governor, summary, progress)
    prune_watch(db.con, chain, [s.key for s in (*sources, *hub_sources)])
    summary.watched = len(buyers) + len(hubs)


async def _fetch_sources(db: Lease, client: Rpc, chain: int, sources: list[Source],
                         req: IndexRequest, earliest: int, to: int, governor: RangeGovernor, summary: ChainSummary,
                         progress: Progress) -> None:
    _register(db, sources, "watch")
    plan = _plan(db, chain, sources, req, earliest, to)
    if plan:
        await _fetch_all(db, client, chain, plan, governor, summary, progress, "transfers")


async def _check_codes(db: Lease, client: Rpc, chain: int, to: int, summary: ChainSummary,
                       progress: Progress) -> None:
    """Code flags of the addresses the clustering looks at, stored in batches, each batch final; an address
    whose lookup failed is recorded and asked again next run."""
    addresses = codes_to_check(db.con, chain)
    label = f"{summary.name} accounts"
    failures = summary.failures_of("code")
    progress.start(label, len(addresses))
    try:
        for i in range(0, len(addresses), ACCOUNT_BATCH):
            part = addresses[i:i + ACCOUNT_BATCH]
            found = await get_codes(client, [a for a, _ in part], to)
            codes, seen, failed = [], [], []
            for (address, block), code in zip(part, found, strict=True):
                if isinstance(code, RpcError):
                    failed.append(failures.failed(address, code))
                else:
                    failures.ok()
                    codes.append(code)
                    seen.append(block)
            write_codes(db.con, chain, codes, seen)
            write_failures(db.con, chain, failed, to)
            db.yield_to_waiters()
            summary.codes_checked += len(codes)
            progress.advance(label, len(part), 0)
    finally:
        progress.finish(label)


async def _accounts(db: Lease, client: Rpc, chain: int, to: int, summary: ChainSummary,
                    progress: Progress) -> None:
    """After funding discovery: code flags of the funders and new counterparties, then the senders that show
    an approved EOA spending the allowance."""
    await _check_codes(db, client, chain, to, summary, progress)
    txs = senders_to_fetch(db.con, chain)
    failures = summary.failures_of("sender")
    for i in range(0, len(txs), ACCOUNT_BATCH):
        rows, failed = [], []
        for (tx, _), got in zip(txs[i:i + ACCOUNT_BATCH], await get_senders(client, txs[i:i + ACCOUNT_BATCH]),
                                strict=True):
            if isinstance(got, RpcError):
                failed.append(failures.failed(tx, got))
            else:
                failures.ok()
                if got is not None:
                    rows.append(got)
        write_senders(db.con, chain, rows)
        write_failures(db.con, chain, failed, to)
        db.yield_to_waiters()


async def _in_thread(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a worker thread, so responses keep being read meanwhile (Arrow and DuckDB release the GIL).
    Awaited to its end even when cancelled: the database must not close under a running transaction, nor a
    decoding thread outlive the run."""
    future = asyncio.get_running_loop().run_in_executor(None, fn, *args)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait([future])
        raise


async def _view_deals(db: Lease, client: Rpc, chain: int, contract: str, state_from: int,
                      to: int, concurrency: int, summary: ChainSummary, progress: Progress) -> None:
    """Read every new iExec deal's details (GPU tag, category); each is stored as soon as it is read, a deal
    that could not be read is recorded and read again next run."""
    refs = deals_to_view(db.con, chain, contract)
    label = f"{summary.name} iExec deals"
    failures = summary.failures_of("deal")
    progress.start(label, len(refs))

    def done(ref: DealRef, deal: Deal | RpcError) -> None:
        if isinstance(deal, RpcError):
            write_failures(db.con, chain, [failures.failed(ref.dealid, deal)], to)
        else:
            failures.ok()
            write_deal(db.con, chain, contract, deal)
            summary.deals_viewed += 1
        progress.advance(label, 1, 0)
        db.yield_to_waiters()

    try:
        await for_each(refs, lambda ref: view_deal(client, contract, ref, state_from, to), concurrency, done)
    finally:
        progress.finish(label)


async def _discover_funding(db: Lease, client: Rpc, chain: int, earliest: int,
                            to: int, state_from: int, concurrency: int, summary: ChainSummary,
                            progress: Progress) -> None:
    """The first funding of every buyer not yet traced; each answer (or failure) is stored as it arrives."""
    addresses = buyers_to_check(db.con, chain, to)
    label = f"{summary.name} funding"
    failures = summary.failures_of("funding")
    progress.start(label, len(addresses))

    def done(address: str, result: Funding | RpcError) -> None:
        if isinstance(result, RpcError):
            write_failures(db.con, chain, [failures.failed(address, result)], to)
        else:
            failures.ok()
            write_funding(db.con, chain, result)
            summary.funding_checked += 1
            if result.status == "no_archive":
                summary.no_archive += 1
        progress.advance(label, 1, 0)
        db.yield_to_waiters()

    try:
        await for_each(addresses, lambda a: first_funding(client, a, earliest, to, state_from), concurrency, done)
    finally:
        progress.finish(label)
