"""Facts about the chains the marketplaces live on: EVM chains by their chain id, and Akash (a Cosmos chain, whose
id is the string akashnet-2) by AKASH_CHAIN_ID, the integer the store uses for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chain:
    chain_id: int
    name: str
    confirmations: int   # default blocks behind the head; deeper than the chain's usual reorgs
    native: str


AKASH_NETWORK = "akashnet-2"
# The store keys every row by an integer chain id. Cosmos chain ids are strings, so akashnet-2 gets a fixed one:
# the ASCII bytes of "akash" as a number (0x616b617368). EVM chain ids are small by convention (chainlist's largest
# are near 2^32 x 3), and tests/test_chains.py checks it differs from every EVM chain here. Never change it:
# stored rows and users' SQL name it.
AKASH_CHAIN_ID = 418_413_376_360

CHAINS: dict[int, Chain] = {c.chain_id: c for c in (
    Chain(1, "Ethereum", 12, "ETH"),
    Chain(137, "Polygon", 128, "POL"),
    Chain(254, "Swan Chain", 30, "ETH"),
    Chain(8453, "Base", 30, "ETH"),
    Chain(42161, "Arbitrum One", 40, "ETH"),
    Chain(43114, "Avalanche C-Chain", 10, "AVAX"),
    # CometBFT blocks are final when committed; the margin only keeps the index off the block being written.
    Chain(AKASH_CHAIN_ID, "Akash", 10, "AKT"),
)}


def chain_name(chain_id: int) -> str:
    """A display name, also for chains the auditor has no facts about."""
    chain = CHAINS.get(chain_id)
    return chain.name if chain else f"chain {chain_id}"


def default_confirmations(chain_id: int) -> int:
    chain = CHAINS.get(chain_id)
    return chain.confirmations if chain else 64
