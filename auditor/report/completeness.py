"""What part of a week the indexed data covers, chain by chain, and which week 'last' is.

Only marketplace sources count: rentals come from them alone, so a chain indexed for price feeds or an
ad-hoc event only has no say. A chain's data is known where *every* one of its marketplace sources is
indexed; block intervals become times through the block times the database knows (stored blocks, the
safe and head blocks), never beyond them, so the known span is never overstated. A source indexed from its
first block worth scanning (its deployment) misses nothing before it; the chain's data still begins where
its earliest marketplace source's data begins, so a week before any indexed marketplace event is not
covered. Everything here is read from the database: the wall clock is never consulted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from auditor.errors import InputError
from auditor.report.queries import require_analysis, run
from auditor.report.weeks import LAST, IsoWeek, parse_week
from auditor.sqlfile import Cell, Table

EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)
WEEK_SECONDS = 7 * 24 * 3600
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class UncoveredWeekError(InputError):
    """The indexed marketplace data does not reach into the requested week: there is nothing to report."""


@dataclass(frozen=True, order=True)
class Span:
    """A closed span of time, UTC-aware."""

    start: dt.datetime
    end: dt.datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class ChainData:
    """One chain with marketplace sources and the spans where all of them are indexed, oldest first."""

    chain_id: int
    chain: str
    spans: tuple[Span, ...]

    @property
    def known_until(self) -> dt.datetime | None:
        """The end of the newest span: the time up to which this chain's data reaches."""
        return self.spans[-1].end if self.spans else None


@dataclass(frozen=True)
class ChainWeek:
    """One chain's share of one week: the covered spans, clipped to [week start, week end]."""

    chain_id: int
    chain: str
    week: IsoWeek
    spans: tuple[Span, ...]

    @property
    def covered_seconds(self) -> float:
        return sum(s.seconds for s in self.spans)

    @property
    def complete(self) -> bool:
        return self.spans == (Span(self.week.start, self.week.end),)

    @property
    def share(self) -> float:
        """Covered share of the week, 0 to 1."""
        return self.covered_seconds / WEEK_SECONDS

    def describe(self) -> str:
        """'data covers Mon 00:00 to Thu 14:00 UTC (62.5% of the week) on Arbitrum One'."""
        if not self.spans:
            return f"no data for this week on {self.chain}"
        shown = ", ".join(f"{_moment(self.week, s.start)} to {_moment(self.week, s.end)}" for s in self.spans)
        return f"data covers {shown} UTC ({100 * self.share:.1f}% of the week) on {self.chain}"


@dataclass(frozen=True)
class WeekCoverage:
    """Every marketplace chain's coverage of one week."""

    week: IsoWeek
    chains: tuple[ChainWeek, ...]

    @property
    def reached(self) -> bool:
        """True when some chain's data reaches into the week."""
        return any(c.spans for c in self.chains)

    @property
    def complete(self) -> bool:
        """True when every marketplace chain's data covers the whole week."""
        return bool(self.chains) and all(c.complete for c in self.chains)

    def missing(self) -> str:
        """The chains not covering the whole week, described; empty when the week is complete."""
        return "; ".join(c.describe() for c in self.chains if not c.complete)

    def table(self) -> Table:
        """One row per marketplace chain (week_coverage.csv)."""
        rows: list[tuple[Cell, ...]] = []
        for c in self.chains:
            rows.append((
                c.chain_id, c.chain,
                c.spans[0].start.strftime(TIME_FORMAT) if c.spans else None,
                c.spans[-1].end.strftime(TIME_FORMAT) if c.spans else None,
                round(c.covered_seconds / 3600, 6), round(100 * c.share, 6), c.complete,
                "" if c.complete else c.describe(),
            ))
        columns = ("chain_id", "chain", "data_from", "data_to", "covered_hours", "covered_pct", "covers_week",
                   "missing")
        return Table("week_coverage", columns, tuple(rows))


def read_chain_data(con: duckdb.DuckDBPyConnection) -> tuple[ChainData, ...]:
    """Every chain with marketplace sources and where its data is known, from marketplace_coverage.sql."""
    by_source: dict[tuple[int, str], list[dict[str, Cell]]] = defaultdict(list)
    names: dict[int, str] = {}
    for row in run(con, "marketplace_coverage").records():
        chain_id = int(str(row["chain_id"]))
        names[chain_id] = str(row["chain"])
        by_source[chain_id, str(row["source"])].append(row)
    per_chain: dict[int, list[list[Span]]] = defaultdict(list)
    begins: dict[int, list[dt.datetime]] = defaultdict(list)
    for (chain_id, _), rows in sorted(by_source.items()):
        if any(r["not_started"] for r in rows):
            continue
        spans = []
        for k, r in enumerate(rows):
            first, last = _utc(r["first_time"]), _utc(r["last_time"])
            if first is None or last is None:
                continue  # no block time known inside the interval: when it was is unknown
            begins[chain_id].append(first)
            spans.append(Span(EARLIEST if k == 0 and r["from_source_start"] else first, last))
        per_chain[chain_id].append(spans)
    out = []
    for chain_id in sorted(names):
        if chain_id not in per_chain:
            continue  # every marketplace source starts beyond the safe block: nothing can be missing
        known: list[Span] = []
        if begins[chain_id]:
            known = intersect([*per_chain[chain_id], [Span(min(begins[chain_id]), LATEST)]])
        out.append(ChainData(chain_id, names[chain_id], tuple(known)))
    return tuple(out)


def intersect(span_sets: Iterable[list[Span]]) -> list[Span]:
    """The times inside a span of every set; each set sorted and non-overlapping, as is the result."""
    result: list[Span] | None = None
    for spans in span_sets:
        if result is None:
            result = list(spans)
            continue
        merged: list[Span] = []
        i = j = 0
        while i < len(result) and j < len(spans):
            start, end = max(result[i].start, spans[j].start), min(result[i].end, spans[j].end)
            if start <= end:
                merged.append(Span(start, end))
            if result[i].end < spans[j].end:
                i += 1
            else:
                j += 1
        result = merged
    return result or []


def cover_week(chains: Iterable[ChainData], week: IsoWeek) -> WeekCoverage:
    """Each chain's spans clipped to the week; spans of zero length (a block at the week's edge) drop out."""
    window = [Span(week.start, week.end)]
    return WeekCoverage(week, tuple(
        ChainWeek(c.chain_id, c.chain, week, tuple(s for s in intersect([list(c.spans), window]) if s.seconds > 0))
        for c in chains
    ))


def week_coverage(con: duckdb.DuckDBPyConnection, week: IsoWeek) -> WeekCoverage:
    """The week's coverage; UncoveredWeekError when no chain's marketplace data reaches into it."""
    chains = read_chain_data(con)
    coverage = cover_week(chains, week)
    if not coverage.reached:
        raise UncoveredWeekError(f"no indexed marketplace data covers {week.label} "
                                 f"({week.monday} to {week.sunday}): {describe_known(chains)}")
    return coverage


def last_complete_week(chains: tuple[ChainData, ...]) -> IsoWeek:
    """The latest ISO week ending at or before the time every marketplace chain's data reaches, if any data
    falls inside it. A run at Monday 06:00 gives the week that ended at Monday 00:00."""
    ends = [c.known_until for c in chains]
    if not chains or any(e is None for e in ends):
        raise UncoveredWeekError(f"no complete week to report yet: {describe_known(chains)}")
    until = min(e for e in ends if e is not None)
    week = IsoWeek.containing(until.date()).shifted(-1)
    if not cover_week(chains, week).reached:
        raise UncoveredWeekError(f"no complete week to report yet: {describe_known(chains)}")
    return week


def describe_known(chains: Iterable[ChainData]) -> str:
    """'Arbitrum One has data from ... to ...; Base has no indexed marketplace data'."""
    parts = []
    for c in chains:
        if not c.spans:
            parts.append(f"{c.chain} has no indexed marketplace data")
            continue
        parts.append(f"{c.chain} has data from {c.spans[0].start.strftime(TIME_FORMAT)} "
                     f"to {c.spans[-1].end.strftime(TIME_FORMAT)}")
    return "; ".join(parts) or "no marketplace source has been indexed; run `auditor index` first"


def resolve_week(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """'last' becomes the last complete week (see last_complete_week); anything else is validated.
    Returns 'YYYY-Www'."""
    if text.strip().lower() != LAST:
        return parse_week(text).label
    require_analysis(con)
    return last_complete_week(read_chain_data(con)).label


def _moment(week: IsoWeek, when: dt.datetime) -> str:
    """'Thu 14:00' inside the week; its end is 'Sun 24:00'."""
    if when >= week.end:
        return "Sun 24:00"
    return when.astimezone(dt.UTC).strftime("%a %H:%M")


def _utc(value: Cell) -> dt.datetime | None:
    """Queries return naive UTC timestamps (independent of the session time zone); make them aware."""
    return value.replace(tzinfo=dt.UTC) if isinstance(value, dt.datetime) else None
