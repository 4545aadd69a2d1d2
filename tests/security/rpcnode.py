"""A bare anvil with one marketplace contract and a few sessions, for the hostile-RPC tests: indexing it takes
a second, so each attack gets its own run through its own fault proxy."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.devnet.anvil import Anvil
from auditor.devnet.emitters import calldata, load_emitters
from auditor.devnet.plan import Emit
from auditor.sync import ChainSummary, IndexRequest, run_index
from tests.devnet.chainrpc import rpc

MORPHEUS = "0x6abe1d282f72b474e54527d93b979a4f64d3030a"
PROVIDER = "0x" + "be" * 20
USER = "0x" + "01" * 20
FUNDER = "0x" + "f1" * 20
GENESIS_BLOCK, GENESIS_TIME = 30_000_000, 1_794_700_800
SESSIONS = 4


@contextlib.contextmanager
def morpheus_node(log: Path) -> Iterator[str]:
    """A Base anvil: USER funded by FUNDER, then SESSIONS Morpheus sessions, one per block."""
    with Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, log) as node:
        url = node.url
        rpc(url, "anvil_setCode", MORPHEUS, load_emitters()["morpheus/Diamond"].runtime_bytecode)
        rpc(url, "anvil_setBalance", FUNDER, hex(10**20))
        rpc(url, "eth_sendTransaction", {"from": FUNDER, "to": USER, "value": hex(10**17), "gas": hex(21000)})
        rpc(url, "evm_mine", GENESIS_TIME + 12)
        for i in range(SESSIONS):
            data = calldata((Emit("morpheus/Diamond", "SessionOpened", (USER, bytes([1, i]) * 16, PROVIDER)),))
            rpc(url, "eth_sendTransaction", {"from": USER, "to": MORPHEUS, "data": "0x" + data.hex(),
                                             "gas": hex(10**6)})
            rpc(url, "evm_mine", GENESIS_TIME + 24 + 12 * i)
        yield url


def index(url: str, db: Path, **kwargs: object) -> ChainSummary:
    (summary,) = asyncio.run(run_index(IndexRequest(rpc_urls=(url,), db_path=db, confirmations=0,
                                                    **kwargs)))  # type: ignore[arg-type]
    return summary


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`auditor <args>` in-process: its exit code and its stderr."""
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    code = exit_.value.code
    return code if isinstance(code, int) else 1, capsys.readouterr().err
