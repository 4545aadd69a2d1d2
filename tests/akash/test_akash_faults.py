"""Faults a real LCD shows (rate limits, 5xx, truncated bodies, dropped connections, pages refused as too
large) through the HTTP fault proxy, kill -9 at random instants, and re-runs: every time the tables end
identical to one clean run's."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from aiohttp import web

from auditor.devnet.akash.server import AkashNode
from tests.akash.conftest import ROOT, command, index, tables
from tests.faultproxy import FaultProxy, Streamed

MAX_PAGE = 5        # pages larger than this are refused, as a node whose answers would be too big refuses them
KILLS = 5
REQUEST_DELAY_S = 0.04   # each request waits this long at the proxy: the killed runs last seconds


def _refuse_big_pages(request: dict[str, Any]) -> web.Response | None:
    if request.get("method") == "GET" and int(request["query"].get("pagination.limit", "0")) > MAX_PAGE:
        return web.json_response({"code": 3, "message": "requested page size limit exceeds the maximum",
                                  "details": []}, status=400)
    return None


def _faults(request: dict[str, Any], n: int) -> web.StreamResponse | Streamed | None:
    if n % 4 == 0:
        return web.Response(status=429, headers={"Retry-After": "0"})
    if n % 6 == 0:
        return web.Response(status=503, text="upstream unavailable")
    if n % 9 == 0:
        return Streamed(iter([b'{"leases": [{"lease": {"id"']))
    if n % 13 == 0:
        return web.Response(status=599)
    return _refuse_big_pages(request)


@pytest.fixture(scope="module")
def clean_db(akash: AkashNode, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    index((akash.url,), db)
    return db


def test_rerun_is_idempotent(akash: AkashNode, clean_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "twice.duckdb"
    index((akash.url,), db)
    first = tables(db)
    index((akash.url,), db)
    assert tables(db) == first == tables(clean_db)


@pytest.mark.slow
def test_faults_end_in_the_clean_tables(akash: AkashNode, clean_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "faults.duckdb"
    with FaultProxy(akash.url, inject=_faults) as proxy:
        index((proxy.url,), db)
    assert proxy.injected > 20
    assert tables(db, skip=("chains.rpc_host",)) == tables(clean_db, skip=("chains.rpc_host",))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM enrichment_failures").fetchone() == (0,)


@pytest.mark.slow
def test_killed_runs_end_identical(akash: AkashNode, clean_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.duckdb"
    rng = random.Random(20261204)
    killed, progress = 0, []
    with FaultProxy(akash.url, inject=lambda request, n: _refuse_big_pages(request),
                    delay_s=REQUEST_DELAY_S) as proxy:
        for _ in range(KILLS):
            proc = subprocess.Popen(command(db, proxy.url), cwd=ROOT, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(1.0, 3.0))
            finished = proc.poll() is not None
            if not finished:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            proc.wait()
            if db.exists():
                with duckdb.connect(str(db), read_only=True) as con:
                    row = con.execute("SELECT (SELECT count(*) FROM akash_lease) + (SELECT count(*) FROM "
                                      "akash_bid) + (SELECT count(*) FROM akash_transfer_scan)").fetchone()
                    progress.append(row[0] if row else 0)
            if finished:
                break
    print(f"rows committed after each kill: {progress}")
    assert killed >= 2, "the runs finished before they could be killed"
    assert len(set(progress)) > 1, "no kill landed after a commit"
    done = subprocess.run(command(db, akash.url), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert tables(db) == tables(clean_db)


def test_one_item_failing_is_recorded_and_retried(akash: AkashNode, akash_truth: dict[str, Any], clean_db: Path,
                                                  tmp_path: Path) -> None:
    db = tmp_path / "items.duckdb"
    lease = akash_truth["leases"][0]
    owner, height = lease["owner"], lease["open_height"]

    def broken_items(request: dict[str, Any], n: int) -> web.Response | None:
        if request.get("method") != "GET":
            return None
        if request["path"].endswith(f"/blocks/{height}") or owner in request["query"].get("query", ""):
            return web.json_response({"code": 2, "message": "internal: state not found", "details": []},
                                     status=400)
        return None

    with FaultProxy(akash.url, inject=broken_items) as proxy:
        index((proxy.url,), db)
    with duckdb.connect(str(db), read_only=True) as con:
        failed = con.execute("SELECT step, item FROM enrichment_failures ORDER BY ALL").fetchall()
        times = con.execute("SELECT count(*) FROM blocks WHERE block_number = ?", [height]).fetchone()
        funded = con.execute("SELECT count(*) FROM funding WHERE address = ?", [owner]).fetchone()
    assert failed == [("akash-block", str(height)), ("akash-transfers", owner)]
    assert (times, funded) == ((0,), (0,))
    index((akash.url,), db)
    assert tables(db) == tables(clean_db)


def test_a_malformed_answer_is_asked_again_never_stored(akash: AkashNode, clean_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "malformed.duckdb"
    bad = {"leases": [{"lease": {"id": {"owner": "akash1\u202eevil", "dseq": "1", "gseq": 1, "oseq": 1,
                                        "provider": "akash1x", "bseq": 0}}}], "pagination": {"next_key": None}}
    served: list[int] = []

    def once(request: dict[str, Any], n: int) -> web.Response | None:
        if request.get("method") == "GET" and request["path"].endswith("/leases/list") and not served \
                and "x-cosmos-block-height" in request["headers"]:
            served.append(n)
            return web.json_response(bad)
        return None

    with FaultProxy(akash.url, inject=once) as proxy:
        index((proxy.url,), db)
    assert served
    assert tables(db, skip=("chains.rpc_host",)) == tables(clean_db, skip=("chains.rpc_host",))


def test_an_earlier_to_block_never_rolls_state_back(akash: AkashNode, akash_truth: dict[str, Any], clean_db: Path,
                                                    tmp_path: Path) -> None:
    db = tmp_path / "backfill.duckdb"
    index((akash.url,), db)
    index((akash.url,), db, to_block=akash_truth["chain"]["latest_height"] - 50_000)
    got, want = tables(db), tables(clean_db)
    for table in ("akash_lease", "akash_bid", "akash_deployment", "akash_cursor", "coverage", "chains", "funding"):
        assert got[table] == want[table], table


@pytest.mark.slow
def test_ctrl_c_ends_with_one_line_and_resumes(akash: AkashNode, clean_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "interrupted.duckdb"
    with FaultProxy(akash.url, inject=lambda request, n: _refuse_big_pages(request),
                    delay_s=REQUEST_DELAY_S) as proxy:
        proc = subprocess.Popen(command(db, proxy.url), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(2.5)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("interrupted by SIGINT: ") and last.endswith("committed; run again to resume"), last
    assert "Traceback" not in stderr
    done = subprocess.run(command(db, akash.url), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert tables(db) == tables(clean_db)


def test_two_urls_of_one_lcd_share_the_load(akash: AkashNode, clean_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "pool.duckdb"
    with FaultProxy(akash.url, inject=_faults) as flaky, FaultProxy(akash.url) as steady:
        index((flaky.url, steady.url), db)
    assert flaky.requests and steady.requests
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT rpc_host FROM chains").fetchall() == [(f"{flaky.url} + {steady.url}",)]
    assert tables(db, skip=("chains.rpc_host",)) == tables(clean_db, skip=("chains.rpc_host",))
