"""The committed emitter sources and artifacts are current with contracts_abi/ (no solc needed to check)."""

from __future__ import annotations

import json

import pytest

from auditor.devnet.contracts.build import ABI_DIR, CONTRACTS, HERE, emitter_source
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
