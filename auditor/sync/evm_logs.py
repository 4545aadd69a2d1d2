"""EVM logs as a source kind: eth_getLogs over the missing ranges, block times from headers, decoded by topic0
into the events' tables, committed with coverage and block hashes (store.load.write_ranges)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from auditor.decode.logs import Dispatcher
from auditor.extract.governor import RangeGovernor
from auditor.extract.logs import fetch_with_blocks, with_block_times
from auditor.model import BlockRange, Source
from auditor.rpc.client import Rpc
from auditor.store.load import RangeRows, write_ranges
from auditor.sync.kind import Piece, Window, Work, gaps_of, group_by_gaps
from auditor.sync.threads import in_thread

WATCH_BATCH = 200   # watched addresses per eth_getLogs topic filter (providers cap filter sizes)


class EvmLogs:
    """The logs of contracts (or of topic-filtered transfers), block range by block range."""

    name = "evm-logs"

    def __init__(self) -> None:
        self._dispatchers: dict[int, tuple[Work, Dispatcher]] = {}   # by id: hashing 200 sources per range costs

    def plan(self, con: duckdb.DuckDBPyConnection | None, chain: int, sources: Sequence[Source], window: Window
             ) -> list[Work]:
        return group_by_gaps(sources, gaps_of(con, chain, sources, window), WATCH_BATCH)

    async def extract(self, client: Rpc, chain: int, work: Work, rng: BlockRange, governor: RangeGovernor
                      ) -> Piece:
        logs, splits, blocks = await fetch_with_blocks(client, list(work.sources), rng, governor)
        tables = await in_thread(self._dispatcher(work).decode, chain, with_block_times(logs, blocks))
        return Piece(work, rng, RangeRows(list(work.sources), rng, tables, blocks), logs.num_rows, splits)

    def commit(self, con: duckdb.DuckDBPyConnection, chain: int, pieces: list[Piece]) -> int:
        return write_ranges(con, chain, [p.rows for p in pieces])

    def _dispatcher(self, work: Work) -> Dispatcher:
        held = self._dispatchers.get(id(work))
        if held is None or held[0] is not work:
            held = work, Dispatcher((a, e) for s in work.sources for a in s.emitters for e in s.events)
            self._dispatchers[id(work)] = held
        return held[1]
