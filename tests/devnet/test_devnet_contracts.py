"""The committed emitter sources and artifacts are current with contracts_abi/ (no solc needed to check)."""

from __future__ import annotations

import json

import pytest

from auditor.devnet.contracts.build import (
    ABI_DIR,
    ARTIFACTS,
    CONTRACTS,
    HAND_WRITTEN,
    HERE,
    emitter_source,
    hand_written_source,
)
from auditor.devnet.emitters import load_emitters


@pytest.mark.parametrize("key", CONTRACTS)
def test_source_matches_abi(key: str) -> None:
    entries = json.loads((ABI_DIR / f"{key}.json").read_text())
    assert (HERE / f"{key}.sol").read_text() == emitter_source(key, entries), \
        "stale emitter: run python -m auditor.devnet.contracts.build"


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
    assert (HERE / f"{key}.sol").read_text() == hand_written_source(key), \
        "stale contract: run python -m auditor.devnet.contracts.build"
    emitter = load_emitters()[key]
    assert emitter.inputs == {} and len(emitter.runtime_bytecode) > 100


def test_feed_proxy_getters() -> None:
    raw = json.loads(ARTIFACTS.read_text())["chainlink/FeedProxy"]
    getters = {f["name"]: ([i["type"] for i in f["inputs"]], [o["type"] for o in f["outputs"]]) for f in raw["abi"]}
    assert getters == {"phaseId": ([], ["uint16"]), "phaseAggregators": (["uint16"], ["address"])}
