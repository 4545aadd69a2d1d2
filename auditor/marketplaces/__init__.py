"""The explicit registry of supported marketplaces."""

from __future__ import annotations

from auditor.errors import InputError
from auditor.marketplaces import akash, aleph, golem, iexec, livepeer, morpheus, spheron, swan
from auditor.marketplaces.base import Marketplace
from auditor.model import EventSpec, Source

MARKETPLACES: tuple[Marketplace, ...] = (
    livepeer.MARKETPLACE,
    iexec.MARKETPLACE,
    spheron.MARKETPLACE,
    morpheus.MARKETPLACE,
    swan.MARKETPLACE,
    aleph.MARKETPLACE,
    golem.MARKETPLACE,
    akash.MARKETPLACE,
)

BY_NAME: dict[str, Marketplace] = {m.name: m for m in MARKETPLACES}


def select(names: list[str] | None) -> tuple[Marketplace, ...]:
    """The named marketplaces (all when none are named); unknown names are an input error."""
    if not names:
        return MARKETPLACES
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        raise InputError(f"unknown marketplace {', '.join(unknown)} (known: {', '.join(BY_NAME)})")
    return tuple(BY_NAME[n] for n in dict.fromkeys(names))


def sources_for_chain(chain_id: int, marketplaces: tuple[Marketplace, ...]) -> list[Source]:
    return [s for m in marketplaces for s in m.sources(chain_id)]


def all_event_specs() -> list[EventSpec]:
    """Every marketplace event table, so analyses find them even on chains not indexed."""
    return [spec for m in MARKETPLACES for specs in m.event_specs.values() for spec in specs]


NOT_SUPPORTED: tuple[tuple[str, str, str], ...] = (
    ("io.net", "Solana", "rentals live in io.net's off-chain database; the chain shows only SPL payments "
                         "to io.net, with no GPU or duration"),
    ("Nosana", "Solana", "job accounts (market per GPU class, start/end) need a Solana account indexer, "
                         "not eth_getLogs"),
)
