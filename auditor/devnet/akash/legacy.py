"""The market's v1beta4 answers, as Akash nodes served them before the chain-sdk (v1) upgrade.

Shapes: akash-network/akash-api proto/node/akash/market/v1beta4/{lease,bid,order,query}.proto with escrow
v1beta3 (types.proto): `lease_id`/`bid_id`/`order_id` instead of `id`, no close reason, a FractionalPayment
beside each lease and a v1beta3 escrow Account beside each bid. The same plan and heights as the v1beta5 paths.
"""

from __future__ import annotations

from auditor.devnet.akash.catalog import MIN_DEPOSIT, UAKT
from auditor.devnet.akash.model import Bid, Deployment, Group, Lease
from auditor.devnet.akash.shapes import Json, coin, dec_coin, group_spec, resources
from auditor.devnet.akash.view import bid_state, lease_state, order_state, payment_amounts

_PAYMENT_STATE = {"active": "open", "closed": "closed", "insufficient_funds": "overdrawn"}


def _id(d: Deployment, gseq: int, provider: str | None = None) -> Json:
    ident: Json = {"owner": d.owner, "dseq": str(d.dseq), "gseq": gseq, "oseq": 1}
    if provider is not None:
        ident["provider"] = provider
    return ident


def lease_json(d: Deployment, lease: Lease, at: int) -> Json:
    state = lease_state(lease, at)
    closed = state != "active"
    balance, withdrawn = payment_amounts(d, lease, at)
    return {
        "lease": {"lease_id": _id(d, lease.gseq, lease.provider), "state": state,
                  "price": dec_coin(d.denom, lease.price), "created_at": str(lease.open_height),
                  "closed_on": str(lease.close_height if closed else 0)},
        "escrow_payment": {"account_id": {"scope": "deployment", "xid": f"{d.owner}/{d.dseq}"},
                           "payment_id": f"{lease.gseq}/1/{lease.provider}", "owner": lease.provider,
                           "state": _PAYMENT_STATE[state], "rate": dec_coin(d.denom, lease.price),
                           "balance": dec_coin(d.denom, balance), "withdrawn": coin(d.denom, withdrawn)},
    }


def bid_json(d: Deployment, bid: Bid, at: int) -> Json:
    group = next(g for g in d.groups if g.gseq == bid.gseq)
    live = bid_state(d, bid, at) in ("open", "active")
    return {
        "bid": {"bid_id": _id(d, bid.gseq, bid.provider), "state": bid_state(d, bid, at),
                "price": dec_coin(group.denom, bid.price), "created_at": str(bid.height),
                "resources_offer": [{"resources": resources(bid.offered), "count": group.count}]},
        "escrow_account": {"id": {"scope": "bid", "xid": f"{d.owner}/{d.dseq}/{bid.gseq}/1/{bid.provider}"},
                           "owner": bid.provider, "state": "open" if live else "closed",
                           "balance": dec_coin(UAKT, MIN_DEPOSIT if live else 0), "transferred": dec_coin(UAKT, 0),
                           "settled_at": str(bid.height), "depositor": bid.provider,
                           "funds": dec_coin(UAKT, 0)},
    }


def order_json(d: Deployment, group: Group, at: int) -> Json:
    return {"order_id": _id(d, group.gseq), "state": order_state(d, group, at),
            "spec": group_spec(group, "v1beta4"), "created_at": str(d.dseq)}
