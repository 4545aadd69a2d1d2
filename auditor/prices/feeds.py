"""The Chainlink USD price feeds the auditor indexes, by proxy address.

A feed's proxy never emits events: each aggregator behind it emits `AnswerUpdated`, and the proxy names them
by phase (`phaseId()`, `phaseAggregators(phase)`). The indexer asks the proxy for every phase's aggregator
and indexes those like any other source. Addresses are Chainlink's published proxies (data.chain.link).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feed:
    chain_id: int
    asset: str          # the token symbol rentals name in payment_token
    proxy: str
    decimals: int = 8   # every USD feed here answers with 8 decimals


FEEDS: tuple[Feed, ...] = (
    Feed(42161, "ETH", "0x639Fe6ab55C921f74e7fac1ee960C0B6293ba612"),
    Feed(42161, "USDC", "0x50834F3163758fcC1Df9973b6e91f0F0F0434aD3"),
    Feed(8453, "ETH", "0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70"),
    Feed(8453, "USDC", "0x7e860098F58bBFC8648a4311b374B1D669a2bc6B"),
)


def feeds_on(chain_id: int) -> tuple[Feed, ...]:
    return tuple(f for f in FEEDS if f.chain_id == chain_id)
