"""The Akash LCD routes the indexer reads, and their answers checked: blocks (height -> time), the list endpoints
page by page at one height, and tx search.

Why the list endpoints: deployments, bids and leases stay in the store when they close (state closed, the lease's
closed_on and reason kept), so paging them at a height gives every object ever made, closes for lack of funds
included, which no transaction records (they happen in block logic). Tx search gives what only transactions hold
(who sent whom tokens, fee grants). Pages are read at one height (x-cosmos-block-height) so a paged list is one
consistent state, whatever the chain does meanwhile.

Page sizes adapt: a page the node refuses (too large, deadline exceeded, a body over the client's cap) is asked
again with half the limit, and a run of good pages doubles it back, up to the gateway's cap of 1000.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import re
import time
from dataclasses import dataclass
from typing import Any

from auditor.errors import InvalidResponseError, ResponseTooLargeError, RpcError, RpcResponseError
from auditor.extract.akash import fields as f
from auditor.model import Block, plausible_block_time
from auditor.rpc.client import Rpc
from auditor.rpc.rest import GRPC_DEADLINE_EXCEEDED, GRPC_NOT_FOUND, GRPC_UNIMPLEMENTED

HEIGHT_HEADER = "x-cosmos-block-height"
VERSIONS = ("v1beta5", "v1beta4")
LISTS = ("providers", "deployments", "bids", "leases")
START_LIMIT = 200
MAX_LIMIT = 1000          # the gateway caps every limit here
GROW_AFTER = 4            # good pages in a row before the limit doubles
MAX_KEY_CHARS = 4096
_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{1,9})?Z")
_LOWEST = re.compile(r"lowest height is (\d+)")
_REFUSED = re.compile(r"limit|too large|too big|exceed|too many", re.I)


def list_path(name: str, version: str) -> str:
    if name == "providers":
        return "/akash/provider/v1beta4/providers"
    module = "deployment" if name == "deployments" else "market"
    return f"/akash/{module}/{version}/{name}/list"


async def api_version(client: Rpc) -> str:
    """v1beta5 where the node serves it (chain-sdk, Akash v1.0 on), else v1beta4 (older nodes)."""
    for version in VERSIONS:
        try:
            await client.get(list_path("leases", version), [("pagination.limit", "1")])
            return version
        except RpcResponseError as exc:
            if exc.code not in (GRPC_UNIMPLEMENTED, GRPC_NOT_FOUND, None):
                raise
    raise RpcError(f"{client.where}: serves neither the v1beta5 nor the v1beta4 Akash market API")


def _seconds(value: Any) -> int:
    m = _TIME.fullmatch(value) if isinstance(value, str) else None
    if not m:
        raise f.bad("block time", value)
    t = calendar.timegm((*(int(x) for x in m.groups()), 0, 0, 0))
    if not plausible_block_time(t, time.time()):
        raise f.bad("block time", value)
    return t


async def block(client: Rpc, height: int | None = None) -> Block:
    """The block at `height` (the latest when None), its header checked: the height asked, a plausible time."""
    path = "/cosmos/base/tendermint/v1beta1/blocks/" + ("latest" if height is None else str(height))
    answer = await client.get(path)
    header = f.obj(f.obj(answer.get("block"), "block").get("header"), "block header")
    number = f.height(header.get("height"), "block height")
    if height is not None and number != height:
        raise InvalidResponseError(f"{client.where}: asked for block {height}, got block {number}")
    try:
        digest = base64.b64decode(f.obj(answer.get("block_id"), "block id").get("hash") or "", validate=True)
    except (binascii.Error, ValueError):
        raise f.bad("block hash", answer.get("block_id")) from None
    return Block(number, digest.hex(), _seconds(header.get("time")))


async def earliest_block(client: Rpc) -> Block | None:
    """The first block the node keeps: block 1, or the one a pruned node names ("height 1 is not available,
    lowest height is N", CometBFT's text); None when it says neither."""
    try:
        return await block(client, 1)
    except RpcResponseError as exc:
        m = _LOWEST.search(str(exc))
        return await block(client, int(m.group(1))) if m and len(m.group(1)) < 19 else None


@dataclass(frozen=True)
class Page:
    entries: list[Any]
    next_key: str | None
    limit: int        # the limit the page was read with


def _refused(exc: RpcError) -> bool:
    if isinstance(exc, ResponseTooLargeError):
        return True
    return isinstance(exc, RpcResponseError) and (exc.code == GRPC_DEADLINE_EXCEEDED or bool(_REFUSED.search(str(exc))))


async def page(client: Rpc, name: str, version: str, key: str | None, limit: int, height: int) -> Page:
    """One page of a list at `height`, from `key` (None: the first); a refused page is asked again smaller."""
    while True:
        query = [("pagination.limit", str(limit))] + ([("pagination.key", key)] if key else [])
        try:
            answer = await client.get(list_path(name, version), query, headers={HEIGHT_HEADER: str(height)})
            break
        except RpcError as exc:
            if not _refused(exc) or limit == 1:
                raise
            limit = max(1, limit // 2)
    entries = f.items(answer.get(name), name)
    pagination = answer.get("pagination")
    next_key = pagination.get("next_key") if isinstance(pagination, dict) else None
    if next_key is not None:
        if not isinstance(next_key, str) or len(next_key) > MAX_KEY_CHARS:
            raise f.bad("pagination next_key", next_key)
        try:
            base64.b64decode(next_key, validate=True)
        except (binascii.Error, ValueError):
            raise f.bad("pagination next_key", next_key) from None
    if len(entries) > limit:
        raise InvalidResponseError(f"{client.where}: a page of {name} holds {len(entries)} entries, over the "
                                   f"limit {limit} asked")
    return Page(entries, next_key or None, limit)


async def tx_search(client: Rpc, query: str, page_no: int, limit: int) -> tuple[list[Any], int]:
    """One page (1-based) of GetTxsEvent, oldest first: the tx responses and the total the node counts."""
    answer = await client.get("/cosmos/tx/v1beta1/txs", [("query", query), ("page", str(page_no)),
                                                         ("limit", str(limit)), ("order_by", "ORDER_BY_ASC")])
    total = answer.get("total")
    if total is None:
        total = (answer.get("pagination") or {}).get("total", "0")
    return f.items(answer.get("tx_responses"), "tx_responses"), f.height(total, "tx search total")


def tx_time(value: Any) -> int:
    return _seconds(value)
