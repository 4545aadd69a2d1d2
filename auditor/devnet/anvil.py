"""Finding and running anvil, the local EVM node behind the devnet."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from auditor.devnet.jsonrpc import LocalRpc
from auditor.errors import DevnetError

PACKAGE_DIR = Path(__file__).resolve().parent
ANVIL_GLOB = "node_modules/@foundry-rs/anvil-*/bin/anvil"
STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
_POLL = 0.02
_LISTENING = re.compile(rb"Listening on 127\.0\.0\.1:(\d+)")
_PR_SET_PDEATHSIG = 1


def find_anvil() -> Path:
    """The anvil binary: $AUDITOR_ANVIL, else the npm-installed one above the package or cwd, else PATH."""
    env = os.environ.get("AUDITOR_ANVIL")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return Path(env)
        raise DevnetError(f"AUDITOR_ANVIL={env} is not an executable file")
    for start in (PACKAGE_DIR, Path.cwd().resolve()):
        for folder in (start, *start.parents):
            hits = sorted(folder.glob(ANVIL_GLOB))
            if hits:
                return hits[0]
    on_path = shutil.which("anvil")
    if on_path:
        return Path(on_path)
    raise DevnetError("anvil not found; run: npm ci (or set AUDITOR_ANVIL to an anvil binary)")


def anvil_args(chain_id: int, genesis_block: int, genesis_time: int, port: int = 0) -> list[str]:
    """Flags for a devnet node: blocks are mined only by evm_mine (one block per planned timestamp), txs keep
    their submission order, any sender is impersonated, and gas is free so senders need no balance.
    Port 0 lets anvil pick a free one, which it names in its log."""
    return ["--host", "127.0.0.1", "--port", str(port), "--chain-id", str(chain_id), "--number", str(genesis_block),
            "--timestamp", str(genesis_time), "--hardfork", "cancun", "--auto-impersonate", "--no-mining",
            "--order", "fifo", "--base-fee", "0", "--gas-price", "0", "--disable-block-gas-limit",
            "--accounts", "0", "--disable-default-create2-deployer"]


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux the node gets SIGTERM if this process dies without cleaning up, so no anvil is orphaned."""
    if sys.platform != "linux":
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return preexec


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Anvil:
    """One anvil process on a free 127.0.0.1 port; a context manager that always stops it.

    For long chains (the benchmark's million blocks): `quiet` keeps anvil's log empty (it writes five lines a
    block, gigabytes over a million), so the port is picked up front instead of read from the log;
    `keep_history=False` keeps only the latest state (`--prune-history`), without which mining slows below
    100 blocks/s after 50,000 blocks. Logs, receipts and headers are kept either way.
    """

    def __init__(self, chain_id: int, genesis_block: int, genesis_time: int, log_path: Path,
                 binary: Path | None = None, *, quiet: bool = False, keep_history: bool = True) -> None:
        self.chain_id = chain_id
        # Anvil writes old blocks' states to disk; kept beside the log and removed on stop, never left behind
        # in ~/.foundry/anvil/tmp (its default), where every devnet run would leave hundreds of MB.
        self.cache_path = log_path.with_name(log_path.stem + "-states")
        self._chosen_port = _free_port() if quiet else None
        self.args = [*anvil_args(chain_id, genesis_block, genesis_time, self._chosen_port or 0),
                     "--cache-path", str(self.cache_path), *(["--quiet"] if quiet else []),
                     *([] if keep_history else ["--prune-history"])]
        self.log_path = log_path
        self.binary = binary
        self.port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The node's process id while it runs (the benchmark reads its CPU time from /proc)."""
        return self._proc.pid if self._proc is not None else None

    @property
    def url(self) -> str:
        if self.port is None:
            raise DevnetError("anvil is not running")
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = self.binary or find_anvil()
        self._log = self.log_path.open("wb")
        try:
            self._proc = subprocess.Popen([str(binary), *self.args], stdin=subprocess.DEVNULL, stdout=self._log,
                                          stderr=subprocess.STDOUT, preexec_fn=_die_with_parent())
            self.port = self._chosen_port or self._wait_for_port()
            self._wait_for_chain_id()
        except BaseException:
            self.stop()
            raise

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            found = _LISTENING.search(self.log_path.read_bytes())
            if found:
                return int(found.group(1))
            self._check_alive()
            time.sleep(_POLL)
        raise DevnetError(f"anvil did not start within {STARTUP_TIMEOUT:.0f}s (see {self.log_path})")

    def _wait_for_chain_id(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with LocalRpc(self.url, timeout=2) as node:
                    answer = int(node.call("eth_chainId"), 16)
            except (DevnetError, TypeError, ValueError):
                self._check_alive()
                time.sleep(_POLL)
                continue
            if answer != self.chain_id:
                raise DevnetError(f"anvil answered chain id {answer}, expected {self.chain_id}")
            self._check_alive()  # a port picked up front may have been taken by another node meanwhile
            return
        raise DevnetError(f"anvil did not answer eth_chainId within {STARTUP_TIMEOUT:.0f}s")

    def _check_alive(self) -> None:
        if self._proc is not None and self._proc.poll() is not None:
            tail = self.log_path.read_text(errors="replace").strip().splitlines()[-3:]
            raise DevnetError(f"anvil exited with code {self._proc.returncode}: {' | '.join(tail)}")

    def stop(self) -> None:
        """Terminates the node (killing it if it lingers); safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self.cache_path, ignore_errors=True)

    def __enter__(self) -> Anvil:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
