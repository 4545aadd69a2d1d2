"""Registering a run's sources (and the price feeds' aggregators), each registration one transaction."""

from __future__ import annotations

import duckdb

from auditor.model import Source
from auditor.store.load import register_sources
from auditor.store.tables import ensure_event_table
from auditor.store.tx import transaction

PriceFeedRow = tuple[int, str, str, int, str, int]   # chain, asset, proxy, phase, aggregator, decimals


def register(con: duckdb.DuckDBPyConnection, sources: list[Source], kind: str) -> None:
    """Record the run's sources; an ad-hoc event gets its table first."""
    with transaction(con, "registering sources"):
        if kind == "adhoc":
            for source in sources:
                ensure_event_table(con, source.events[0])
        register_sources(con, sources, kind)


def register_feeds(con: duckdb.DuckDBPyConnection, sources: list[Source], feeds: list[PriceFeedRow]) -> None:
    """Record the price feeds' aggregators as sources of their own, with the feed each belongs to."""
    with transaction(con, "registering price feeds"):
        register_sources(con, sources, "price")
        if feeds:
            con.executemany("INSERT OR REPLACE INTO price_feeds VALUES (?, ?, ?, ?, ?, ?)", [list(f) for f in feeds])
