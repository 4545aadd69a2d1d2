"""First native-coin funding of an address: the first block where it holds a balance or has sent a
transaction, found by binary search, then the transfer into it in that block.

`balance > 0 or nonce > 0` never turns false again for an EOA, so the search is sound. It needs state at
old blocks (an archive node); a node that lacks it is reported, not guessed around.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.errors import RpcResponseError
from auditor.rpc.client import Rpc
from auditor.rpc.eth import get_block, to_int

_NO_STATE = ("missing trie node", "header not found", "historical state", "state not available",
             "pruned", "archive", "not available")


@dataclass(frozen=True)
class Funding:
    address: str
    status: str  # funded | unfunded | internal (via a contract call) | genesis | no_archive
    checked_to_block: int  # final answers: the block the answer was found at, so it does not depend on the run
    funder: str | None = None
    block_number: int | None = None
    block_time: int | None = None
    tx_hash: str | None = None
    value_wei: int | None = None


async def _active(client: Rpc, address: str, block: int) -> bool:
    balance, nonce = await client.batch([("eth_getBalance", [address, hex(block)]),
                                         ("eth_getTransactionCount", [address, hex(block)])])
    return to_int(balance, "balance") > 0 or to_int(nonce, "nonce") > 0


async def first_funding(client: Rpc, address: str, low: int, high: int) -> Funding:
    """Where `address` was first funded in [low, high]; O(log n) state reads plus one block."""
    try:
        if not await _active(client, address, high):
            return Funding(address, "unfunded", high)
        if await _active(client, address, low):
            return Funding(address, "genesis", low)  # held a balance from the first block: no funder to find
        lo, hi = low, high  # inactive at lo, active at hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if await _active(client, address, mid):
                hi = mid
            else:
                lo = mid
    except RpcResponseError as exc:
        if any(s in str(exc).lower() for s in _NO_STATE):
            return Funding(address, "no_archive", high)
        raise
    block = await get_block(client, hi, full=True)
    for tx in block.get("transactions", []):
        if isinstance(tx, dict) and _pays(tx, address):
            return Funding(address, "funded", hi, funder=str(tx["from"]).lower(), block_number=hi,
                           block_time=to_int(block["timestamp"], "block timestamp"),
                           tx_hash=str(tx["hash"]).lower(), value_wei=to_int(tx["value"], "value"))
    # Funded by a contract's internal call (a disperse or an exchange contract): no plain transfer to show.
    return Funding(address, "internal", hi, block_number=hi,
                   block_time=to_int(block["timestamp"], "block timestamp"))


def _pays(tx: dict[str, Any], address: str) -> bool:
    to = tx.get("to")
    return isinstance(to, str) and to.lower() == address and to_int(tx.get("value", "0x0"), "value") > 0
