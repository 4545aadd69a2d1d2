"""Transactional loads: rows, blocks and coverage commit together; re-loading never duplicates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.decode.abi import parse_event_signature
from auditor.model import Block, BlockRange, Source
from auditor.store.db import open_db
from auditor.store.load import covered, write_range
from auditor.store.tables import ensure_event_table

SPEC = parse_event_signature("Paid(address indexed payer, uint256 amount, uint128 fee, int256 delta, bytes32 tag)")
SOURCE = Source(key="evt/test", chain_id=1, address="0x" + "11" * 20, events=(SPEC,))


def row(block: int, log_index: int, amount: int) -> dict[str, Any]:
    return {"chain_id": 1, "contract": SOURCE.address, "block_number": block, "block_time": 1_700_000_000 + block,
            "tx_hash": f"0x{block:064x}", "tx_index": 0, "log_index": log_index, "payer": "0x" + "ab" * 20,
            "amount": str(amount), "fee": str(2**127 + 1), "delta": str(-(2**200)), "tag": "0x" + "00" * 32}


def cols(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [r[key] for r in rows] for key in rows[0]}


def test_rows_and_merged_coverage(tmp_path: Path) -> None:
    with open_db(tmp_path / "a.duckdb") as con:
        ensure_event_table(con, SPEC)
        blocks = [Block(10, "0x" + "aa" * 32, 1_700_000_010)]
        assert write_range(con, 1, [SOURCE], BlockRange(0, 99), {SPEC.table: cols([row(10, 0, 2**255)])}, blocks) == 1
        assert write_range(con, 1, [SOURCE], BlockRange(200, 299), {}, []) == 0
        assert write_range(con, 1, [SOURCE], BlockRange(100, 199), {SPEC.table: cols([row(150, 2, 5)])}, []) == 1
        assert covered(con, 1, SOURCE.key) == [BlockRange(0, 299)]
        # the same range again (an explicit --from-block over indexed blocks): nothing doubles
        assert write_range(con, 1, [SOURCE], BlockRange(0, 99), {SPEC.table: cols([row(10, 0, 2**255)])}, blocks) == 0
        got = con.execute("SELECT block_number, amount::VARCHAR, fee, delta::VARCHAR, "
                          f"epoch(block_time)::BIGINT::VARCHAR FROM {SPEC.table} ORDER BY block_number").fetchall()
        assert got == [(10, str(2**255), 2**127 + 1, str(-(2**200)), "1700000010"),
                       (150, "5", 2**127 + 1, str(-(2**200)), "1700000150")]
        assert con.execute("SELECT count(*) FROM blocks").fetchone() == (1,)


def test_failed_batch_leaves_nothing(tmp_path: Path) -> None:
    with open_db(tmp_path / "a.duckdb") as con:
        ensure_event_table(con, SPEC)
        bad = row(10, 0, 1)
        bad["amount"] = "not a number"
        with pytest.raises(Exception):  # noqa: B017 - any failure must roll back
            write_range(con, 1, [SOURCE], BlockRange(0, 99), {SPEC.table: cols([row(5, 0, 1), bad])}, [])
        assert con.execute(f"SELECT count(*) FROM {SPEC.table}").fetchone() == (0,)
        assert covered(con, 1, SOURCE.key) == []
