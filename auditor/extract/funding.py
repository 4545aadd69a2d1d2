"""First native-coin funding of an address: the first block where it holds a balance or has sent a
transaction, found by binary search, then the transfer into it in that block.

`balance > 0 or nonce > 0` never turns false again for an EOA, so the search is sound. It needs state at
old blocks: the search starts at the first block whose state the node serves (extract.state), and an address
already active there is reported as `no_archive` with that block, not guessed around.
"""

from __future__ import annotations

from typing import Any

from auditor.errors import RpcError
from auditor.model import Funding, normalize_address, normalize_hash
from auditor.rpc.client import Rpc
from auditor.rpc.eth import get_block, to_int


async def _active(client: Rpc, address: str, block: int) -> bool:
    balance, nonce = await client.batch([("eth_getBalance", [address, hex(block)]),
                                         ("eth_getTransactionCount", [address, hex(block)])])
    return to_int(balance, "balance") > 0 or to_int(nonce, "nonce") > 0


async def first_funding(client: Rpc, address: str, low: int, high: int, state_from: int) -> Funding:
    """Where `address` was first funded in [low, high], given the first block the node serves state from;
    O(log n) state reads plus one block. RPC errors propagate: the caller records them."""
    if not await _active(client, address, high):
        return Funding(address, "unfunded", high)
    floor = max(low, state_from)
    if await _active(client, address, floor):
        if floor == low:
            return Funding(address, "genesis", low)  # held a balance from the first block: no funder to find
        return Funding(address, "no_archive", high,
                       reason=f"already funded at block {floor}, the first whose state the node serves")
    lo, hi = floor, high  # inactive at lo, active at hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if await _active(client, address, mid):
            hi = mid
        else:
            lo = mid
    block = await get_block(client, hi, full=True)
    for tx in block.get("transactions", []):
        if isinstance(tx, dict) and _pays(tx, address):
            return Funding(address, "funded", hi, funder=_address(tx.get("from")), block_number=hi,
                           block_time=to_int(block.get("timestamp"), "block timestamp"),
                           tx_hash=_hash(tx.get("hash")),
                           value_wei=to_int(tx.get("value"), "value"))
    # Funded by a contract's internal call (a disperse or an exchange contract): no plain transfer to show.
    return Funding(address, "internal", hi, block_number=hi,
                   block_time=to_int(block.get("timestamp"), "block timestamp"))


def _address(value: Any) -> str:
    try:
        return normalize_address(value)
    except ValueError:
        raise RpcError(f"node returned a malformed sender: {str(value)[:70]!r}") from None


def _hash(value: Any) -> str:
    try:
        return normalize_hash(value)
    except ValueError:
        raise RpcError(f"node returned a malformed transaction hash: {str(value)[:70]!r}") from None


def _pays(tx: dict[str, Any], address: str) -> bool:
    to = tx.get("to")   # None for a contract creation
    return isinstance(to, str) and _address(to) == address and to_int(tx.get("value", "0x0"), "value") > 0
