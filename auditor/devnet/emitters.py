"""The compiled emitter contracts (contracts/artifacts.json) and the calldata that makes them emit events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from auditor.devnet.plan import Emit
from auditor.errors import DevnetError

ARTIFACTS = Path(__file__).resolve().parent / "contracts" / "artifacts.json"
_BATCH_SELECTOR = keccak(text="batch(bytes[])")[:4]


@dataclass(frozen=True)
class Emitter:
    key: str
    runtime_bytecode: str
    inputs: dict[str, tuple[str, ...]]   # event name -> argument types of its e_<event> function


@cache
def load_emitters() -> dict[str, Emitter]:
    """Emitters by `<marketplace>/<Contract>`, read once from artifacts.json."""
    try:
        raw = json.loads(ARTIFACTS.read_text())
    except (OSError, ValueError) as exc:
        raise DevnetError(f"cannot read {ARTIFACTS.name}: {exc} (rebuild: python tools/build_contracts.py)")\
            from exc
    out = {}
    for key, art in raw.items():
        inputs = {f["name"].removeprefix("e_"): tuple(i["type"] for i in f["inputs"])
                  for f in art["abi"] if f["name"].startswith("e_")}
        out[key] = Emitter(key, art["runtime_bytecode"], inputs)
    return out


def _call(e: Emit) -> bytes:
    emitter = load_emitters().get(e.contract)
    if emitter is None or e.event not in emitter.inputs:
        raise DevnetError(f"no emitter function for {e.contract} {e.event}")
    types = emitter.inputs[e.event]
    return keccak(text=f"e_{e.event}({','.join(types)})")[:4] + encode(list(types), list(e.args))


def calldata(emits: tuple[Emit, ...]) -> bytes:
    """Calldata emitting the events in order: one e_<event> call, or `batch` of them."""
    if len(emits) == 1:
        return _call(emits[0])
    return _BATCH_SELECTOR + encode(["bytes[]"], [[_call(e) for e in emits]])
