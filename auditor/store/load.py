"""Transactional loads: the rows of a fetched range, its blocks and its coverage commit together or not at all.

That is the whole crash-safety contract: coverage is only ever extended in the transaction that stores the
rows it covers, so a run killed at any instant resumes exactly where its last commit ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

from auditor.decode.columns import table_columns
from auditor.errors import ReorgError
from auditor.extract.ranges import merge
from auditor.model import Block, BlockRange, EventSpec, Source
from auditor.store.reorg import conflicting_blocks
from auditor.store.tables import quote

_ARROW = {"BIGINT": pa.int64(), "INTEGER": pa.int64(), "UBIGINT": pa.uint64(), "BOOLEAN": pa.bool_(),
          "TIMESTAMPTZ": pa.int64()}


def _arrow_type(ctype: str) -> pa.DataType:
    if ctype.endswith("[]"):
        return pa.list_(pa.string())
    return _ARROW.get(ctype, pa.string())


def _arrow_column(ctype: str, values: list[Any]) -> pa.Array:
    if ctype.endswith("[]"):
        values = [None if v is None else [None if x is None else str(x) for x in v] for v in values]
    return pa.array(values, type=_arrow_type(ctype))


def insert_event_rows(con: duckdb.DuckDBPyConnection, spec: EventSpec, columns: dict[str, list[Any]]) -> int:
    """Bulk insert of decoded columns through Arrow; rows already stored (same chain, block, log index) are
    left as they are. Wide integers arrive as decimal text and are cast by DuckDB."""
    cols = [(name, ctype.split()[0]) for name, ctype in table_columns(spec)]
    batch = pa.Table.from_arrays([_arrow_column(t, columns[n]) for n, t in cols],
                                 names=[f"c{i}" for i in range(len(cols))])
    select = ", ".join(f"to_timestamp(c{i})" if t == "TIMESTAMPTZ" else f"CAST(c{i} AS {t})"
                       for i, (_, t) in enumerate(cols))
    con.register("__batch", batch)
    try:
        result = con.execute(f"INSERT OR IGNORE INTO {quote(spec.table)} SELECT {select} FROM __batch").fetchone()
        return int(result[0]) if result else 0
    finally:
        con.unregister("__batch")


def insert_blocks(con: duckdb.DuckDBPyConnection, chain_id: int, blocks: Iterable[Block]) -> None:
    """Through Arrow: DuckDB's executemany costs milliseconds per row."""
    blocks = list(blocks)
    if not blocks:
        return
    batch = pa.table({"number": pa.array([b.number for b in blocks], pa.int64()),
                      "hash": pa.array([b.hash for b in blocks], pa.string()),
                      "ts": pa.array([b.timestamp for b in blocks], pa.int64())})
    con.register("__blocks", batch)
    try:
        con.execute("INSERT OR IGNORE INTO blocks SELECT ?, number, hash, to_timestamp(ts) FROM __blocks",
                    [chain_id]).fetchall()
    finally:
        con.unregister("__blocks")


def covered(con: duckdb.DuckDBPyConnection, chain_id: int, source: str) -> list[BlockRange]:
    rows = con.execute("SELECT from_block, to_block FROM coverage WHERE chain_id = ? AND source = ? "
                       "ORDER BY from_block", [chain_id, source]).fetchall()
    return [BlockRange(a, b) for a, b in rows]


def extend_coverage(con: duckdb.DuckDBPyConnection, chain_id: int, source: str, rng: BlockRange) -> None:
    """Add a range to a source's coverage, stored merged so the table does not depend on how runs were cut."""
    merged = merge([*covered(con, chain_id, source), rng])
    con.execute("DELETE FROM coverage WHERE chain_id = ? AND source = ?", [chain_id, source])
    con.executemany("INSERT INTO coverage VALUES (?, ?, ?, ?)",
                    [(chain_id, source, r.start, r.end) for r in merged])


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


def write_range(con: duckdb.DuckDBPyConnection, chain_id: int, sources: list[Source], rng: BlockRange,
                tables: dict[str, dict[str, list[Any]]], blocks: list[Block]) -> int:
    """Store one fetched range of a group of sources in one transaction; returns rows written."""
    specs = {e.table: e for s in sources for e in s.events}
    conflicts = conflicting_blocks(con, chain_id, [(b.number, b.hash) for b in blocks])
    if conflicts:
        raise ReorgError(f"block {conflicts[0]} of chain {chain_id} changed hash since it was stored")
    written = 0
    con.execute("BEGIN")
    try:
        for table in sorted(tables):
            written += insert_event_rows(con, specs[table], tables[table])
        insert_blocks(con, chain_id, blocks)
        for source in sources:
            extend_coverage(con, chain_id, source.key, rng)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return written
