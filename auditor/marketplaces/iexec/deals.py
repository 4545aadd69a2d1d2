"""iExec deal details by `viewDeal(dealid)` (eth_call): the GPU tag, the category and the deal's start, and
the iexec_deals table that holds them: iExec's enrichment step, run by the engine like any marketplace's.

`OrdersMatched` names no address and no tag; the deal struct does. Called at the match's block, so the answer
does not depend on when the indexer runs; below the first block whose state the node serves (probed, see
extract.state) it is asked at the safe block instead (deals are never rewritten once matched).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
from eth_hash.auto import keccak

from auditor.errors import RpcResponseError
from auditor.model import normalize_address
from auditor.rpc.client import Rpc

VIEW_DEAL = keccak(b"viewDeal(bytes32)")[:4]
# IexecLibCore_v5.Deal: app, dataset, workerpool (pointer, owner, price), trust, category, tag, requester,
# beneficiary, callback, params, startTime, botFirst, botSize, workerStake, schedulerRewardRatio, sponsor.
DEAL_TYPE = ("((address,address,uint256),(address,address,uint256),(address,address,uint256),uint256,uint256,"
             "bytes32,address,address,address,string,uint256,uint256,uint256,uint256,uint256,address)")


@dataclass(frozen=True)
class DealRef:
    """An OrdersMatched row to look up."""

    dealid: str
    block_number: int
    log_index: int
    tx_hash: str


@dataclass(frozen=True)
class Deal:
    ref: DealRef
    status: str                 # found | empty (the node knows no such deal) | unreadable (not a deal struct)
    requester: str | None = None
    beneficiary: str | None = None
    workerpool: str | None = None
    workerpool_owner: str | None = None
    workerpool_price: int | None = None
    category: int | None = None
    tag: str | None = None
    start_time: int | None = None
    bot_first: int | None = None
    bot_size: int | None = None


def _address(value: Any) -> str:
    return normalize_address(value)


def decode_deal(ref: DealRef, data: bytes) -> Deal:
    """The Deal struct of a viewDeal answer; an all-zero struct is a deal the node does not know."""
    from eth_abi.abi import decode
    from eth_abi.exceptions import DecodingError

    try:
        (deal,) = decode([DEAL_TYPE], data)
    except (DecodingError, OverflowError, ValueError):
        return Deal(ref, "unreadable")
    _app, _dataset, pool, _trust, category, tag, requester, beneficiary, _cb, _params, start, first, size, *_ = deal
    if int(requester, 16) == 0 and start == 0:
        return Deal(ref, "empty")
    return Deal(ref, "found", requester=_address(requester), beneficiary=_address(beneficiary),
                workerpool=_address(pool[0]), workerpool_owner=_address(pool[1]), workerpool_price=pool[2],
                category=category, tag="0x" + tag.hex(), start_time=start, bot_first=first, bot_size=size)


async def view_deal(client: Rpc, contract: str, ref: DealRef, state_from: int, safe: int) -> Deal:
    """The deal at its match block, or at `safe` when the node keeps no state that old. A revert means the
    contract has no viewDeal (an older deployment): 'unreadable', final. Other RPC errors propagate."""
    data = "0x" + (VIEW_DEAL + bytes.fromhex(ref.dealid.removeprefix("0x"))).hex()
    block = ref.block_number if ref.block_number >= state_from else safe
    try:
        raw = await client.call("eth_call", [{"to": contract, "data": data}, hex(block)])
    except RpcResponseError as exc:
        if not _reverted(exc):
            raise
        return Deal(ref, "unreadable")
    if not isinstance(raw, str) or not raw.startswith("0x"):
        return Deal(ref, "unreadable")
    try:
        payload = bytes.fromhex(raw[2:])
    except ValueError:
        return Deal(ref, "unreadable")
    return decode_deal(ref, payload)


def _reverted(exc: RpcResponseError) -> bool:
    """EIP-1474 code 3 is 'execution reverted'; geth, anvil and most providers also say it in -32000 errors."""
    return exc.code == 3 or "revert" in str(exc).lower()


def deals_to_view(con: duckdb.DuckDBPyConnection, chain_id: int, contract: str) -> list[DealRef]:
    """Matched deals not read yet, oldest first."""
    rows = con.execute("""
        SELECT m.dealid, min(m.block_number), arg_min(m.log_index, (m.block_number, m.log_index)),
               arg_min(m.tx_hash, (m.block_number, m.log_index))
        FROM iexec_orders_matched m
        WHERE m.chain_id = $chain AND m.contract = $contract
          AND m.dealid NOT IN (SELECT dealid FROM iexec_deals WHERE chain_id = $chain)
        GROUP BY m.dealid ORDER BY 2, 3""", {"chain": chain_id, "contract": contract}).fetchall()
    return [DealRef(str(d), int(b), int(i), str(t)) for d, b, i, t in rows]


def write_deal(con: duckdb.DuckDBPyConnection, chain_id: int, contract: str, d: Deal) -> None:
    """Store one deal (final: a deal is never rewritten once matched)."""
    con.execute(
        "INSERT OR REPLACE INTO iexec_deals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, to_timestamp(?), ?, ?)",
        [chain_id, contract, d.ref.block_number, d.ref.log_index, d.ref.tx_hash, d.ref.dealid, d.status,
         d.requester, d.beneficiary, d.workerpool, d.workerpool_owner,
         None if d.workerpool_price is None else str(d.workerpool_price), d.category, d.tag, d.start_time,
         d.bot_first, d.bot_size])
