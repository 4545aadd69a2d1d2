"""Facts about addresses and transactions the clustering needs: whether an address has code, who sent a tx."""

from __future__ import annotations

from typing import Any

from auditor.errors import RpcError
from auditor.model import Code
from auditor.rpc.client import Rpc
from auditor.rpc.eth import address_of, check_code, hash_of

BATCH = 100
_DELEGATION = "0xef0100"   # EIP-7702: an EOA's code is this prefix and its delegate's address


def _code(address: str, raw: object) -> Code:
    raw = check_code(raw, address)
    size = (len(raw) - 2) // 2
    delegated = raw.lower().startswith(_DELEGATION) and size == 23
    return Code(address, size > 0 and not delegated, delegated, size)


async def _each(client: Rpc, calls: list[tuple[str, list[Any]]]) -> list[Any | RpcError]:
    """Results of JSON-RPC batches; a batch that fails is asked again call by call, so one bad item (any error
    text) only costs itself: its place holds the RpcError."""
    out: list[Any | RpcError] = []
    for i in range(0, len(calls), BATCH):
        part = calls[i:i + BATCH]
        try:
            out += await client.batch(part)
            continue
        except RpcError:
            pass
        for method, params in part:
            try:
                out.append(await client.call(method, params))
            except RpcError as exc:
                out.append(exc)
    return out


def _sender(tx_hash: str, raw: dict[str, Any]) -> str:
    """The sender of the transaction asked for: an answer about another transaction is no answer."""
    if hash_of(raw.get("hash"), "transaction hash") != tx_hash:
        raise RpcError(f"node answered for transaction {str(raw.get('hash'))[:70]} when asked for {tx_hash}")
    return address_of(raw.get("from"), f"sender for {tx_hash}")


async def get_codes(client: Rpc, addresses: list[str], block: int) -> list[Code | RpcError]:
    """eth_getCode of each address at `block`, in the order asked; a failed lookup is its RpcError."""
    raws = await _each(client, [("eth_getCode", [a, hex(block)]) for a in addresses])
    out: list[Code | RpcError] = []
    for address, raw in zip(addresses, raws, strict=True):
        try:
            out.append(raw if isinstance(raw, RpcError) else _code(address, raw))
        except RpcError as exc:
            out.append(exc)
    return out


async def get_senders(client: Rpc, txs: list[tuple[str, int]]) -> list[tuple[str, int, str] | RpcError | None]:
    """(tx hash, block, sender) of each transaction, in the order asked; None for a tx the node does not know,
    its RpcError for a failed lookup."""
    raws = await _each(client, [("eth_getTransactionByHash", [h]) for h, _ in txs])
    out: list[tuple[str, int, str] | RpcError | None] = []
    for (h, block), raw in zip(txs, raws, strict=True):
        if isinstance(raw, RpcError):
            out.append(raw)
        elif isinstance(raw, dict):
            try:
                out.append((h, block, _sender(h, raw)))
            except RpcError as exc:
                out.append(exc)
        else:
            out.append(None)
    return out
