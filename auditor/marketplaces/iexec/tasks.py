"""iExec task ids, which TaskInitialize and TaskFinalize name and OrdersMatched does not: iexec_task_id() in its
rentals SQL, one per task index of a deal."""

from __future__ import annotations

from eth_hash.auto import keccak


def task_id(deal_id: str | None, index: int | None) -> str | None:
    """iExec's task id: keccak256(abi.encodePacked(dealid, uint256(index))); None for what is not a deal id."""
    if deal_id is None or index is None or index < 0:
        return None
    try:
        deal = bytes.fromhex(deal_id.removeprefix("0x"))
    except ValueError:
        return None
    return "0x" + keccak(deal + index.to_bytes(32, "big")).hex() if len(deal) == 32 else None
