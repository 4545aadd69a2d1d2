"""One `auditor index` run takes an Akash LCD URL beside an EVM one and tells them apart; a Cosmos endpoint of
another network or a web page is one line of error; a key in a URL's path is never shown nor stored."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import duckdb
from aiohttp import web

from auditor.chains import AKASH_CHAIN_ID
from auditor.devnet import Devnet
from auditor.devnet.akash.server import AkashNode
from tests.akash.conftest import ROOT, command
from tests.faultproxy import FaultProxy

BASE = 8453
LCD_KEY = "lcdkey-0f9e8d7c6b5a"
EVM_KEY = "evmkey-1a2b3c4d5e6f"


def test_lcd_and_evm_urls_in_one_run(devnet: Devnet, akash: AkashNode, akash_truth: dict[str, Any],
                                     tmp_path: Path) -> None:
    db = tmp_path / "both.duckdb"
    with FaultProxy(akash.url, prefix=f"/v1/{LCD_KEY}") as lcd, FaultProxy(devnet.urls[BASE]) as evm:
        done = subprocess.run(command(db, f"{lcd.url}/v1/{LCD_KEY}", f"{evm.url}/v2/{EVM_KEY}",
                                      extra=("--no-funding",)),
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        chains = con.execute("SELECT chain_id, rpc_host FROM chains ORDER BY chain_id").fetchall()
        leases = con.execute("SELECT count(*) FROM akash_lease").fetchone()
        evm_logs = con.execute("SELECT count(*) FROM blocks WHERE chain_id = ?", [BASE]).fetchone()
    assert chains == [(BASE, f"{evm.url}/…"), (AKASH_CHAIN_ID, f"{lcd.url}/…")]
    assert leases == (len(akash_truth["leases"]),)
    assert evm_logs is not None and evm_logs[0] > 0
    shown = done.stdout + done.stderr
    assert "Akash" in shown and "Base" in shown
    stored = db.read_bytes() + (Path(f"{db}.wal").read_bytes() if Path(f"{db}.wal").exists() else b"")
    for key in (LCD_KEY, EVM_KEY):
        assert key not in shown
        assert key.encode() not in stored


def _serve(answer: web.Response) -> FaultProxy:
    return FaultProxy("http://127.0.0.1:9", inject=lambda request, n: answer)


def _error_line(url: str, tmp_path: Path) -> str:
    done = subprocess.run(command(tmp_path / "x.duckdb", url), cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert not (tmp_path / "x.duckdb").exists()
    return lines[0]


def test_other_cosmos_network_is_one_line(tmp_path: Path) -> None:
    def answer(request: dict[str, Any], n: int) -> web.Response:
        if request.get("method") == "GET":
            return web.json_response({"default_node_info": {"network": "cosmoshub-4"}})
        return web.json_response({"code": 12, "message": "Not Implemented", "details": []}, status=501)
    with FaultProxy("http://127.0.0.1:9", inject=answer) as hub:
        line = _error_line(f"{hub.url}/{LCD_KEY}", tmp_path)
    assert line == (f"error: {hub.url}/… is a Cosmos REST endpoint of network cosmoshub-4; the only Cosmos "
                    "network supported is Akash (akashnet-2)")


def test_html_page_is_one_line(tmp_path: Path) -> None:
    page = web.Response(text="<!doctype html><html><body>Welcome</body></html>", content_type="text/html")
    with _serve(page) as site:
        line = _error_line(f"{site.url}/{LCD_KEY}?apikey={EVM_KEY}", tmp_path)
    assert line.startswith(f"error: {site.url}/… is neither an EVM JSON-RPC nor a Cosmos REST (LCD) endpoint: ")
    assert LCD_KEY not in line and EVM_KEY not in line
