"""Protobuf JSON as the Cosmos REST gateway writes it (gogoproto jsonpb, OrigName and EmitDefaults): field names
as in the .proto files, int64/uint64 as strings, uint32 as numbers, enums by name, bytes as base64, DecCoin
amounts with 18 decimals, unset messages as null. These build the pieces every answer shares."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from auditor.devnet.akash.model import Group, Resources

Json = dict[str, Any]
DEC_PLACES = Decimal(10) ** -18


def dec(amount: Decimal | int) -> str:
    """A cosmos LegacyDec as JSON: always 18 decimals."""
    return format(Decimal(amount).quantize(DEC_PLACES), "f")


def dec_coin(denom: str, amount: Decimal | int) -> Json:
    return {"denom": denom, "amount": dec(amount)}


def coin(denom: str, amount: int) -> Json:
    return {"denom": denom, "amount": str(int(amount))}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def attributes(pairs: tuple[tuple[str, str], ...]) -> list[Json]:
    return [{"key": key, "value": value} for key, value in pairs]


def resources(res: Resources, rid: int = 1) -> Json:
    """akash.base.resources.v1beta4.Resources (ResourceValue.val is a math.Int, written as a decimal string)."""
    return {
        "id": rid,
        "cpu": {"units": {"val": str(res.cpu_millis)}, "attributes": []},
        "memory": {"quantity": {"val": str(res.memory_bytes)}, "attributes": []},
        "storage": [{"name": "default", "quantity": {"val": str(res.storage_bytes)}, "attributes": []}],
        "gpu": {"units": {"val": str(res.gpu_units)}, "attributes": attributes(res.gpu_attributes)},
        "endpoints": [{"kind": "SHARED_HTTP", "sequence_number": 0}],
    }


def group_spec(group: Group, version: str) -> Json:
    """akash.deployment.v1beta4.GroupSpec (one price per unit) or v1beta5 (a list of prices)."""
    unit: Json = {"resource": resources(group.resources), "count": group.count}
    if version == "v1beta4":
        unit["price"] = dec_coin(group.denom, group.max_price)
    else:
        unit["prices"] = [dec_coin(group.denom, group.max_price)]
    requirements = {"signed_by": {"all_of": [], "any_of": []}, "attributes": [{"key": "host", "value": "akash"}]}
    return {"name": group.name, "requirements": requirements, "resources": [unit]}


def deployment_id(owner: str, dseq: int) -> Json:
    return {"owner": owner, "dseq": str(dseq)}


def group_id(owner: str, dseq: int, gseq: int) -> Json:
    return {"owner": owner, "dseq": str(dseq), "gseq": gseq}


def order_id(owner: str, dseq: int, gseq: int, oseq: int = 1) -> Json:
    return {"owner": owner, "dseq": str(dseq), "gseq": gseq, "oseq": oseq}


def bid_id(owner: str, dseq: int, gseq: int, provider: str, oseq: int = 1, bseq: int = 0) -> Json:
    return {"owner": owner, "dseq": str(dseq), "gseq": gseq, "oseq": oseq, "provider": provider, "bseq": bseq}


def error_body(code: int, message: str) -> Json:
    """The gateway's error answer (google.rpc.Status): gRPC code, message, details."""
    return {"code": code, "message": message, "details": []}
