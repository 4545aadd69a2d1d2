"""Issue 15 item 7: a dead RPC fails within the retry budget with its clean error, and impossible inputs are
refused before any work. The old code took 184 s on a black-holed endpoint (three 60 s timeouts for the chain
id), six Retry-After waits on a provider that throttles forever, and printed "indexed to block -999..." with
exit 0 for more confirmations than blocks."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from auditor.errors import InputError, TransientRpcError
from auditor.sync import IndexRequest, run_index
from tests.faultproxy import FaultProxy
from tests.security.rpcnode import cli, index, morpheus_node

BUDGET_S = 2.0


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with morpheus_node(tmp_path_factory.mktemp("anvil") / "anvil.log") as url:
        yield url


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A port that accepts connections and never answers (a firewalled or hung provider)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"http://127.0.0.1:{server.getsockname()[1]}/v2/SECRETKEY"


def timed_failure(url: str, db: Path, **kwargs: Any) -> tuple[float, str]:
    start = time.monotonic()
    with pytest.raises(TransientRpcError) as failed:
        index(url, db, funding=False, retry_for=BUDGET_S, **kwargs)
    return time.monotonic() - start, str(failed.value)


def test_a_black_holed_endpoint_fails_within_the_budget(black_hole: str, tmp_path: Path) -> None:
    seconds, message = timed_failure(black_hole, tmp_path / "a.duckdb")
    assert seconds < 3 * BUDGET_S
    assert "eth_chainId: timed out" in message and f"within the {BUDGET_S:g}s retry budget" in message
    assert "SECRETKEY" not in message and not (tmp_path / "a.duckdb").exists()


def test_a_dead_port_fails_at_once(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]   # closed again before the run: nothing listens there
    seconds, message = timed_failure(f"http://127.0.0.1:{port}", tmp_path / "a.duckdb")
    assert seconds < 3 * BUDGET_S and "cannot connect" in message


@pytest.mark.parametrize(("status", "headers"), [(503, {}), (429, {"Retry-After": "30"})])
def test_a_log_fetch_that_fails_forever_ends_within_the_budget(node: str, tmp_path: Path, status: int,
                                                              headers: dict[str, str]) -> None:
    """Every eth_getLogs answered 503, or 429 asking for 30 s more each time, for ever."""
    def inject(body: Any, n: int) -> web.Response | None:
        if isinstance(body, dict) and body.get("method") == "eth_getLogs":
            return web.Response(status=status, headers=headers, text="unavailable")
        return None
    with FaultProxy(node, inject=inject) as proxy:
        seconds, message = timed_failure(proxy.url, tmp_path / "a.duckdb")
    assert seconds < 3 * BUDGET_S
    assert f"eth_getLogs: HTTP {status}" in message and "retry budget" in message


def test_a_pool_shares_one_budget(node: str, tmp_path: Path) -> None:
    """Two endpoints of the chain, both failing every log query: the budget covers both, not each."""
    def inject(body: Any, n: int) -> web.Response | None:
        if isinstance(body, dict) and body.get("method") == "eth_getLogs":
            return web.Response(status=503, text="unavailable")
        return None
    with FaultProxy(node, inject=inject) as first, FaultProxy(node, inject=inject) as second:
        start = time.monotonic()
        with pytest.raises(TransientRpcError, match="HTTP 503"):
            asyncio.run(run_index(IndexRequest(rpc_urls=(first.url, second.url), db_path=tmp_path / "a.duckdb",
                                               confirmations=0, funding=False, retry_for=BUDGET_S)))
        assert time.monotonic() - start < 3 * BUDGET_S


def test_more_confirmations_than_blocks_is_refused(node: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.duckdb"
    code, err = cli(capsys, "index", "--rpc", node, "--db", str(db), "--confirmations", "999999999")
    assert code == 1 and "--confirmations 999999999 is more than the head" in err and err.count("\n") == 1
    assert "-9" not in err and not db.exists()


def test_a_from_block_after_the_last_block_is_refused(node: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--from-block 99999999 is after the last block"):
        index(node, tmp_path / "a.duckdb", from_block=99_999_999)


@pytest.mark.parametrize("seconds", [0.0, -1.0, float("nan"), 1e9])
def test_an_impossible_budget_is_refused(tmp_path: Path, seconds: float) -> None:
    with pytest.raises(InputError, match="--retry-for"):
        index("http://127.0.0.1:1", tmp_path / "a.duckdb", retry_for=seconds)
