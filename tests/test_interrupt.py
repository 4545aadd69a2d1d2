"""Ctrl-C and SIGTERM stop `auditor index` with exit 130 / 143 and one line; a re-run resumes to the full index."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from auditor.devnet import Devnet
from tests.conftest import SLOW_INDEX, coverage_rows, index_command

pytestmark = pytest.mark.slow   # see pyproject: `make test-fast` leaves these out

STARTUP_S = 2.5   # long enough to be past set-up and inside the log pump (the run takes far longer)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_stops_with_its_exit_code_and_one_line(devnet: Devnet, analysed_db: Path, tmp_path: Path,
                                                      signum: int, code: int) -> None:
    db = tmp_path / "interrupted.duckdb"
    slow = index_command(devnet, db, *SLOW_INDEX)
    proc = subprocess.Popen(slow, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(STARTUP_S)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "never retrieved" not in stderr, stderr
    last = stderr.strip().splitlines()[-1]
    name = signal.Signals(signum).name
    assert last.startswith(f"interrupted by {name}: ") and last.endswith("committed; run again to resume"), last
    assert coverage_rows(db) != coverage_rows(analysed_db)
    done = subprocess.run(index_command(devnet, db), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert coverage_rows(db) == coverage_rows(analysed_db)
