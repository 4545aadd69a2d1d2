"""Reorgs on a real anvil: blocks already indexed are replaced; the next run rolls back to the fork point and
re-indexes, ending identical to a fresh index of the new chain. A bare Base node with the one contract the
branches use (Morpheus's, its emitter placed at the real address) is all it needs."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.devnet.anvil import Anvil
from auditor.devnet.emitters import calldata, load_emitters
from auditor.devnet.plan import Emit
from auditor.sync import IndexRequest, run_index
from tests.devnet.chainrpc import rpc

MORPHEUS = "0x6abe1d282f72b474e54527d93b979a4f64d3030a"
PROVIDER = "0x" + "be" * 20
GENESIS_BLOCK, GENESIS_TIME = 30_000_000, 1_794_700_800
AFTER_DEVNET = 1_794_787_200  # a day after genesis




def play_branch(url: str, funder: str, tag: int, blocks: int) -> None:
    """`blocks` new blocks: a new user funded by `funder`, then one session per block."""
    user = "0x" + f"{tag:02x}" * 20
    rpc(url, "anvil_setBalance", funder, hex(10**20))
    rpc(url, "eth_sendTransaction", {"from": funder, "to": user, "value": hex(10**17), "gas": hex(21000)})
    rpc(url, "evm_mine", AFTER_DEVNET + 60 * tag)
    for i in range(blocks - 1):
        data = calldata((Emit("morpheus/Diamond", "SessionOpened", (user, bytes([tag, i]) * 16, PROVIDER)),))
        rpc(url, "eth_sendTransaction", {"from": user, "to": MORPHEUS, "data": "0x" + data.hex(), "gas": hex(10**6)})
        rpc(url, "evm_mine", AFTER_DEVNET + 60 * tag + 12 * (i + 1))


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE "
                                           "table_schema = 'main' AND table_name <> 'chains' ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in names}
    finally:
        con.close()


def index(url: str, db: Path) -> int:
    (summary,) = asyncio.run(run_index(IndexRequest(rpc_urls=(url,), db_path=db, confirmations=0)))
    return summary.reorg_depth


@pytest.mark.parametrize("depth", [3, 40])
def test_reorg_rolls_back_and_reindexes(tmp_path: Path, depth: int) -> None:
    with Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, tmp_path / "anvil.log") as node:
        url = node.url
        rpc(url, "anvil_setCode", MORPHEUS, load_emitters()["morpheus/Diamond"].runtime_bytecode)
        rpc(url, "evm_mine", GENESIS_TIME + 12)
        snapshot = rpc(url, "evm_snapshot")
        play_branch(url, "0x" + "f1" * 20, tag=1, blocks=depth)
        db = tmp_path / "reorged.duckdb"
        assert index(url, db) == 0
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT funder FROM funding WHERE address = $a", {"a": "0x" + "01" * 20}
                               ).fetchall() == [("0x" + "f1" * 20,)]
        assert rpc(url, "evm_revert", snapshot) is True
        play_branch(url, "0x" + "f2" * 20, tag=2, blocks=depth + 1)
        # rolled back from the newest stored block to the highest stored block still on the chain, which
        # may sit a few blocks below the true fork (blocks without events are not stored)
        assert depth <= index(url, db) < depth + 5
        fresh = tmp_path / "fresh.duckdb"
        index(url, fresh)
    got, want = tables(db), tables(fresh)
    assert got.keys() == want.keys()
    for name in want:
        assert got[name] == want[name], name
    users = {r[7] for r in want["morpheus_session_opened"]}
    assert "0x" + "02" * 20 in users and "0x" + "01" * 20 not in users
