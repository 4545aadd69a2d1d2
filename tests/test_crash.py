"""kill -9 at random instants, then re-run: the database ends identical to one uninterrupted run."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from auditor.devnet import Devnet
from tests.conftest import analyse

KILLS = 6


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
    command = [sys.executable, "-m", "auditor", "index", "--db", str(db), "--confirmations", "0",
               "--chunk-blocks", "40", "--concurrency", "4"]
    for chain_id in sorted(devnet.urls):
        command += ["--rpc", devnet.urls[chain_id]]
    rng = random.Random(20261122)
    killed_mid_run = 0
    progress = []
    for _ in range(KILLS):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 3.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_mid_run += 1
        proc.wait()
        if db.exists():
            with duckdb.connect(str(db), read_only=True) as con:
                row = con.execute("SELECT coalesce(sum(to_block - from_block + 1), 0) FROM coverage").fetchone()
                progress.append(int(row[0]) if row else 0)
    print(f"coverage after each kill (blocks): {progress}")
    assert killed_mid_run >= KILLS - 1, "the runs finished before they could be killed"
    assert progress and progress != sorted(progress)[:1] * len(progress), "kills never landed after a commit"
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    analyse(devnet, db)
    got, want = tables(db), tables(analysed_db)
    assert got.keys() == want.keys()
    for name in want:
        assert got[name] == want[name], name
