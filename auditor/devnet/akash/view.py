"""The market as the chain's state holds it at one height: states, escrow accounts and payments, as JSON.

Shapes: deployment v1/v1beta4/v1beta5, market v1/v1beta5, escrow types v1 (chain-sdk proto/node/akash/**).
Objects created after the height do not exist; states follow from the heights in the plan alone.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from auditor.devnet.akash.catalog import MIN_DEPOSIT, REASON_NAMES, UAKT
from auditor.devnet.akash.model import Bid, Deployment, Group, Lease, Market, Provider, lease_paid
from auditor.devnet.akash.shapes import (
    Json,
    attributes,
    b64,
    bid_id,
    coin,
    dec,
    dec_coin,
    deployment_id,
    group_id,
    group_spec,
    order_id,
    resources,
)


def closed_at(height: int | None, at: int) -> bool:
    return height is not None and at >= height


def lease_of(deployment: Deployment, gseq: int) -> Lease | None:
    return next((lease for lease in deployment.leases if lease.gseq == gseq), None)


def deployment_state(d: Deployment, at: int) -> str:
    return "closed" if closed_at(d.close_height, at) else "active"


def group_state(d: Deployment, at: int) -> str:
    if closed_at(d.close_height, at):
        return "insufficient_funds" if d.closed_for_funds else "closed"
    return "open"


def order_state(d: Deployment, group: Group, at: int) -> str:
    lease = lease_of(d, group.gseq)
    if closed_at(d.close_height, at):
        return "closed"
    if lease is not None and at >= lease.open_height:
        return "closed" if closed_at(lease.close_height, at) else "active"
    return "open"


def bid_state(d: Deployment, bid: Bid, at: int) -> str:
    lease = lease_of(d, bid.gseq)
    if lease is not None and at >= lease.open_height:
        if lease.provider == bid.provider:
            return "closed" if closed_at(lease.close_height, at) else "active"
        return "closed" if closed_at(d.close_height, at) else "lost"
    return "closed" if closed_at(d.close_height, at) else "open"


def lease_state(lease: Lease, at: int) -> str:
    if closed_at(lease.close_height, at):
        return "insufficient_funds" if lease.reason == 20000 else "closed"
    return "active"


def deployment_paid(d: Deployment, at: int) -> Decimal:
    return sum((lease_paid(lease, d, at) for lease in d.leases), Decimal(0))


def escrow_account(d: Deployment, at: int) -> Json:
    """escrow.types.v1.Account of a deployment: what is left of the deposit and what has been paid out."""
    paid = deployment_paid(d, at)
    left = max(Decimal(0), d.deposit - paid)
    closed = closed_at(d.close_height, at)
    state = ("overdrawn" if d.closed_for_funds else "closed") if closed else "open"
    return {
        "id": {"scope": "deployment", "xid": f"{d.owner}/{d.dseq}"},
        "state": {
            "owner": d.owner,
            "state": state,
            "transferred": [dec_coin(d.denom, paid)],
            "settled_at": str(min(at, d.close_height) if d.close_height is not None else at),
            "funds": [] if closed else [{"denom": d.denom, "amount": dec(left)}],
            "deposits": [] if closed else [{"owner": d.depositor, "height": str(d.dseq), "source": d.source,
                                            "balance": dec_coin(d.denom, left)}],
        },
    }


def bid_escrow_account(d: Deployment, bid: Bid, at: int) -> Json:
    """A provider's bid deposit account (scope bid): open while the bid is open or active."""
    live = bid_state(d, bid, at) in ("open", "active")
    return {
        "id": {"scope": "bid", "xid": f"{d.owner}/{d.dseq}/{bid.gseq}/1/{bid.provider}/0"},
        "state": {
            "owner": bid.provider,
            "state": "open" if live else "closed",
            "transferred": [],
            "settled_at": str(bid.height),
            "funds": [{"denom": UAKT, "amount": dec(MIN_DEPOSIT)}] if live else [],
            "deposits": [{"owner": bid.provider, "height": str(bid.height), "source": "balance",
                          "balance": dec_coin(UAKT, MIN_DEPOSIT)}] if live else [],
        },
    }


def payment_amounts(d: Deployment, lease: Lease, at: int) -> tuple[Decimal, int]:
    """(balance not yet withdrawn, withdrawn): the provider withdraws the whole units when the lease closes."""
    paid = lease_paid(lease, d, at)
    if closed_at(lease.close_height, at):
        withdrawn = int(paid.to_integral_value(rounding=ROUND_DOWN))
        return paid - withdrawn, withdrawn
    return paid, 0


def escrow_payment(d: Deployment, lease: Lease, at: int) -> Json:
    balance, withdrawn = payment_amounts(d, lease, at)
    state = lease_state(lease, at)
    return {
        "id": {"aid": {"scope": "deployment", "xid": f"{d.owner}/{d.dseq}"},
               "xid": f"{lease.gseq}/1/{lease.provider}"},
        "state": {
            "owner": lease.provider,
            "state": {"active": "open", "closed": "closed", "insufficient_funds": "overdrawn"}[state],
            "rate": dec_coin(d.denom, lease.price),
            "balance": dec_coin(d.denom, balance),
            "unsettled": dec_coin(d.denom, 0),
            "withdrawn": coin(d.denom, withdrawn),
        },
    }


def group_json(d: Deployment, group: Group, at: int, version: str) -> Json:
    return {"id": group_id(d.owner, d.dseq, group.gseq), "state": group_state(d, at),
            "group_spec": group_spec(group, version), "created_at": str(d.dseq)}


def deployment_json(d: Deployment, at: int, version: str) -> Json:
    """deployment v1beta4/v1beta5 QueryDeploymentResponse."""
    return {
        "deployment": {"id": deployment_id(d.owner, d.dseq), "state": deployment_state(d, at), "hash": b64(d.hash),
                       "created_at": str(d.dseq), "reclamation": None},
        "groups": [group_json(d, g, at, version) for g in d.groups],
        "escrow_account": escrow_account(d, at),
    }


def order_json(d: Deployment, group: Group, at: int) -> Json:
    return {"id": order_id(d.owner, d.dseq, group.gseq), "state": order_state(d, group, at),
            "spec": group_spec(group, "v1beta4"), "created_at": str(d.dseq), "reclamation": None}


def bid_json(d: Deployment, bid: Bid, at: int) -> Json:
    """market v1beta5 QueryBidResponse: the bid with what the provider offers, and its deposit account."""
    group = next(g for g in d.groups if g.gseq == bid.gseq)
    return {
        "bid": {"id": bid_id(d.owner, d.dseq, bid.gseq, bid.provider), "state": bid_state(d, bid, at),
                "price": dec_coin(group.denom, bid.price), "created_at": str(bid.height),
                "resources_offer": [{"resources": resources(bid.offered), "count": group.count, "prices": None}],
                "reclamation_window": None},
        "escrow_account": bid_escrow_account(d, bid, at),
    }


def lease_json(d: Deployment, lease: Lease, at: int) -> Json:
    """market v1beta5 QueryLeaseResponse; `reason` is lease_closed_invalid while the lease is active."""
    closed = closed_at(lease.close_height, at)
    return {
        "lease": {"id": bid_id(d.owner, d.dseq, lease.gseq, lease.provider), "state": lease_state(lease, at),
                  "price": dec_coin(d.denom, lease.price), "created_at": str(lease.open_height),
                  "closed_on": str(lease.close_height if closed else 0),
                  "reason": REASON_NAMES[lease.reason if closed and lease.reason is not None else 0],
                  "reclamation": None},
        "escrow_payment": escrow_payment(d, lease, at),
    }


def provider_json(p: Provider) -> Json:
    return {"owner": p.owner, "host_uri": p.host_uri, "attributes": attributes(p.attributes),
            "info": {"email": p.email, "website": p.website}}


def live_deployments(market: Market, at: int) -> list[Deployment]:
    return [d for d in market.deployments if d.dseq <= at]
