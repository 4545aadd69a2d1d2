"""Native-coin transfer discovery on a real anvil: a planted economy of plain sends and receipts, a value
forwarding contract (an internal credit), a reverted payment, a zero-value tx, a labelled faucet and a hub
beyond the cap. Every method (anvil serves trace_filter and the ots API, which is asked for; a fault proxy answering
trace_filter "method not found" forces state bisection) must find exactly what was planted, an interrupted
history (two runs) must equal one run, and one address's failure is recorded and retried."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.defaults import NATIVE_MAX_CHANGES
from auditor.devnet.anvil import Anvil
from auditor.devnet.emitters import calldata, load_emitters
from auditor.devnet.plan import Emit
from auditor.labels import import_labels
from auditor.store.db import open_db
from auditor.sync import IndexRequest, run_index
from tests.devnet.chainrpc import rpc
from tests.faultproxy import FaultProxy
from tests.test_reorg import MORPHEUS, PROVIDER

pytestmark = pytest.mark.slow

GENESIS_BLOCK, GENESIS_TIME = 5_000, 1_790_000_000
A = {name: "0x" + byte * 20 for name, byte in (
    ("faucet", "fa"), ("g", "a9"), ("f", "af"), ("b1", "b1"), ("b2", "b2"), ("p", "0e"), ("p2", "e2"),
    ("d", "de"), ("x", "ee"), ("y", "99"), ("z", "22"), ("h", "4b"), ("c", "cc"), ("revert", "bd"))}
FORWARDER = "0x600060006000600034" + "73" + A["b2"][2:] + "5af100"   # CALL(gas, b2, callvalue, 0, 0, 0, 0)
REVERTER = "0x60006000fd"
NO_TRACES = "method not found"
Planted = tuple[int, str | None, str | None, str, int, str]   # block, tx, from, to, value, kind


class Chain:
    def __init__(self, url: str) -> None:
        self.url = url
        self.clock = GENESIS_TIME
        self.pending: list[tuple[str, str, str, int]] = []   # tx hash, from, to, value
        self.planted: list[Planted] = []

    def send(self, sender: str, to: str, value: int, data: str = "0x") -> str:
        h = str(rpc(self.url, "eth_sendTransaction", {"from": sender, "to": to, "value": hex(value),
                                                      "data": data, "gas": hex(1_000_000),
                                                      "gasPrice": "0x0"}))
        self.pending.append((h, sender, to, value))
        return h

    def rent(self, user: str, tag: int) -> None:
        data = calldata((Emit("morpheus/Diamond", "SessionOpened", (user, bytes([tag]) * 32, PROVIDER)),))
        self.send(user, MORPHEUS, 0, "0x" + data.hex())

    def mine(self, internal: tuple[str, int] | None = None) -> int:
        """Mine the pending txs into one block; plants the successful value transfers (and `internal`)."""
        self.clock += 12
        rpc(self.url, "evm_mine", self.clock)
        block = int(rpc(self.url, "eth_blockNumber"), 16)
        for h, sender, to, value in self.pending:
            ok = int(rpc(self.url, "eth_getTransactionReceipt", h)["status"], 16) == 1
            if ok and value:
                self.planted.append((block, h, sender, to, value, "tx"))
                if internal and to == A["c"]:
                    self.planted.append((block, h, A["c"], internal[0], internal[1], "internal"))
        self.pending = []
        return block


def first_half(chain: Chain) -> None:
    """A funding tree faucet -> g -> f -> b1, receipts and payments of b1, a deposit d forwarding to x."""
    rpc(chain.url, "anvil_setCode", MORPHEUS, load_emitters()["morpheus/Diamond"].runtime_bytecode)
    rpc(chain.url, "anvil_setCode", A["c"], FORWARDER)
    rpc(chain.url, "anvil_setCode", A["revert"], REVERTER)
    rpc(chain.url, "anvil_setBalance", A["faucet"], hex(10**24))
    chain.mine()
    chain.send(A["faucet"], A["g"], 5 * 10**18)
    chain.send(A["faucet"], A["p"], 10**18)
    chain.mine()
    chain.send(A["g"], A["f"], 2 * 10**18)
    chain.mine()
    chain.send(A["f"], A["b1"], 10**18)
    chain.mine()
    chain.rent(A["b1"], 1)
    chain.send(A["p"], A["b1"], 3 * 10**17)
    chain.mine()
    chain.send(A["b1"], A["d"], 4 * 10**17)
    chain.send(A["b1"], A["y"], 0)                  # zero value: no row
    chain.send(A["b1"], A["revert"], 10**17)        # reverted: moves nothing
    chain.mine()
    chain.send(A["d"], A["x"], 4 * 10**17)
    chain.mine()


def second_half(chain: Chain) -> None:
    """b2 rents, paid by a hub beyond the cap and credited internally through the forwarder; b1 pays d again."""
    chain.send(A["faucet"], A["p2"], 10**18)
    chain.send(A["faucet"], A["h"], 10**20)
    chain.mine()
    for _ in range(NATIVE_MAX_CHANGES + 1):
        chain.send(A["h"], A["z"], 1)
    chain.send(A["h"], A["b2"], 7 * 10**16)
    chain.mine()
    chain.rent(A["b2"], 2)
    chain.send(A["p2"], A["c"], 6 * 10**16)
    chain.mine(internal=(A["b2"], 6 * 10**16))
    chain.send(A["b1"], A["d"], 10**17)
    chain.mine()


def label_faucet(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([("chain_id", "address", "category", "label"), (8453, A["faucet"], "faucet", "t")])
    with open_db(db, create=True) as con:
        import_labels(con, path)


def index(url: str, db: Path, method: str = "auto") -> None:
    asyncio.run(run_index(IndexRequest(rpc_urls=(url,), db_path=db, confirmations=0, native_method=method)))


def refusing(*prefixes: str) -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    """A fault proxy's rewrite answering the methods with these prefixes as a node without them does."""
    def rewrite(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if request["method"].startswith(prefixes):
            return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": NO_TRACES}}
        return response
    return rewrite


no_traces = refusing("trace_", "ots_")


def read(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def transfers(db: Path) -> list[Planted]:
    return [(b, h, f, t, int(v), k) for b, h, f, t, v, k in read(
        db, 'SELECT block_number, tx_hash, "from", "to", value, kind FROM native_transfer ORDER BY ALL')]


def unattributed(rows: list[Planted]) -> list[Planted]:
    """Rows as bisection sees them: an internal credit's sender and tx are unknown."""
    return sorted((b, None, None, t, v, k) if k == "internal" else (b, h, f, t, v, k) for b, h, f, t, v, k in rows)


def test_every_method_finds_what_was_planted_and_two_runs_equal_one(tmp_path: Path) -> None:
    # auto finds trace_filter; ots is asked for; auto on a node without trace_filter (nor ots) bisects
    methods = {"trace": refusing(), "ots": refusing("trace_"), "bisect": refusing("trace_", "ots_")}
    asked = {"trace": "auto", "ots": "ots", "bisect": "auto"}
    with Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, tmp_path / "anvil.log") as node, ExitStack() as stack:
        proxies = {m: stack.enter_context(FaultProxy(node.url, rewrite=r)) for m, r in methods.items()}
        chain = Chain(node.url)
        first_half(chain)
        dbs = {f"{m}{runs}": tmp_path / f"{m}{runs}.duckdb" for m in methods for runs in ("", "_twice")}
        for db in dbs.values():
            label_faucet(db, tmp_path)
        for m, proxy in proxies.items():
            index(proxy.url, dbs[f"{m}_twice"], asked[m])
        second_half(chain)
        for m, proxy in proxies.items():
            index(proxy.url, dbs[f"{m}_twice"], asked[m])
            index(proxy.url, dbs[m], asked[m])
    # every planted transfer touching a scanned address; none of the hub's own, nor of p2 (never scanned)
    scanned = {A[n] for n in ("b1", "b2", "f", "g", "p", "d", "x")}
    want = sorted(p for p in chain.planted if scanned & {p[2], p[3]})
    assert len(want) == 10   # 7 plain transfers before the first run, then h -> b2, c -> b2 inside p2's tx, b1 -> d
    assert transfers(dbs["trace"]) == want
    assert transfers(dbs["ots"]) == want
    assert transfers(dbs["bisect"]) == unattributed(want)
    assert (A["c"], A["b2"]) in {(p[2], p[3]) for p in want if p[5] == "internal"}
    scans = {a: (s, m, d) for a, s, m, d in read(dbs["trace"],
                                                 "SELECT address, status, method, depth FROM native_scan")}
    assert scans == {A["b1"]: ("scanned", "trace", 0), A["b2"]: ("scanned", "trace", 0),
                     A["f"]: ("scanned", "trace", 1), A["p"]: ("scanned", "trace", 1),
                     A["d"]: ("scanned", "trace", 1), A["h"]: ("hub", "trace", 1),
                     A["g"]: ("scanned", "trace", 2), A["x"]: ("scanned", "trace", 2)}
    (hub,) = read(dbs["bisect"], f"SELECT status, nonce, reason FROM native_scan WHERE address = '{A['h']}'")
    assert hub[:2] == ("hub", NATIVE_MAX_CHANGES + 2) and "above" in hub[2]
    # the funding tree: b1 <- f <- g <- faucet, three levels traced; the faucet is a labelled service
    funders = dict(read(dbs["trace"], "SELECT address, funder FROM funding WHERE status = 'funded'"))
    assert (funders[A["b1"]], funders[A["f"]], funders[A["g"]]) == (A["f"], A["g"], A["faucet"])
    assert A["faucet"] not in funders
    assert {m for (m,) in read(dbs["ots"], "SELECT DISTINCT method FROM native_scan")} == {"ots"}
    assert {m for (m,) in read(dbs["bisect"], "SELECT DISTINCT method FROM native_scan")} == {"bisect"}
    for method in methods:
        for table in ("native_transfer", "native_scan", "funding", "address_code"):
            sql = f"SELECT * FROM {table} ORDER BY ALL"
            assert read(dbs[f"{method}_twice"], sql) == read(dbs[method], sql), (method, table)


def test_a_failing_address_is_recorded_and_retried(tmp_path: Path) -> None:
    def refuse_d(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if request["method"] == "eth_getBalance" and request["params"][0] == A["d"]:
            return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32099, "message": "d is cursed"}}
        return no_traces(request, response)

    with Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, tmp_path / "anvil.log") as node:
        chain = Chain(node.url)
        first_half(chain)
        second_half(chain)
        db, clean = tmp_path / "retried.duckdb", tmp_path / "clean.duckdb"
        for path in (db, clean):
            label_faucet(path, tmp_path)
        with FaultProxy(node.url, rewrite=refuse_d) as faulty, FaultProxy(node.url, rewrite=no_traces) as proxy:
            index(faulty.url, db)
            failed = read(db, "SELECT step, item, reason FROM enrichment_failures")
            scanned = {a for (a,) in read(db, "SELECT address FROM native_scan")}
            index(proxy.url, db)
            index(proxy.url, clean)
    assert [(s, i) for s, i, _ in failed] == [("native", A["d"])] and "d is cursed" in failed[0][2]
    assert A["d"] not in scanned and A["x"] not in scanned and A["b1"] in scanned   # x is only reached through d
    assert read(db, "SELECT count(*) FROM enrichment_failures") == [(0,)]
    for table in ("native_transfer", "native_scan"):
        assert read(db, f"SELECT * FROM {table} ORDER BY ALL") == read(clean, f"SELECT * FROM {table} ORDER BY ALL")


def test_a_value_beyond_hugeint_fails_the_address_that_read_it(tmp_path: Path) -> None:
    with Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, tmp_path / "anvil.log") as node:
        chain = Chain(node.url)
        first_half(chain)
        (payment,) = [h for _, h, f, t, _, _ in chain.planted if (f, t) == (A["b1"], A["d"])]

        def inflate(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
            block = response.get("result")
            if request["method"] == "eth_getBlockByNumber" and isinstance(block, dict):
                for tx in block.get("transactions", []):
                    if isinstance(tx, dict) and tx.get("hash") == payment:
                        tx["value"] = hex(2**127)   # a uint256 the node may send, one above HUGEINT
            return no_traces(request, response)

        db = tmp_path / "huge.duckdb"
        label_faucet(db, tmp_path)
        with FaultProxy(node.url, rewrite=inflate) as proxy:
            index(proxy.url, db)
    failed = read(db, "SELECT step, item, reason FROM enrichment_failures ORDER BY ALL")
    assert [(s, i) for s, i, _ in failed] == [("native", A["b1"])] and "above the largest" in failed[0][2]
    assert read(db, f"SELECT count(*) FROM native_transfer WHERE tx_hash = '{payment}'") == [(0,)]
    # b1's funder is reached through the funding table; d and p only through b1's transfers, so they wait
    scanned = {a for (a,) in read(db, "SELECT address FROM native_scan WHERE status = 'scanned'")}
    assert A["f"] in scanned and not scanned & {A["b1"], A["d"], A["p"]}


def test_an_address_that_grows_into_a_hub_leaves_what_one_run_leaves(tmp_path: Path) -> None:
    half = NATIVE_MAX_CHANGES // 2 + 1
    with Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, tmp_path / "anvil.log") as node:
        chain = Chain(node.url)
        first_half(chain)
        chain.send(A["faucet"], A["h"], 10**20)
        chain.mine()
        for _ in range(half):
            chain.send(A["h"], A["z"], 1)
        chain.send(A["h"], A["b1"], 5)
        chain.mine()
        twice, once = tmp_path / "twice.duckdb", tmp_path / "once.duckdb"
        for db in (twice, once):
            label_faucet(db, tmp_path)
        index(node.url, twice)
        before = dict(read(twice, "SELECT address, status FROM native_scan"))
        for _ in range(half):
            chain.send(A["h"], A["z"], 1)
        chain.mine()
        index(node.url, twice)
        index(node.url, once)
    assert before[A["h"]] == "scanned" and before[A["z"]] == "scanned"   # z was reached through h
    after = dict(read(once, "SELECT address, status FROM native_scan"))
    assert after[A["h"]] == "hub" and A["z"] not in after
    for table in ("native_transfer", "native_scan"):
        assert read(twice, f"SELECT * FROM {table} ORDER BY ALL") == read(once, f"SELECT * FROM {table} ORDER BY ALL")
