"""Every transaction of the plan, in block order: bank sends and grants that fund owners, deployments, bids,
leases and closes. Messages are written as the REST gateway writes an Any (`@type` plus the fields); events
as a cosmos-sdk v0.53 chain emits them (no per-message `logs`; `message`, `transfer`, fee grant and typed
Akash events, each attribute indexed).

A tx's bytes here are the canonical JSON of its body, not protobuf TxRaw; its hash is their SHA-256, upper-case
hex, as cosmos hashes TxRaw, so block data, hashes and tx search agree with each other.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from auditor.devnet.akash.catalog import MIN_DEPOSIT, REASON_NAMES, TX_FEE_UAKT, UACT, UAKT, USDC_IBC
from auditor.devnet.akash.funding import funders
from auditor.devnet.akash.model import Deployment, Market
from auditor.devnet.akash.shapes import Json, b64, bid_id, coin, dec_coin, deployment_id, group_spec, resources

Attr = tuple[str, str]
Event = tuple[str, tuple[Attr, ...]]
FEE_ALLOWANCE_UAKT = 20_000_000
GRANT_EXPIRY = "2027-11-02T00:00:00Z"
MAX_EXTRA_UAKT = 50_000_000     # what an owner gets beyond its deposits and fees


@dataclass(frozen=True)
class Tx:
    height: int
    index: int
    signer: str
    granter: str               # fee granter, "" when the signer pays
    sequence: int
    messages: tuple[Json, ...]
    events: tuple[Event, ...]

    @property
    def fee_payer(self) -> str:
        return self.granter or self.signer

    @property
    def raw(self) -> bytes:
        return json.dumps({"height": self.height, "signer": self.signer, "sequence": self.sequence,
                           "messages": self.messages}, sort_keys=True, separators=(",", ":")).encode()

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.raw).hexdigest().upper()


@dataclass(frozen=True)
class _Draft:
    height: int
    order: int                 # keeps fundings before the deployments they pay for within a block
    signer: str
    granter: str
    messages: tuple[Json, ...]
    events: tuple[Event, ...]


def _typed(name: str, msg_index: int, **fields: object) -> Event:
    """A typed event: each field's value is its protobuf JSON, as cosmos EmitTypedEvent writes it."""
    encoded = tuple((k, json.dumps(v, separators=(",", ":"))) for k, v in fields.items())
    return name, (*encoded, ("msg_index", str(msg_index)))


def _message(action: str, sender: str, module: str, msg_index: int) -> Event:
    return "message", (("action", action), ("sender", sender), ("module", module), ("msg_index", str(msg_index)))


def _coins_text(coins: list[Json]) -> str:
    return ",".join(f"{c['amount']}{c['denom']}" for c in coins)


def send(sender: str, recipient: str, amounts: dict[str, int], msg_index: int = 0) -> tuple[Json, list[Event]]:
    coins = [coin(denom, amount) for denom, amount in sorted(amounts.items()) if amount > 0]
    text = _coins_text(coins)
    msg = {"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": sender, "to_address": recipient, "amount": coins}
    return msg, [("coin_spent", (("spender", sender), ("amount", text), ("msg_index", str(msg_index)))),
                 ("coin_received", (("receiver", recipient), ("amount", text), ("msg_index", str(msg_index)))),
                 ("transfer", (("recipient", recipient), ("sender", sender), ("amount", text),
                               ("msg_index", str(msg_index)))),
                 _message("/cosmos.bank.v1beta1.MsgSend", sender, "bank", msg_index)]


def _grants(granter: str, grantee: str) -> tuple[tuple[Json, ...], list[Event]]:
    """The Console's funding wallet pays a card-paid wallet's fees (fee grant) and deposits (authz grant)."""
    allowance = {"@type": "/cosmos.feegrant.v1beta1.MsgGrantAllowance", "granter": granter, "grantee": grantee,
                 "allowance": {"@type": "/cosmos.feegrant.v1beta1.BasicAllowance",
                               "spend_limit": [coin(UAKT, FEE_ALLOWANCE_UAKT)], "expiration": GRANT_EXPIRY}}
    limits = [coin(d, 10**12) for d in sorted((UAKT, UACT, USDC_IBC))]
    grant = {"@type": "/cosmos.authz.v1beta1.MsgGrant", "granter": granter, "grantee": grantee,
             "grant": {"authorization": {"@type": "/akash.escrow.v1.DepositAuthorization",
                                         "spend_limit": coin(UAKT, 10**12), "scopes": ["deployment"],
                                         "spend_limits": limits},
                       "expiration": GRANT_EXPIRY}}
    events = [("set_feegrant", (("granter", granter), ("grantee", grantee), ("msg_index", "0"))),
              _message("/cosmos.feegrant.v1beta1.MsgGrantAllowance", granter, "feegrant", 0),
              ("cosmos.authz.v1beta1.EventGrant",
               (("granter", json.dumps(granter)), ("grantee", json.dumps(grantee)),
                ("msg_type_url", json.dumps("/akash.deployment.v1beta4.MsgCreateDeployment")), ("msg_index", "1"))),
              _message("/cosmos.authz.v1beta1.MsgGrant", granter, "authz", 1)]
    return (allowance, grant), events


def _deployment_drafts(d: Deployment, granter: str) -> list[_Draft]:
    drafts = []
    did = deployment_id(d.owner, d.dseq)
    create = {"@type": "/akash.deployment.v1beta4.MsgCreateDeployment", "id": did,
              "groups": [group_spec(g, "v1beta4") for g in d.groups], "hash": b64(d.hash),
              "deposit": {"amount": coin(d.denom, d.deposit), "sources": [d.source]}, "reclamation": None}
    events = [_message("/akash.deployment.v1beta4.MsgCreateDeployment", d.owner, "deployment", 0),
              _typed("akash.deployment.v1.EventDeploymentCreated", 0, id=did, hash=b64(d.hash))]
    for g in d.groups:
        events.append(_typed("akash.deployment.v1.EventGroupStarted", 0,
                             id={"owner": d.owner, "dseq": str(d.dseq), "gseq": g.gseq}))
        events.append(_typed("akash.market.v1.EventOrderCreated", 0,
                             id={"owner": d.owner, "dseq": str(d.dseq), "gseq": g.gseq, "oseq": 1}))
    drafts.append(_Draft(d.dseq, 2, d.owner, granter, (create,), tuple(events)))
    for bid in d.bids:
        group = next(g for g in d.groups if g.gseq == bid.gseq)
        bid_ident = bid_id(d.owner, d.dseq, bid.gseq, bid.provider)
        msg = {"@type": "/akash.market.v1beta5.MsgCreateBid", "id": bid_ident, "price": dec_coin(d.denom, bid.price),
               "deposit": {"amount": coin(UAKT, MIN_DEPOSIT), "sources": ["balance"]},
               "resources_offer": [{"resources": resources(bid.offered), "count": group.count, "prices": None}],
               "reclamation_window": None}
        drafts.append(_Draft(bid.height, 3, bid.provider, "", (msg,), (
            _message("/akash.market.v1beta5.MsgCreateBid", bid.provider, "market", 0),
            _typed("akash.market.v1.EventBidCreated", 0, id=bid_ident, price=dec_coin(d.denom, bid.price)))))
    for lease in d.leases:
        lid = bid_id(d.owner, d.dseq, lease.gseq, lease.provider)
        drafts.append(_Draft(lease.open_height, 4, d.owner, granter,
                             ({"@type": "/akash.market.v1beta5.MsgCreateLease", "bid_id": lid},), (
            _message("/akash.market.v1beta5.MsgCreateLease", d.owner, "market", 0),
            _typed("akash.market.v1.EventLeaseCreated", 0, id=lid, price=dec_coin(d.denom, lease.price)))))
        if lease.close_height is not None and lease.reason not in (1, 20000):
            reason = REASON_NAMES[lease.reason or 0]
            drafts.append(_Draft(lease.close_height, 5, lease.provider, "",
                                 ({"@type": "/akash.market.v1beta5.MsgCloseBid", "id": lid, "reason": reason},), (
                _message("/akash.market.v1beta5.MsgCloseBid", lease.provider, "market", 0),
                _typed("akash.market.v1.EventBidClosed", 0, id=lid),
                _typed("akash.market.v1.EventLeaseClosed", 0, id=lid, reason=reason))))
    if d.close_height is not None and not d.closed_for_funds:
        events = [_message("/akash.deployment.v1beta4.MsgCloseDeployment", d.owner, "deployment", 0),
                  _typed("akash.deployment.v1.EventDeploymentClosed", 0, id=did)]
        for lease in d.leases:
            if lease.close_height == d.close_height:
                lid = bid_id(d.owner, d.dseq, lease.gseq, lease.provider)
                events.append(_typed("akash.market.v1.EventLeaseClosed", 0, id=lid, reason=REASON_NAMES[1]))
        drafts.append(_Draft(d.close_height, 6, d.owner, granter,
                             ({"@type": "/akash.deployment.v1beta4.MsgCloseDeployment", "id": did},), tuple(events)))
    return drafts


def funding_needs(market: Market) -> dict[str, dict[str, int]]:
    """Per owner paying from its own balance, what it needs per denom: its deposits and its fees."""
    needs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d in market.deployments:
        if d.source != "balance":
            continue
        needs[d.owner][d.denom] += d.deposit
        needs[d.owner][UAKT] += TX_FEE_UAKT * (2 + len(d.leases))
    return needs


def plan_txs(market: Market) -> tuple[Tx, ...]:
    """All transactions, sorted by height and index, with per-signer sequences."""
    rng = random.Random(market.seed * 7919 + 1)
    who = funders(market.seed)
    g = market.genesis_height
    owners = {o.address: o for o in market.owners}
    first_dseq: dict[str, int] = {}
    for d in market.deployments:
        first_dseq[d.owner] = min(first_dseq.get(d.owner, d.dseq), d.dseq)
    needs = funding_needs(market)
    drafts: list[_Draft] = []
    for i, funder in enumerate(who.private):
        total: dict[str, int] = defaultdict(int)
        for owner, need in needs.items():
            if owners[owner].funder == funder:
                total[UAKT] += MAX_EXTRA_UAKT
                for denom, amount in need.items():
                    total[denom] += amount * 2
        total[UAKT] += 10_000_000
        msg, events = send(who.exchange, funder, total)
        drafts.append(_Draft(g + 5 + i, 0, who.exchange, "", (msg,), tuple(events)))
    for address, first in sorted(first_dseq.items()):
        party = owners[address]
        height = max(g + 20, first - rng.randint(30, 500))
        if party.kind == "card":
            messages, events = _grants(party.funder, address)
            drafts.append(_Draft(height, 1, party.funder, "", messages, tuple(events)))
        else:
            extra = rng.randint(1, MAX_EXTRA_UAKT // 1_000_000) * 1_000_000
            amounts = {denom: amount + (extra if denom == UAKT else 0) for denom, amount in needs[address].items()}
            msg, events = send(party.funder, address, amounts)
            drafts.append(_Draft(height, 1, party.funder, "", (msg,), tuple(events)))
    for d in market.deployments:
        drafts.extend(_deployment_drafts(d, owners[d.owner].funder if owners[d.owner].kind == "card" else ""))
    drafts.sort(key=lambda t: (t.height, t.order, t.signer, json.dumps(t.messages, sort_keys=True)))
    sequences: dict[str, int] = defaultdict(int)
    txs, index, last_height = [], 0, -1
    for draft in drafts:
        index = index + 1 if draft.height == last_height else 0
        last_height = draft.height
        seq = sequences[draft.signer]
        sequences[draft.signer] += 1
        txs.append(Tx(draft.height, index, draft.signer, draft.granter, seq, draft.messages,
                      _fee_events(draft, seq) + draft.events))
    return tuple(txs)


def _fee_events(draft: _Draft, sequence: int) -> tuple[Event, ...]:
    payer = draft.granter or draft.signer
    events: list[Event] = [("tx", (("fee", f"{TX_FEE_UAKT}{UAKT}"), ("fee_payer", payer))),
                           ("tx", (("acc_seq", f"{draft.signer}/{sequence}"),))]
    if draft.granter:
        events.insert(0, ("use_feegrant", (("granter", draft.granter), ("grantee", draft.signer))))
    return tuple(events)


def total_fees(txs: tuple[Tx, ...]) -> Decimal:
    return Decimal(TX_FEE_UAKT * len(txs))
