"""The plan's data: frozen records of providers, deployments, groups, bids and leases, with the heights at which
they change. No I/O and no randomness here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from auditor.devnet.akash.catalog import Gpu
from auditor.devnet.akash.funding import Owner

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
