"""Open rentals paid up front accrue over the time that has run, and no estimate exceeds what the GPUs could do.

A hand-built database: one Swan chain, a SWAN price, and two tasks on one GPU each: a week paid 168 SWAN ($1 an
hour), and an hour paid 10,000 SWAN (far more than an hour of any GPU is worth). The analysis runs with the
chain's safe (indexed-to) time moved forward.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from auditor.analyze import default_h100_hour_price, run_analysis
from auditor.store.db import open_db

SWAN = 254
T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
WEEK_TASK, HOUR_TASK = "0x" + "a1" * 32, "0x" + "b2" * 32
USER = "0x" + "11" * 20
WEI = 10 ** 18


def build(db: Path) -> None:
    with open_db(db, create=True) as con:
        con.execute("INSERT INTO price_imports VALUES ('SWAN', $t, 1.0, 'test.csv')", {"t": T0 - dt.timedelta(hours=1)})
        tasks = [(WEEK_TASK, 1, 168 * WEI, 7 * 24 * 3600), (HOUR_TASK, 2, 10_000 * WEI, 3600)]
        for uid, n, reward, seconds in tasks:
            con.execute(
                "INSERT INTO swan_task_created VALUES ($chain, $contract, $n, $t, $tx, 0, 0, $uid, [$cp], $user, "
                "$reward, $seconds)",
                {"chain": SWAN, "contract": "0x" + "5a" * 20, "n": n, "t": T0, "tx": "0x" + f"{n:064x}", "uid": uid,
                 "cp": "0x" + "c0" * 20, "user": USER, "reward": str(reward), "seconds": str(seconds)})


def analyse_at(db: Path, hours: float) -> dict[str, tuple[float, float, float, bool]]:
    """task uid -> (H100e-hours, high, GPU-hours, open) with the chain indexed to T0 + hours."""
    safe = T0 + dt.timedelta(hours=hours)
    with open_db(db) as con:
        con.execute("INSERT OR REPLACE INTO chains (chain_id, name, rpc_host, head_block, head_time, safe_block, "
                    "safe_time, safe_hash) VALUES ($c, 'Swan Chain', NULL, 100, $t, 100, $t, '0x00')",
                    {"c": SWAN, "t": safe})
        run_analysis(con)
        rows = con.execute("""
            SELECT t.taskUid, r.h100e_hours, r.h100e_hours_high, r.gpu_hours, r.is_open
            FROM rentals r JOIN swan_task_created t USING (chain_id, tx_hash, log_index)""").fetchall()
    return {uid: (h, high, gpu, is_open) for uid, h, high, gpu, is_open in rows}


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> dict[float, dict[str, tuple[float, float, float, bool]]]:
    db = tmp_path_factory.mktemp("accrual") / "a.duckdb"
    build(db)
    return {hours: analyse_at(db, hours) for hours in (1, 24, 96, 168, 300)}


def test_an_open_task_accrues_its_payment_over_the_time_it_has_run(timeline: dict[float, dict[str, tuple[
        float, float, float, bool]]]) -> None:
    central = default_h100_hour_price().central
    week = [timeline[h][WEEK_TASK] for h in sorted(timeline)]
    assert [w[3] for w in week] == [True, True, True, False, False]
    # $1 per paid hour: the hours run so far, never more than the week paid for
    assert [w[0] for w in week] == pytest.approx([1 / central, 24 / central, 96 / central, 168 / central,
                                                  168 / central])
    assert all(a[0] < b[0] for a, b in itertools.pairwise(week[:4]))


def test_no_estimate_exceeds_gpu_hours_times_the_largest_factor(timeline: dict[float, dict[str, tuple[
        float, float, float, bool]]], tmp_path: Path) -> None:
    with open_db(tmp_path / "specs.duckdb", create=True) as con:
        run_analysis(con)
        (top,) = con.execute("SELECT max(h100e) FROM gpu_specs").fetchone() or (None,)
    assert top is not None and top > 1
    for at in timeline.values():
        for h, high, gpu_hours, _ in at.values():
            assert high <= gpu_hours * top * (1 + 1e-12)
            assert h <= gpu_hours * top * (1 + 1e-12)
    # 10,000 USD for one GPU-hour: at most what the strongest GPU does in that hour
    assert timeline[24][HOUR_TASK][0] == pytest.approx(1 * top)
