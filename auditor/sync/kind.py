"""What a kind of source is to the engine: plan the missing work from coverage, extract one piece of it from the
endpoint, commit pieces with their coverage in one transaction. EVM logs are the one kind today
(evm_logs.EvmLogs); a Cosmos REST or Solana source implements the same three steps and the pump (pump.py)
schedules it alike: bounded in flight, one writer, crash-safe because rows and coverage commit together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb

from auditor.extract.governor import RangeGovernor
from auditor.model import BlockRange, Source, missing
from auditor.rpc.client import Rpc
from auditor.store.load import coverage_of


@dataclass(frozen=True)
class Window:
    """The blocks a pass may cover on one chain: [earliest, to], from `from_block` when the user set one."""

    earliest: int
    to: int
    from_block: int | None = None

    def start_of(self, source: Source) -> int:
        return max(self.earliest, source.start_block if self.from_block is None else self.from_block)


@dataclass(frozen=True)
class Work:
    """Sources fetched together (same gaps, same filter shape) and the block ranges they still miss."""

    sources: tuple[Source, ...]
    gaps: tuple[BlockRange, ...]

    @property
    def blocks(self) -> int:
        return sum(g.size for g in self.gaps)


@dataclass(frozen=True)
class Piece:
    """One extracted range of a Work, not yet committed: `rows` is the kind's own payload."""

    work: Work
    rng: BlockRange
    rows: Any
    items: int     # records read from the endpoint (logs), for progress and the summary
    splits: int    # times the range was split after the endpoint refused it


class SourceKind(Protocol):
    """plan -> extract -> commit, the three steps every source kind provides."""

    name: str

    def plan(self, con: duckdb.DuckDBPyConnection, chain: int, sources: Sequence[Source], window: Window
             ) -> list[Work]: ...

    async def extract(self, client: Rpc, chain: int, work: Work, rng: BlockRange, governor: RangeGovernor
                      ) -> Piece: ...

    def commit(self, con: duckdb.DuckDBPyConnection, chain: int, pieces: list[Piece]) -> int: ...


def gaps_of(con: duckdb.DuckDBPyConnection | None, chain: int, sources: Sequence[Source], window: Window
            ) -> dict[str, tuple[BlockRange, ...]]:
    """Each source's missing ranges in the window, from stored coverage (none stored without a database)."""
    coverage = coverage_of(con, chain, [s.key for s in sources]) if con is not None else {}
    out = {}
    for source in sources:
        start = window.start_of(source)
        out[source.key] = () if start > window.to else \
            tuple(missing(coverage.get(source.key, []), BlockRange(start, window.to)))
    return out


def group_by_gaps(sources: Sequence[Source], gaps: dict[str, tuple[BlockRange, ...]], batch: int) -> list[Work]:
    """Sources that miss the same ranges and share a filter shape are fetched by one query per range; a group
    that filters on topics takes at most `batch` sources (providers cap filter sizes)."""
    groups: dict[tuple[tuple[BlockRange, ...], tuple[object, ...]], list[Source]] = defaultdict(list)
    for source in sources:
        if gaps[source.key]:
            groups[gaps[source.key], source.shape].append(source)
    out = []
    for (missed, shape), group in groups.items():
        size = len(group) if shape == ("plain",) else batch
        out += [Work(tuple(group[i:i + size]), missed) for i in range(0, len(group), size)]
    return out
