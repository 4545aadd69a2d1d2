"""Akash list answers to rows: deployments with their groups' resource units, bids with their resources_offer,
leases, providers. Both API versions a node serves are read: v1beta5 (chain-sdk: market v1 ids with bseq, a
close reason, `prices` per unit) and v1beta4 (akash-api: `lease_id`/`bid_id`, no bseq, no reason, `price`).
Rows are tuples in their table's column order, without chain_id and snapshot_height (the store adds them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson

from auditor.extract.akash import fields as f

Row = tuple[Any, ...]

DEPLOYMENT_STATES = ("invalid", "active", "closed")
BID_STATES = ("invalid", "open", "active", "lost", "closed")
LEASE_STATES = ("invalid", "active", "insufficient_funds", "closed")
# market v1 LeaseClosedReason (chain-sdk proto/node/akash/market/v1/types.proto)
REASONS = {"lease_closed_invalid": 0, "lease_closed_owner": 1, "lease_closed_reason_unstable": 10000,
           "lease_closed_reason_decommission": 10001, "lease_closed_reason_unspecified": 10002,
           "lease_closed_reason_manifest_timeout": 10003, "lease_closed_reason_insufficient_funds": 20000}
INSUFFICIENT_FUNDS = 20000
GPU_CAPABILITY = "capabilities/gpu/"
CREATED_AT = {"deployments": 3, "bids": 9, "leases": 9}   # where each list's rows hold their created_at height


def _id(value: Any, what: str, depth: int) -> tuple[Any, ...]:
    """owner, dseq[, gseq, oseq[, provider, bseq]] of a deployment, group/order or bid/lease id; bseq is 0 where
    the version has none (v1beta4)."""
    ident = f.obj(value, what)
    out: list[Any] = [f.address(ident.get("owner"), f"{what} owner"), f.height(ident.get("dseq"), f"{what} dseq")]
    if depth >= 2:
        out += [f.uint32(ident.get("gseq"), f"{what} gseq"), f.uint32(ident.get("oseq", 0), f"{what} oseq")]
    if depth >= 3:
        out += [f.address(ident.get("provider"), f"{what} provider"), f.uint32(ident.get("bseq", 0), f"{what} bseq")]
    return tuple(out)


def gpu_of(attributes: Any) -> tuple[str | None, str | None, str | None, str | None, list[str], list[str]]:
    """(vendor, model, memory, interface, models, keys) of GPU attributes: model and the rest only when every
    key names the same model (`model/*` is any model); memory and interface only when all of them agree."""
    keys, specs = [], []
    for attribute in f.items(attributes, "gpu attributes"):
        a = f.obj(attribute, "gpu attribute")
        key = f.text(a.get("key")) or ""
        if str(a.get("value")).lower() != "true":
            continue
        keys.append(key)
        parts = key.split("/")
        if len(parts) >= 4 and parts[0] == "vendor" and parts[2] == "model" and len(parts) % 2 == 0:
            named = dict(zip(parts[::2], parts[1::2], strict=True))
            specs.append({k: f.part(v) for k, v in named.items()})
    models = sorted({m for s in specs if (m := s.get("model")) and m != "*"})
    exact = len(models) == 1 and all(s.get("model") == models[0] for s in specs)
    if not exact:
        return None, None, None, None, models, sorted(keys)
    vendors = {s.get("vendor") for s in specs}
    rams = {s.get("ram") for s in specs}
    interfaces = {s.get("interface") for s in specs}
    return (vendors.pop() if len(vendors) == 1 else None, models[0], rams.pop() if len(rams) == 1 else None,
            interfaces.pop() if len(interfaces) == 1 else None, models, sorted(keys))


def _resource(kind: str, ident: tuple[Any, ...], position: int, unit: Any, name: str | None) -> Row:
    u = f.obj(unit, "resource unit")
    res = f.obj(u.get("resource") if "resource" in u else u.get("resources"), "resources")
    cpu = f.obj(res.get("cpu"), "cpu")
    memory = f.obj(res.get("memory"), "memory")
    gpu = f.obj(res.get("gpu") or {"units": {"val": "0"}}, "gpu")
    storage = sum(f.big(f.obj(f.obj(s, "storage").get("quantity"), "storage quantity").get("val"), "storage")
                  for s in f.items(res.get("storage"), "storage"))
    vendor, model, ram, interface, models, keys = gpu_of(gpu.get("attributes"))
    prices = f.items(u.get("prices"), "prices") if "prices" in u else ([u["price"]] if u.get("price") else [])
    price = f.coin(prices[0], "resource price") if prices else (None, None)
    return (kind, *ident, position, name, f.uint32(u.get("count"), "resource count"),
            f.big(f.obj(cpu.get("units"), "cpu units").get("val"), "cpu"),
            f.big(f.obj(memory.get("quantity"), "memory quantity").get("val"), "memory"), storage,
            f.big(f.obj(gpu.get("units"), "gpu units").get("val"), "gpu units"), vendor, model, ram, interface,
            models, keys, *price)


def _coins(value: Any) -> list[Any]:
    """A repeated coin (escrow v1) or a single one (v1beta3)."""
    return f.items(value, "coins") if not isinstance(value, dict) else [value]


def _state(escrow: Any) -> dict[str, Any]:
    """An escrow account's or payment's amounts: under `state` in escrow v1, at the top in v1beta3 (where
    `state` is the enum)."""
    if not isinstance(escrow, dict):
        return {}
    inner = escrow.get("state")
    return inner if isinstance(inner, dict) else escrow


def deployment(item: Any) -> tuple[Row, list[Row]]:
    """A deployments/list entry: the deployment's row and its groups' resource units."""
    entry = f.obj(item, "deployment entry")
    d = f.obj(entry.get("deployment"), "deployment")
    owner, dseq = _id(d.get("deployment_id") or d.get("id"), "deployment id", 1)
    resources = []
    groups = f.items(entry.get("groups"), "groups")
    for g in groups:
        group = f.obj(g, "group")
        ident = _id(group.get("group_id") or group.get("id"), "group id", 2)
        if ident[:2] != (owner, dseq):
            raise f.bad("group of another deployment", ident)
        spec = f.obj(group.get("group_spec"), "group spec")
        name = f.text(spec.get("name"))
        for position, unit in enumerate(f.items(spec.get("resources"), "group resources")):
            resources.append(_resource("group", (owner, dseq, ident[2], 0, "", 0), position, unit, name))
    state = _state(entry.get("escrow_account"))
    coins = [f.coin(c, "escrow coin") for key in ("transferred", "funds", "balance") for c in _coins(state.get(key))]
    deposits = [f.obj(x, "deposit") for x in f.items(state.get("deposits"), "deposits")]
    escrow_denom = coins[0][0] if coins else None
    row = (owner, dseq, f.enum(d.get("state"), DEPLOYMENT_STATES, "deployment state"),
           f.height(d.get("created_at"), "deployment created_at"), escrow_denom,
           sum((a for dn, a in coins if dn == escrow_denom), Decimal(0)) if coins else None,
           [f.text(x.get("source")) for x in deposits],
           [f.address(x.get("owner"), "depositor") for x in deposits],
           orjson.dumps(groups).decode())
    return row, resources


def bid(item: Any) -> tuple[Row, list[Row]]:
    """A bids/list entry: the bid's row and its offered resource units."""
    b = f.obj(f.obj(item, "bid entry").get("bid"), "bid")
    ident = _id(b.get("bid_id") or b.get("id"), "bid id", 3)
    price_denom, price = f.coin(b.get("price"), "bid price")
    offer = f.items(b.get("resources_offer"), "resources_offer")
    units = [_resource("offer", ident, i, unit, None) for i, unit in enumerate(offer)]
    return (*ident, f.enum(b.get("state"), BID_STATES, "bid state"), price_denom, price,
            f.height(b.get("created_at"), "bid created_at"), orjson.dumps(offer).decode()), units


def lease(item: Any) -> Row:
    """A leases/list entry. closed_on 0 is an open lease; v1beta4 gives no reason, so only its
    insufficient_funds state says why it closed."""
    entry = f.obj(item, "lease entry")
    le = f.obj(entry.get("lease"), "lease")
    ident = _id(le.get("lease_id") or le.get("id"), "lease id", 3)
    state = f.enum(le.get("state"), LEASE_STATES, "lease state")
    price_denom, price = f.coin(le.get("price"), "lease price")
    closed_on = f.height(le.get("closed_on", "0"), "lease closed_on") or None
    reason = le.get("reason")
    if reason is not None and (not isinstance(reason, str) or not reason.replace("_", "").isalpha()
                               or len(reason) > 64):
        raise f.bad("lease reason", reason)
    code = REASONS.get(reason) if reason is not None else (INSUFFICIENT_FUNDS if state == "insufficient_funds"
                                                             else None)
    pay_state = _state(entry.get("escrow_payment"))
    paid = None
    if isinstance(pay_state.get("withdrawn"), dict):
        paid = f.coin(pay_state["withdrawn"], "withdrawn")[1] + f.coin(pay_state.get("balance"), "payment balance")[1]
    return (*ident, state, price_denom, price, f.height(le.get("created_at"), "lease created_at"), closed_on,
            reason, code or None, paid)


def provider(item: Any) -> Row:
    p = f.obj(item, "provider")
    info: dict[str, Any] = p["info"] if isinstance(p.get("info"), dict) else {}
    attributes = [{"key": f.text(f.obj(a, "attribute").get("key")), "value": f.text(a.get("value"))}
                  for a in f.items(p.get("attributes"), "provider attributes")]
    models = set()
    for a in attributes:
        parts = (a["key"] or "").removeprefix(GPU_CAPABILITY).split("/")
        if (a["key"] or "").startswith(GPU_CAPABILITY) and len(parts) >= 4 and parts[2] == "model" \
                and f.part(parts[3]) and str(a["value"]).lower() == "true":
            models.add(parts[3])
    return (f.address(p.get("owner"), "provider owner"), f.text(p.get("host_uri")), f.text(info.get("email")),
            f.text(info.get("website")), attributes, sorted(models))
