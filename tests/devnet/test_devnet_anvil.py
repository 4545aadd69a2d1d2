"""Finding anvil, and that a node never outlives its context."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.devnet.anvil import Anvil, find_anvil
from auditor.errors import DevnetError


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_find_anvil_prefers_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = find_anvil()
    assert real.is_file()
    monkeypatch.setenv("AUDITOR_ANVIL", str(real))
    assert find_anvil() == real
    monkeypatch.setenv("AUDITOR_ANVIL", str(tmp_path / "missing"))
    with pytest.raises(DevnetError, match="AUDITOR_ANVIL"):
        find_anvil()


def test_anvil_starts_and_stops(tmp_path: Path) -> None:
    with Anvil(8453, 1000, 1_785_715_200, log_path=tmp_path / "anvil.log") as node:
        port = node.port
        assert port is not None and port_open(port)
        assert node.url == f"http://127.0.0.1:{port}"
        assert node.cache_path.parent == tmp_path and str(node.cache_path) in node.args
        node.cache_path.mkdir(exist_ok=True)
        (node.cache_path / "anvil-state-x").write_bytes(b"state")
    assert not port_open(port)
    assert not node.cache_path.exists(), "persisted states must not outlive the node"


def test_quiet_anvil_runs_on_a_picked_port_with_an_empty_log(tmp_path: Path) -> None:
    """The benchmark's node: nothing logged, so the port is picked up front; history pruned."""
    with Anvil(1, 0, 1_785_715_200, log_path=tmp_path / "q.log", quiet=True, keep_history=False) as node:
        port = node.port
        assert port is not None and port_open(port)
        assert "--quiet" in node.args and "--prune-history" in node.args
        assert node.args[node.args.index("--port") + 1] == str(port)
    assert not port_open(port)
    assert (tmp_path / "q.log").read_bytes() == b""


def test_anvil_stops_when_the_body_fails(tmp_path: Path) -> None:
    port = None
    with pytest.raises(RuntimeError, match="boom"), Anvil(42161, 1, 1_785_715_200, log_path=tmp_path / "a.log") as node:
        port = node.port
        raise RuntimeError("boom")
    assert port is not None and not port_open(port)


def test_bad_binary_is_a_devnet_error(tmp_path: Path) -> None:
    fake = tmp_path / "anvil"
    fake.write_text("#!/bin/sh\necho nope\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(DevnetError, match="exited with code 3"):
        Anvil(1, 0, 1_785_715_200, log_path=tmp_path / "x.log", binary=fake).start()


def test_anvil_dies_with_a_killed_parent(tmp_path: Path) -> None:
    """A parent killed with SIGKILL runs no cleanup; the node must still go (Linux parent-death signal)."""
    script = ("import sys, time; from pathlib import Path; from auditor.devnet.anvil import Anvil\n"
              "node = Anvil(8453, 0, 1_785_715_200, log_path=Path(sys.argv[1])); node.start()\n"
              "print(node.port, flush=True); time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "orphan.log")], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert parent.stdout is not None
        port = int(parent.stdout.readline())
        assert port_open(port)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 5
    while port_open(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not port_open(port)
