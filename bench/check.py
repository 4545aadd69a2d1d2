"""Whether a tool's rows are exactly the planted logs: compared in DuckDB on (block_number, log_index)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from plant import EMITTER, Planted, expected_rows

# A tool's rows as block_number, log_index, sender, receiver, amount (decimal text) and ok (its other columns
# are as planted); parameters $contract and, for the CSV, $path.
AUDITOR_ROWS = """
    SELECT block_number, log_index, "from" AS sender, "to" AS receiver, value::VARCHAR AS amount,
           chain_id = 1 AND contract = $contract AND block_time IS NOT NULL AND tx_index = 0 AS ok
    FROM db.evt_transfer
"""
ETL_ROWS = """
    SELECT block_number::BIGINT AS block_number, log_index::INTEGER AS log_index, from_address AS sender,
           to_address AS receiver, value AS amount, lower(token_address) = $contract AS ok
    FROM read_csv($path, all_varchar = true, header = true)
"""
CRYO_ROWS = """
    SELECT block_number::BIGINT AS block_number, log_index::INTEGER AS log_index,
           '0x' || lower(hex(event__from)) AS sender, '0x' || lower(hex(event__to)) AS receiver,
           event__value_string AS amount,
           chain_id = 1 AND '0x' || lower(hex(address)) = $contract AND transaction_index = 0 AS ok
    FROM read_parquet($path)
"""
COMPARE = """
    WITH actual AS ({rows}),
    expected_ AS (SELECT * FROM expected)
    SELECT
        (SELECT count(*) FROM actual),
        (SELECT count(*) - count(DISTINCT (block_number, log_index)) FROM actual),
        (SELECT count(*) FROM expected_ e ANTI JOIN actual a USING (block_number, log_index)),
        (SELECT count(*) FROM actual a ANTI JOIN expected_ e USING (block_number, log_index)),
        (SELECT count(*) FROM actual a JOIN expected_ e USING (block_number, log_index)
         WHERE NOT (a.ok AND a.sender = e."from" AND a.receiver = e."to" AND a.amount = e.value))
"""


@dataclass(frozen=True)
class Check:
    """Row counts against the planted logs; `ok` only when every planted log is there once, exactly."""

    expected: int
    rows: int
    duplicates: int
    missing: int
    extra: int
    wrong: int

    @property
    def ok(self) -> bool:
        return self.rows == self.expected and not (self.duplicates or self.missing or self.extra or self.wrong)

    def describe(self) -> str:
        if self.ok:
            return f"ok: {self.rows:,} rows, all planted values"
        return (f"MISMATCH: {self.rows:,} rows for {self.expected:,} planted; {self.duplicates} duplicated, "
                f"{self.missing} missing, {self.extra} not planted, {self.wrong} with wrong values")


def _compare(con: duckdb.DuckDBPyConnection, rows_sql: str, planted: Planted, params: dict[str, str]) -> Check:
    con.register("expected", pa.table(expected_rows(planted)))
    got = con.execute(COMPARE.format(rows=rows_sql), params).fetchone()
    assert got is not None
    rows, duplicates, missing, extra, wrong = (int(x) for x in got)
    return Check(planted.layout.logs, rows, duplicates, missing, extra, wrong)


def check_auditor(db: Path, planted: Planted) -> Check:
    """The auditor's evt_transfer table against the planted logs (read-only, in a separate connection)."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS db (READ_ONLY)", [str(db)])
        return _compare(con, AUDITOR_ROWS, planted, {"contract": EMITTER})
    finally:
        con.close()


def check_etl(csv: Path, planted: Planted) -> Check:
    """ethereum-etl's token_transfers CSV against the planted logs."""
    con = duckdb.connect()
    try:
        return _compare(con, ETL_ROWS, planted, {"contract": EMITTER, "path": str(csv)})
    finally:
        con.close()


def check_cryo(folder: Path, planted: Planted) -> Check:
    """cryo's Parquet files (decoded event columns) against the planted logs."""
    con = duckdb.connect()
    try:
        return _compare(con, CRYO_ROWS, planted, {"contract": EMITTER, "path": str(folder / "*.parquet")})
    finally:
        con.close()
