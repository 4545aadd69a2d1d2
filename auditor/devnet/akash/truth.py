"""The Akash endpoint's ground truth: every lease and every owner as planned, to score an indexer against.

`truth_document` is JSON-ready and identical for a seed and sizes. Heights are ints, times ISO-8601 UTC
(`...Z`), amounts decimal strings (DecCoin amounts with 18 decimals). Per lease: its id (owner, dseq, gseq,
oseq, provider, bseq), the leased GPU from the winning bid's resources_offer (model, memory, interface; null
for a CPU-only group) and gpu_count = GPU units x the group's count; open/close heights and times (close null
while open at the latest height); close_reason as the LeaseClosedReason number (1 owner, 10000-10003
provider, 20000 insufficient funds: no tx closes those) and closed_by; price per block; total_paid = price x
blocks open (the whole deposit when funds ran out), up to the latest height for leases still open. Per owner:
entity, kind (exchange, funder, card, bot), funder, card_paid (the Console funding wallet paid by fee grant and
deposit authorization: tag, do not count as crypto no-KYC) and the txs that funded it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from auditor.devnet.akash.api import AkashApi
from auditor.devnet.akash.catalog import BLOCK_SECONDS, CHAIN_ID, PRICING_BOT, REASON_NAMES
from auditor.devnet.akash.cosmos import iso
from auditor.devnet.akash.funding import funders
from auditor.devnet.akash.model import lease_paid
from auditor.devnet.akash.shapes import dec

_CLOSED_BY = {1: "owner", 10000: "provider", 10001: "provider", 10002: "provider", 10003: "provider",
              20000: "insufficient_funds"}


def _tx_hashes(api: AkashApi) -> dict[tuple[str, ...], str]:
    """The tx that opened and the tx that closed each lease, keyed by ('open'|'close', owner, dseq, gseq)."""
    found: dict[tuple[str, ...], str] = {}
    for tx in api.txs:
        for msg in tx.messages:
            kind = msg["@type"].rsplit(".", 1)[-1]
            if kind == "MsgCreateLease":
                ident = msg["bid_id"]
                found["open", ident["owner"], ident["dseq"], str(ident["gseq"])] = tx.hash
            elif kind == "MsgCloseBid":
                ident = msg["id"]
                found["close", ident["owner"], ident["dseq"], str(ident["gseq"])] = tx.hash
            elif kind == "MsgCloseDeployment":
                found["close-deployment", msg["id"]["owner"], msg["id"]["dseq"]] = tx.hash
    return found


def truth_document(api: AkashApi) -> dict[str, Any]:
    market = api.market
    latest = market.latest_height
    hashes = _tx_hashes(api)
    leases = []
    for d in market.deployments:
        for lease in d.leases:
            closed = lease.close_height is not None
            key = (d.owner, str(d.dseq), str(lease.gseq))
            close_tx = None
            if closed and lease.reason in (10000, 10001, 10002, 10003):
                close_tx = hashes.get(("close", *key))
            elif closed and lease.reason == 1:
                close_tx = hashes.get(("close-deployment", d.owner, str(d.dseq)))
            leases.append({
                "owner": d.owner, "dseq": d.dseq, "gseq": lease.gseq, "oseq": 1, "provider": lease.provider, "bseq": 0,
                "gpu_model": lease.gpu.model if lease.gpu else None,
                "gpu_memory": lease.gpu.ram if lease.gpu else None,
                "gpu_interface": lease.gpu.interface if lease.gpu else None,
                "gpu_count": lease.gpu_count,
                "open_height": lease.open_height, "open_time": iso(api.time_of(lease.open_height)),
                "close_height": lease.close_height,
                "close_time": iso(api.time_of(lease.close_height)) if lease.close_height is not None else None,
                "close_reason": lease.reason, "close_reason_name": REASON_NAMES[lease.reason] if lease.reason else None,
                "closed_by": _CLOSED_BY.get(lease.reason) if lease.reason else None,
                "price_denom": d.denom, "price_amount": dec(lease.price),
                "total_paid": dec(lease_paid(lease, d, latest)),
                "open_tx_hash": hashes.get(("open", *key)), "close_tx_hash": close_tx,
            })
    funding: dict[str, list[str]] = {}
    for tx in api.txs:
        for msg in tx.messages:
            recipient = msg.get("to_address") or (msg.get("grantee") if "MsgGrantAllowance" in msg["@type"] else None)
            if recipient:
                funding.setdefault(recipient, []).append(tx.hash)
    owners = [{"address": o.address, "entity": o.entity, "kind": o.kind, "funder": o.funder,
               "card_paid": o.kind == "card", "pricing_bot": o.address == PRICING_BOT,
               "funding_tx_hashes": funding.get(o.address, [])} for o in market.owners]
    deployments = [{"owner": d.owner, "dseq": d.dseq, "denom": d.denom, "deposit": str(d.deposit),
                    "deposit_source": d.source, "depositor": d.depositor, "close_height": d.close_height,
                    "closed_for_funds": d.closed_for_funds, "groups": len(d.groups), "bids": len(d.bids),
                    "leases": len(d.leases)} for d in market.deployments]
    who = funders(market.seed)
    return {
        "chain": {"chain_id": CHAIN_ID, "block_seconds": BLOCK_SECONDS, "genesis_height": market.genesis_height,
                  "genesis_time": iso(api.time_of(market.genesis_height)), "latest_height": latest,
                  "latest_time": iso(api.time_of(latest))},
        "seed": market.seed,
        "labels": {"exchange_hot_wallet": who.exchange, "console_funding_wallet": who.console,
                   "private_funders": list(who.private), "pricing_bot": PRICING_BOT},
        "providers": [{"owner": p.owner, "host_uri": p.host_uri,
                       "gpus": [{"model": g.model, "memory": g.ram, "interface": g.interface} for g in p.gpus]}
                      for p in market.providers],
        "owners": owners,
        "deployments": deployments,
        "leases": leases,
        "tx_count": len(api.txs),
    }


def write_truth(api: AkashApi, path: Path) -> Path:
    path.write_bytes(orjson.dumps(truth_document(api), option=orjson.OPT_INDENT_2))
    return path
