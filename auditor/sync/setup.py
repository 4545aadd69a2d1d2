"""What a chain's pass starts from, asked of the endpoints before the database is touched: which chain each URL
serves, its head and first block, the window to cover, the sources deployed there, and the price feeds' phases.
Shared by the run (run.py) and the dry run (dryrun.py), so the plan printed is the plan run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.chains import chain_name, default_confirmations
from auditor.errors import InputError
from auditor.marketplaces import BY_NAME, MARKETPLACES, select, sources_for_chain
from auditor.model import Block, Source
from auditor.rpc.client import Rpc, RpcClient, open_client
from auditor.rpc.detect import detect_chain
from auditor.rpc.eth import block_number, get_block, parse_block
from auditor.rpc.pool import RpcPool
from auditor.sync.heads import earliest_block
from auditor.sync.kind import Window
from auditor.sync.request import IndexRequest, adhoc_source

if TYPE_CHECKING:
    from auditor.prices.resolve import FeedPhase


@dataclass(frozen=True)
class ChainSetup:
    chain: int
    name: str
    head: int
    head_block: Block
    safe: Block | None          # the window's last block, when the node has it
    window: Window
    sources: tuple[Source, ...]
    phases: tuple[FeedPhase, ...]
    notes: tuple[str, ...]


@asynccontextmanager
async def chain_clients(req: IndexRequest) -> AsyncIterator[dict[int, Rpc]]:
    """One client per chain behind the request's URLs (EVM or an Akash LCD, detected); several URLs of one chain
    share the load as a pool."""
    async with AsyncExitStack() as stack:
        by_chain: dict[int, list[RpcClient]] = {}
        for url in dict.fromkeys(req.rpc_urls):
            client = await stack.enter_async_context(open_client(url, connections=req.concurrency,
                                                                      retry_for=req.retry_for))
            by_chain.setdefault(await detect_chain(client), []).append(client)
        yield {chain: clients[0] if len(clients) == 1 else RpcPool(clients) for chain, clients in by_chain.items()}


async def set_up(req: IndexRequest, client: Rpc, chain: int) -> ChainSetup:
    """The chain's head, window, sources and feed phases; a bad request for this chain is an InputError."""
    head = await block_number(client)
    name = chain_name(chain)
    if req.adhoc:
        sources = [adhoc_source(chain, req.adhoc)]
    else:
        sources = sources_for_chain(chain, select(list(req.marketplaces)))
        if not sources:
            raise InputError(_nothing_here(client.where, chain, req.marketplaces))
    earliest = await earliest_block(client)
    confirmations = req.confirmations if req.confirmations is not None else default_confirmations(chain)
    if req.to_block is not None and req.to_block > head:
        raise InputError(f"--to-block {req.to_block} is beyond the head of {name} ({head})")
    if req.to_block is None and confirmations > head:
        raise InputError(f"--confirmations {confirmations} is more than the head of {name} ({head}): no block "
                         "is that deeply confirmed")
    to = head - confirmations if req.to_block is None else req.to_block
    if req.from_block is not None and req.from_block > to:
        raise InputError(f"--from-block {req.from_block} is after the last block to index on {name} ({to})")
    head_block = parse_block(await get_block(client, head))
    safe = parse_block(await get_block(client, to)) if to >= earliest else None
    phases: list[FeedPhase] = []
    notes: list[str] = []
    if not req.adhoc and to >= earliest:
        from auditor.prices.resolve import feed_phases  # imported here: an ad-hoc run reads no price feed

        phases, notes = await feed_phases(client, chain, to)
    return ChainSetup(chain, name, head, head_block, safe, Window(earliest, to, req.from_block), tuple(sources),
                      tuple(phases), tuple(notes))


def _nothing_here(where: str, chain: int, asked: tuple[str, ...]) -> str:
    """Why a URL has nothing to index: what its chain has, and what was asked for (and where that is)."""
    here = sorted(m.name for m in MARKETPLACES if chain in m.chains)
    found = f"{where} serves {chain_name(chain)} (chain id {chain})"
    if not asked or not here:
        return f"{found}, where no supported marketplace is deployed (see `auditor marketplaces`)"
    elsewhere = "; ".join(f"{n} is on {', '.join(chain_name(c) for c in BY_NAME[n].chains)}" for n in asked)
    return (f"{found}, which has {', '.join(here)}, but --marketplace asked for {', '.join(asked)} "
            f"({elsewhere}): add --marketplace {here[0]} or drop this URL")
