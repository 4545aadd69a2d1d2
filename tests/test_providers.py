"""Indexing through a proxy that behaves like common hosted providers, compared with a direct run."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import duckdb
import pytest
from aiohttp import web

from auditor.cli import main
from auditor.devnet import Devnet
from auditor.errors import InvalidResponseError
from auditor.sync import ChainSummary, IndexRequest, run_index
from tests.faultproxy import FaultProxy


def _strip_block_timestamp(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """Most providers' logs carry no blockTimestamp: the indexer must fetch block headers instead."""
    if request["method"] == "eth_getLogs" and isinstance(response.get("result"), list):
        for log in response["result"]:
            log.pop("blockTimestamp", None)
    return response


_MARKETPLACE_BLOCKS = ("SELECT * FROM blocks WHERE block_number NOT IN (SELECT block_number FROM token_transfer "
                      "UNION SELECT block_number FROM token_approval)")


def _rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    """A table's rows; for `blocks`, those of marketplace and feed logs (runs here skip funding discovery)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        sql = _MARKETPLACE_BLOCKS if table == "blocks" else f'SELECT * FROM "{table}"'
        return con.execute(f"{sql} ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_logs_without_block_timestamp(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "proxied.duckdb"
    with FaultProxy(devnet.urls[8453], _strip_block_timestamp) as proxy:
        asyncio.run(run_index(IndexRequest(rpc_urls=(proxy.url,), db_path=db, confirmations=0, funding=False)))
    assert "eth_getBlockByNumber" in proxy.requests
    for table in ("spheron_lease_created", "spheron_order_created", "morpheus_session_opened", "blocks"):
        direct = [r for r in _rows(analysed_db, table) if r[0] == 8453]
        assert _rows(db, table) == direct and direct, table


def _range(body: Any) -> tuple[int, int] | None:
    if isinstance(body, dict) and body.get("method") == "eth_getLogs":
        flt = body["params"][0]
        return int(flt["fromBlock"], 16), int(flt["toBlock"], 16)
    return None


def _error(body: dict[str, Any], code: int, message: str) -> web.Response:
    return web.json_response({"jsonrpc": "2.0", "id": body["id"], "error": {"code": code, "message": message}})


def _index_through(proxy: FaultProxy, db: Path, **kwargs: Any) -> ChainSummary:
    (summary,) = asyncio.run(run_index(IndexRequest(rpc_urls=(proxy.url,), db_path=db, confirmations=0,
                                                    funding=False, **kwargs)))
    return summary


def _same_as_direct(db: Path, analysed_db: Path) -> None:
    for table in ("spheron_lease_created", "spheron_order_created", "spheron_lease_closed",
                  "morpheus_session_opened", "morpheus_session_closed", "blocks"):
        direct = [r for r in _rows(analysed_db, table) if r[0] == 8453]
        assert _rows(db, table) == direct and direct, table


def test_block_range_cap_with_suggested_range(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    """Alchemy-style refusal naming a range: the indexer adopts it and never asks for more again."""
    cap = 50

    def inject(body: Any, n: int) -> web.Response | None:
        rng = _range(body)
        if rng and rng[1] - rng[0] + 1 > cap:
            return _error(body, -32602, "Log response size exceeded. You can make eth_getLogs requests with up to "
                          "a 2K block range and no limit on the response size, or you can request any block range "
                          f"with a cap of 10K logs in the response. Based on your parameters, this block range "
                          f"should work: [{hex(rng[0])}, {hex(rng[0] + cap - 1)}]")
        return None

    with FaultProxy(devnet.urls[8453], inject=inject) as proxy:
        summary = _index_through(proxy, tmp_path / "a.duckdb")
    _same_as_direct(tmp_path / "a.duckdb", analysed_db)
    # Base has two query groups (Aleph's streams filter on topic1, the other sources do not), whose first
    # requests go out together: at most one refusal each, none once the ceiling is learned.
    assert proxy.injected == summary.refusals and 1 <= proxy.injected <= 2, "the learned ceiling was not kept"


def test_result_cap_without_a_number(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    """geth/Infura-style 'query returned more than N results' (-32005): halve until it fits."""
    def cap_results(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if request["method"] == "eth_getLogs" and len(response.get("result") or []) > 40:
            return {"jsonrpc": "2.0", "id": request["id"],
                    "error": {"code": -32005, "message": "query returned more than 40 results"}}
        return response

    with FaultProxy(devnet.urls[8453], rewrite=cap_results) as proxy:
        summary = _index_through(proxy, tmp_path / "a.duckdb", chunk_blocks=400)
    _same_as_direct(tmp_path / "a.duckdb", analysed_db)
    print(f"result cap: {summary.refusals} refusals, {summary.splits} splits, {summary.ranges} ranges")
    assert summary.splits > 0 and summary.refusals > 0


@pytest.mark.slow
def test_transport_faults_are_survived(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    """429 with Retry-After, rate-limit errors, 502/503, truncated JSON and dropped connections."""
    def inject(body: Any, n: int) -> web.StreamResponse | None:
        if n % 7 == 0:
            return web.Response(status=429, headers={"Retry-After": "0"}, text="Too Many Requests")
        if n % 11 == 0:
            return web.Response(status=503, text="upstream unavailable")
        if n % 13 == 0:
            return web.Response(status=200, content_type="application/json", text='{"jsonrpc":"2.0","id":1,"res')
        if n % 17 == 0 and isinstance(body, dict):
            return _error(body, -32005, "daily request count exceeded, request rate limited")
        if n % 19 == 0:
            return web.Response(status=599)
        return None

    with FaultProxy(devnet.urls[8453], inject=inject) as proxy:
        summary = _index_through(proxy, tmp_path / "a.duckdb", chunk_blocks=60)
    _same_as_direct(tmp_path / "a.duckdb", analysed_db)
    print(f"transport faults injected: {proxy.injected}, retries: {summary.retries}, "
          f"rate-limited: {summary.rate_limited}, requests: {len(proxy.requests)}")
    assert proxy.injected >= 5 and summary.retries >= proxy.injected - 1 and summary.rate_limited > 0


def test_non_retryable_error_stops_with_a_clear_message(devnet: Devnet, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    def inject(body: Any, n: int) -> web.Response | None:
        if _range(body):
            return _error(body, -32601, "the method eth_getLogs does not exist/is not available")
        return None

    with FaultProxy(devnet.urls[8453], inject=inject) as proxy, pytest.raises(SystemExit) as exit_info:
        main(["index", "--rpc", proxy.url + "/v3/SECRETKEY", "--db", str(tmp_path / "a.duckdb")])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and err.strip().splitlines()[-1] == errors[0] and "Traceback" not in err
    assert "does not exist" in errors[0] and "SECRETKEY" not in err


def test_several_urls_share_the_load_and_fail_over(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    def dies_after_start(body: Any, n: int) -> web.Response | None:
        return web.Response(status=503, text="down") if n > 3 else None

    with FaultProxy(devnet.urls[8453]) as healthy, FaultProxy(devnet.urls[8453]) as other, \
            FaultProxy(devnet.urls[8453], inject=dies_after_start) as dying:
        db = tmp_path / "a.duckdb"
        (summary,) = asyncio.run(run_index(IndexRequest(
            rpc_urls=(healthy.url, other.url, dying.url), db_path=db, confirmations=0, funding=False,
            chunk_blocks=50)))
    _same_as_direct(db, analysed_db)
    assert healthy.requests.count("eth_getLogs") > 3 and other.requests.count("eth_getLogs") > 3
    assert dying.injected > 0
    assert summary.rpc_host.count("http://127.0.0.1") == 3


def _bogus_log(template: dict[str, Any], **change: str) -> dict[str, Any]:
    log = dict(template)
    log.update(change)
    return log


def test_answers_that_contradict_the_question_are_never_stored(devnet: Devnet, analysed_db: Path,
                                                              tmp_path: Path) -> None:
    """A log of a contract not asked for, or outside the range: rejected, asked again; a provider that keeps
    doing it stops the run with nothing of it stored."""
    stranger = "0x" + "5a" * 20
    seen = {"n": 0}

    def once(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        logs = response.get("result")
        if request["method"] == "eth_getLogs" and logs and seen["n"] < 2:
            seen["n"] += 1
            far = hex(int(request["params"][0]["toBlock"], 16) + 5)
            response["result"] = [*logs, _bogus_log(logs[0], address=stranger) if seen["n"] == 1
                                  else _bogus_log(logs[0], blockNumber=far)]
        return response

    with FaultProxy(devnet.urls[8453], rewrite=once) as proxy:
        _index_through(proxy, tmp_path / "a.duckdb")
    assert seen["n"] == 2
    _same_as_direct(tmp_path / "a.duckdb", analysed_db)

    def always(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        logs = response.get("result")
        if request["method"] == "eth_getLogs" and logs:
            response["result"] = [*logs, _bogus_log(logs[0], address=stranger)]
        return response

    db = tmp_path / "b.duckdb"
    with FaultProxy(devnet.urls[8453], rewrite=always) as proxy, pytest.raises(InvalidResponseError):
        _index_through(proxy, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM spheron_lease_created WHERE contract = $s", {"s": stranger}
                           ).fetchone() == (0,)
    finally:
        con.close()


def test_endpoint_that_is_not_an_evm_chain(devnet: Devnet, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON-RPC server of another kind (a Solana or Cosmos node) answers eth_chainId with 'method not found'."""
    def inject(body: Any, n: int) -> web.Response | None:
        return _error(body, -32601, "Method not found") if isinstance(body, dict) else None

    db = tmp_path / "a.duckdb"
    with FaultProxy(devnet.urls[8453], inject=inject) as proxy, pytest.raises(SystemExit) as exit_info:
        main(["index", "--rpc", proxy.url, "--db", str(db)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert err.startswith("error: ") and "eth_chainId failed: Method not found" in err
    assert len(err.strip().splitlines()) == 1 and not db.exists()
