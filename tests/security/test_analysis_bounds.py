"""Issue 15 item 2: one on-chain order can neither break the analysis nor skew it. Implausible rentals (a GPU
count above the cap, a lease longer than any rental runs) are kept, flagged with the reason and left out of
every H100e sum; a count too large for any integer column never reaches one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from auditor.analyze import AnalyzeOptions, run_analysis
from auditor.errors import InputError
from auditor.store.db import open_db

CHAIN = 8453
T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
SAFE = T0 + dt.timedelta(days=2)
TENANT = "0x" + "a1" * 20
PROVIDER = "0x" + "90" * 20
HOUR = 3600


def spec(units: str, replicas: str = "1") -> str:
    return f"{{s:[{{n:train,r:{{g:{{u:{units},a:{{vendor:{{nvidia:[{{model:h100}}]}}}}}}}},c:{replicas}}}]}}"


def lease(con: duckdb.DuckDBPyConnection, n: int, specs: str, hours: int, start: dt.datetime = T0) -> None:
    """One Spheron order and its lease, closed `hours` after it started."""
    start_ts = int(start.timestamp())
    con.execute("INSERT INTO spheron_order_created (chain_id, contract, block_number, block_time, tx_hash, "
                "tx_index, log_index, orderId, creator, maxPrice, numOfBlocks, token, specs, version, mode) "
                "VALUES ($c, '0xo', $n, $t, $tx, 0, 0, $n, $who, 1, 100, '0x' || repeat('00', 20), $specs, 1, 0)",
                {"c": CHAIN, "n": n, "t": start, "tx": f"0x{n:064x}", "who": TENANT, "specs": specs})
    con.execute("INSERT INTO spheron_lease_created (chain_id, contract, block_number, block_time, tx_hash, "
                "tx_index, log_index, leaseId, fizzId, requestId, acceptedPrice, providerAddress, tenantAddress, "
                "startBlock, startTime, endTime, state) "
                "VALUES ($c, '0xl', $n, $t, $tx, 0, 1, $n, 0, $n, 1, $p, $who, $n, $s, 0, 1)",
                {"c": CHAIN, "n": n, "t": start, "tx": f"0x{n:064x}", "p": PROVIDER, "who": TENANT, "s": start_ts})
    con.execute("INSERT INTO spheron_lease_closed (chain_id, contract, block_number, block_time, tx_hash, "
                "tx_index, log_index, leaseId, providerAddress, tenantAddress, endTime, state) "
                "VALUES ($c, '0xl', $n + 1000, $t, $tx, 0, 0, $n, $p, $who, $e, 2)",
                {"c": CHAIN, "n": n, "t": start, "tx": f"0x{n + 1000:064x}", "p": PROVIDER, "who": TENANT,
                 "e": start_ts + hours * HOUR})


def build(db: Path, orders: list[tuple[str, int]], start: dt.datetime = T0) -> None:
    with open_db(db, create=True) as con:
        con.execute("INSERT INTO chains (chain_id, name, head_block, head_time, safe_block, safe_time) "
                    "VALUES ($c, 'base', 10000, $s, 10000, $s)", {"c": CHAIN, "s": SAFE})
        for n, (specs, hours) in enumerate(orders, 1):
            lease(con, n, specs, hours, start)


def rentals(db: Path, options: AnalyzeOptions | None = None) -> list[tuple[object, ...]]:
    with open_db(db) as con:
        run_analysis(con, options)
        return con.execute("SELECT block_number, gpu_count, h100e_hours, gpu_hours, quality_flag FROM rentals "
                           "ORDER BY block_number").fetchall()


def total_h100e(db: Path) -> float:
    with open_db(db, read_only=True) as con:
        row = con.execute("SELECT coalesce(sum(h100e_hours), 0) FROM entity_weekly").fetchone()
    return float(row[0]) if row else 0.0


@pytest.mark.parametrize(("units", "replicas"), [("99999999999", "1"), ("50000", "50000"),
                                                 ("9" * 400, "1"), ("99999999999", "99999999999")])
def test_a_gpu_count_past_any_integer_is_flagged_not_a_crash(tmp_path: Path, units: str, replicas: str) -> None:
    db = tmp_path / "a.duckdb"
    build(db, [(spec("8"), 10), (spec(units, replicas), 10)])
    rows = rentals(db)
    assert rows[0] == (1, 8, pytest.approx(80.0), pytest.approx(80.0), None)
    number, count, h100e, gpu_hours, flag = rows[1]
    assert number == 2 and isinstance(count, int) and count > 4096
    assert (h100e, gpu_hours, flag) == (None, None, "gpu_count")
    assert total_h100e(db) == pytest.approx(80.0)


def test_a_fitting_giant_order_adds_nothing_to_the_sums(tmp_path: Path) -> None:
    """u:2000000000 fits an INTEGER and made 12.9 billion H100e-hours of one week's headline."""
    db = tmp_path / "a.duckdb"
    build(db, [(spec("8"), 10), (spec("2000000000"), 6)])
    rows = rentals(db)
    assert rows[1][1:] == (2_000_000_000, None, None, "gpu_count")
    assert total_h100e(db) == pytest.approx(80.0)
    with open_db(db, read_only=True) as con:
        flags = con.execute("SELECT reason, value, limit_value, withheld_h100e_hours FROM rental_flags").fetchall()
        runs = dict(con.execute("SELECT key, value FROM analysis_runs").fetchall())
    assert flags == [("gpu_count", 2e9, 4096.0, pytest.approx(1.2e10))]
    assert runs["max_gpus_per_rental"] == "4096" and runs["max_rental_days"] == "366"


def test_the_gpu_cap_is_an_analysis_option(tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    build(db, [(spec("8"), 10), (spec("64"), 10)])
    assert [r[4] for r in rentals(db)] == [None, None]
    assert [r[4] for r in rentals(db, AnalyzeOptions(max_gpus_per_rental=16))] == [None, "gpu_count"]
    with pytest.raises(InputError, match="--max-gpus-per-rental"):
        rentals(db, AnalyzeOptions(max_gpus_per_rental=0))


def test_a_lease_longer_than_any_rental_runs_is_flagged(tmp_path: Path) -> None:
    """startTime 0 (1970) closed now: a 56-year lease of one GPU."""
    db = tmp_path / "a.duckdb"
    build(db, [(spec("1"), 500 * 24)])
    assert rentals(db)[0][2:] == (None, None, "duration")
    assert total_h100e(db) == 0


def test_a_payment_worth_more_than_the_cap_can_rent_is_flagged(tmp_path: Path) -> None:
    """A payment-valued marketplace (the registry test's toy one): 10^24 TOY at $0.50 is flagged, 40 TOY is not."""
    from tests.analyze.test_registry import build as build_toy
    from tests.analyze.test_registry import toy_marketplace

    db = tmp_path / "toy.duckdb"
    build_toy(db)
    with open_db(db) as con:
        con.execute("UPDATE toy_payments SET amount = 10::HUGEINT ** 30 WHERE block_number = 2")
        run_analysis(con, registry=(toy_marketplace(tmp_path),))
        rows = con.execute("SELECT block_number, payment_usd, h100e_hours, quality_flag FROM rentals "
                           "ORDER BY block_number").fetchall()
        usd = con.execute("SELECT sum(payment_usd) FROM entity_weekly").fetchall()
        flags = con.execute("SELECT reason, withheld_payment_usd FROM rental_flags").fetchall()
    assert rows == [(1, 20.0, pytest.approx(10.0), None), (2, None, None, "payment")]
    assert float(usd[0][0]) == pytest.approx(20.0)
    assert flags == [("payment", pytest.approx(5e23))]


@pytest.mark.parametrize(("units", "expected"), [("-5", None), ("1_000", None), ("\u0661\u0662", None),
                                                 ("99999999999", 2**31 - 1), ("0" * 50 + "7", 7)])
def test_the_spec_parser_reads_plain_digits_and_bounds_them(units: str, expected: int | None) -> None:
    from auditor.marketplaces.spheron.specs import parse_gpu

    parsed = parse_gpu(spec(units))
    assert (parsed[1] if parsed else None) == expected
