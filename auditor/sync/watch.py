"""Funding discovery through logs: the buyers' token transfers both ways, the code of their counterparties,
then the outbound transfers of the EOAs they paid (hubs), which only the first pass reveals."""

from __future__ import annotations

from auditor.extract.transfers import watch_sources
from auditor.model import Source
from auditor.store.sources import register
from auditor.store.watch import prune_watch, watched_buyers, watched_hubs
from auditor.sync.context import ChainRun
from auditor.sync.enrich import check_codes
from auditor.sync.pump import fetch_all, plan


async def watch(run: ChainRun) -> None:
    buyers = watched_buyers(run.db.con, run.chain)
    sources = [s for a in buyers for s in watch_sources(run.chain, a, inbound=True)]
    await _fetch_sources(run, sources)
    await check_codes(run)
    hubs = watched_hubs(run.db.con, run.chain)
    hub_sources = [s for a in hubs for s in watch_sources(run.chain, a, inbound=False)]
    await _fetch_sources(run, hub_sources)
    prune_watch(run.db.con, run.chain, [s.key for s in (*sources, *hub_sources)])
    run.summary.watched = len(buyers) + len(hubs)


async def _fetch_sources(run: ChainRun, sources: list[Source]) -> None:
    register(run.db.con, sources, "watch")
    planned = plan(run, run.kind, sources)
    if planned:
        await fetch_all(run, run.kind, planned, "transfers")
