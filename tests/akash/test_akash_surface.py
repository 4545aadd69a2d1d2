"""Akash everywhere else: an older node's v1beta4 API gives the same rentals, and `auditor marketplaces`,
`status` and `check` show the marketplace, its leases and the endpoint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
from aiohttp import web

from auditor.devnet.akash.server import AkashNode
from tests.akash.conftest import ROOT, analyse, index, label_card_wallet
from tests.faultproxy import FaultProxy

COMPARED = ("SELECT buyer, provider, gpu_model, gpu_model_raw, gpu_count, start_time, end_time, is_open, "
            "payment_token, payment_raw::DECIMAL(38, 6), kyc FROM rentals WHERE marketplace = 'akash' ORDER BY ALL")


def _v1beta4_only(request: dict[str, Any], n: int) -> web.Response | None:
    if request.get("method") == "GET" and "/v1beta5/" in request["path"]:
        return web.json_response({"code": 12, "message": "Not Implemented", "details": []}, status=501)
    return None


def test_a_v1beta4_node_gives_the_same_rentals(akash: AkashNode, akash_db: Path, akash_truth: dict[str, Any],
                                                tmp_path: Path) -> None:
    db = tmp_path / "v1beta4.duckdb"
    with FaultProxy(akash.url, inject=_v1beta4_only) as old:
        index((old.url,), db)
    label_card_wallet(db, akash_truth, tmp_path)
    analyse(db)
    with duckdb.connect(str(db), read_only=True) as con, duckdb.connect(str(akash_db), read_only=True) as new:
        assert con.execute(COMPARED).fetchall() == new.execute(COMPARED).fetchall()
        funds = con.execute("SELECT count(*) FROM akash_lease WHERE reason_code = 20000").fetchone()
    planted = sum(lease["closed_by"] == "insufficient_funds" for lease in akash_truth["leases"])
    assert funds == (planted,)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={"COLUMNS": "250", "PATH": "/usr/bin:/bin"})


def test_marketplaces_lists_akash() -> None:
    done = _cli("marketplaces")
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if "418413376360" in line)
    assert "akash" in row and "duration" in row and "none" in row
    assert "Akash" not in done.stdout.split("Not yet supported")[1]


def test_status_shows_akash(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    done = _cli("status", "--db", str(akash_db))
    assert done.returncode == 0, done.stderr
    assert "Akash leases" in done.stdout and "akash/leases" in done.stdout and "akash_lease" in done.stdout


def test_check_reads_every_list(akash: AkashNode) -> None:
    done = _cli("check", "--rpc", akash.url)
    lines = [line.strip() for line in (done.stdout + done.stderr).splitlines()]
    problems = [line for line in lines if line.startswith("problem:")]
    # the endpoint does not advance, so its head is old: the only problem
    assert [p.split(": ")[3] for p in problems] == ["head"]
    for name in ("providers", "deployments", "bids", "leases"):
        assert f"akash/{name}" in done.stdout
    assert "v1beta5" in done.stdout and "tx search" in done.stdout


def test_dry_run_plans_akash(akash: AkashNode, akash_db: Path) -> None:
    before = akash_db.read_bytes()
    done = _cli("index", "--dry-run", "--confirmations", "0", "--db", str(akash_db), "--rpc", akash.url)
    assert done.returncode == 0, done.stderr
    assert "Akash (418413376360)" in done.stdout and "0 source-blocks to fetch" in done.stdout
    assert akash_db.read_bytes() == before
