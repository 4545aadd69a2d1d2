"""Transactional loads: the rows of a fetched range, its blocks and its coverage commit together or not at all
(write_ranges).

That is the whole crash-safety contract: coverage is only ever extended in the transaction that stores the
rows it covers, so a run killed at any instant resumes exactly where its last commit ended.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from auditor.decode.rows import EventRows
from auditor.decode.wordsql import WORD_INT_FUNCTION, word_int
from auditor.errors import ReorgError
from auditor.model import Block, BlockRange, Source, merge
from auditor.store.reorg import conflicting_blocks
from auditor.store.tables import quote
from auditor.store.tx import registered, transaction


def insert_event_rows(con: duckdb.DuckDBPyConnection, chain_id: int, rows: EventRows,
                      ranges: Sequence[BlockRange] = ()) -> int:
    """Bulk insert of decoded rows through Arrow; rows already stored (same chain, block, log index) are left
    as they are. When none can be, a plain INSERT does it: DuckDB's INSERT OR IGNORE costs a third more.
    `ranges`: the block ranges the rows were fetched over, when known (see _all_new)."""
    _ensure_word_function(con)
    verb = "INSERT" if _all_new(con, chain_id, rows, ranges) else "INSERT OR IGNORE"
    with registered(con, "__batch", rows.batch):
        result = con.execute(f"{verb} INTO {quote(rows.spec.table)} SELECT {', '.join(rows.select)} "
                             "FROM __batch").fetchone()
    return int(result[0]) if result else 0


def _all_new(con: duckdb.DuckDBPyConnection, chain_id: int, rows: EventRows, ranges: Sequence[BlockRange]) -> bool:
    """Whether no row of the batch can be stored already, or twice: its (block, log index) keys strictly
    increase (as nodes return logs) and the table has no row of the chain in the ranges the rows came from
    (else in the batch's first to last block). The ranges, not their span: ranges fetched in parallel commit
    out of order, so a batch's span often holds a range an earlier commit stored, which sent every such
    batch down the INSERT OR IGNORE path."""
    if not rows.batch.num_rows:
        return True
    blocks = rows.batch["block_number"].combine_chunks()
    logs = rows.batch["log_index"].combine_chunks()
    later = pc.or_(pc.greater(blocks[1:], blocks[:-1]),
                   pc.and_(pc.equal(blocks[1:], blocks[:-1]), pc.greater(logs[1:], logs[:-1])))
    if not pc.all(later, min_count=0).as_py():
        return False
    spans = merge(list(ranges)) if ranges else [BlockRange(blocks[0].as_py(), blocks[-1].as_py())]
    query = (f"SELECT 1 FROM {quote(rows.spec.table)} WHERE chain_id = ? AND block_number BETWEEN ? AND ? "
             "LIMIT 1")
    return not any(con.execute(query, [chain_id, span.start, span.end]).fetchall() for span in spans)


def _ensure_word_function(con: duckdb.DuckDBPyConnection) -> None:
    """The Python function the word decoding SQL calls for integers DuckDB cannot convert (decode.wordsql)."""
    with contextlib.suppress(duckdb.NotImplementedException):  # registered before on this connection
        con.create_function(WORD_INT_FUNCTION, word_int, ["VARCHAR", "BOOLEAN"], "VARCHAR")


def insert_blocks(con: duckdb.DuckDBPyConnection, chain_id: int, blocks: Iterable[Block]) -> None:
    """Through Arrow: DuckDB's executemany costs milliseconds per row."""
    blocks = list(blocks)
    if not blocks:
        return
    batch = pa.table({"number": pa.array([b.number for b in blocks], pa.int64()),
                      "hash": pa.array([b.hash for b in blocks], pa.string()),
                      "ts": pa.array([b.timestamp for b in blocks], pa.int64())})
    with registered(con, "__blocks", batch):
        con.execute("INSERT OR IGNORE INTO blocks SELECT ?, number, hash, to_timestamp(ts) FROM __blocks",
                    [chain_id]).fetchall()


def covered(con: duckdb.DuckDBPyConnection, chain_id: int, source: str) -> list[BlockRange]:
    return coverage_of(con, chain_id, [source])[source]


def extend_coverage(con: duckdb.DuckDBPyConnection, chain_id: int, added: dict[str, list[BlockRange]]) -> None:
    """Add ranges to sources' coverage, stored merged so the table does not depend on how runs were cut. One
    read and one write for all the sources: a range of watched addresses covers up to 200 of them."""
    if not added:
        return
    current = coverage_of(con, chain_id, list(added))
    rows = [(key, r) for key, rngs in added.items() for r in merge([*current[key], *rngs])]
    con.execute("DELETE FROM coverage WHERE chain_id = $chain AND source IN (SELECT unnest($keys))",
                {"chain": chain_id, "keys": list(added)})
    con.execute("INSERT INTO coverage SELECT $chain, unnest($keys), unnest($starts), unnest($ends)",
                {"chain": chain_id, "keys": [k for k, _ in rows], "starts": [r.start for _, r in rows],
                 "ends": [r.end for _, r in rows]}).fetchall()


def register_sources(con: duckdb.DuckDBPyConnection, sources: list[Source], kind: str) -> None:
    """Record sources (one statement: a run may watch thousands of addresses). A watch source's contract is
    its tokens, comma-separated; the watched address is in its key."""
    if not sources:
        return
    con.execute("INSERT OR REPLACE INTO sources SELECT unnest($chain), unnest($key), $kind, unnest($market), "
                "unnest($contract), unnest($start), unnest($events)",
                {"chain": [s.chain_id for s in sources], "key": [s.key for s in sources], "kind": kind,
                 "market": [s.marketplace for s in sources], "contract": [",".join(s.emitters) for s in sources],
                 "start": [s.start_block for s in sources],
                 "events": [[e.signature for e in s.events] for s in sources]}).fetchall()


def coverage_of(con: duckdb.DuckDBPyConnection, chain_id: int, sources: list[str]) -> dict[str, list[BlockRange]]:
    """Coverage of many sources in one query."""
    rows = con.execute("SELECT source, from_block, to_block FROM coverage WHERE chain_id = $chain AND "
                       "source IN (SELECT unnest($sources)) ORDER BY source, from_block",
                       {"chain": chain_id, "sources": sources}).fetchall()
    out: dict[str, list[BlockRange]] = {s: [] for s in sources}
    for source, a, b in rows:
        out[source].append(BlockRange(a, b))
    return out


@dataclass(frozen=True)
class RangeRows:
    """One fetched range of a group of sources, decoded: its rows per table and the blocks they came from."""

    sources: list[Source]
    rng: BlockRange
    tables: dict[str, EventRows]
    blocks: list[Block]


def write_ranges(con: duckdb.DuckDBPyConnection, chain_id: int, ranges: list[RangeRows]) -> int:
    """Store fetched ranges in one transaction, each range with its rows, blocks and coverage; returns rows
    written. Ranges fetched meanwhile share a commit: at 10,000 rows a commit costs DuckDB as much as the
    insert, so a writer that falls behind catches up."""
    ranges = sorted(ranges, key=lambda r: r.rng.start)
    blocks = [b for r in ranges for b in r.blocks]
    conflicts = conflicting_blocks(con, chain_id, [(b.number, b.hash) for b in blocks])
    if conflicts:
        raise ReorgError(f"block {conflicts[0]} of chain {chain_id} changed hash since it was stored")
    coverage: dict[str, list[BlockRange]] = {}
    for r in ranges:
        for source in r.sources:
            coverage.setdefault(source.key, []).append(r.rng)
    written = 0
    with transaction(con, "storing fetched logs"):
        fetched = [r.rng for r in ranges]
        for rows in _per_table(ranges):
            written += insert_event_rows(con, chain_id, rows, fetched)
        insert_blocks(con, chain_id, blocks)
        extend_coverage(con, chain_id, coverage)
    return written


def _per_table(ranges: list[RangeRows]) -> list[EventRows]:
    """The ranges' rows, one batch per table (in block order, as the ranges are)."""
    parts: dict[tuple[str, tuple[str, ...]], list[EventRows]] = {}
    for r in ranges:
        for rows in r.tables.values():
            parts.setdefault((rows.spec.table, rows.select), []).append(rows)
    return [same[0] if len(same) == 1 else EventRows(same[0].spec, pa.concat_tables([x.batch for x in same]),
                                                      same[0].select)
            for _, same in sorted(parts.items(), key=lambda kv: kv[0][0])]
