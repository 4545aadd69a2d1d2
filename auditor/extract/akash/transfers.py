"""Tx search answers to transfer rows: what moved tokens or paying rights between accounts, for funding and
clustering (ICS-20 receipts too: their sender is an address of the other chain, kept as text). Read from the
messages (their fields are the protobuf JSON of the Msg, checked here), not from the events, which also report
fees, escrow deposits and module accounts. Failed txs (code != 0) moved nothing."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson

from auditor.extract.akash import fields as f
from auditor.extract.akash.lcd import tx_time

Row = tuple[Any, ...]
SEND = "/cosmos.bank.v1beta1.MsgSend"
IBC_TRANSFER = "/ibc.applications.transfer.v1.MsgTransfer"
FEE_GRANT = "/cosmos.feegrant.v1beta1.MsgGrantAllowance"
AUTHZ_GRANT = "/cosmos.authz.v1beta1.MsgGrant"
IBC_RECEIVE = "/ibc.core.channel.v1.MsgRecvPacket"
DEPOSIT_AUTHORIZATION = "DepositAuthorization"   # akash.escrow.v1 (v1beta3 before the chain-sdk)
_HASH = re.compile(r"[0-9A-F]{64}")


def _whole(value: Decimal, what: str) -> int:
    if value != value.to_integral_value():
        raise f.bad(what, value)
    return int(value)


def _failed_receipts(resp: dict[str, Any]) -> bool:
    """Whether an ICS-20 receipt in the tx was acknowledged with an error (the tx succeeds, no tokens move)."""
    for event in resp.get("events") or []:
        if isinstance(event, dict) and event.get("type") == "fungible_token_packet":
            for attribute in event.get("attributes") or []:
                if isinstance(attribute, dict) and attribute.get("key") == "success" \
                        and attribute.get("value") not in ("true", "\u0001"):
                    return True
    return False


def received_denom(packet: dict[str, Any], denom: str) -> str:
    """The denom an ICS-20 packet's tokens have on the receiving chain: a token coming home loses the sender's
    port/channel prefix (uakt comes back as uakt), any other gets the receiving channel's and becomes
    ibc/SHA256(trace) (ibc-go's DenomTrace.IBCDenom)."""
    prefix = f"{packet.get('source_port')}/{packet.get('source_channel')}/"
    if denom.startswith(prefix):
        base = denom[len(prefix):]
        return base if "/" not in base else "ibc/" + hashlib.sha256(base.encode()).hexdigest().upper()
    trace = f"{packet.get('destination_port')}/{packet.get('destination_channel')}/{denom}"
    return "ibc/" + hashlib.sha256(trace.encode()).hexdigest().upper()


def _received(head: tuple[str, int], height: int, when: datetime, msg: dict[str, Any], failed: bool) -> list[Row]:
    """An ICS-20 transfer received (MsgRecvPacket, sent by a relayer): from the sender on the other chain."""
    packet = f.obj(msg.get("packet"), "ibc packet")
    try:
        data = orjson.loads(base64.b64decode(str(packet.get("data", "")), validate=True))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        return []   # not an ICS-20 transfer (another IBC application's packet)
    if failed or not isinstance(data, dict) or not {"amount", "denom", "receiver", "sender"} <= data.keys():
        return []
    receiver = data["receiver"]
    if not isinstance(receiver, str) or not receiver.startswith("akash1"):
        return []
    amount = f.amount(data["amount"], "ibc amount")
    return [(*head, 0, height, when, "ibc-in", f.text(data["sender"]) or "", f.address(receiver, "ibc receiver"),
             received_denom(packet, f.denom(data["denom"])), _whole(amount, "ibc amount"))]


def transfers(tx: Any, involving: str) -> list[Row]:
    """Rows (tx_hash, msg_index, coin_index, height, block_time, kind, from, to, denom, amount) of one tx
    response, those that send to or from `involving`."""
    resp = f.obj(tx, "tx response")
    tx_hash = resp.get("txhash")
    if not isinstance(tx_hash, str) or not _HASH.fullmatch(tx_hash):
        raise f.bad("tx hash", tx_hash)
    if resp.get("code", 0) != 0:
        return []
    height = f.height(resp.get("height"), "tx height")
    when = datetime.fromtimestamp(tx_time(resp.get("timestamp")), UTC)
    body = f.obj(f.obj(resp.get("tx"), "tx").get("body"), "tx body")
    out: list[Row] = []
    for index, message in enumerate(f.items(body.get("messages"), "messages")):
        msg = f.obj(message, "message")
        kind = msg.get("@type")
        head = (tx_hash, index)
        if kind == SEND:
            sender, to = f.address(msg.get("from_address"), "sender"), f.address(msg.get("to_address"), "recipient")
            for i, c in enumerate(f.items(msg.get("amount"), "amount")):
                denom, amount = f.coin(c, "sent coin")
                out.append((*head, i, height, when, "send", sender, to, denom, _whole(amount, "sent amount")))
        elif kind == IBC_TRANSFER:
            denom, amount = f.coin(msg.get("token"), "ibc token")
            out.append((*head, 0, height, when, "ibc", f.address(msg.get("sender"), "ibc sender"),
                        f.text(msg.get("receiver")) or "", denom, _whole(amount, "ibc amount")))
        elif kind == IBC_RECEIVE:
            out += _received(head, height, when, msg, _failed_receipts(resp))
        elif kind == FEE_GRANT:
            out.append((*head, 0, height, when, "feegrant", f.address(msg.get("granter"), "granter"),
                        f.address(msg.get("grantee"), "grantee"), None, None))
        elif kind == AUTHZ_GRANT:
            auth = (f.obj(msg.get("grant"), "grant").get("authorization") or {})
            if isinstance(auth, dict) and str(auth.get("@type", "")).endswith(DEPOSIT_AUTHORIZATION):
                out.append((*head, 0, height, when, "authz", f.address(msg.get("granter"), "granter"),
                            f.address(msg.get("grantee"), "grantee"), None, None))
    return [r for r in out if involving in (r[6], r[7])]
