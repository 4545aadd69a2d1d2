"""Plans one family economy for a seed: cast, rentals, fundings, cash-outs and traps, as an Economy simulate.play
plays on Arbitrum One and Base (Livepeer and iExec; Spheron and Morpheus).

Pure and seeded like economy.plan_economy: the same (family, seed) gives an equal plan. Each wallet rents once
or twice and the Chainlink feeds are placed but never answer (clustering needs no prices), so an economy of a
few hundred wallets plays and indexes in seconds.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import groupby

from auditor.devnet.actors import make_providers
from auditor.devnet.cashflow import TOKEN
from auditor.devnet.economy import EXCHANGE_BALANCE, ChainPlan, Economy, EntityPlan, chain_plans
from auditor.devnet.families import traps
from auditor.devnet.families.cast import SPHERON_SOLOS, Member, Owner, make_cast
from auditor.devnet.families.flows import AIRDROP_BUYER_SHARE, CHAINS, MERCHANTS, Flows, Link, Services
from auditor.devnet.families.params import FAMILIES, FamilyParams
from auditor.devnet.feeds import daily_prices
from auditor.devnet.markets import WAKING, Intent, MarketWriter
from auditor.devnet.plan import END_TIME, HOUR, Funding, Ledger, address
from auditor.errors import DevnetError


@dataclass(frozen=True)
class FamilyEconomy:
    """A planned family economy with what the Economy cannot say: every owner's addresses and the planted
    links between them, and the services (none of which belongs to an owner)."""

    family: str
    seed: int
    params: FamilyParams
    economy: Economy
    owners: tuple[Owner, ...]
    links: tuple[Link, ...]
    services: Services
    bystanders: tuple[str, ...]   # addresses the services pay that never rent and belong to no owner

    @property
    def labelled(self) -> tuple[tuple[str, str], ...]:
        """(category, address) of the services labels.csv names: the first hot wallet, maybe the relayer."""
        out = [("cex_hot", self.services.hot_wallets[0])]
        if self.params.label_relayer:
            out.append(("bridge", self.services.relayer))
        return tuple(out)


def _waking(t: int, owner: Owner) -> int:
    while not WAKING[0] <= ((t // HOUR + owner.utc_offset) % 24) < WAKING[1]:
        t += HOUR
    return t


def _intents(rng: random.Random, owners: tuple[Owner, ...], params: FamilyParams) -> list[Intent]:
    out: list[Intent] = []
    for o in owners:
        for m in o.members:
            for _ in range(1 + (rng.random() < params.extra_rental_share)):
                t = min(END_TIME - 2 * HOUR, _waking(rng.randint(o.start, o.end), o))
                out.append(Intent(t, len(out), m.market, m.address, rng.choice(o.providers_for(m.market)), o.gpus))
    if sum(i.market == "spheron" for i in out) < SPHERON_SOLOS:
        raise DevnetError(f"a family economy needs {SPHERON_SOLOS} solos (they rent on Spheron)")
    return sorted(out, key=lambda i: (i.time, i.seq))


def first_use(ledger: Ledger) -> dict[tuple[int, str], int]:
    """When each address first acts on a chain: sends a tx or is the buyer of a rental."""
    first: dict[tuple[int, str], int] = {}
    for d in ledger.drafts:
        first[(d.chain_id, d.sender)] = min(first.get((d.chain_id, d.sender), d.time), d.time)
    for r in ledger.rentals:
        t = ledger.drafts[r.tx].time
        first[(r.chain_id, r.buyer)] = min(first.get((r.chain_id, r.buyer), t), t)
    return first


def first_fundings(ledger: Ledger, addresses: set[str]) -> list[Funding]:
    """The first plain native-coin transfer into each of `addresses` on each chain, as played (time, then key)."""
    seen: dict[tuple[int, str], Funding] = {}
    for d in sorted(ledger.drafts, key=lambda d: (d.time, d.key)):
        if d.value > 0 and not d.emits and d.to in addresses and (d.chain_id, d.to) not in seen:
            seen[(d.chain_id, d.to)] = Funding(d.chain_id, d.to, d.sender, d.key)
    return sorted(seen.values(), key=lambda f: (f.chain_id, f.address))


def check_balances(chains: tuple[ChainPlan, ...]) -> None:
    """Every native-coin send is covered by what its sender held before its block, less what it sent earlier in
    that block: anvil checks a tx against the state it is submitted on (gas is free on the devnet)."""
    for chain in chains:
        held: dict[str, int] = defaultdict(int, dict(chain.balances))
        for _, group in groupby(chain.txs, key=lambda t: t.block):
            block = list(group)
            spendable = {tx.sender: held[tx.sender] for tx in block}
            for tx in block:
                if tx.value > spendable[tx.sender]:
                    raise DevnetError(f"planned tx {tx.key} on chain {chain.chain_id} at {tx.time} overdraws "
                                      f"{tx.sender}")
                spendable[tx.sender] -= tx.value
            for tx in block:
                held[tx.sender] -= tx.value
                held[tx.to] += tx.value


def _services(seed: int, tag: str, params: FamilyParams) -> Services:
    return Services(hot_wallets=tuple(address(seed, f"{tag}/exchange/hot/{i}") for i in range(params.hot_wallets)),
                    relayer=address(seed, f"{tag}/bridge/relayer"),
                    processor=address(seed, f"{tag}/trap/payment-processor"),
                    merchants=tuple(address(seed, f"{tag}/trap/merchant/{i}") for i in range(MERCHANTS)),
                    distributor=address(seed, f"{tag}/trap/airdrop"), router=address(seed, f"{tag}/trap/router"))


def plan_family(family: str, seed: int, params: FamilyParams | None = None) -> FamilyEconomy:
    """The economy of `family` (a FAMILIES name) for `seed`; `params` overrides the family's."""
    if params is None:
        if family not in FAMILIES:
            raise DevnetError(f"unknown economy family {family!r}; known: {', '.join(FAMILIES)}")
        params = FAMILIES[family]
    tag = f"families/{family}"
    rng = random.Random(f"{tag}/{seed}")
    ledger = Ledger(seed=seed, rng=rng)
    providers = make_providers(seed)
    owners = make_cast(rng, seed, tag, params, providers)
    MarketWriter(ledger, providers).write(_intents(rng, owners, params))
    services = _services(seed, tag, params)
    flows = Flows(ledger, params, services, first_use(ledger), tag)
    members: list[Member] = [m for o in owners for m in o.members]
    owner_of = {m.address: o for o in owners for m in o.members}
    dropped = rng.sample(members, k=min(len(members), int(params.airdrop_recipients * AIRDROP_BUYER_SHARE)))
    cut = int(len(dropped) * params.airdrop_first_share)
    airdropped_first = {m.address for m in dropped[:cut]}
    for o in owners:
        flows.fund(o, airdropped_first)
    for o in owners:
        flows.cash_out(o)
    flows.sweep_deposits()
    flows.top_up(members)
    names = {f"noise/{i}": address(seed, f"{tag}/noise/{i}") for i in range(params.noise_withdrawals)}
    names |= {f"airdrop/{i}": address(seed, f"{tag}/airdrop/{i}") for i in range(params.airdrop_recipients)}
    traps.noise(flows, names)
    traps.processor(flows, rng.sample(members, k=min(len(members), params.processor_payers)), owner_of)
    traps.airdrop(flows, dropped[cut:], names, params.airdrop_recipients - len(dropped))
    traps.router(flows, rng.sample(members, k=min(len(members), params.router_callers)), owner_of)
    funded_by_services = [services.relayer, services.distributor]
    balances = {c: [*((h, EXCHANGE_BALANCE) for h in services.hot_wallets),
                    *((a, EXCHANGE_BALANCE) for a in funded_by_services)] for c in CHAINS}
    chains = tuple(replace(c, code=tuple(sorted((*c.code, (services.router, TOKEN)))))
                   for c in chain_plans(ledger, balances, CHAINS))
    check_balances(chains)
    owned = {a for o in owners for a in (*(m.address for m in o.members), *_others(o))}
    entities = tuple(EntityPlan(o.party_id, o.kind, tuple(sorted(_others(o) - set(o.deposits))),
                                tuple(sorted(m.address for m in o.members))) for o in owners)
    economy = Economy(
        seed=seed, chains=chains, exchange=services.hot_wallets, entities=entities, providers=providers.listing(),
        rentals=tuple(ledger.rentals), fundings=tuple(first_fundings(ledger, owned)), feed_answers=(),
        daily_prices=daily_prices(seed),
        labels={"bridge_relayer": services.relayer, "payment_processor": services.processor,
                "airdrop_distributor": services.distributor, "dex_router": services.router},
        deposits={o.party_id: o.deposits for o in owners if o.deposits},
        styles={o.party_id: o.profile for o in owners}, utc_offsets={o.party_id: o.utc_offset for o in owners})
    return FamilyEconomy(family, seed, params, economy, owners, tuple(flows.links), services,
                         tuple(sorted(set(flows.bystanders))))


def _others(o: Owner) -> set[str]:
    """An owner's addresses that are not its wallets: funder, sub-funders, collector, deposit addresses."""
    return {a for a in (o.funder, o.collector, *o.subfunders, *o.deposits) if a}
