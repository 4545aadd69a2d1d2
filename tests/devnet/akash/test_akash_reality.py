"""The endpoint's answers against real ones: the structure of a captured mainnet leases list, the compiled
protos of PyPI `akash` (market v1beta4, deployment v1beta3, provider v1beta3) and the SDL GPU grammar."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from akash.proto.akash.deployment.v1beta3 import groupspec_pb2
from akash.proto.akash.market.v1beta4 import lease_pb2
from akash.proto.akash.market.v1beta4 import query_pb2 as market_v1beta4
from akash.proto.akash.provider.v1beta3 import query_pb2 as provider_v1beta3
from google.protobuf import json_format
from google.protobuf.message import Message

from tests.devnet.akash.conftest import Get

REAL_LEASES = Path(__file__).parent / "fixtures" / "leases_list_v1beta5.json"
# The GPU part of chain-sdk testdata/sdl/output-fixtures/v2.0/gpu-basic/group-specs.json, an official SDL parser
# output, as the project's reference notes (shared/reference/akash/README.md) quote it.
SDL_GPU = {"units": {"val": "1"}, "attributes": [{"key": "vendor/nvidia/model/rtx3080", "value": "true"}]}
# chain-sdk go/sdl/gpu.go: vendor/<vendor>/model/<model>[/ram/<size>][/interface/<pcie|sxm>], value "true"
GPU_KEY = re.compile(r"^vendor/nvidia/model/(\*|[a-z0-9]+)(/ram/\d+Gi)?(/interface/(pcie|sxm))?$")


def structure(value: Any) -> Any:
    """Keys at every level and JSON types; a list is described by its first element."""
    if isinstance(value, dict):
        return {key: structure(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [structure(value[0])] if value else []
    return type(value).__name__


def test_leases_list_has_the_structure_of_the_real_answer(get: Get) -> None:
    real = json.loads(REAL_LEASES.read_text())
    for state in ("active", "closed", "insufficient_funds"):
        status, served = get("/akash/market/v1beta5/leases/list",
                             {"pagination.limit": 1, "pagination.count_total": "true", "filters.state": state})
        assert status == 200 and len(served["leases"]) == 1, state
        assert structure(served) == structure(real), state


def test_the_structure_check_catches_a_difference(get: Get) -> None:
    _, served = get("/akash/market/v1beta5/leases/list", {"pagination.limit": 1, "pagination.count_total": "true"})
    served["leases"][0]["lease"]["id"]["gseq"] = "1"
    assert structure(served) != structure(json.loads(REAL_LEASES.read_text()))


def as_wire_bytes(value: Any) -> Any:
    """ResourceValue.val is `bytes` with gogoproto customtype math.Int: the gateway writes the Int as its decimal
    string, and its wire bytes are that same text (math.Int.Marshal), which standard protobuf JSON writes as
    base64. Everything else is left as served."""
    if isinstance(value, dict):
        return {k: base64.b64encode(v.encode()).decode() if k == "val" and isinstance(v, str) else as_wire_bytes(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [as_wire_bytes(item) for item in value]
    return value


def _parse(body: dict[str, Any], message: Message) -> Message:
    return json_format.Parse(json.dumps(as_wire_bytes(body)), message, ignore_unknown_fields=False)


@pytest.mark.parametrize(("path", "message", "key"), [
    ("/akash/market/v1beta4/leases/list", market_v1beta4.QueryLeasesResponse, "leases"),
    ("/akash/market/v1beta4/bids/list", market_v1beta4.QueryBidsResponse, "bids"),
    ("/akash/market/v1beta4/orders/list", market_v1beta4.QueryOrdersResponse, "orders"),
    ("/akash/provider/v1beta4/providers", provider_v1beta3.QueryProvidersResponse, "providers"),
])
def test_v1beta4_answers_parse_into_the_compiled_protos(get: Get, path: str, message: type[Message], key: str) -> None:
    status, body = get(path, {"pagination.limit": 1000})
    assert status == 200 and body[key]
    parsed = _parse(body, message())
    assert len(getattr(parsed, key)) == len(body[key])


def test_v1beta4_lease_values_survive_the_protos(get: Get) -> None:
    _, body = get("/akash/market/v1beta4/leases/list", {"filters.state": "closed", "pagination.limit": 1})
    lease = _parse(body, market_v1beta4.QueryLeasesResponse()).leases[0].lease
    served = body["leases"][0]["lease"]
    assert lease.lease_id.dseq == int(served["lease_id"]["dseq"]) and lease.closed_on == int(served["closed_on"])
    assert lease.state == lease_pb2.Lease.State.Value("closed")


def test_a_v1beta5_lease_does_not_parse_as_v1beta4(get: Get) -> None:
    _, body = get("/akash/market/v1beta5/leases/list", {"pagination.limit": 1})
    with pytest.raises(json_format.ParseError):
        _parse(body, market_v1beta4.QueryLeasesResponse())


def test_group_specs_parse_as_sdl_group_specs_and_name_gpus_by_the_grammar(get: Get) -> None:
    _, body = get("/akash/deployment/v1beta4/deployments/list", {"pagination.limit": 1000})
    specs = [group["group_spec"] for d in body["deployments"] for group in d["groups"]]
    assert len(specs) >= 10
    for spec in specs:
        parsed = _parse(spec, groupspec_pb2.GroupSpec())
        unit = spec["resources"][0]
        assert parsed.name == spec["name"] and parsed.resources[0].count == unit["count"]
        memory = unit["resource"]["memory"]["quantity"]["val"]
        assert parsed.resources[0].resource.memory.quantity.val == memory.encode()
    gpu_attributes = [a for s in specs for unit in s["resources"] for a in unit["resource"]["gpu"]["attributes"]]
    assert gpu_attributes and all(GPU_KEY.match(a["key"]) and a["value"] == "true" for a in gpu_attributes)
    keys = {a["key"] for a in gpu_attributes}
    assert "vendor/nvidia/model/*" in keys and any(k.endswith("/interface/sxm") for k in keys)
    assert all(structure(unit["resource"]["gpu"]) == structure(SDL_GPU)
               for s in specs for unit in s["resources"] if unit["resource"]["gpu"]["attributes"])
    cpu_only = [unit for s in specs for unit in s["resources"] if unit["resource"]["gpu"]["units"]["val"] == "0"]
    assert cpu_only and all(unit["resource"]["gpu"]["attributes"] == [] for unit in cpu_only)
