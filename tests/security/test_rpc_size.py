"""Issue 15 item 3: a hostile RPC cannot exhaust memory. A 200 MB answer and a gzip bomb (256 KB that decode
to 256 MiB) are cut at the client's cap on decoded bytes: the log fetch shrinks its range as for a provider's
result cap and finishes, or the run stops with one line, and the indexing process's peak RSS stays within a few
caps of a run against an honest node. The old code read every body whole (200 MB of logs took 1.09 GiB)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faultproxy import FaultProxy, Streamed
from tests.security.rpcnode import SESSIONS, morpheus_node

CAP = 8 << 20
CONCURRENCY = 4
HUGE_MB = 200
BOMB_MIB = 256
_RUN = """
import asyncio, json, resource, sys
import auditor.rpc.client as client
from auditor.errors import RpcError
from auditor.sync import IndexRequest, run_index
client.MAX_RESPONSE_BYTES = int(sys.argv[3])
req = IndexRequest(rpc_urls=(sys.argv[1],), db_path=__import__("pathlib").Path(sys.argv[2]), confirmations=0,
                   funding=False, concurrency=int(sys.argv[4]), retry_for=10)
try:
    (summary,) = asyncio.run(run_index(req))
    out = {"logs": summary.logs, "splits": summary.splits, "error": None}
except RpcError as exc:
    out = {"logs": None, "splits": None, "error": str(exc)}
out["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with morpheus_node(tmp_path_factory.mktemp("anvil") / "anvil.log") as url:
        yield url


def run_indexer(url: str, db: Path) -> dict[str, Any]:
    """The indexer in a process of its own, so its peak RSS is its own."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", _RUN, url, str(db), str(CAP), str(CONCURRENCY)],
                          capture_output=True, text=True, timeout=300, env=env, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def whitespace(body: Any) -> Iterator[bytes]:
    yield b'{"jsonrpc": "2.0", "id": %d, "result": [' % body["id"]
    for _ in range(HUGE_MB):
        yield b" " * 1_000_000


def gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"jsonrpc": "2.0", "id": 1, "result": [')]
    parts += [packer.compress(b" " * (1 << 20)) for _ in range(BOMB_MIB)]
    return b"".join([*parts, packer.flush()])


def _logs_over(body: Any, blocks: int) -> bool:
    if not isinstance(body, dict) or body.get("method") != "eth_getLogs":
        return False
    flt = body["params"][0]
    return int(flt["toBlock"], 16) - int(flt["fromBlock"], 16) + 1 > blocks


@pytest.fixture(scope="module")
def honest_peak_kib(node: str, tmp_path_factory: pytest.TempPathFactory) -> int:
    with FaultProxy(node) as proxy:
        result = run_indexer(proxy.url, tmp_path_factory.mktemp("honest") / "a.duckdb")
    assert result["logs"] == SESSIONS
    peak: int = result["peak_kib"]
    return peak


def assert_bounded(result: dict[str, Any], honest_peak_kib: int) -> None:
    extra_mib = (result["peak_kib"] - honest_peak_kib) / 1024
    assert extra_mib < 3 * CONCURRENCY * CAP / (1 << 20), f"{extra_mib:.0f} MiB above an honest run"


def test_a_huge_answer_shrinks_the_range(node: str, tmp_path: Path, honest_peak_kib: int) -> None:
    """200 MB for any log query over more than one block: cut at the cap, the range halved until it fits."""
    def inject(body: Any, n: int) -> Streamed | None:
        return Streamed(whitespace(body)) if _logs_over(body, 1) else None
    with FaultProxy(node, inject=inject) as proxy:
        result = run_indexer(proxy.url, tmp_path / "a.duckdb")
    assert_bounded(result, honest_peak_kib)
    assert result["error"] is None and result["logs"] == SESSIONS and result["splits"] > 0
    assert proxy.cut >= 1


def test_a_gzip_bomb_is_cut_at_the_cap(node: str, tmp_path: Path, honest_peak_kib: int) -> None:
    """Every log query answered with the bomb: the run stops, saying why, without decoding it."""
    bomb = gzip_bomb()
    assert len(bomb) < BOMB_MIB * 4096

    def inject(body: Any, n: int) -> Streamed | None:
        if isinstance(body, dict) and body.get("method") == "eth_getLogs":
            return Streamed([bomb[i:i + 65536] for i in range(0, len(bomb), 65536)],
                            {"Content-Type": "application/json", "Content-Encoding": "gzip"})
        return None
    with FaultProxy(node, inject=inject) as proxy:
        result = run_indexer(proxy.url, tmp_path / "a.duckdb")
    assert_bounded(result, honest_peak_kib)
    assert result["error"] is not None and "eth_getLogs: response too large (over 8 MiB decoded)" in result["error"]
