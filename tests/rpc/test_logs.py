"""eth_getLogs answers to log tables: Arrow's parse equals the general path's, malformed logs are RpcErrors, and
logs that were not asked for are rejected."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from auditor.errors import InvalidResponseError, RpcError
from auditor.model import BlockRange
from auditor.rpc.client import BodyParser, RpcStats
from auditor.rpc.eth import get_logs
from auditor.rpc.logs import log_table, table_from_body

CONTRACT = "0x" + "11" * 20
TOPIC0 = bytes.fromhex("dd" * 32)
TOPIC1 = bytes.fromhex("00" * 12 + "ab" * 20)


def node_log(block: int = 5, log_index: int = 0, **changes: Any) -> dict[str, Any]:
    log = {"address": CONTRACT.upper().replace("0X", "0x"), "topics": ["0x" + TOPIC0.hex().upper(),
                                                                      "0x" + TOPIC1.hex()],
           "data": "0x" + "00" * 31 + "2A", "blockNumber": hex(block), "blockHash": "0x" + "CC" * 32,
           "blockTimestamp": "0x6553f100", "transactionHash": "0x" + "EE" * 32, "transactionIndex": "0x1",
           "logIndex": hex(log_index), "removed": False}
    log.update(changes)
    return {k: v for k, v in log.items() if v is not None}


def body(result: Any, request_id: int = 3) -> bytes:
    return orjson.dumps({"jsonrpc": "2.0", "id": request_id, "result": result})


def test_arrow_parse_equals_the_general_path() -> None:
    logs = [node_log(5, 0), node_log(5, 1, blockTimestamp=None), node_log(6, 0, removed=True),
            node_log(7, 2, topics=[])]
    fast = table_from_body(body(logs), 3)
    assert fast.equals(log_table(logs))
    assert fast.num_rows == 3
    first = fast.to_pylist()[0]
    assert first == {"address": CONTRACT, "topics": ["0x" + TOPIC0.hex(), "0x" + TOPIC1.hex()],
                     "data": "0x" + "00" * 31 + "2a", "block_number": 5, "block_hash": "0x" + "cc" * 32,
                     "block_time": 0x6553F100, "tx_hash": "0x" + "ee" * 32, "tx_index": 1, "log_index": 0}
    assert fast["block_time"].to_pylist() == [0x6553F100, None, 0x6553F100]


@pytest.mark.parametrize("answer", [
    orjson.dumps({"jsonrpc": "2.0", "id": 3, "error": {"code": -32005, "message": "too many"}}),
    body([], request_id=4),
    body(None),
    body({"not": "a list"}),
    body([node_log(blockNumber=5)]),
    b'{"jsonrpc": "2.0", "id": 3, "result": [',
    b"<html>",
])
def test_other_answers_take_the_general_path(answer: bytes) -> None:
    assert table_from_body(answer, 3) is None


@pytest.mark.parametrize("log", [
    node_log(blockNumber=None), node_log(transactionHash=None), node_log(blockNumber="0xzz"),
    node_log(logIndex=5), node_log(data="0x123"), node_log(data="0xgg"), node_log(topics=["0x12"]),
    node_log(topics=[None]), node_log(topics="0x" + "dd" * 32), "a log", None,
])
def test_malformed_logs_are_rpc_errors(log: Any) -> None:
    with pytest.raises(RpcError, match="malformed log"):
        log_table([log])


class FakeNode:
    """Answers every eth_getLogs with the same logs, through the Arrow parse like a real endpoint."""

    where = "fake"
    stats = RpcStats()
    in_flight = 1

    def __init__(self, logs: list[dict[str, Any]]) -> None:
        self.logs = logs

    async def call(self, method: str, params: list[Any], *, retries: int | None = None,
                   parse: BodyParser | None = None, budget: float | None = None) -> Any:
        assert method == "eth_getLogs" and parse is not None
        return parse(body(self.logs, 1), 1)

    async def batch(self, calls: list[tuple[str, list[Any]]], *, budget: float | None = None) -> list[Any]:
        raise AssertionError


def fetch(logs: list[dict[str, Any]], topic1s: list[bytes] | None = None) -> int:
    table = asyncio.run(get_logs(FakeNode(logs), [CONTRACT], [TOPIC0], BlockRange(5, 9), topic1s))
    return int(table.num_rows)


def test_logs_asked_for_pass() -> None:
    assert fetch([node_log(5), node_log(9, 1)], [TOPIC1]) == 2


@pytest.mark.parametrize(("log", "topic1s"), [
    (node_log(10), None), (node_log(4), None), (node_log(address="0x" + "22" * 20), None),
    (node_log(topics=["0x" + "de" * 32]), None), (node_log(topics=[]), None),
    (node_log(topics=["0x" + TOPIC0.hex()]), [TOPIC1]), (node_log(), [bytes(32)]),
])
def test_logs_not_asked_for_are_rejected(log: dict[str, Any], topic1s: list[bytes] | None) -> None:
    with pytest.raises(InvalidResponseError, match="not asked for"):
        fetch([node_log(5), log], topic1s)
