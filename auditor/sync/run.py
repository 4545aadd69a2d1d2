"""`auditor index`: every chain behind the request's URLs, one pass each (an Akash LCD: sync/akash.py). An EVM
chain's: reorg check -> marketplace and price logs -> funding logs -> state probe -> enrichment (first fundings,
native transfers, code flags) -> heads. See pump.py for the commit contract."""

from __future__ import annotations

import contextlib

import pyarrow as pa

from auditor.chains import AKASH_CHAIN_ID
from auditor.errors import ReorgError
from auditor.extract.governor import RangeGovernor
from auditor.extract.state import first_state_block
from auditor.model import normalize_address
from auditor.rpc.client import Rpc
from auditor.store.db import open_lease
from auditor.store.sources import register, register_feeds
from auditor.sync.context import ChainRun
from auditor.sync.evm_logs import EvmLogs
from auditor.sync.heads import record
from auditor.sync.pump import fetch_all, plan
from auditor.sync.reorg import rewind_reorg
from auditor.sync.request import IndexRequest, validate
from auditor.sync.setup import ChainSetup, chain_clients, set_up
from auditor.sync.summary import ChainSummary, NoProgress, Progress

MAX_REORG_PASSES = 3   # a reorg during the run restarts the chain's pass at most this often


async def run_index(req: IndexRequest, progress: Progress | None = None) -> list[ChainSummary]:
    """Index every chain behind the request's RPC URLs; returns a summary per chain."""
    validate(req)
    _arrow_pool()
    progress = progress or NoProgress()
    async with chain_clients(req) as clients:
        return [await _index_akash(req, client, chain, progress) if chain == AKASH_CHAIN_ID else
                await _index_chain(req, client, chain, progress) for chain, client in clients.items()]


async def _index_akash(req: IndexRequest, client: Rpc, chain: int, progress: Progress) -> ChainSummary:
    from auditor.sync.akash import index_akash  # imported when an LCD is asked: EVM runs start sooner

    return await index_akash(req, client, chain, progress)


async def _index_chain(req: IndexRequest, client: Rpc, chain: int, progress: Progress) -> ChainSummary:
    """Index one chain through one endpoint or a pool of endpoints serving it."""
    setup = await set_up(req, client, chain)
    window = setup.window
    summary = ChainSummary(chain, setup.name, client.where, head=setup.head, to_block=window.to,
                           notes=list(setup.notes))
    governor = RangeGovernor(req.chunk_blocks)
    has_blocks = window.to >= window.earliest
    with open_lease(req.db_path) as db:
        run = ChainRun(req, db, client, chain, setup.name, window.earliest, window.to, governor, summary, progress,
                       EvmLogs())
        await _logs(run, setup)
        db.yield_to_waiters()
        state_from = await first_state_block(client, window.earliest, window.to) \
            if has_blocks and not req.adhoc else None
        summary.state_from = state_from
        if state_from is not None:
            await _enrich(run, setup, state_from)
        await record(run, setup.head_block, setup.safe, state_from)
    summary.rpc_calls, summary.retries = client.stats.calls, client.stats.retries
    summary.rate_limited, summary.refusals = client.stats.rate_limited, governor.refusals
    return summary


async def _enrich(run: ChainRun, setup: ChainSetup, state_from: int) -> None:
    """Marketplace enrichments, then the buyers' funding, native transfers and account flags (imported here: an
    ad-hoc run does none of it, and its start-up is most of a short run)."""
    from auditor.sync.enrich import accounts, discover_funding, marketplace_enrichments
    from auditor.sync.native import discover_native

    await marketplace_enrichments(run, list(setup.sources), state_from)
    if run.req.funding:
        await discover_funding(run, state_from)
        await discover_native(run, state_from)
        await accounts(run)


async def _logs(run: ChainRun, setup: ChainSetup) -> None:
    """Marketplace and price-feed logs, then the funding logs; a reorg found meanwhile restarts the pass."""
    feeds = [p.source() for p in setup.phases]
    for attempt in range(MAX_REORG_PASSES):
        try:
            run.summary.reorg_depth = max(run.summary.reorg_depth, await rewind_reorg(run))
            register(run.db.con, list(setup.sources), "adhoc" if run.req.adhoc else "marketplace")
            register_feeds(run.db.con, feeds, [(p.feed.chain_id, p.feed.asset, normalize_address(p.feed.proxy),
                                                p.phase, p.aggregator, p.feed.decimals) for p in setup.phases])
            await fetch_all(run, run.kind, plan(run, run.kind, [*setup.sources, *feeds]), "logs")
            run.db.yield_to_waiters()
            if run.req.funding and not run.req.adhoc:
                from auditor.sync.watch import watch

                await watch(run)
            return
        except ReorgError:
            if attempt == MAX_REORG_PASSES - 1:
                raise


def _arrow_pool() -> None:
    """jemalloc for Arrow where the build has it: the default (mimalloc) kept the pages of every freed answer,
    100 MiB more peak RSS at a million logs."""
    with contextlib.suppress(NotImplementedError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())
