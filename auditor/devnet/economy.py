"""The simulated GPU-rental economy as a pure, seeded plan: every tx with its block, time, sender and events.

`plan_economy(seed)` does no I/O; the same seed always gives an equal Economy. simulate.py plays it on anvil.
Blocks are mined only at times with activity (plus one empty closing block at CLOSE_TIME), so block numbers are known
in the plan: the n-th distinct tx time of a chain is block genesis + n.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from auditor.devnet.actors import Party, make_parties, make_providers
from auditor.devnet.aleph import ALEPH, other_super_token, write_aleph
from auditor.devnet.cashflow import TOKEN, USDC, CashFlows
from auditor.devnet.feeds import DailyPrice, FeedAnswer, daily_prices, feed_contracts, plan_feeds
from auditor.devnet.golem import write_golem
from auditor.devnet.markets import MarketWriter, plan_intents
from auditor.devnet.plan import (
    ARBITRUM,
    BASE,
    CLOSE_TIME,
    END_TIME,
    ETHER,
    GENESIS_BLOCKS,
    GENESIS_TIME,
    HOUR,
    POLYGON,
    SWAN,
    Emit,
    Funding,
    Ledger,
    Rental,
    address,
)
from auditor.devnet.swan import write_swan
from auditor.marketplaces import MARKETPLACES
from auditor.marketplaces.golem import MULTI_TRANSFER
from auditor.model import normalize_address

CHAIN_NAMES = {ARBITRUM: "Arbitrum One", BASE: "Base", SWAN: "Swan Chain", POLYGON: "Polygon"}
EMITTERS = ("livepeer/TicketBroker", "livepeer/ServiceRegistry", "iexec/PocoDiamond", "spheron/OrderRequest",
            "spheron/ComputeLease", "morpheus/Diamond", "swan/JobManager", "aleph/ConstantFlowAgreementV1",
            "golem/GLM")
EXCHANGE_BALANCE = 10_000_000 * ETHER
TREASURY_BALANCE = 50_000 * ETHER


@dataclass(frozen=True)
class Tx:
    """A planned transaction: a plain transfer when `emits` is empty, else a call to the emitter at `to`
    (through `batch` when it emits more than one event). `code` is placed as of its block."""

    key: int
    chain_id: int
    block: int
    time: int
    sender: str
    to: str
    nonce: int
    value: int
    emits: tuple[Emit, ...]
    code: tuple[tuple[str, str], ...] = ()   # (address, runtime code)


@dataclass(frozen=True)
class ChainPlan:
    chain_id: int
    genesis_block: int
    genesis_time: int
    last_block: int
    last_time: int
    balances: tuple[tuple[str, int], ...]
    code: tuple[tuple[str, str], ...]              # (address, emitter artifact key)
    storage: tuple[tuple[str, str, str], ...]      # (address, slot, value) for anvil_setStorageAt
    txs: tuple[Tx, ...]


@dataclass(frozen=True)
class EntityPlan:
    """An entity or solo buyer as ground truth: who owns which addresses."""

    entity_id: str
    kind: str
    funders: tuple[str, ...]
    wallets: tuple[str, ...]


@dataclass(frozen=True)
class Economy:
    seed: int
    chains: tuple[ChainPlan, ...]
    exchange: tuple[str, ...]
    entities: tuple[EntityPlan, ...]
    providers: dict[str, list[str]]
    rentals: tuple[Rental, ...]
    fundings: tuple[Funding, ...]
    feed_answers: tuple[FeedAnswer, ...]
    daily_prices: tuple[DailyPrice, ...]
    labels: dict[str, str]
    deposits: dict[str, tuple[str, ...]]   # party id -> its exchange deposit addresses
    styles: dict[str, str]                 # party id -> tradecraft (actors.py)
    utc_offsets: dict[str, int]            # party id -> home UTC offset in hours

    def chain(self, chain_id: int) -> ChainPlan:
        return next(c for c in self.chains if c.chain_id == chain_id)

    def txs_by_key(self) -> dict[int, Tx]:
        return {tx.key: tx for c in self.chains for tx in c.txs}


def _first_use(ledger: Ledger) -> dict[tuple[int, str], int]:
    """When each address first acts on a chain: sends a tx or is the buyer of a rental."""
    first: dict[tuple[int, str], int] = {}
    for d in ledger.drafts:
        k = (d.chain_id, d.sender)
        first[k] = min(first.get(k, d.time), d.time)
    for r in ledger.rentals:
        t = ledger.drafts[r.tx].time
        k = (r.chain_id, r.buyer)
        first[k] = min(first.get(k, t), t)
    return first


def _fund(ledger: Ledger, parties: tuple[Party, ...], exchange: str,
          relayer: str) -> tuple[list[Funding], list[tuple[int, str]]]:
    """First fundings before first use: exchange -> funder, treasury -> funder, funder -> buyer; entities without
    a funder and solos withdraw from the exchange or bridge in (the relayer pays them). Then later top-ups that
    must not change who funded first. Returns fundings and treasuries per chain."""
    rng, first = ledger.rng, _first_use(ledger)
    fundings: list[Funding] = []
    treasuries: list[tuple[int, str]] = []
    for chain in GENESIS_BLOCKS:
        for party in parties:
            used = [(first[(chain, w.address)], w.address) for w in party.wallets if (chain, w.address) in first]
            if not used:
                continue
            main = party.wallets[0].address
            if party.style == "bridge":   # the main wallet arrives first: it funds the fresh ones (cashflow.py)
                used = [*((t, w) for t, w in used if w != main), (min(t for t, _ in used), main)]
            wallet_times = [(t - rng.randint(20 * 60, 18 * HOUR), w) for t, w in used]
            if party.funder is None:
                bridged = party.style == "bridge" or (party.kind == "solo" and int(party.party_id[1:]) % 3 == 0)
                payer = relayer if bridged else exchange
                for t, w in wallet_times:
                    key = ledger.send(chain, t, payer, w, value=rng.randint(100, 2000) * 10**15)
                    fundings.append(Funding(chain, w, payer, key))
                continue
            source = party.treasury or exchange
            if party.treasury:
                treasuries.append((chain, party.treasury))
            t_funder = min(t for t, _ in wallet_times) - rng.randint(10 * 60, 12 * HOUR)
            key = ledger.send(chain, t_funder, source, party.funder, value=rng.randint(40, 120) * ETHER)
            fundings.append(Funding(chain, party.funder, source, key))
            for t, w in wallet_times:
                key = ledger.send(chain, t, party.funder, w, value=rng.randint(200, 3000) * 10**15)
                fundings.append(Funding(chain, w, party.funder, key))
    for f in list(fundings):
        funded_at = ledger.drafts[f.tx].time
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            t = rng.randint(funded_at + HOUR, END_TIME - 60)
            ledger.send(f.chain_id, t, exchange, f.address, value=rng.randint(100, 5000) * 10**15)
    return fundings, treasuries


def _emitter_code() -> dict[int, list[tuple[str, str]]]:
    """Where the emitters go: every registry deployment on a devnet chain whose ABI has an emitter, and the
    ERC-20 emitter at each chain's USDC. Golem's multi-transfer contract gets code too (any: it only has to be
    a contract, as on Polygon), so its GLM legs look like a contract's, not a deposit address's."""
    code: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chain, usdc in USDC.items():
        code[chain].append((usdc, TOKEN))
    code[POLYGON].append((MULTI_TRANSFER, TOKEN))
    for m in MARKETPLACES:
        for c in m.contracts:
            key = c.abi.removesuffix(".json")
            for d in c.deployments:
                if key in EMITTERS and d.chain_id in GENESIS_BLOCKS:
                    code[d.chain_id].append((normalize_address(d.address), key))
    return code


def chain_plans(ledger: Ledger, balances: dict[int, list[tuple[str, int]]],
                chains: tuple[int, ...] = tuple(GENESIS_BLOCKS)) -> tuple[ChainPlan, ...]:
    """The ledger's drafts as blocks and nonces per chain, with the emitters' and feeds' code; drafts of a chain
    not in `chains` are left out (an economy may play on fewer chains than the demo)."""
    code = _emitter_code()
    plans = []
    for chain in chains:
        genesis = GENESIS_BLOCKS[chain]
        feeds = feed_contracts(ledger.seed, chain)
        drafts = sorted((d for d in ledger.drafts if d.chain_id == chain), key=lambda d: (d.time, d.key))
        times = sorted({d.time for d in drafts} | {CLOSE_TIME})
        block_of = {t: genesis + 1 + i for i, t in enumerate(times)}
        nonces: dict[str, int] = defaultdict(int)
        txs = []
        for d in drafts:
            block = block_of[d.time]
            emits = d.emits + (d.at_block(block) if d.at_block else ())
            txs.append(Tx(d.key, chain, block, d.time, d.sender, d.to, nonces[d.sender], d.value, emits, d.code))
            nonces[d.sender] += 1
        plans.append(ChainPlan(chain, genesis, GENESIS_TIME, block_of[CLOSE_TIME], CLOSE_TIME,
                               tuple(sorted(balances[chain])), tuple(sorted([*code[chain], *feeds.code])),
                               tuple(sorted(feeds.storage)), tuple(txs)))
    return tuple(plans)


def _entities(parties: tuple[Party, ...], first: dict[tuple[int, str], int]) -> tuple[EntityPlan, ...]:
    active = {a for _, a in first}
    out = []
    for p in parties:
        wallets = tuple(sorted(w.address for w in p.wallets if w.address in active))
        funders = tuple(sorted(a for a in (p.funder, p.treasury) if a))
        if wallets:
            out.append(EntityPlan(p.party_id, p.kind, funders, wallets))
    return tuple(out)


def plan_economy(seed: int = 7) -> Economy:
    """The whole economy for a seed: participants, rentals, fundings, prices and every tx on every chain."""
    ledger = Ledger(seed=seed, rng=random.Random(seed))
    exchange = address(seed, "exchange/hot-wallet")
    providers = make_providers(seed)
    parties = make_parties(ledger.rng, seed, providers)
    intents = plan_intents(ledger.rng, parties)
    MarketWriter(ledger, providers).write(intents)
    write_swan(ledger, providers, [i for i in intents if i.market == "swan"])
    write_aleph(ledger, providers, [i for i in intents if i.market == "aleph"])
    write_golem(ledger, providers, [i for i in intents if i.market == "golem"], exchange)
    answers = plan_feeds(ledger)
    first = _first_use(ledger)
    entities = _entities(parties, first)
    relayer = address(seed, "bridge/relayer")
    fundings, treasuries = _fund(ledger, parties, exchange, relayer)
    traps = CashFlows(ledger, exchange, first, fundings).write(parties)
    balances: dict[int, list[tuple[str, int]]] = {c: [(exchange, EXCHANGE_BALANCE), (relayer, EXCHANGE_BALANCE)]
                                                  for c in GENESIS_BLOCKS}
    for chain, treasury in treasuries:
        balances[chain].append((treasury, TREASURY_BALANCE))
    return Economy(seed=seed, chains=chain_plans(ledger, balances), exchange=(exchange,), entities=entities,
                   providers=providers.listing(), rentals=tuple(ledger.rentals),
                   fundings=tuple(sorted(fundings, key=lambda f: (f.chain_id, f.address))),
                   feed_answers=tuple(answers), daily_prices=daily_prices(seed),
                   labels={"aleph_community_wallet": providers.aleph_community, "aleph_super_token": ALEPH,
                           "aleph_other_super_token": other_super_token(seed), "bridge_relayer": relayer,
                           "payment_processor": traps.processor, "phisher": traps.phisher},
                   deposits=traps.deposits, styles={p.party_id: p.style for p in parties},
                   utc_offsets={p.party_id: p.utc_offset for p in parties})
