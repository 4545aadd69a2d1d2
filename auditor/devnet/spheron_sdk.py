"""The devnet's Spheron orders, encoded by Spheron's own SDK under node (node/spheron_orders.cjs), so the specs
on the devnet chain are byte for byte what a real tenant's `createDeployment` writes, and cannot drift from it.

A tenant writes an ICL document; the SDK turns it into the order's compressed spec. Every document the economy
can draw (service name x GPU model x GPUs per replica x replicas, plus the CPU-only one) is encoded in one node
run, the first time a spec is needed: the economy's random draws are unchanged, and the demo pays ~0.3 s once.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from functools import cache
from typing import Any

from auditor.devnet.actors import GPU_MODELS
from auditor.errors import DevnetError
from auditor.resources import PACKAGE_DIR

SCRIPT = PACKAGE_DIR / "devnet" / "node" / "spheron_orders.cjs"
NAMES = ("train", "infer", "vllm", "comfy", "jupyter", "finetune")
MODELS = GPU_MODELS   # Spheron's short names (nodejs/src/utils/gpu-config.ts)
PER_REPLICA = (1, 2, 4, 8)
REPLICAS = (1, 2, 3)
CPU_ONLY = ("web", None, 0, 2)
PLACEMENT = "westcoast"
NODE_TIMEOUT_S = 60
# The SDK (1.3.5, yamlToOrderDetails) looks a service's replica count up under the deployment's keys named
# after the placement's *fields* (attributes, pricing), not the placement's name, so a standard ICL's
# `count: N` never reaches the chain: every service is written with ReplicaCount 1. The devnet's truth is what
# the chain says; tests/devnet pin this, so an SDK that fixes it is noticed.
SDK_REPLICAS_WRITTEN = 1


def icl(name: str, model: str | None, per_replica: int, replicas: int) -> dict[str, Any]:
    """The ICL document (JSON is YAML) a tenant would write for one service: `replicas` copies, each with
    `per_replica` GPUs of `model` (none when model is None), CPU, memory and disk to match."""
    size = max(per_replica, 1)
    resources: dict[str, Any] = {"cpu": {"units": 4 * size}, "memory": {"size": f"{32 * size}Gi"},
                                 "storage": [{"size": "1Ti" if size >= 4 else "500Gi"}]}
    if model is not None:
        resources["gpu"] = {"units": per_replica, "attributes": {"vendor": {"nvidia": [{"model": model}]}}}
    return {
        "version": "1.0",
        "services": {name: {"image": f"ghcr.io/example/{name}:latest",
                            "expose": [{"port": 8888, "as": 8888, "to": [{"global": True}]}]}},
        "profiles": {"name": name, "duration": "24h", "mode": "provider", "tier": ["community"],
                     "compute": {name: {"resources": resources}},
                     "placement": {PLACEMENT: {"attributes": {"region": "us-central"},
                                               "pricing": {name: {"token": "USDC", "amount": 10}}}}},
        "deployment": {name: {PLACEMENT: {"profile": name, "count": replicas}}},
    }


def encode(documents: list[dict[str, Any]]) -> list[str]:
    """Each document's order spec, as the SDK writes it."""
    node = shutil.which("node")
    if node is None:
        raise DevnetError("node not found: the devnet encodes Spheron orders with Spheron's SDK under Node.js")
    try:
        done = subprocess.run([node, str(SCRIPT)], input=json.dumps(documents), capture_output=True, text=True,
                              timeout=NODE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise DevnetError(f"Spheron's SDK did not answer within {NODE_TIMEOUT_S}s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise DevnetError(f"Spheron's SDK failed (run npm install): {last}")
    answers = json.loads(done.stdout)
    bad = [a["error"] for a in answers if "error" in a]
    if bad or len(answers) != len(documents):
        raise DevnetError(f"Spheron's SDK refused a devnet order: {bad[:1] or 'wrong number of answers'}")
    return [str(a["spec"]) for a in answers]


@cache
def spec_table() -> dict[tuple[str, str | None, int, int], str]:
    keys: list[tuple[str, str | None, int, int]] = [
        *itertools.product(NAMES, MODELS, PER_REPLICA, REPLICAS), CPU_ONLY]
    return dict(zip(keys, encode([icl(*k) for k in keys]), strict=True))


def spheron_spec(name: str, model: str | None, per_replica: int, replicas: int) -> str:
    """The order spec the SDK writes for one service of `replicas` x `per_replica` GPUs of `model`."""
    return spec_table()[(name, model, per_replica, replicas)]


def cpu_only_spec() -> str:
    return spheron_spec(*CPU_ONLY)
