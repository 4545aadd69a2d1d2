"""The committed emitter sources and artifacts are current with contracts_abi/ (no solc needed to check)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from auditor.devnet.emitters import load_emitters
from tools.build_contracts import ABI_DIR, ARTIFACTS, CONTRACTS, HAND_WRITTEN, OUT, emitter_source, hand_written_source


@pytest.mark.parametrize("key", CONTRACTS)
def test_source_matches_abi(key: str) -> None:
    entries = json.loads((ABI_DIR / f"{key}.json").read_text())
    assert (OUT / f"{key}.sol").read_text() == emitter_source(key, entries), \
        "stale emitter: run python tools/build_contracts.py"


@pytest.mark.parametrize("key", CONTRACTS)
def test_artifact_has_a_function_per_event(key: str) -> None:
    entries = json.loads((ABI_DIR / f"{key}.json").read_text())
    plain = {e["name"]: tuple(i["type"] for i in e["inputs"]) for e in entries
             if e["type"] == "event" and not any(i["type"].startswith("tuple") for i in e["inputs"])}
    emitter = load_emitters()[key]
    assert emitter.inputs == plain
    assert emitter.runtime_bytecode.startswith("0x") and len(emitter.runtime_bytecode) > 200


@pytest.mark.parametrize("key", HAND_WRITTEN)
def test_hand_written_source_is_current(key: str) -> None:
    assert (OUT / f"{key}.sol").read_text() == hand_written_source(key), \
        "stale contract: run python tools/build_contracts.py"
    emitter = load_emitters()[key]
    assert emitter.inputs == {} and len(emitter.runtime_bytecode) > 100


def test_feed_proxy_getters() -> None:
    raw = json.loads(ARTIFACTS.read_text())["chainlink/FeedProxy"]
    getters = {f["name"]: ([i["type"] for i in f["inputs"]], [o["type"] for o in f["outputs"]]) for f in raw["abi"]}
    assert getters == {"phaseId": ([], ["uint16"]), "phaseAggregators": (["uint16"], ["address"])}


def _abi_type(param: dict[str, Any]) -> str:
    if param["type"].startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in param["components"])
        return f"({inner}){param['type'].removeprefix('tuple')}"
    return str(param["type"])


def test_poco_diamond_answers_view_deal_with_the_real_abi() -> None:
    """viewDeal(bytes32) returns IexecLibCore_v5.Deal with the real diamond's ABI type."""
    deal = ("((address,address,uint256),(address,address,uint256),(address,address,uint256),uint256,uint256,bytes32,"
            "address,address,address,string,uint256,uint256,uint256,uint256,uint256,address)")
    raw = json.loads(ARTIFACTS.read_text())["iexec/PocoDiamond"]
    view = next(f for f in raw["abi"] if f["name"] == "viewDeal")
    assert ([_abi_type(i) for i in view["inputs"]], [_abi_type(o) for o in view["outputs"]]) == (["bytes32"], [deal])
    assert view["stateMutability"] == "view"
    assert {f["name"] for f in raw["abi"] if not f["name"].startswith("e_")} == {"batch", "viewDeal"}
