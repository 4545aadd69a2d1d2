"""Native-coin value transfers of one EOA on any archive node, by bisection over its state.

An EOA's balance falls only through its own transactions, which raise its nonce; it rises through plain
transfers to it and through contracts' internal calls. So an interval of blocks whose ends show the same
(balance, nonce) holds no change, and halving the intervals that differ finds every block where it sent a
transaction or received value: O(n log B) state reads for n changes over B blocks, each level of halving one
JSON-RPC batch. Each change block is then read in full: the transactions it sent and the plain transfers to it
(with their receipts: a reverted transaction moves no value, and fees explain the rest of a fall). A rise the
block's plain transfers do not explain is an internal credit, its sender and transaction unknown.

An address with more than `cap` transactions (its nonce says so in one read) or changes is a hub, not scanned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditor.model import NativeScan, NativeTransfer
from auditor.rpc.client import Rpc
from auditor.rpc.eth import (
    HUGEINT_MAX,
    UINT256_MAX,
    address_of,
    asked_until_valid,
    block_time,
    get_full_blocks,
    get_receipts,
    hash_of,
    to_int,
)

State = tuple[int, int]   # (balance, nonce) at a block
Change = tuple[int, State, State]   # block, state before it, state after it


async def states(client: Rpc, address: str, blocks: Sequence[int]) -> list[State]:
    """(balance, nonce) of the address at each block, in one JSON-RPC batch."""
    async def ask() -> list[State]:
        calls: list[tuple[str, list[Any]]] = []
        for b in blocks:
            calls += [("eth_getBalance", [address, hex(b)]), ("eth_getTransactionCount", [address, hex(b)])]
        raws = await client.batch(calls)
        return [(to_int(raws[2 * i], "balance", UINT256_MAX), to_int(raws[2 * i + 1], "nonce"))
                for i in range(len(blocks))]
    return await asked_until_valid(ask)


def hub(address: str, to_block: int, method: str, nonce: int, reason: str, changes: int | None = None) -> NativeScan:
    return NativeScan(address, to_block, "hub", method, nonce, changes=changes, reason=reason)


async def changes_between(client: Rpc, address: str, low: int, high: int, ends: tuple[State, State],
                          cap: int) -> list[Change] | None:
    """Every block in (low, high] where the address's state changed, given its states at low and high;
    None once more than `cap` are certain."""
    todo = [(low, high, ends[0], ends[1])] if ends[0] != ends[1] else []
    found: list[Change] = []
    while todo:
        found += [(b, sa, sb) for a, b, sa, sb in todo if b - a == 1]
        wide = [(a, b, sa, sb) for a, b, sa, sb in todo if b - a > 1]
        if len(found) + len(wide) > cap:
            return None
        mids = [(a + b) // 2 for a, b, _, _ in wide]
        todo = []
        for (a, b, sa, sb), m, sm in zip(wide, mids, await states(client, address, mids), strict=True):
            if sa != sm:
                todo.append((a, m, sa, sm))
            if sm != sb:
                todo.append((m, b, sm, sb))
    return sorted(found)


def value_of(raw: Any, what: str) -> int:
    """A value the store keeps as HUGEINT; a larger one fails the address's scan, never the run."""
    return to_int(raw, what, HUGEINT_MAX)


def _fee(receipt: dict[str, Any]) -> int:
    fee = int(receipt["gasUsed"], 16) * int(receipt["effectiveGasPrice"], 16)
    if receipt.get("l1Fee") is not None:   # OP-stack chains charge the L1 data fee on top
        fee += int(receipt["l1Fee"], 16)
    if receipt.get("blobGasUsed") is not None and receipt.get("blobGasPrice") is not None:
        fee += int(receipt["blobGasUsed"], 16) * int(receipt["blobGasPrice"], 16)
    return fee


def _transfers(address: str, change: Change, block: dict[str, Any],
               receipts: dict[str, dict[str, Any]]) -> list[NativeTransfer]:
    number, before, after = change
    when = block_time(block.get("timestamp"))
    out: list[NativeTransfer] = []
    explained = 0
    for tx in block.get("transactions", []):
        sender = address_of(tx.get("from"), "transaction sender")
        to = tx.get("to")
        recipient = address_of(to, "transaction recipient") if to is not None else None
        if address not in (sender, recipient):
            continue
        h = hash_of(tx.get("hash"), "transaction hash")
        receipt = receipts[h]
        value = value_of(tx.get("value", "0x0"), "transaction value")
        ok = int(receipt["status"], 16) == 1
        if sender == address:
            explained -= _fee(receipt)
        if recipient is None and receipt.get("contractAddress") is not None:
            recipient = address_of(receipt["contractAddress"], "created contract")
        if not ok or value == 0 or recipient is None:
            continue
        explained += (value if recipient == address else 0) - (value if sender == address else 0)
        out.append(NativeTransfer(number, when, f"tx:{h}", h, sender, recipient, value, "tx"))
    internal = (after[0] - before[0]) - explained
    if internal > 0:
        out.append(NativeTransfer(number, when, f"balance:{address}", None, None, address,
                                  value_of(hex(internal), "internal credit"), "internal"))
    return out


async def bisect_scan(client: Rpc, address: str, low: int, high: int, cap: int,
                      seen: Sequence[int] = ()) -> NativeScan:
    """The address's transfers in (low, high] by bisection; `seen` the change blocks of earlier scans."""
    ends = await states(client, address, [low, high])
    nonce = ends[1][1]
    if nonce > cap:
        return hub(address, high, "bisect", nonce, f"nonce {nonce} at block {high} is above {cap}")
    changes = await changes_between(client, address, low, high, (ends[0], ends[1]), cap - len(seen))
    if changes is None:
        return hub(address, high, "bisect", nonce, f"more than {cap} balance or nonce changes", cap + 1)
    blocks = await get_full_blocks(client, [b for b, _, _ in changes]) if changes else []
    mine = [tx for block in blocks for tx in block.get("transactions", [])
            if address in (tx.get("from", "").lower(), str(tx.get("to") or "").lower())]
    hashes = [hash_of(tx.get("hash"), "transaction hash") for tx in mine]
    receipts = dict(zip(hashes, await get_receipts(client, hashes), strict=True)) if hashes else {}
    transfers = [t for change, block in zip(changes, blocks, strict=True)
                 for t in _transfers(address, change, block, receipts)]
    every = (*seen, *(b for b, _, _ in changes))
    return NativeScan(address, high, "scanned", "bisect", nonce, every, tuple(transfers), len(every))
