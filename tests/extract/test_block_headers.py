"""The blocks of fetched logs: one per block from the logs' own timestamps, and a block named under two hashes
refused, whether the logs come in block order (row against previous row) or not (grouped)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from auditor.errors import InvalidResponseError
from auditor.extract.logs import block_headers
from auditor.model import Block
from auditor.rpc.logs import log_table

HASH_A = "0x" + "aa" * 32
HASH_B = "0x" + "bb" * 32


def node_log(block: int, log_index: int, block_hash: str, timestamp: int = 1_700_000_000) -> dict[str, Any]:
    return {"address": "0x" + "11" * 20, "topics": ["0x" + "dd" * 32], "data": "0x",
            "blockNumber": hex(block), "blockHash": block_hash, "blockTimestamp": hex(timestamp + block),
            "transactionHash": "0x" + "ee" * 32, "transactionIndex": "0x0", "logIndex": hex(log_index),
            "removed": False}


def headers(logs: list[dict[str, Any]]) -> list[Block]:
    # every log has its timestamp: no header is asked for, so no client is needed
    return asyncio.run(block_headers(None, log_table(logs)))  # type: ignore[arg-type]


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 0, 2, 1]])
def test_one_block_per_block_number_with_its_time(order: list[int]) -> None:
    logs = [node_log(5, 0, HASH_A), node_log(5, 1, HASH_A), node_log(7, 0, HASH_B), node_log(9, 4, HASH_B)]
    assert headers([logs[i] for i in order]) == [Block(5, HASH_A, 1_700_000_005), Block(7, HASH_B, 1_700_000_007),
                                                 Block(9, HASH_B, 1_700_000_009)]


@pytest.mark.parametrize("logs", [
    [node_log(5, 0, HASH_A), node_log(5, 1, HASH_B)],                           # in order, adjacent
    [node_log(4, 0, HASH_A), node_log(5, 0, HASH_A), node_log(5, 1, HASH_A), node_log(5, 2, HASH_B)],
    [node_log(5, 0, HASH_A), node_log(6, 0, HASH_A), node_log(5, 1, HASH_B)],   # out of order
])
def test_a_block_under_two_hashes_is_refused(logs: list[dict[str, Any]]) -> None:
    with pytest.raises(InvalidResponseError, match="block 5 under different block hashes"):
        headers(logs)
