"""How old the indexed data is against the wall clock, so scheduled runs can fail loudly on stale data.

Separate from the report on purpose: the report never reads the clock (the same database gives the same
files), while this check is all about the clock. A chain's age is `now - safe_time`, the time of the newest
block the indexer stored everything up to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from auditor.errors import AuditorError, InputError, StoreError
from auditor.report.queries import run

SECONDS_PER_HOUR = 3600


class StaleDataError(AuditorError, RuntimeError):
    """A chain's indexed data is older than allowed (or was never indexed): re-run `auditor index`."""


@dataclass(frozen=True)
class ChainFreshness:
    """One chain's newest indexed block and its age at `now`; age is None when nothing was indexed."""

    chain_id: int
    chain: str
    safe_block: int | None
    safe_time: dt.datetime | None
    head_block: int | None
    head_time: dt.datetime | None
    age: dt.timedelta | None

    def describe(self) -> str:
        """'Base (8453) indexed to block 123 at 2026-11-16T00:00:00Z, 50.0 h ago'."""
        name = f"{self.chain} ({self.chain_id})"
        if self.safe_time is None or self.age is None:
            return f"{name} has no indexed block"
        return (f"{name} indexed to block {self.safe_block} at {self.safe_time:%Y-%m-%dT%H:%M:%SZ}, "
                f"{format_hours(self.age)} ago")


@dataclass(frozen=True)
class Freshness:
    """Every chain's age at `now` against the allowed `max_age`."""

    now: dt.datetime
    max_age: dt.timedelta
    chains: tuple[ChainFreshness, ...]

    @property
    def stale(self) -> tuple[ChainFreshness, ...]:
        """Chains never indexed or indexed longer than max_age before now."""
        return tuple(c for c in self.chains if c.age is None or c.age > self.max_age)

    @property
    def fresh(self) -> bool:
        """True when at least one chain is indexed and none is stale."""
        return bool(self.chains) and not self.stale

    def message(self) -> str:
        """One line naming the stale chains and their age, or saying that all are fresh."""
        limit = f"max age {format_hours(self.max_age)}"
        if not self.chains:
            return f"stale data ({limit}): no chain has been indexed yet; run `auditor index` first"
        if self.stale:
            return f"stale data ({limit}): " + "; ".join(c.describe() for c in self.stale)
        return f"data is fresh ({limit}): " + "; ".join(c.describe() for c in self.chains)


def format_hours(span: dt.timedelta) -> str:
    """A duration in hours with one decimal, the unit of `--max-age`."""
    return f"{span.total_seconds() / SECONDS_PER_HOUR:.1f} h"


def check_freshness(con: duckdb.DuckDBPyConnection, max_age: dt.timedelta, now: dt.datetime) -> Freshness:
    """Each chain's age (now minus the time of its safe block); InputError for a naive `now` or max_age <= 0."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise InputError("the freshness check needs a timezone-aware 'now'")
    if max_age <= dt.timedelta(0):
        raise InputError(f"the maximum data age must be positive, not {format_hours(max_age)}")
    if "chains" not in {str(n) for n in run(con, "tables").column("table_name")}:
        raise StoreError("not an auditor database: it has no chains table")
    now_utc = now.astimezone(dt.UTC)
    chains = []
    for row in run(con, "freshness").records():
        safe_time = _utc(row["safe_time"])
        chains.append(ChainFreshness(
            chain_id=_int(row["chain_id"]) or 0,
            chain=str(row["chain"]),
            safe_block=_int(row["safe_block"]),
            safe_time=safe_time,
            head_block=_int(row["head_block"]),
            head_time=_utc(row["head_time"]),
            age=None if safe_time is None else now_utc - safe_time,
        ))
    return Freshness(now_utc, max_age, tuple(chains))


def ensure_fresh(con: duckdb.DuckDBPyConnection, max_age: dt.timedelta, now: dt.datetime) -> None:
    """Raises StaleDataError (one line: the chains and their age) unless every chain is at most max_age old."""
    freshness = check_freshness(con, max_age, now)
    if not freshness.fresh:
        raise StaleDataError(freshness.message())


def _utc(value: object) -> dt.datetime | None:
    """The query returns naive UTC timestamps (independent of the session time zone); make them aware."""
    return value.replace(tzinfo=dt.UTC) if isinstance(value, dt.datetime) else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int) else None
