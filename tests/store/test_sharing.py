"""Readers while an index runs: status, sql and report get the file between the run's commits; a second index
run is refused at once; commands other than index never create a database."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.devnet import Devnet
from tests.conftest import SLOW_INDEX, coverage_rows, index_command

READERS = (["status"], ["sql", "SELECT count(*) AS n FROM coverage"],
           ["report", "--week", "2026-W46", "--out", "{out}"])


def _auditor(*args: str) -> list[str]:
    return [sys.executable, "-m", "auditor", *args]


@pytest.mark.slow
def test_readers_get_in_while_an_index_runs(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    index = subprocess.Popen(index_command(devnet, db, *SLOW_INDEX), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not db.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        rounds = 0
        while index.poll() is None and rounds < 3:
            for reader in READERS:
                args = [a.replace("{out}", str(tmp_path / "reports")) for a in reader]
                done = subprocess.run(_auditor(*args, "--db", str(db)), capture_output=True, text=True,
                                      timeout=120)
                # the report may say the week is not indexed yet, but never that the file is in use
                assert "in use" not in done.stderr and "Traceback" not in done.stderr, done.stderr
                if reader[0] != "report":
                    assert done.returncode == 0, done.stderr
            rounds += 1
        assert rounds >= 1 and index.poll() is None, "the index finished before readers could try"
        second = subprocess.run(index_command(devnet, db, *SLOW_INDEX), capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert second.stderr.strip().splitlines() == [
            f"error: database {db} is being indexed by another auditor process; one index run at a time"]
        _, stderr = index.communicate(timeout=300)
    finally:
        if index.poll() is None:
            index.kill()
            index.wait()
    assert index.returncode == 0, stderr
    assert coverage_rows(db) == coverage_rows(analysed_db)
    assert not (tmp_path / "busy.duckdb.waiting").exists()


@pytest.mark.parametrize("command", [["analyze"], ["prices", "import", "{csv}"], ["labels", "import", "{csv}"],
                                     ["status"], ["sql", "SELECT 1"], ["report", "--week", "2026-W07"]])
def test_only_index_creates_a_database(tmp_path: Path, command: list[str]) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("asset,time,usd\nRLC,2026-08-03,1.5\n")
    typo = tmp_path / "typo.duckdb"
    args = [a.replace("{csv}", str(csv)) for a in command]
    done = subprocess.run(_auditor(*args, "--db", str(typo)), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: database {typo} does not exist (create it with `auditor index` or `auditor demo`)"]
    assert not typo.exists() and not list(tmp_path.glob("typo*"))
