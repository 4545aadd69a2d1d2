"""What an economy family varies: sizes, tradecraft proportions and traps, as one frozen parameter set per family.

The generator (build.py) is the same for every family; a family is a named FamilyParams. Proportions are shares
of entities (profiles) or of wallets (flows); sizes are counts. Nothing in here is tuned to the clustering's
thresholds: fan-outs, windows and amounts are drawn around and across them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Entity profiles (cast.py): how an entity's wallets are funded and how they cash out.
PROFILES = ("private", "tree", "depositor", "bridged", "exchange_only", "mixed")


@dataclass(frozen=True)
class FamilyParams:
    """One family's knobs. `profiles` weights entity profiles; `*_share` are per-wallet probabilities."""

    entities: int = 10
    solos: int = 50
    max_size: int = 200            # the largest entity of every economy has exactly this many wallets
    size_alpha: float = 1.8        # the other entities' sizes ~ n^-alpha from 2 up to tail_cap
    tail_cap: int = 32
    profiles: tuple[tuple[str, float], ...] = (("private", 2), ("tree", 2), ("depositor", 2), ("bridged", 1),
                                               ("exchange_only", 1), ("mixed", 2))
    native_share: float = 0.5      # deposits and sweeps in native coin rather than USDC
    unlinked_share: float = 0.1    # wallets of a linked profile that get no planted link (exchange only)
    aggregate_most: int = 4        # a deposit address sweeps 1..this many receipts at once
    burst_most: int = 8            # a funder funds 1..this many wallets within minutes
    subfunders_most: int = 4       # a tree's funder funds 2..this many sub-funders
    hot_wallets: int = 2           # the exchange's hot wallets; only the first is in labels.csv
    noise_withdrawals: int = 120   # exchange withdrawals to addresses that never rent
    processor_payers: int = 12     # buyers (entities and solos) paying the payment processor
    airdrop_recipients: int = 120  # addresses the distributor sends dust to (non-buyers and buyers)
    airdrop_first_share: float = 0.3   # of the airdropped buyers, those whose first native coin it is
    router_callers: int = 40       # buyers swapping through the DEX router
    solo_deposit_share: float = 0.5    # solos that cash out through their own deposit address
    solo_bridge_share: float = 0.25    # solos bridged in (the relayer pays them) rather than withdrawn
    extra_rental_share: float = 0.2    # wallets renting twice rather than once
    label_relayer: bool = True


BASE = FamilyParams()

FAMILIES: dict[str, FamilyParams] = {
    # Every tradecraft in proportion, both coins.
    "mixed": BASE,
    # Deposits and sweeps in native coin only: what a token-only view cannot see.
    "native": replace(BASE, native_share=1.0, profiles=(("private", 2), ("tree", 1), ("depositor", 3),
                                                         ("mixed", 2), ("exchange_only", 1))),
    # Deep funding trees funded in bursts by private funders that withdrew from the exchange.
    "trees": replace(BASE, profiles=(("tree", 4), ("private", 2), ("mixed", 1), ("exchange_only", 1)),
                     subfunders_most=6, burst_most=12, native_share=0.3),
    # Most entities funded by the exchange alone (unlinkable: they must stay apart), the rest through deposit
    # addresses with aggregated sweeps; the exchange also pays hundreds of non-buyers.
    "exchange": replace(BASE, profiles=(("exchange_only", 4), ("depositor", 3), ("bridged", 1)),
                        noise_withdrawals=300, aggregate_most=6, unlinked_share=0.25),
    # Services everywhere: an unlabelled relayer, a busy processor, airdrop and router, many solos.
    "traps": replace(BASE, solos=70, processor_payers=30, airdrop_recipients=300, airdrop_first_share=0.5,
                     router_callers=120, label_relayer=False, hot_wallets=3),
}
