"""The endpoint's lifecycle: AkashNode frees its port on exit; `python -m auditor.devnet.akash` serves on
127.0.0.1 until SIGINT, writing the ground truth when asked."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from auditor.devnet.akash.model import Sizes
from auditor.devnet.akash.server import AkashNode

STARTUP = 30.0


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_node_closes_its_port_on_exit() -> None:
    with AkashNode(11, Sizes(providers=3, owners=4)) as node:
        port = node.port
        assert port is not None and _listening(port)
    assert not _listening(port)
    node.stop()


def test_module_entry_serves_until_sigint(tmp_path: Path) -> None:
    port, truth = _free_port(), tmp_path / "truth.json"
    proc = subprocess.Popen([sys.executable, "-m", "auditor.devnet.akash", "--port", str(port), "--seed", "4",
                             "--truth", str(truth)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP
        while not _listening(port):
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "the endpoint did not start"
            time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cosmos/base/tendermint/v1beta1/node_info") as r:
            assert json.load(r)["default_node_info"]["network"] == "akashnet-2"
        assert json.loads(truth.read_bytes())["seed"] == 4
    finally:
        proc.send_signal(signal.SIGINT)
        out = proc.communicate(timeout=STARTUP)[0].decode()
    assert proc.returncode == 0, out
    assert f"http://127.0.0.1:{port}" in out and not _listening(port)
