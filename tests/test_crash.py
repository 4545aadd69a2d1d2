"""kill -9 at random instants, then re-run: the database ends identical to one uninterrupted run."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.devnet import Devnet
from tests.conftest import analyse
from tests.faultproxy import FaultProxy

pytestmark = pytest.mark.slow   # see pyproject: `make test-fast` leaves these out

KILLS = 6
# Each request waits this long at a proxy, so the run's work takes longer than several sleeps whatever the
# machine's speed (about 7,500 eth_getLogs of 40 blocks at 4 in flight: 9 s at least, where a killed run gets
# 1.8 s at most), and at least MIN_KILLED kills land mid-run; later kills may reach the funding stages. The
# last run goes to the nodes directly.
REQUEST_DELAY_S = 0.005
MIN_KILLED = 3
# What a killed run committed: blocks covered, then (later kills) fundings and native scans.
PROGRESS = ("SELECT (SELECT coalesce(sum(to_block - from_block + 1), 0) FROM coverage) "
            "+ (SELECT count(*) FROM funding) + (SELECT count(*) FROM native_scan)")


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in names}
    finally:
        con.close()


def test_killed_runs_end_identical(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.duckdb"

    def command(urls: list[str]) -> list[str]:
        return [sys.executable, "-m", "auditor", "index", "--db", str(db), "--confirmations", "0",
                "--chunk-blocks", "40", "--concurrency", "4", *(a for url in urls for a in ("--rpc", url))]

    rng = random.Random(20261122)
    killed_mid_run = 0
    progress = []
    with ExitStack() as stack:
        proxies = [stack.enter_context(FaultProxy(devnet.urls[c], delay_s=REQUEST_DELAY_S))
                   for c in sorted(devnet.urls)]
        for _ in range(KILLS):
            proc = subprocess.Popen(command([p.url for p in proxies]), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.8, 2.5))
            finished = proc.poll() is not None
            if not finished:
                proc.send_signal(signal.SIGKILL)
                killed_mid_run += 1
            proc.wait()
            if db.exists():
                with duckdb.connect(str(db), read_only=True) as con:
                    row = con.execute(PROGRESS).fetchone()
                    progress.append(int(row[0]) if row else 0)
            if finished:
                break
    print(f"committed after each kill (blocks covered + fundings + native scans): {progress}")
    assert killed_mid_run >= MIN_KILLED, "the runs finished before they could be killed"
    assert progress and progress != sorted(progress)[:1] * len(progress), "kills never landed after a commit"
    done = subprocess.run(command([devnet.urls[c] for c in sorted(devnet.urls)]), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    analyse(devnet, db)
    got, want = tables(db), tables(analysed_db)
    assert got.keys() == want.keys()
    for name in want:
        assert got[name] == want[name], name
