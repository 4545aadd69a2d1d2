"""The benchmark's anvil: a quiet node on a free 127.0.0.1 port, and a minimal JSON-RPC client for set-up.

Not auditor.devnet.anvil.Anvil: that one finds its port in anvil's log, and anvil logs five lines per block,
gigabytes for a million blocks; here the port is chosen up front and the node runs with --quiet. Also
--prune-history: without it anvil keeps every block's state and mining slows to under 100 blocks/s after
50,000 blocks; logs, receipts and headers are kept either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
RPC_TIMEOUT = 300
_PR_SET_PDEATHSIG = 1


class Node:
    """Synchronous JSON-RPC over one kept-alive HTTP connection."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self._conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=RPC_TIMEOUT)
        self._id = 0

    def call(self, method: str, params: list[Any]) -> Any:
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        self._conn.request("POST", "/", body, {"Content-Type": "application/json"})
        answer = json.loads(self._conn.getresponse().read())
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def anvil_args(port: int, chain_id: int, genesis_time: int) -> list[str]:
    """Blocks only by anvil_mine/evm_mine, any sender impersonated, free gas, no block gas limit."""
    return ["--host", "127.0.0.1", "--port", str(port), "--chain-id", str(chain_id), "--number", "0",
            "--timestamp", str(genesis_time), "--hardfork", "cancun", "--auto-impersonate", "--no-mining",
            "--order", "fifo", "--base-fee", "0", "--gas-price", "0", "--disable-block-gas-limit",
            "--accounts", "0", "--prune-history", "--quiet"]


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux the node gets SIGTERM when the benchmark dies without cleaning up (kill -9), so none is orphaned."""
    if sys.platform != "linux":
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return preexec


def _wait_ready(url: str, proc: subprocess.Popen[bytes], chain_id: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"anvil exited with code {proc.returncode} (port taken? see its log)")
        try:
            with Node(url) as node:
                answer = int(node.call("eth_chainId", []), 16)
        except OSError:
            time.sleep(0.05)
            continue
        if answer != chain_id:
            raise RuntimeError(f"{url} answers chain id {answer}, expected {chain_id}: another node on the port?")
        return
    raise RuntimeError(f"anvil did not answer within {STARTUP_TIMEOUT:.0f}s")


@contextlib.contextmanager
def anvil(binary: Path, chain_id: int, genesis_time: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """Runs anvil until the block ends (its stderr, if any, in log_path); yields its URL and process id."""
    port = free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(binary), *anvil_args(port, chain_id, genesis_time)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                preexec_fn=_die_with_parent())
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, proc, chain_id)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
