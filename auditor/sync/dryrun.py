"""`auditor index --dry-run`: the plan a run would follow, cryo-style, with nothing written.

It asks the endpoints what a run asks before its first write (chain, head, window, sources, feed phases: the
same set-up, setup.py) and reads the database, when there is one, read-only: what each source has covered in
the window and what it still misses, how many buyers funding discovery knows, what enrichment is pending.
The file is never created or changed."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from auditor.chains import AKASH_CHAIN_ID, chain_name, default_confirmations
from auditor.extract.akash import lcd
from auditor.marketplaces import BY_NAME
from auditor.model import BlockRange, Source
from auditor.rpc.client import Rpc
from auditor.sqlfile import Table
from auditor.store.akash import BLOCK_STEP, TRANSFER_STEP, heights_to_time, owners_to_scan, source_key
from auditor.store.db import has_table, open_db
from auditor.store.funding import buyers_to_check
from auditor.store.watch import watched_buyers
from auditor.sync.kind import Window, gaps_of
from auditor.sync.request import IndexRequest, validate
from auditor.sync.setup import chain_clients, set_up


@dataclass(frozen=True)
class SourcePlan:
    """One source: where it starts, what of the window it has, what the run would fetch."""

    key: str
    kind: str                      # marketplace name, "price feed" or "ad-hoc"
    contracts: tuple[str, ...]
    start: int
    covered: int                   # blocks of the window already stored
    missing: tuple[BlockRange, ...]

    @property
    def to_fetch(self) -> int:
        return sum(r.size for r in self.missing)


@dataclass(frozen=True)
class ChainPlan:
    chain: int
    name: str
    rpc_host: str
    head: int
    earliest: int
    to: int
    sources: tuple[SourcePlan, ...]
    buyers: int | None             # buyers known so far (their transfers are watched); None without funding
    funding_todo: int | None       # buyers whose first funding a run would look up
    pending: tuple[tuple[str, int], ...]   # (enrichment step, items a run would look up)


async def plan_index(req: IndexRequest) -> list[ChainPlan]:
    """What `run_index(req)` would do, per chain; reads the database only if it exists."""
    validate(req)
    async with chain_clients(req) as clients:
        if not req.db_path.exists():
            return [await _plan_chain(req, client, chain, None) for chain, client in clients.items()]
        with open_db(req.db_path, read_only=True) as con:
            stored = con if has_table(con, "coverage") else None
            return [await _plan_chain(req, client, chain, stored) for chain, client in clients.items()]


async def _plan_chain(req: IndexRequest, client: Rpc, chain: int, con: duckdb.DuckDBPyConnection | None
                      ) -> ChainPlan:
    if chain == AKASH_CHAIN_ID:
        return await _plan_akash(req, client, chain, con)
    setup = await set_up(req, client, chain)
    window = setup.window
    feeds = [p.source() for p in setup.phases]
    sources = [*setup.sources, *feeds]
    gaps = gaps_of(con, chain, sources, window)
    plans = []
    for source in sources:
        start = window.start_of(source)
        span = max(0, window.to - start + 1)
        missing = gaps[source.key]
        plans.append(SourcePlan(source.key, _kind(source, req, feeds), source.emitters, start,
                                span - sum(r.size for r in missing), missing))
    buyers = funding_todo = None
    pending: list[tuple[str, int]] = []
    if con is not None and not req.adhoc:
        if req.funding:
            buyers = len(watched_buyers(con, chain))
            funding_todo = len(buyers_to_check(con, chain, window.to))
        for source in setup.sources:
            market = BY_NAME.get(source.marketplace or "")
            for step in market.enrichments if market else ():
                pending.append((step.step, len(step.todo(con, chain, source.address))))
    return ChainPlan(chain, setup.name, client.where, setup.head, window.earliest, window.to, tuple(plans),
                     buyers, funding_todo, tuple(pending))


async def _plan_akash(req: IndexRequest, client: Rpc, chain: int, con: duckdb.DuckDBPyConnection | None
                      ) -> ChainPlan:
    """An Akash LCD: each list endpoint's coverage up to the safe height (a list not complete there is paged
    again, at that height), and the block times and owners' transfers still to look up."""
    head = (await lcd.block(client)).number
    confirmations = req.confirmations if req.confirmations is not None else default_confirmations(chain)
    to = head - confirmations if req.to_block is None else req.to_block
    start = req.from_block or 0
    sources = [Source(source_key(n), chain, "", (), start, "akash") for n in lcd.LISTS]
    gaps = gaps_of(con, chain, sources, Window(0, to, req.from_block))
    plans = tuple(SourcePlan(s.key, "akash", (), start, max(0, to - start + 1) - sum(r.size for r in gaps[s.key]),
                             gaps[s.key]) for s in sources)
    pending: list[tuple[str, int]] = []
    if con is not None and has_table(con, "akash_lease"):
        pending = [(BLOCK_STEP, len(heights_to_time(con, chain))), (TRANSFER_STEP, len(owners_to_scan(con, chain, to)))]
    return ChainPlan(chain, chain_name(chain), client.where, head, 0, to, plans, None, None, tuple(pending))


def _kind(source: Source, req: IndexRequest, feeds: list[Source]) -> str:
    if req.adhoc:
        return "ad-hoc"
    return "price feed" if source in feeds else source.marketplace or ""


MAX_RANGES_SHOWN = 4


def plan_tables(plans: list[ChainPlan]) -> list[Table]:
    """The plan as tables: one per chain, a row per source, then what enrichment would look up."""
    out = []
    for p in plans:
        rows = tuple((s.key, s.kind, ", ".join(s.contracts), s.start, s.covered, s.to_fetch, _ranges(s.missing))
                     for s in p.sources)
        title = (f"{p.name} ({p.chain}) via {p.rpc_host}: blocks {p.earliest}-{p.to} of head {p.head}; "
                 f"{sum(s.to_fetch for s in p.sources)} source-blocks to fetch")
        out.append(Table(title, ("source", "kind", "contracts", "from_block", "covered_blocks", "blocks_to_fetch",
                                 "missing"), rows))
        steps: list[tuple[object, ...]] = []
        if p.buyers is not None:
            steps.append(("watch", p.buyers, "buyers whose token transfers are followed (more once logs are in)"))
        if p.funding_todo is not None:
            steps.append(("funding", p.funding_todo, "buyers whose first funding is still to be traced"))
        steps += [(step, n, "items still to look up") for step, n in p.pending]
        if steps:
            out.append(Table(f"{p.name}: funding and enrichment as known before this run's logs",
                             ("step", "items", "what"), tuple(steps)))
    return out


def _ranges(missing: tuple[BlockRange, ...]) -> str:
    if not missing:
        return "nothing"
    shown = ", ".join(f"{r.start}-{r.end}" for r in missing[:MAX_RANGES_SHOWN])
    return shown + (f" (+{len(missing) - MAX_RANGES_SHOWN} more)" if len(missing) > MAX_RANGES_SHOWN else "")
