"""Facts about the EVM chains the marketplaces live on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chain:
    chain_id: int
    name: str
    confirmations: int   # default blocks behind the head; deeper than the chain's usual reorgs
    native: str


CHAINS: dict[int, Chain] = {c.chain_id: c for c in (
    Chain(1, "Ethereum", 12, "ETH"),
    Chain(137, "Polygon", 128, "POL"),
    Chain(254, "Swan Chain", 30, "ETH"),
    Chain(8453, "Base", 30, "ETH"),
    Chain(42161, "Arbitrum One", 40, "ETH"),
    Chain(43114, "Avalanche C-Chain", 10, "AVAX"),
)}


def chain_name(chain_id: int) -> str:
    """A display name, also for chains the auditor has no facts about."""
    chain = CHAINS.get(chain_id)
    return chain.name if chain else f"chain {chain_id}"


def default_confirmations(chain_id: int) -> int:
    chain = CHAINS.get(chain_id)
    return chain.confirmations if chain else 64
