"""Facts about addresses and transactions the clustering needs: whether an address has code, who sent a tx."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.errors import RpcError
from auditor.rpc.client import Rpc

BATCH = 100
_DELEGATION = "0xef0100"   # EIP-7702: an EOA's code is this prefix and its delegate's address


@dataclass(frozen=True)
class Code:
    address: str
    is_contract: bool
    delegated: bool
    size: int


def _code(address: str, raw: object) -> Code:
    if not isinstance(raw, str) or not raw.startswith("0x"):
        raise RpcError(f"node returned malformed code for {address}: {str(raw)[:40]!r}")
    size = (len(raw) - 2) // 2
    delegated = raw.lower().startswith(_DELEGATION) and size == 23
    return Code(address, size > 0 and not delegated, delegated, size)


async def get_codes(client: Rpc, addresses: list[str], block: int) -> list[Code]:
    """eth_getCode of each address at `block`, in JSON-RPC batches."""
    out: list[Code] = []
    for i in range(0, len(addresses), BATCH):
        part = addresses[i:i + BATCH]
        raws = await client.batch([("eth_getCode", [a, hex(block)]) for a in part])
        out += [_code(a, r) for a, r in zip(part, raws, strict=True)]
    return out


async def get_senders(client: Rpc, txs: list[tuple[str, int]]) -> list[tuple[str, int, str]]:
    """(tx hash, block, sender) of each transaction; a tx the node does not know is left out."""
    out: list[tuple[str, int, str]] = []
    for i in range(0, len(txs), BATCH):
        part = txs[i:i + BATCH]
        raws = await client.batch([("eth_getTransactionByHash", [h]) for h, _ in part])
        for (h, block), raw in zip(part, raws, strict=True):
            if isinstance(raw, dict) and isinstance(raw.get("from"), str):
                out.append((h, block, raw["from"].lower()))
    return out
