"""The vocabulary of an economy plan: chains, calendar, deterministic addresses, and the ledger of planned txs.

Everything here is pure; the plan is played later by simulate.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from eth_utils.crypto import keccak

from auditor.errors import DevnetError
from auditor.marketplaces import MARKETPLACES
from auditor.model import normalize_address

ARBITRUM = 42161
BASE = 8453
SWAN = 254
POLYGON = 137
# above every registered deployment block (iExec on Arbitrum: 363,864,242), as a first index must not scan
# below a known one
GENESIS_BLOCKS = {ARBITRUM: 400_000_000, BASE: 30_000_000, SWAN: 5_000_000, POLYGON: 79_000_000}
GENESIS_TIME = 1_785_715_200   # 2026-08-03T00:00:00Z, the Monday starting ISO week 2026-W32
END_TIME = 1_794_787_199       # 2026-11-15T23:59:59Z, the last second of 2026-W46
CLOSE_TIME = END_TIME + 1      # 2026-11-16T00:00:00Z: an empty closing block, so 2026-W46 is complete on-chain
HOUR = 3600
DAY = 24 * HOUR
WEEK = 7 * DAY
WEEKS = (END_TIME + 1 - GENESIS_TIME) // WEEK
ETHER = 10**18

# Base mainnet USDC: Spheron orders name the token they pay in.
USDC_BASE = "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913"


def address(seed: int, label: str) -> str:
    """A deterministic lowercase address for a participant label, e.g. `E03/buyer/2`."""
    return "0x" + keccak(text=f"gpu-rental-auditor/devnet/{seed}/{label}")[-20:].hex()


def word(seed: int, label: str) -> bytes:
    """A deterministic 32-byte value (ids, hashes) for a label."""
    return keccak(text=f"gpu-rental-auditor/devnet/{seed}/{label}")


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def contract_address(marketplace: str, contract: str, chain_id: int) -> str:
    """The real mainnet address of a registry contract, lowercase."""
    for m in MARKETPLACES:
        for c in m.contracts:
            if m.name == marketplace and c.name == contract:
                for d in c.deployments:
                    if d.chain_id == chain_id:
                        return normalize_address(d.address)
    raise DevnetError(f"the marketplace registry has no {marketplace}/{contract} on chain {chain_id}")


@dataclass(frozen=True)
class Emit:
    """One event emitted by an emitter contract: `e_<event>(*args)` on the artifact `contract`."""

    contract: str
    event: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class DealTerms:
    """What iExec's viewDeal says of a deal that the truth reports: its tag, category and final deadline."""

    deal_id: bytes
    tag: int
    category: int
    deadline: int


@dataclass(frozen=True)
class Rental:
    """A planned rental. `tx` is the ledger key of the tx holding its defining event, `log_position` that
    event's index among the tx's logs; `workload` is Livepeer's "ai" or "transcoding" and `deal` iExec's
    deal terms, None elsewhere."""

    marketplace: str
    chain_id: int
    tx: int
    log_position: int
    buyer: str
    provider: str
    gpu_model_raw: str | None = None
    gpu_count: int | None = None
    start_time: int | None = None
    end_time: int | None = None
    payment_token: str | None = None
    payment_raw: int | None = None
    workload: str | None = None
    deal: DealTerms | None = None


@dataclass(frozen=True)
class Funding:
    """The first plain ETH transfer into `address` on a chain."""

    chain_id: int
    address: str
    funder: str
    tx: int


@dataclass(frozen=True)
class Draft:
    """A tx before blocks are assigned. `at_block` builds emits that carry their own block number; `code` is
    accounts (address, runtime code) placed as of its block, holding what the real tx stores (an iExec deal)."""

    key: int
    chain_id: int
    time: int
    sender: str
    to: str
    value: int = 0
    emits: tuple[Emit, ...] = ()
    at_block: Callable[[int], tuple[Emit, ...]] | None = None
    code: tuple[tuple[str, str], ...] = ()


@dataclass
class Ledger:
    """The mutable builder every planning step appends to; keys are the planning order."""

    seed: int
    rng: random.Random
    drafts: list[Draft] = field(default_factory=list)
    rentals: list[Rental] = field(default_factory=list)

    def send(self, chain_id: int, time: int, sender: str, to: str, *emits: Emit, value: int = 0,
             at_block: Callable[[int], tuple[Emit, ...]] | None = None,
             code: tuple[tuple[str, str], ...] = ()) -> int:
        if not GENESIS_TIME < time <= END_TIME:
            raise DevnetError(f"planned tx at {iso(time)} is outside the devnet calendar")
        key = len(self.drafts)
        self.drafts.append(Draft(key, chain_id, time, sender, to, value, emits, at_block, code))
        return key

    def rent(self, rental: Rental) -> None:
        self.rentals.append(rental)
