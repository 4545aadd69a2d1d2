"""The data-age check schedulers rely on: per-chain age of the safe block against a given 'now'."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from auditor.errors import AuditorError, InputError, StoreError
from auditor.report import StaleDataError, check_freshness, ensure_fresh

from .conftest import ARB, BASE, create_tables

# Safe blocks in conftest.py: Arbitrum One at 2026-02-20 11:00, Base at 10:00 UTC.
NOW = dt.datetime(2026, 2, 22, 12, 0, tzinfo=dt.UTC)  # Arbitrum 49 h old, Base 50 h
HOURS = dt.timedelta(hours=1)


def test_ages_per_chain(ro_con: duckdb.DuckDBPyConnection) -> None:
    fresh = check_freshness(ro_con, 50 * HOURS, NOW)
    assert [(c.chain_id, c.chain, c.safe_block, c.age) for c in fresh.chains] == [
        (BASE, "Base", 25_999_970, 50 * HOURS),
        (ARB, "Arbitrum One", 299_999_960, 49 * HOURS),
    ]
    assert fresh.chains[0].safe_time == dt.datetime(2026, 2, 20, 10, 0, tzinfo=dt.UTC)
    assert fresh.chains[0].head_time == dt.datetime(2026, 2, 20, 11, 0, tzinfo=dt.UTC)
    assert fresh.fresh and fresh.stale == ()  # exactly max_age old is still fresh


def test_stale_chains_are_named_in_one_line(ro_con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(StaleDataError) as raised:
        ensure_fresh(ro_con, dt.timedelta(hours=49, minutes=30), NOW)
    assert str(raised.value) == (
        "stale data (max age 49.5 h): Base (8453) indexed to block 25999970 at 2026-02-20T10:00:00Z, 50.0 h ago"
    )
    assert isinstance(raised.value, AuditorError) and not raised.value.transient
    with pytest.raises(StaleDataError, match=r"Base \(8453\) .* 50\.0 h ago; Arbitrum One \(42161\) .* 49\.0 h ago"):
        ensure_fresh(ro_con, 48 * HOURS, NOW)


def test_fresh_data_passes(ro_con: duckdb.DuckDBPyConnection) -> None:
    ensure_fresh(ro_con, 50 * HOURS, NOW)
    ensure_fresh(ro_con, 2 * HOURS, dt.datetime(2026, 2, 20, 11, 30, tzinfo=dt.UTC))  # Base 1.5 h old


def test_independent_of_time_zones(db_path: Path) -> None:
    con = duckdb.connect(str(db_path), read_only=True)
    con.execute("SET TimeZone = 'Asia/Tokyo'")
    now_elsewhere = NOW.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    fresh = check_freshness(con, 50 * HOURS, now_elsewhere)
    con.close()
    assert [c.age for c in fresh.chains] == [50 * HOURS, 49 * HOURS]
    assert fresh.now == NOW and fresh.now.tzinfo == dt.UTC


def test_chain_never_indexed_is_stale(db_path: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(shutil.copy(db_path, tmp_path / "x.duckdb")))
    con.execute("UPDATE chains SET safe_block = NULL, safe_time = NULL WHERE chain_id = $c", {"c": ARB})
    fresh = check_freshness(con, 1000 * HOURS, NOW)
    assert [c.chain for c in fresh.stale] == ["Arbitrum One"]
    with pytest.raises(StaleDataError, match=r"^stale data \(max age 1000\.0 h\): Arbitrum One \(42161\) has no "
                                             r"indexed block$"):
        ensure_fresh(con, 1000 * HOURS, NOW)
    con.close()


def test_no_chains_is_stale(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    create_tables(con)
    with pytest.raises(StaleDataError, match="no chain has been indexed yet"):
        ensure_fresh(con, HOURS, NOW)


def test_not_an_auditor_database(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "bare.duckdb"))
    with pytest.raises(StoreError, match="not an auditor database"):
        ensure_fresh(con, HOURS, NOW)


@pytest.mark.parametrize(
    ("max_age", "now", "message"),
    [
        (HOURS, dt.datetime(2026, 2, 22, 12, 0), "timezone-aware"),
        (dt.timedelta(0), NOW, "must be positive"),
        (-HOURS, NOW, "must be positive"),
    ],
)
def test_bad_arguments_are_input_errors(
    ro_con: duckdb.DuckDBPyConnection, max_age: dt.timedelta, now: dt.datetime, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        ensure_fresh(ro_con, max_age, now)
