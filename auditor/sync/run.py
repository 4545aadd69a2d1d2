"""`auditor index`: every chain behind the request's URLs, one pass each: reorg check -> marketplace and price
logs -> funding logs -> state probe -> enrichment -> heads. See pump.py for the commit contract."""

from __future__ import annotations

from contextlib import AsyncExitStack

from auditor.chains import chain_name, default_confirmations
from auditor.errors import InputError, ReorgError
from auditor.extract.governor import RangeGovernor
from auditor.extract.state import first_state_block
from auditor.marketplaces import select, sources_for_chain
from auditor.model import Source, normalize_address
from auditor.prices.resolve import FeedPhase, feed_phases
from auditor.rpc.client import Rpc, RpcClient, open_client
from auditor.rpc.eth import block_number, chain_id, get_block, parse_block
from auditor.rpc.pool import RpcPool
from auditor.store.db import open_lease
from auditor.store.sources import register, register_feeds
from auditor.sync.context import ChainRun
from auditor.sync.enrich import accounts, discover_funding, marketplace_enrichments
from auditor.sync.heads import earliest_block, record
from auditor.sync.pump import fetch_all, plan
from auditor.sync.reorg import rewind_reorg
from auditor.sync.request import IndexRequest, adhoc_source, validate
from auditor.sync.summary import ChainSummary, NoProgress, Progress
from auditor.sync.watch import watch

MAX_REORG_PASSES = 3   # a reorg during the run restarts the chain's pass at most this often


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
    name = chain_name(chain)
    summary = ChainSummary(chain, name, client.where, head=head)
    if req.adhoc:
        sources = [adhoc_source(chain, req.adhoc)]
    else:
        sources = sources_for_chain(chain, select(list(req.marketplaces)))
        if not sources:
            raise InputError(f"{client.where} serves {name} (chain id {chain}), where no "
                             "supported marketplace is deployed (see `auditor marketplaces`)")
    earliest = await earliest_block(client)
    governor = RangeGovernor(req.chunk_blocks)
    confirmations = req.confirmations if req.confirmations is not None else default_confirmations(chain)
    to = head - confirmations if req.to_block is None else req.to_block
    if req.to_block is not None and req.to_block > head:
        raise InputError(f"--to-block {req.to_block} is beyond the head of {name} ({head})")
    summary.to_block = to
    head_block = parse_block(await get_block(client, head))
    safe = parse_block(await get_block(client, to)) if to >= earliest else None
    phases: list[FeedPhase] = []
    if not req.adhoc and to >= earliest:
        phases, notes = await feed_phases(client, chain, to)
        summary.notes += notes
    with open_lease(req.db_path) as db:
        run = ChainRun(req, db, client, chain, name, earliest, to, governor, summary, progress)
        await _logs(run, sources, phases)
        db.yield_to_waiters()
        state_from = await first_state_block(client, earliest, to) if to >= earliest and not req.adhoc else None
        summary.state_from = state_from
        if state_from is not None:
            await marketplace_enrichments(run, sources, state_from)
            if req.funding:
                await discover_funding(run, state_from)
                await accounts(run)
        await record(run, head_block, safe, state_from)
    summary.rpc_calls, summary.retries = client.stats.calls, client.stats.retries
    summary.rate_limited, summary.refusals = client.stats.rate_limited, governor.refusals
    return summary


async def _logs(run: ChainRun, sources: list[Source], phases: list[FeedPhase]) -> None:
    """Marketplace and price-feed logs, then the funding logs; a reorg found meanwhile restarts the pass."""
    feeds = [p.source() for p in phases]
    for attempt in range(MAX_REORG_PASSES):
        try:
            run.summary.reorg_depth = max(run.summary.reorg_depth, await rewind_reorg(run))
            register(run.db.con, sources, "adhoc" if run.req.adhoc else "marketplace")
            register_feeds(run.db.con, feeds, [(p.feed.chain_id, p.feed.asset, normalize_address(p.feed.proxy),
                                                p.phase, p.aggregator, p.feed.decimals) for p in phases])
            await fetch_all(run, plan(run, [*sources, *feeds]), "logs")
            run.db.yield_to_waiters()
            if run.req.funding and not run.req.adhoc:
                await watch(run)
            return
        except ReorgError:
            if attempt == MAX_REORG_PASSES - 1:
                raise
