"""Transactional loads: rows, blocks and coverage commit together; re-loading never duplicates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from auditor.abi import parse_event_signature
from auditor.decode.columns import table_columns
from auditor.decode.rows import EventRows, value_rows
from auditor.errors import StoreError
from auditor.model import Block, BlockRange, Source
from auditor.store.db import open_db
from auditor.store.load import RangeRows, covered, write_ranges
from auditor.store.tables import ensure_event_table, quote

SPEC = parse_event_signature("Paid(address indexed payer, uint256 amount, uint128 fee, int256 delta, bytes32 tag)")
SOURCE = Source(key="evt/test", chain_id=1, address="0x" + "11" * 20, events=(SPEC,))


def row(block: int, log_index: int, amount: int) -> dict[str, Any]:
    return {"chain_id": 1, "contract": SOURCE.address, "block_number": block, "block_time": 1_700_000_000 + block,
            "tx_hash": f"0x{block:064x}", "tx_index": 0, "log_index": log_index, "payer": "0x" + "ab" * 20,
            "amount": str(amount), "fee": str(2**127 + 1), "delta": str(-(2**200)), "tag": "0x" + "00" * 32}


def cols(rows: list[dict[str, Any]]) -> EventRows:
    """Rows as the Python decoding path hands them to the store."""
    logs = pa.table({"address": [r["contract"] for r in rows], "block_number": [r["block_number"] for r in rows],
                     "block_time": [r["block_time"] for r in rows], "tx_hash": [r["tx_hash"] for r in rows],
                     "tx_index": [r["tx_index"] for r in rows], "log_index": [r["log_index"] for r in rows]})
    return value_rows(1, SPEC, logs, {p.name: [r[p.name] for r in rows] for p in SPEC.params})


def write_range(con: duckdb.DuckDBPyConnection, rng: BlockRange, tables: dict[str, EventRows],
                blocks: list[Block]) -> int:
    return write_ranges(con, 1, [RangeRows([SOURCE], rng, tables, blocks)])


def test_rows_and_merged_coverage(tmp_path: Path) -> None:
    with open_db(tmp_path / "a.duckdb", create=True) as con:
        ensure_event_table(con, SPEC)
        blocks = [Block(10, "0x" + "aa" * 32, 1_700_000_010)]
        assert write_range(con, BlockRange(0, 99), {SPEC.table: cols([row(10, 0, 2**255)])}, blocks) == 1
        assert write_range(con, BlockRange(200, 299), {}, []) == 0
        assert write_range(con, BlockRange(100, 199), {SPEC.table: cols([row(150, 2, 5)])}, []) == 1
        assert covered(con, 1, SOURCE.key) == [BlockRange(0, 299)]
        # the same range again (an explicit --from-block over indexed blocks): nothing doubles
        assert write_range(con, BlockRange(0, 99), {SPEC.table: cols([row(10, 0, 2**255)])}, blocks) == 0
        got = con.execute("SELECT block_number, amount::VARCHAR, fee, delta::VARCHAR, "
                          f"epoch(block_time)::BIGINT::VARCHAR FROM {SPEC.table} ORDER BY block_number").fetchall()
        assert got == [(10, str(2**255), 2**127 + 1, str(-(2**200)), "1700000010"),
                       (150, "5", 2**127 + 1, str(-(2**200)), "1700000150")]
        assert con.execute("SELECT count(*) FROM blocks").fetchone() == (1,)


def test_failed_batch_leaves_nothing(tmp_path: Path) -> None:
    with open_db(tmp_path / "a.duckdb", create=True) as con:
        ensure_event_table(con, SPEC)
        bad = row(10, 0, 1)
        bad["amount"] = "not a number"
        with pytest.raises(Exception):  # noqa: B017 - any failure must roll back
            write_range(con, BlockRange(0, 99), {SPEC.table: cols([row(5, 0, 1), bad])}, [])
        assert con.execute(f"SELECT count(*) FROM {SPEC.table}").fetchone() == (0,)
        assert covered(con, 1, SOURCE.key) == []


def test_a_failed_insert_reports_its_cause(tmp_path: Path) -> None:
    """The statement's own error reaches the user, not the aborted transaction's echo at unregister."""
    with open_db(tmp_path / "a.duckdb", create=True) as con:
        ensure_event_table(con, SPEC)
        bad = row(10, 0, 1)
        bad["amount"] = "not a number"
        with pytest.raises(StoreError) as failed:
            write_range(con, BlockRange(0, 99), {SPEC.table: cols([bad])}, [])
        assert "not a number" in str(failed.value)
        assert "aborted" not in str(failed.value)


def test_ranges_committed_out_of_order_take_the_plain_insert(tmp_path: Path) -> None:
    """Ranges fetched in parallel commit out of order: a commit's ranges are checked one by one, not over their
    span (which holds a range stored before). Observed on a table without a primary key, where INSERT OR IGNORE
    cannot run at all."""
    with open_db(tmp_path / "a.duckdb", create=True) as con:
        body = ", ".join(f"{quote(name)} {ctype}" for name, ctype in table_columns(SPEC))
        con.execute(f"CREATE TABLE {quote(SPEC.table)} ({body})")
        write_range(con, BlockRange(0, 99), {SPEC.table: cols([row(10, 0, 1)])}, [])
        write_range(con, BlockRange(200, 299), {SPEC.table: cols([row(250, 0, 2)])}, [])
        later = [RangeRows([SOURCE], BlockRange(100, 199), {SPEC.table: cols([row(150, 0, 3)])}, []),
                 RangeRows([SOURCE], BlockRange(300, 399), {SPEC.table: cols([row(350, 0, 4)])}, [])]
        assert write_ranges(con, 1, later) == 2
        assert con.execute(f"SELECT list(block_number ORDER BY block_number) FROM {SPEC.table}").fetchone() == (
            [10, 150, 250, 350],)
        assert covered(con, 1, SOURCE.key) == [BlockRange(0, 399)]


def test_rows_twice_in_one_answer_are_stored_once(tmp_path: Path) -> None:
    with open_db(tmp_path / "a.duckdb", create=True) as con:
        ensure_event_table(con, SPEC)
        twice = cols([row(10, 0, 1), row(10, 0, 1), row(11, 0, 2)])
        assert write_range(con, BlockRange(0, 99), {SPEC.table: twice}, []) == 2
        assert con.execute(f"SELECT count(*) FROM {SPEC.table}").fetchone() == (2,)


def test_ranges_written_together(tmp_path: Path) -> None:
    """Ranges that arrived in any order share a transaction, each with its rows, blocks and coverage."""
    with open_db(tmp_path / "a.duckdb", create=True) as con:
        ensure_event_table(con, SPEC)
        later = RangeRows([SOURCE], BlockRange(100, 199), {SPEC.table: cols([row(150, 0, 2), row(150, 1, 3)])},
                          [Block(150, "0x" + "bb" * 32, 1_700_000_150)])
        first = RangeRows([SOURCE], BlockRange(0, 99), {SPEC.table: cols([row(10, 0, 1)])},
                          [Block(10, "0x" + "aa" * 32, 1_700_000_010)])
        assert write_ranges(con, 1, [later, first]) == 3
        assert covered(con, 1, SOURCE.key) == [BlockRange(0, 199)]
        assert con.execute(f"SELECT block_number, log_index FROM {SPEC.table} ORDER BY 1, 2").fetchall() == [
            (10, 0), (150, 0), (150, 1)]
        assert con.execute("SELECT count(*) FROM blocks").fetchone() == (2,)
