"""Who takes part in the simulated economy: the exchange, providers, entities with many wallets, solo buyers.

The traps for the analysis are built in here: every solo buyer and most entity funders are first funded by
the same exchange hot wallet or bridge relayer, and entities share providers. Each entity has a tradecraft
(`style`) that leaves the evidence one clustering heuristic, or two, can find (see cashflow.py), and a home time
zone its wallets rent in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from auditor.devnet.plan import ARBITRUM, BASE, POLYGON, SWAN, WEEKS, address

MARKETS = ("livepeer", "iexec", "spheron", "morpheus", "swan", "aleph", "golem")
CHAIN_OF = {"livepeer": ARBITRUM, "iexec": ARBITRUM, "spheron": BASE, "morpheus": BASE, "swan": SWAN, "aleph": BASE,
            "golem": POLYGON}
GPU_MODELS = ("h100", "a100-80g", "rtx4090", "l40s", "rtx6000-ada", "a10")
_GPU_WEIGHTS = (6, 3, 3, 2, 1, 1)

ENTITIES = 12
SOLOS = 28
# Weekly growth factors, one per entity: some grow (the trend the report should show), one shrinks.
_GROWTH = (1.15, 1.0, 1.1, 1.0, 1.06, 0.9, 1.0, 1.18, 1.0, 1.04, 1.08, 1.0)
# Intents per week at an entity's first week, drawn uniformly from these ranges, then scaled so that all
# entities together expect ENTITY_RENTALS intents per marketplace: the scale (and the devnet's run time) stays the
# same for every seed while the split between entities varies. An Aleph intent is an instance (two streams, so
# two rentals), a Golem intent a payment batch (one to four transfers, each a rental).
_ENTITY_RATES = {"livepeer": (3.0, 7.0), "iexec": (0.8, 2.0), "spheron": (2.5, 5.0), "morpheus": (1.0, 2.5),
                 "swan": (0.8, 2.0), "aleph": (0.5, 1.2), "golem": (0.4, 1.0)}
ENTITY_RENTALS = {"livepeer": 330, "iexec": 140, "spheron": 190, "morpheus": 200, "swan": 65, "aleph": 34,
                  "golem": 28}
_SOLO_RATES = {"livepeer": (2.0, 4.0), "iexec": (0.6, 1.2), "spheron": (0.6, 1.4), "morpheus": (0.8, 1.8),
               "swan": (0.5, 1.0), "aleph": (0.3, 0.6), "golem": (0.3, 0.6)}
# Tradecraft per entity index: "funder" (one funder wallet funds the wallets, which sweep their USDC back to it),
# "exchange" (exchange withdrawals in, cash-out through the entity's own exchange deposit address), "bridge"
# (bridged in by a relayer; a main wallet sends USDC to and approves each fresh wallet), "weak" (a funder wallet
# and nothing else: one heuristic only, which strict clustering does not accept alone).
_STYLES = ("funder", "exchange", "bridge", "funder", "exchange", "bridge", "funder", "exchange", "bridge",
           "weak", "exchange", "bridge")
# Home UTC offsets in hours: entities rent between 07:00 and 23:00 local time.
_OFFSETS = (-8, -5, -3, 0, 1, 2, 3, 5, 8, 9, 10, -6)
_POOL_SIZES = {"livepeer": 6, "iexec": 3, "spheron": 6, "morpheus": 4, "swan": 6, "aleph": 5, "golem": 8}


@dataclass(frozen=True)
class Workerpool:
    """An iExec workerpool: the pool's address appears in SchedulerNotice, its owner stakes, its scheduler sends."""

    address: str
    owner: str
    scheduler: str


@dataclass(frozen=True)
class Providers:
    """Provider-side addresses per marketplace; `aleph` are compute nodes (CRNs), which share the streams'
    receiving side with one community wallet."""

    livepeer: tuple[str, ...]
    iexec: tuple[Workerpool, ...]
    spheron: tuple[str, ...]
    morpheus: tuple[str, ...]
    swan: tuple[str, ...]
    aleph: tuple[str, ...]
    golem: tuple[str, ...]
    aleph_community: str

    def pool(self, market: str) -> tuple[str, ...]:
        """The addresses rentals name as provider (workerpools for iExec, compute nodes for Aleph)."""
        if market == "iexec":
            return tuple(w.address for w in self.iexec)
        pools: dict[str, tuple[str, ...]] = {"livepeer": self.livepeer, "spheron": self.spheron,
                                             "morpheus": self.morpheus, "swan": self.swan, "aleph": self.aleph,
                                             "golem": self.golem}
        return pools[market]

    def listing(self) -> dict[str, list[str]]:
        """Every provider-side address per marketplace (iExec: pools, owners and schedulers; Aleph: compute
        nodes and the community wallet)."""
        iexec = [a for w in self.iexec for a in (w.address, w.owner, w.scheduler)]
        return {"livepeer": sorted(self.livepeer), "iexec": sorted(iexec), "spheron": sorted(self.spheron),
                "morpheus": sorted(self.morpheus), "swan": sorted(self.swan),
                "aleph": sorted((*self.aleph, self.aleph_community)), "golem": sorted(self.golem)}


@dataclass(frozen=True)
class Wallet:
    address: str
    markets: tuple[str, ...]


@dataclass(frozen=True)
class Party:
    """An entity (a funder, maybe a treasury, and several buyer wallets) or a solo buyer (one wallet)."""

    party_id: str
    kind: str
    funder: str | None
    treasury: str | None
    wallets: tuple[Wallet, ...]
    rates: tuple[tuple[str, float], ...]
    growth: float
    start_week: int
    end_week: int
    gpus: tuple[str, ...]
    providers: tuple[tuple[str, tuple[str, ...]], ...]
    style: str = "solo"
    utc_offset: int = 0

    def providers_for(self, market: str) -> tuple[str, ...]:
        return dict(self.providers)[market]


def make_providers(seed: int) -> Providers:
    def pool(market: str) -> tuple[str, ...]:
        return tuple(address(seed, f"{market}/provider/{i}") for i in range(1, _POOL_SIZES[market] + 1))

    workerpools = tuple(Workerpool(address(seed, f"iexec/workerpool/{i}"), address(seed, f"iexec/owner/{i}"),
                                   address(seed, f"iexec/scheduler/{i}"))
                        for i in range(1, _POOL_SIZES["iexec"] + 1))
    return Providers(pool("livepeer"), workerpools, pool("spheron"), pool("morpheus"), pool("swan"), pool("aleph"),
                     pool("golem"), address(seed, "aleph/community"))


def _gpus(rng: random.Random, count: int) -> tuple[str, ...]:
    chosen: list[str] = []
    while len(chosen) < count:
        model = rng.choices(GPU_MODELS, weights=_GPU_WEIGHTS)[0]
        if model not in chosen:
            chosen.append(model)
    return tuple(chosen)


def _preferred(rng: random.Random, providers: Providers, markets: tuple[str, ...], most: int,
               ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for m in markets:
        pool = providers.pool(m)
        out.append((m, tuple(rng.sample(pool, k=rng.randint(1, min(most, len(pool)))))))
    return tuple(out)


def _entity(rng: random.Random, seed: int, index: int, providers: Providers) -> Party:
    pid = f"E{index + 1:02d}"
    primary = MARKETS[index % len(MARKETS)]
    others = [m for m in MARKETS if m != primary]
    extra = rng.sample(others, k=rng.choice((0, 1, 1, 2)))
    if primary == "swan" and not extra:
        extra = [rng.choice(others)]   # Swan renters bridge in from a chain they also rent on
    mix = tuple(m for m in MARKETS if m == primary or m in extra)
    count = max(rng.randint(2, 8), len(mix))
    wallets = []
    for j in range(count):
        markets = {mix[j % len(mix)]}
        if len(mix) > 1 and rng.random() < 0.3:
            markets.add(rng.choice(mix))
        if markets == {"swan"}:
            # Swan Chain has no watched token: its renters bridge in and reuse a wallet they rent with elsewhere.
            markets.add(rng.choice([m for m in mix if m != "swan"]))
        wallets.append(Wallet(address(seed, f"{pid}/buyer/{j + 1}"), tuple(m for m in MARKETS if m in markets)))
    rates = tuple((m, round(rng.uniform(*_ENTITY_RATES[m]), 3)) for m in mix)
    style = _STYLES[index]
    with_funder = style in ("funder", "weak")
    treasury = address(seed, f"{pid}/treasury") if index % 4 == 2 and with_funder else None
    return Party(party_id=pid, kind="entity", funder=address(seed, f"{pid}/funder") if with_funder else None,
                 treasury=treasury, style=style, utc_offset=_OFFSETS[index],
                 wallets=tuple(wallets), rates=rates, growth=_GROWTH[index],
                 start_week=rng.choice((0, 0, 0, 1, 2, 4)), end_week=WEEKS - 1,
                 gpus=_gpus(rng, rng.choice((1, 2))), providers=_preferred(rng, providers, mix, 3))


def _solo(rng: random.Random, seed: int, index: int, providers: Providers) -> Party:
    pid = f"S{index + 1:02d}"
    market = MARKETS[index % len(MARKETS)]
    start = rng.randint(0, WEEKS - 4)
    return Party(party_id=pid, kind="solo", funder=None, treasury=None, utc_offset=rng.choice(_OFFSETS),
                 wallets=(Wallet(address(seed, f"{pid}/wallet"), (market,)),),
                 rates=((market, round(rng.uniform(*_SOLO_RATES[market]), 3)),), growth=1.0,
                 start_week=start, end_week=min(WEEKS - 1, start + rng.randint(3, 8)),
                 gpus=_gpus(rng, 1), providers=_preferred(rng, providers, (market,), 1))


def _expected(party: Party, market: str) -> float:
    rate = dict(party.rates).get(market, 0.0)
    return sum(rate * party.growth ** (w - party.start_week) for w in range(party.start_week, party.end_week + 1))


def _rescaled(entities: list[Party]) -> list[Party]:
    factor = {m: ENTITY_RENTALS[m] / (sum(_expected(p, m) for p in entities) or 1.0) for m in MARKETS}
    return [replace(p, rates=tuple((m, round(r * factor[m], 3)) for m, r in p.rates)) for p in entities]


def make_parties(rng: random.Random, seed: int, providers: Providers) -> tuple[Party, ...]:
    entities = _rescaled([_entity(rng, seed, i, providers) for i in range(ENTITIES)])
    solos = [_solo(rng, seed, i, providers) for i in range(SOLOS)]
    return (*entities, *solos)
