"""First native-coin funding of an address: the first block where it holds a balance or has sent a
transaction, found by binary search, then the transfer into it in that block.

`balance > 0 or nonce > 0` never turns false again for an EOA, so the search is sound. It needs state at
old blocks: the search starts at the first block whose state the node serves (extract.state), and an address
already active there is reported as `no_archive` with that block, not guessed around.
"""

from __future__ import annotations

from typing import Any

from auditor.model import Funding
from auditor.rpc.client import Rpc
from auditor.rpc.eth import UINT256_MAX, address_of, block_time, get_block, hash_of, to_int


async def _active(client: Rpc, address: str, block: int) -> bool:
    balance, nonce = await client.batch([("eth_getBalance", [address, hex(block)]),
                                         ("eth_getTransactionCount", [address, hex(block)])])
    return to_int(balance, "balance", UINT256_MAX) > 0 or to_int(nonce, "nonce", UINT256_MAX) > 0


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
            return Funding(address, "funded", hi, funder=address_of(tx.get("from"), "sender"), block_number=hi,
                           block_time=block_time(block.get("timestamp")),
                           tx_hash=hash_of(tx.get("hash"), "transaction hash"),
                           value_wei=to_int(tx.get("value"), "value", UINT256_MAX))
    # Funded by a contract's internal call (a disperse or an exchange contract): no plain transfer to show.
    return Funding(address, "internal", hi, block_number=hi,
                   block_time=block_time(block.get("timestamp")))


def _pays(tx: dict[str, Any], address: str) -> bool:
    to = tx.get("to")   # None for a contract creation
    return isinstance(to, str) and address_of(to, "recipient") == address and \
        to_int(tx.get("value", "0x0"), "value", UINT256_MAX) > 0
