"""Native-coin value transfers of one EOA through Otterscan's API (ots_*), served by Erigon and anvil.

ots_searchTransactionsBefore pages through every transaction the address appears in, its internal calls
included (the node's address-appearance index), newest first; ots_getInternalOperations then names the value
each moved inside (transfers, self-destructs, creations) with its sender. Chosen with
`--native-method ots`: on a node with the index (Erigon) it has no range limit and names the senders of
internal transfers, which bisection (extract.native) cannot; a node without one (anvil) traces every block.
"""

from __future__ import annotations

from typing import Any

from auditor.errors import InvalidResponseError
from auditor.extract.native import hub, value_of
from auditor.model import NativeScan, NativeTransfer
from auditor.rpc.client import Rpc
from auditor.rpc.eth import address_of, get_blocks, hash_of, to_int

PAGE = 100          # transactions per ots_searchTransactionsBefore page (a minimum: pages end on whole blocks)


async def _appearances(client: Rpc, address: str, low: int, high: int, cap: int) -> list[dict[str, Any]] | None:
    """Transactions the address appears in within (low, high] with their receipts; None beyond `cap`."""
    found: dict[str, dict[str, Any]] = {}
    before = high + 1
    while True:
        page = await client.call("ots_searchTransactionsBefore", [address, before, PAGE])
        txs, receipts = (page.get("txs"), page.get("receipts")) if isinstance(page, dict) else (None, None)
        if not isinstance(txs, list) or not isinstance(receipts, list) or len(txs) != len(receipts):
            raise InvalidResponseError("node returned a malformed ots_searchTransactionsBefore page")
        blocks = [to_int(tx.get("blockNumber"), "block number") if isinstance(tx, dict) else -1 for tx in txs]
        for tx, receipt, block in zip(txs, receipts, blocks, strict=True):
            if not isinstance(receipt, dict) or block >= before:
                raise InvalidResponseError("node returned a malformed ots_searchTransactionsBefore page")
            if block > low:
                h = hash_of(tx.get("hash"), "transaction hash")
                if hash_of(receipt.get("transactionHash"), "receipt transaction hash") != h:
                    raise InvalidResponseError(f"node returned the receipt of another transaction than {h}")
                found[h] = {**tx, "status": to_int(receipt.get("status"), "receipt status"), "block": block,
                            "contractAddress": receipt.get("contractAddress")}
        if len(found) > cap:
            return None
        if page.get("lastPage") is True or not blocks or min(blocks) <= low:
            return sorted(found.values(), key=lambda t: (t["block"], int(t.get("transactionIndex", "0x0"), 16)))
        before = min(blocks)


def _operation(op: Any) -> tuple[str, str, int] | None:
    """(from, to, value) of an internal operation that moved value."""
    if not isinstance(op, dict) or not isinstance(op.get("type"), int):
        raise InvalidResponseError("node returned a malformed internal operation")
    value = value_of(op.get("value", "0x0"), "internal operation value")
    if value == 0:
        return None
    return address_of(op.get("from"), "internal operation sender"), address_of(op.get("to"), "recipient"), value


async def ots_scan(client: Rpc, address: str, low: int, high: int, cap: int,
                   seen: tuple[int, ...] = ()) -> NativeScan:
    """The address's transfers in (low, high] through the ots API; `seen` the change blocks of earlier scans."""
    nonce = to_int(await client.call("eth_getTransactionCount", [address, hex(high)]), "nonce")
    if nonce > cap:
        return hub(address, high, "ots", nonce, f"nonce {nonce} at block {high} is above {cap}")
    txs = await _appearances(client, address, low, high, cap - len(seen))
    if txs is None:
        return hub(address, high, "ots", nonce, f"appears in more than {cap} transactions", cap + 1)
    done = [t for t in txs if t["status"] == 1]
    ops = await client.batch([("ots_getInternalOperations", [t["hash"]]) for t in done]) if done else []
    times = {b.number: b.timestamp for b in await get_blocks(client, sorted({t["block"] for t in done}))} \
        if done else {}
    out: list[NativeTransfer] = []
    for tx, raw in zip(done, ops, strict=True):
        h, n = str(tx["hash"]), int(tx["block"])
        sender = address_of(tx.get("from"), "transaction sender")
        to = tx.get("to") if tx.get("to") is not None else tx.get("contractAddress")
        recipient = address_of(to, "transaction recipient") if to is not None else None
        value = value_of(tx.get("value", "0x0"), "transaction value")
        top = (sender, recipient, value)
        if value and recipient is not None and address in (sender, recipient):
            out.append(NativeTransfer(n, times[n], f"tx:{h}", h, sender, recipient, value, "tx"))
        if not isinstance(raw, list):
            raise InvalidResponseError(f"node returned malformed internal operations of {h}")
        moved = [m for m in (_operation(op) for op in raw) if m is not None]
        if moved and moved[0] == top:
            moved = moved[1:]   # some nodes (anvil) list the top-level call as the first operation
        out += [NativeTransfer(n, times[n], f"ots:{h}:{i}", h, src, dst, v, "internal")
                for i, (src, dst, v) in enumerate(moved) if address in (src, dst)]
    every = (*seen, *sorted({int(t["block"]) for t in txs}))
    return NativeScan(address, high, "scanned", "ots", nonce, every, tuple(out), len(every))
