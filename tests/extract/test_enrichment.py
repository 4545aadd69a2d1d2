"""Enrichment on nodes the indexer was not written for: a pruned node (a real anvil keeping 50 states), a provider
answering one address with an error text never seen before, and an endpoint refusing every state read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.devnet import Devnet
from auditor.devnet.anvil import Anvil
from auditor.devnet.emitters import calldata, load_emitters
from auditor.devnet.plan import Emit
from tests.faultproxy import FaultProxy
from tests.test_reorg import MORPHEUS, PROVIDER, rpc

pytestmark = pytest.mark.slow   # see pyproject: `make test-fast` leaves these out

GENESIS_BLOCK, GENESIS_TIME = 1_000, 1_790_000_000
KEPT_STATES = 50
EARLY, LATE = "0x" + "e1" * 20, "0x" + "1a" * 20
EARLY_FUNDER, LATE_FUNDER = "0x" + "f1" * 20, "0x" + "f2" * 20


def index_cli(url: str, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", "index", "--rpc", url, "--db", str(db),
                           "--confirmations", "0", *extra], capture_output=True, text=True, timeout=300)


def _mine(url: str, n: int, clock: list[int]) -> None:
    for _ in range(n):
        clock[0] += 12
        rpc(url, "evm_mine", clock[0])


def _fund_and_rent(url: str, funder: str, user: str, tag: int, clock: list[int]) -> None:
    rpc(url, "anvil_setBalance", funder, hex(10**20))
    rpc(url, "eth_sendTransaction", {"from": funder, "to": user, "value": hex(10**17), "gas": hex(21000)})
    _mine(url, 1, clock)
    data = calldata((Emit("morpheus/Diamond", "SessionOpened", (user, bytes([tag]) * 32, PROVIDER)),))
    rpc(url, "eth_sendTransaction", {"from": user, "to": MORPHEUS, "data": "0x" + data.hex(), "gas": hex(10**6)})
    _mine(url, 1, clock)


def _no_output_but_lines(stderr: str) -> None:
    assert "Traceback" not in stderr and "never retrieved" not in stderr and "Session is closed" not in stderr, stderr


def test_pruned_node_traces_what_it_keeps_and_marks_the_rest(tmp_path: Path) -> None:
    node = Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, tmp_path / "anvil.log")
    node.args += ["--prune-history", str(KEPT_STATES)]
    clock = [GENESIS_TIME]
    db = tmp_path / "pruned.duckdb"
    with node:
        url = node.url
        rpc(url, "anvil_setCode", MORPHEUS, load_emitters()["morpheus/Diamond"].runtime_bytecode)
        _fund_and_rent(url, EARLY_FUNDER, EARLY, 1, clock)    # its state is pruned long before the run
        _mine(url, 4 * KEPT_STATES, clock)
        _fund_and_rent(url, LATE_FUNDER, LATE, 2, clock)      # within the states the node keeps
        _mine(url, KEPT_STATES // 5, clock)
        head = int(rpc(url, "eth_blockNumber"), 16)
        first = index_cli(url, db)
        again = index_cli(url, db)
    assert first.returncode == 0, first.stderr
    _no_output_but_lines(first.stderr)
    assert "1 buyers' first funding could not be traced" in first.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        funding = {a: (s, f, r) for a, s, f, r in con.execute(
            "SELECT address, status, funder, reason FROM funding").fetchall()}
        (state_from,) = con.execute("SELECT state_from_block FROM chains").fetchone() or (None,)
        failures = con.execute("SELECT count(*) FROM enrichment_failures").fetchone()
    assert funding[LATE][:2] == ("funded", LATE_FUNDER)
    assert funding[EARLY][0] == "no_archive" and funding[EARLY][1] is None
    assert f"block {state_from}" in funding[EARLY][2]
    # anvil keeps the newest states: the probed floor lies inside that window, far above genesis
    assert head - KEPT_STATES - 2 <= state_from <= head - KEPT_STATES // 2, (head, state_from)
    assert failures == (0,)
    assert again.returncode == 0, again.stderr


UNSEEN = "zorg-7731: the hamsters that run this node are tired, come back after lunch"


def _buyer_on_base(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT address FROM funding WHERE chain_id = 8453 AND status = 'funded' "
                          "ORDER BY address LIMIT 1").fetchone()
    assert row is not None
    return str(row[0])


def test_an_unseen_error_for_one_address_is_recorded_and_retried(devnet: Devnet, analysed_db: Path,
                                                                 tmp_path: Path) -> None:
    victim = _buyer_on_base(analysed_db)

    def refuse_victim(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if request["method"] == "eth_getBalance" and request["params"][0] == victim:
            return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32099, "message": UNSEEN}}
        return response

    db = tmp_path / "one-bad.duckdb"
    with FaultProxy(devnet.urls[8453], rewrite=refuse_victim) as proxy:
        first = index_cli(proxy.url, db)
    assert first.returncode == 0, first.stderr
    _no_output_but_lines(first.stderr)
    assert "1 funding lookups failed and are retried next run" in first.stderr and "zorg-7731" in first.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        failed = con.execute("SELECT step, item, reason FROM enrichment_failures").fetchall()
        others = con.execute("SELECT count(*) FROM funding WHERE chain_id = 8453").fetchone()
        traced = con.execute("SELECT count(*) FROM funding WHERE address = ?", [victim]).fetchone()
    # its native-coin scan reads the same balances, so it fails too, for the same reason
    assert sorted((s, i) for s, i, _ in failed) == [("funding", victim), ("native", victim)]
    assert all(UNSEEN in reason for _, _, reason in failed)
    assert traced == (0,) and others is not None and others[0] > 1
    second = index_cli(devnet.urls[8453], db)
    assert second.returncode == 0, second.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM enrichment_failures").fetchone() == (0,)
        got = con.execute("SELECT * FROM funding WHERE chain_id = 8453 ORDER BY ALL").fetchall()
    with duckdb.connect(str(analysed_db), read_only=True) as con:
        want = con.execute("SELECT * FROM funding WHERE chain_id = 8453 ORDER BY ALL").fetchall()
    assert got == want


def test_an_endpoint_refusing_every_state_read_stops_with_one_line(devnet: Devnet, tmp_path: Path) -> None:
    def no_state(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if request["method"] == "eth_getBalance":
            return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32000, "message": UNSEEN}}
        return response

    db = tmp_path / "no-state.duckdb"
    with FaultProxy(devnet.urls[8453], rewrite=no_state) as proxy:
        done = index_cli(proxy.url, db)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and "serves no state" in lines[-1] and "--no-funding" in lines[-1]
    _no_output_but_lines(done.stderr)
    with duckdb.connect(str(db), read_only=True) as con:  # the logs indexed before the stop are kept
        assert con.execute("SELECT count(*) FROM coverage").fetchone() != (0,)
