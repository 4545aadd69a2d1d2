"""The simulated Akash economy as a pure, seeded plan: every object with the heights at which it changes.

Nothing here knows about HTTP or JSON. `plan_market` decides providers, owners and their funding, deployments
with group specs, bids, leases and how each lease ends; `view` renders any height from these heights alone, so
a query at an older height (x-cosmos-block-height) is as cheap as one at the head.

Simplifications, each deliberate: every group has one order (oseq 1) and bids have bseq 0; a lease closed by its
provider leaves the group open with no new order until the owner closes the deployment; a lease runs out of funds
at the first block whose accrued price exceeds the deposit (no settlement period), and only single-group
deployments run out; providers withdraw a lease's earnings when it closes.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from auditor.devnet.akash.bech32 import account_address
from auditor.devnet.akash.catalog import (
    DENOMS,
    GPUS,
    MICRO_PER_USD,
    MIN_DEPOSIT,
    PRICING_BOT,
    PROVIDER_REASONS,
    UAKT,
    USD_PER_CPU_BLOCK,
    USD_PER_GPU_BLOCK,
    Gpu,
    gpu_matches,
    provider_attributes,
)
from auditor.devnet.akash.funding import Owner, plan_owners

PRICE_STEP = Decimal("0.000001")


@dataclass(frozen=True)
class Sizes:
    """How big the simulated market is; every figure varies the economy, the seed varies everything else."""

    providers: int = 8
    owners: int = 24
    max_deployments_per_owner: int = 3
    bot_deployments: int = 6
    span_blocks: int = 100_800          # one week of 6 s blocks
    genesis_height: int = 24_000_000
    genesis_time: int = 1_793_577_600    # 2026-11-02T00:00:00Z


@dataclass(frozen=True)
class Provider:
    owner: str
    host_uri: str
    email: str
    website: str
    gpus: tuple[Gpu, ...]
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Resources:
    """One SDL resource unit: CPU in millicores, memory and storage in bytes, GPU units with their attributes."""

    cpu_millis: int
    memory_bytes: int
    storage_bytes: int
    gpu_units: int
    gpu_attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Group:
    gseq: int
    name: str
    resources: Resources
    count: int
    max_price: Decimal       # per block, for the whole group (the SDL price)
    denom: str
    kind: str                # gpu-exact, gpu-model, gpu-any, gpu-either, cpu


@dataclass(frozen=True)
class Bid:
    provider: str
    gseq: int
    height: int
    price: Decimal
    offered: Resources       # the group's resources with the provider's concrete GPU attribute
    gpu: Gpu | None


@dataclass(frozen=True)
class Lease:
    gseq: int
    provider: str
    price: Decimal
    gpu: Gpu | None
    gpu_count: int
    open_height: int
    close_height: int | None
    reason: int | None       # LeaseClosedReason when closed


@dataclass(frozen=True)
class Deployment:
    owner: str
    dseq: int
    groups: tuple[Group, ...]
    hash: bytes
    denom: str
    deposit: int
    depositor: str           # the owner, or the granter of a deposit authorization
    source: str              # "balance" or "grant"
    bids: tuple[Bid, ...]
    leases: tuple[Lease, ...]
    close_height: int | None
    closed_for_funds: bool

    @property
    def created_height(self) -> int:
        return self.dseq

    @property
    def rate(self) -> Decimal:
        return sum((lease.price for lease in self.leases), Decimal(0))


@dataclass(frozen=True)
class Market:
    seed: int
    sizes: Sizes
    providers: tuple[Provider, ...]
    owners: tuple[Owner, ...]
    deployments: tuple[Deployment, ...]

    @property
    def genesis_height(self) -> int:
        return self.sizes.genesis_height

    @property
    def latest_height(self) -> int:
        return self.sizes.genesis_height + self.sizes.span_blocks


def quantize(value: Decimal) -> Decimal:
    return value.quantize(PRICE_STEP, rounding=ROUND_DOWN)


def lease_paid(lease: Lease, deployment: Deployment, at: int) -> Decimal:
    """What a lease has cost its owner up to height `at` (all of the deposit when it ran out of funds)."""
    if at < lease.open_height:
        return Decimal(0)
    if deployment.closed_for_funds and lease.close_height is not None and at >= lease.close_height:
        return Decimal(deployment.deposit)
    end = at if lease.close_height is None else min(at, lease.close_height)
    return lease.price * (end - lease.open_height)


def _plan_providers(rng: random.Random, seed: int, sizes: Sizes) -> tuple[Provider, ...]:
    providers = []
    for i in range(sizes.providers):
        gpus = tuple(sorted(rng.sample(GPUS, rng.randint(1, 3)), key=GPUS.index))
        if i == 0:
            gpus = (GPUS[0], *[g for g in gpus if g != GPUS[0]])  # one H100 SXM provider at least
        host = f"provider{i}.gpu{seed % 97}.example"
        region = rng.choice(["us-west", "eu-central", "asia-east"])
        providers.append(Provider(owner=account_address(f"akash/{seed}/provider/{i}"), host_uri=f"https://{host}:8443",
                                  email=f"ops@{host}", website=f"https://{host}", gpus=gpus,
                                  attributes=provider_attributes(gpus, region, "akash")))
    return tuple(providers)


def _group_resources(rng: random.Random, kind: str) -> Resources:
    cpu = rng.choice([1000, 2000, 4000, 8000, 16000])
    memory = rng.choice([2, 8, 16, 64, 128]) * 2**30
    storage = rng.choice([10, 50, 100, 500]) * 2**30
    if kind == "cpu":
        return Resources(cpu, memory, storage, 0, ())
    gpu = rng.choice(GPUS)
    if kind == "gpu-exact":
        attrs: tuple[tuple[str, str], ...] = ((gpu.attribute_key, "true"),)
    elif kind == "gpu-model":
        attrs = ((f"vendor/nvidia/model/{gpu.model}", "true"),)
    elif kind == "gpu-any":
        attrs = (("vendor/nvidia/model/*", "true"),)
    else:
        other = rng.choice([g for g in GPUS if g.model != gpu.model])
        attrs = ((f"vendor/nvidia/model/{gpu.model}", "true"), (f"vendor/nvidia/model/{other.model}", "true"))
    return Resources(cpu, memory, storage, rng.choice([1, 1, 2, 4, 8]), attrs)


def _offer(provider: Provider, resources: Resources, rng: random.Random) -> tuple[Gpu | None, Resources] | None:
    """The provider's answer to a resource unit: a concrete GPU it has that the group admits, or None."""
    if resources.gpu_units == 0:
        return None, resources
    fits = [g for g in provider.gpus if any(gpu_matches(key, g) for key, _ in resources.gpu_attributes)]
    if not fits:
        return None
    gpu = rng.choice(fits)
    return gpu, Resources(resources.cpu_millis, resources.memory_bytes, resources.storage_bytes,
                          resources.gpu_units, ((gpu.attribute_key, "true"),))


def _usd_per_block(resources: Resources, gpu: Gpu | None) -> Decimal:
    per_gpu = USD_PER_GPU_BLOCK[gpu.model] if gpu else max(USD_PER_GPU_BLOCK.values())
    return resources.cpu_millis / Decimal(1000) * USD_PER_CPU_BLOCK + resources.gpu_units * (
        per_gpu if resources.gpu_units else Decimal(0))


def _plan_groups(rng: random.Random, denom: str, bot: bool) -> tuple[Group, ...]:
    groups = []
    for gseq in range(1, (2 if rng.random() < 0.2 else 1) + 1):
        kind = rng.choice(["gpu-exact", "gpu-any"]) if bot else rng.choices(
            ["gpu-exact", "gpu-model", "gpu-any", "gpu-either", "cpu"], [4, 3, 1, 1, 2])[0]
        resources = _group_resources(rng, kind)
        count = rng.choice([1, 1, 1, 2, 3])
        ceiling = _usd_per_block(resources, None) * count * MICRO_PER_USD[denom] * Decimal("1.6")
        groups.append(Group(gseq, rng.choice(["akash", "dcloud", "westcoast", "gpu"]), resources, count,
                            quantize(ceiling), denom, kind))
    return tuple(groups)


def _plan_bids(rng: random.Random, providers: tuple[Provider, ...], group: Group, created: int) -> list[Bid]:
    bids = []
    for provider in rng.sample(providers, min(len(providers), rng.randint(2, 5))):
        offer = _offer(provider, group.resources, rng)
        if offer is None:
            continue
        gpu, offered = offer
        fair = _usd_per_block(group.resources, gpu) * group.count * MICRO_PER_USD[group.denom]
        price = min(group.max_price, quantize(fair * Decimal(rng.uniform(0.7, 1.3))))
        bids.append(Bid(provider.owner, group.gseq, created + rng.randint(1, 8), max(price, PRICE_STEP), offered, gpu))
    return bids


def _plan_deployment(rng: random.Random, market: tuple[int, Sizes, tuple[Provider, ...]], owner: Owner,
                     dseq: int) -> Deployment:
    seed, sizes, providers = market
    latest = sizes.genesis_height + sizes.span_blocks
    bot = owner.address == PRICING_BOT
    denom = UAKT if bot else rng.choices(DENOMS, [4, 3, 3])[0]
    groups = _plan_groups(rng, denom, bot)
    bids = [bid for group in groups for bid in _plan_bids(rng, providers, group, dseq)]
    digest = hashlib.sha256(f"{seed}/{owner.address}/{dseq}".encode()).digest()
    source, depositor = ("grant", owner.funder) if owner.kind == "card" else ("balance", owner.address)
    if bot or not bids or rng.random() < 0.08:
        close = dseq + rng.randint(20, 300)
        return Deployment(owner.address, dseq, groups, digest, denom, MIN_DEPOSIT, depositor, source, tuple(bids), (),
                          close if close <= latest else None, False)
    leases = []
    lease_height = max(b.height for b in bids) + rng.randint(1, 5)
    mode = rng.choices(["owner", "provider", "funds", "open"], [9, 4, 3, 4])[0]
    if mode == "funds" and len(groups) > 1:
        mode = "owner"
    duration = rng.randint(600, 30_000)
    for group in groups:
        mine = [b for b in bids if b.gseq == group.gseq]
        if not mine:
            continue
        win = min(mine, key=lambda b: (b.price, b.provider))
        leases.append(Lease(group.gseq, win.provider, win.price, win.gpu, win.offered.gpu_units * group.count,
                            lease_height, None, None))
    rate = sum((lease.price for lease in leases), Decimal(0))
    end = lease_height + duration
    if mode == "funds" and end <= latest:
        # The deposit runs out in block logic: the first block whose accrued price exceeds it closes the lease.
        deposit = max(MIN_DEPOSIT, int(rate * duration))
        close = lease_height + int(Decimal(deposit) / rate) + 1
        if close <= latest:
            return Deployment(owner.address, dseq, groups, digest, denom, deposit, depositor, source, tuple(bids),
                              tuple(_closed(lease, close, 20000) for lease in leases), close, True)
    deposit = max(MIN_DEPOSIT, int(rate * (latest - lease_height) * Decimal("1.25")) + MIN_DEPOSIT)
    close_deployment: int | None = None
    if mode == "owner" and end <= latest:
        leases = [_closed(lease, end, 1) for lease in leases]
        close_deployment = end
    elif mode == "provider" and end <= latest:
        leases[0] = _closed(leases[0], end, rng.choice(PROVIDER_REASONS))
        after = end + rng.randint(10, 400)
        if after <= latest:
            leases = [lease if lease.close_height else _closed(lease, after, 1) for lease in leases]
            close_deployment = after
    return Deployment(owner.address, dseq, groups, digest, denom, deposit, depositor, source, tuple(bids),
                      tuple(leases), close_deployment, False)


def _closed(lease: Lease, height: int, reason: int) -> Lease:
    return Lease(lease.gseq, lease.provider, lease.price, lease.gpu, lease.gpu_count, lease.open_height, height,
                 reason)


def plan_market(seed: int, sizes: Sizes | None = None) -> Market:
    """The whole economy for a seed: the same seed and sizes always give the same market."""
    sizes = sizes or Sizes()
    rng = random.Random(seed)
    providers = _plan_providers(rng, seed, sizes)
    owners = plan_owners(rng, seed, sizes.owners)
    first, last = sizes.genesis_height + 600, sizes.genesis_height + int(sizes.span_blocks * 0.9)
    deployments = []
    for owner in owners:
        count = sizes.bot_deployments if owner.address == PRICING_BOT else rng.randint(
            1, sizes.max_deployments_per_owner)
        for dseq in sorted(rng.sample(range(first, last), count)):
            deployments.append(_plan_deployment(rng, (seed, sizes, providers), owner, dseq))
    return Market(seed, sizes, providers, owners, tuple(sorted(deployments, key=lambda d: (d.owner, d.dseq))))
