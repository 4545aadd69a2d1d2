"""Who is in a family economy: entities of heavy-tailed sizes with a tradecraft profile each, and many solos.

Every wallet gets one marketplace (so one chain), how it is first funded (`funding`) and how it cashes out
(`cashout`, in native coin or USDC). Which on-chain links that leaves is decided here, planted by flows.py and
recorded as truth; a wallet with exchange funding and no cash-out (or a cash-out of its own) has none.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from auditor.devnet.actors import CHAIN_OF, GPU_MODELS, Providers
from auditor.devnet.families.params import FamilyParams
from auditor.devnet.plan import DAY, END_TIME, GENESIS_TIME, address

MARKETS = ("livepeer", "morpheus", "spheron", "iexec")
_MARKET_WEIGHTS = (5, 3, 2, 1)
FIRST_ACTIVE = GENESIS_TIME + 10 * DAY   # funding trees and bursts fit before it
SPHERON_SOLOS = 8   # MarketWriter needs eight Spheron leases (four odd specs, three left open)
_OFFSETS = (-8, -7, -5, -3, 0, 1, 2, 3, 5, 8, 9, 10)


@dataclass(frozen=True)
class Member:
    """A buyer wallet: `funding` in funder | subfunder | exchange | bridge; `cashout` in none | deposit |
    own_deposit | sweep | handoff (it receives USDC and an allowance from its group's main wallet)."""

    address: str
    market: str
    funding: str
    cashout: str
    native: bool
    deposit: str | None = None   # the exchange deposit address it pays (cashout deposit or own_deposit)

    @property
    def chain_id(self) -> int:
        return CHAIN_OF[self.market]


@dataclass(frozen=True)
class Owner:
    """An entity or a solo buyer with every address it owns besides its wallets."""

    party_id: str
    kind: str             # "entity" or "solo"
    profile: str
    utc_offset: int
    start: int
    end: int
    members: tuple[Member, ...]
    funder: str | None
    subfunders: tuple[str, ...]
    collector: str | None
    deposits: tuple[str, ...]
    gpus: tuple[str, ...]
    providers: tuple[tuple[str, tuple[str, ...]], ...]

    def providers_for(self, market: str) -> tuple[str, ...]:
        return dict(self.providers)[market]


def _size(rng: random.Random, params: FamilyParams) -> int:
    u = 1.0 - rng.random()
    return min(params.tail_cap, params.max_size, int(2 * u ** (-1 / (params.size_alpha - 1))))


def _profile(rng: random.Random, params: FamilyParams) -> str:
    names, weights = zip(*params.profiles, strict=True)
    return str(rng.choices(names, weights=weights)[0])


def _flows(rng: random.Random, params: FamilyParams, profile: str, index: int) -> tuple[str, str]:
    """(funding, cashout) of the index-th wallet of an entity with `profile`."""
    if profile == "exchange_only":
        return "exchange", rng.choice(("none", "none", "own_deposit"))
    if profile == "mixed":
        return rng.choice(("funder", "exchange", "bridge")), rng.choice(("deposit", "sweep", "none"))
    if rng.random() < params.unlinked_share and index > 0:
        return "exchange", "none"
    if profile == "private":
        return "funder", rng.choice(("sweep", "sweep", "none"))
    if profile == "tree":
        return "subfunder", rng.choice(("sweep", "none", "none", "deposit"))
    if profile == "depositor":
        return "exchange", "deposit"
    return "bridge", "handoff"   # bridged


def _window(rng: random.Random) -> tuple[int, int]:
    start = rng.randint(FIRST_ACTIVE, END_TIME - 30 * DAY)
    return start, min(END_TIME - 2 * DAY, start + rng.randint(7, 60) * DAY)


def _providers(rng: random.Random, providers: Providers, markets: set[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for m in sorted(markets):
        pool = providers.pool(m)
        out.append((m, tuple(rng.sample(pool, k=rng.randint(1, min(3, len(pool)))))))
    return tuple(out)


def _entity(rng: random.Random, seed: int, tag: str, params: FamilyParams, providers: Providers, index: int,
            size: int) -> Owner:
    pid = f"E{index + 1:03d}"
    profile = _profile(rng, params)
    mix = rng.sample(MARKETS, k=rng.choice((1, 1, 2)))
    drawn = [(*_flows(rng, params, profile, j), mix[j % len(mix)]) for j in range(size)]
    kinds = {f for f, _, _ in drawn} | {c for _, c, _ in drawn}
    subfunders: tuple[str, ...] = ()
    if "subfunder" in kinds:
        count = rng.randint(2, max(2, min(params.subfunders_most, size)))
        subfunders = tuple(address(seed, f"{tag}/{pid}/subfunder/{k}") for k in range(count))
    funder = address(seed, f"{tag}/{pid}/funder") if kinds & {"funder", "subfunder"} else None
    collector = None
    if "sweep" in kinds:
        collector = funder if funder and rng.random() < 0.5 else address(seed, f"{tag}/{pid}/collector")
    accounts = [address(seed, f"{tag}/{pid}/deposit/{k}") for k in range(1 + size // 40)]   # one per account
    members = []
    for j, (funding, cashout, market) in enumerate(drawn):
        wallet = address(seed, f"{tag}/{pid}/wallet/{j}")
        deposit = {"deposit": rng.choice(accounts), "own_deposit": address(seed, f"{tag}/{pid}/deposit/own/{j}")
                   }.get(cashout)
        members.append(Member(wallet, market, funding, cashout, rng.random() < params.native_share, deposit))
    deposits = tuple(sorted({m.deposit for m in members if m.deposit}))
    start, end = _window(rng)
    return Owner(pid, "entity", profile, rng.choice(_OFFSETS), start, end, tuple(members), funder, subfunders,
                 collector, deposits, tuple(rng.sample(GPU_MODELS, k=rng.choice((1, 2)))),
                 _providers(rng, providers, set(mix)))


def _solo(rng: random.Random, seed: int, tag: str, params: FamilyParams, providers: Providers, index: int) -> Owner:
    pid = f"S{index + 1:03d}"
    market = "spheron" if index < SPHERON_SOLOS else rng.choices(MARKETS, weights=_MARKET_WEIGHTS)[0]
    funding = "bridge" if rng.random() < params.solo_bridge_share else "exchange"
    cashout = "own_deposit" if rng.random() < params.solo_deposit_share else "none"
    wallet = address(seed, f"{tag}/{pid}/wallet")
    deposit = address(seed, f"{tag}/{pid}/deposit") if cashout == "own_deposit" else None
    member = Member(wallet, market, funding, cashout, rng.random() < params.native_share, deposit)
    deposits = (deposit,) if deposit else ()
    start, end = _window(rng)
    return Owner(pid, "solo", "solo", rng.choice(_OFFSETS), start, end, (member,), None, (), None, deposits,
                 (rng.choice(GPU_MODELS),), _providers(rng, providers, {market}))


def make_cast(rng: random.Random, seed: int, tag: str, params: FamilyParams, providers: Providers) -> tuple[Owner, ...]:
    """The family's owners: the first entity has max_size wallets, the others heavy-tailed sizes from 2."""
    sizes = [params.max_size, *(_size(rng, params) for _ in range(params.entities - 1))]
    entities = [_entity(rng, seed, tag, params, providers, i, n) for i, n in enumerate(sizes)]
    return (*entities, *(_solo(rng, seed, tag, params, providers, i) for i in range(params.solos)))
