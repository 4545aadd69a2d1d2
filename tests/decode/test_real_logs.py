"""Real mainnet logs (tests/decode/fixtures/mainnet_logs.json, each with its public source: a block dump kept as
a test fixture in dlt-hub/dlt, and a provider's documented eth_getLogs answer on Avalanche) decode, through the
log table the indexer builds and into the stored rows, to exactly what eth-abi gives; the ERC-721 Transfer,
which shares ERC-20's topic0 with a fourth topic, is refused for the whole batch, never half-stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eth_abi.abi import decode as abi_decode

from auditor.decode.logs import decode_table
from auditor.errors import RpcError
from auditor.events import APPROVAL, TRANSFER, answer_updated
from auditor.rpc.logs import log_table
from tests.decode.logtables import stored

LOGS: list[dict[str, Any]] = json.loads((Path(__file__).parent / "fixtures" / "mainnet_logs.json").read_text())
SPECS = {"Transfer": TRANSFER, "Approval": APPROVAL, "AnswerUpdated": answer_updated()}


def _of(kind: str) -> list[dict[str, Any]]:
    return [e for e in LOGS if e["event"].startswith(kind)]


def _expected(spec_name: str, log: dict[str, Any]) -> dict[str, str]:
    """The values from eth-abi alone: indexed parameters from the topics, the rest from data."""
    words = [bytes.fromhex(t[2:]) for t in log["topics"][1:]]
    data = bytes.fromhex(log["data"][2:])
    if spec_name == "AnswerUpdated":   # int256 indexed current, uint256 indexed roundId, uint256 updatedAt
        return {"current": str(abi_decode(["int256"], words[0])[0]),
                "roundId": str(abi_decode(["uint256"], words[1])[0]),
                "updatedAt": str(abi_decode(["uint256"], data)[0])}
    first, second = ("from", "to") if spec_name == "Transfer" else ("owner", "spender")
    return {first: abi_decode(["address"], words[0])[0].lower(), second: abi_decode(["address"], words[1])[0].lower(),
            "value": str(abi_decode(["uint256"], data)[0])}


@pytest.mark.parametrize(("kind", "spec_name"), [
    ("ERC20 Transfer", "Transfer"), ("ERC20 Approval", "Approval"), ("AnswerUpdated", "AnswerUpdated")])
def test_real_logs_decode_as_eth_abi_does(kind: str, spec_name: str) -> None:
    entries = _of(kind)
    assert len(entries) >= 2
    spec = SPECS[spec_name]
    rows = stored(1, decode_table(1, spec, log_table([e["log"] for e in entries])))
    assert len(rows) == len(entries)
    by_key = {(int(r["block_number"]), int(r["log_index"])): r for r in rows}
    for entry in entries:
        log = entry["log"]
        row = by_key[(int(log["blockNumber"], 16), int(log["logIndex"], 16))]
        expected = _expected(spec_name, log)
        assert {k: row[k] for k in expected} == expected, entry["source"]
        assert row["tx_hash"] == log["transactionHash"] and row["contract"] == log["address"].lower()


def test_chainlink_updated_at_is_the_block_time() -> None:
    """A fact of every AnswerUpdated here (the aggregator stamps block.timestamp)."""
    for entry in _of("AnswerUpdated"):
        log = entry["log"]
        assert int(_expected("AnswerUpdated", log)["updatedAt"]) == int(log["blockTimestamp"], 16)


def test_an_erc721_transfer_is_refused_not_half_stored() -> None:
    nft = _of("ERC721 Transfer")
    assert nft and all(len(e["log"]["topics"]) == 4 for e in nft)
    with pytest.raises(RpcError, match="topics"):
        decode_table(1, TRANSFER, log_table([e["log"] for e in nft]))
