"""Native-coin value transfers of one EOA from a node's traces (trace_filter), where the node serves them.

Two trace_filter calls (the address as sender, as recipient) return every call frame that moved value from or
to it, internal ones with their sender; a reverted transaction (receipt status 0) moved nothing. Whether the
node serves trace_filter over the whole window is probed once per chain and run (`serves_traces`); without
it, extract.native's bisection finds the same transfers from state reads alone.
"""

from __future__ import annotations

from typing import Any

from auditor.errors import InvalidResponseError, RpcError
from auditor.extract.native import hub, value_of
from auditor.model import NativeScan, NativeTransfer
from auditor.rpc.client import Rpc
from auditor.rpc.eth import address_of, get_blocks, get_receipts, hash_of, to_int

PROBE_ADDRESS = "0x0000000000000000000000000000000000000000"
PROBE_RETRIES = 1   # "method not found" is an answer: a node without traces must not cost a backoff


async def serves_traces(client: Rpc, low: int, high: int) -> bool:
    """Whether the node answers trace_filter over (low, high], the whole window a scan may ask: an error of any
    kind (-32601 "method not found" above all; a range limit, under which traces would cost a call per few
    hundred blocks and address where bisection costs a few per change) means no. Asking the whole window keeps
    the answer the same run after run on one node, so each block is scanned by one method."""
    try:
        got = await client.call("trace_filter", [{"fromBlock": hex(low + 1), "toBlock": hex(high),
                                                  "fromAddress": [PROBE_ADDRESS], "count": 1}],
                                retries=PROBE_RETRIES)
    except RpcError:
        return False
    return isinstance(got, list)


def _number(value: Any) -> int:
    """A trace's blockNumber: a JSON number in the Parity format, a 0x quantity at some nodes."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
        return value
    return to_int(value, "trace block number")


def _moved(trace: Any) -> tuple[int, str, str, str, int, bool] | None:
    """(block, tx hash, from, to, value, top-level) of a trace that moved value, else None."""
    if not isinstance(trace, dict) or not isinstance(trace.get("action"), dict):
        raise InvalidResponseError("node returned a trace that is not an object")
    if trace.get("error") is not None or trace.get("transactionHash") is None:
        return None   # a failed frame moved nothing; a block reward has no transaction
    action, kind = trace["action"], trace.get("type")
    if kind == "call" and action.get("callType") in ("call", None):
        sender, recipient, value = action.get("from"), action.get("to"), action.get("value")
    elif kind == "create":
        result = trace.get("result")
        sender, value = action.get("from"), action.get("value")
        recipient = result.get("address") if isinstance(result, dict) else None
    elif kind == "suicide":
        sender, recipient, value = action.get("address"), action.get("refundAddress"), action.get("balance")
    else:
        return None   # delegatecall and staticcall move no value; rewards are no transfers
    moved = value_of(value, "trace value")
    if moved == 0 or recipient is None:
        return None
    path = trace.get("traceAddress")
    if not isinstance(path, list):
        raise InvalidResponseError("node returned a trace without traceAddress")
    return (_number(trace.get("blockNumber")), hash_of(trace.get("transactionHash"), "trace transaction hash"),
            address_of(sender, "trace sender"), address_of(recipient, "trace recipient"), moved, not path)


async def _filter(client: Rpc, field: str, address: str, low: int, high: int, cap: int) -> list[Any]:
    got = await client.call("trace_filter", [{"fromBlock": hex(low + 1), "toBlock": hex(high), field: [address],
                                              "count": cap + 1}])
    if not isinstance(got, list):
        raise InvalidResponseError("node returned trace_filter results that are not a list")
    return got


async def trace_scan(client: Rpc, address: str, low: int, high: int, cap: int,
                     seen: tuple[int, ...] = ()) -> NativeScan:
    """The address's transfers in (low, high] from trace_filter; `seen` the change blocks of earlier scans."""
    nonce = to_int(await client.call("eth_getTransactionCount", [address, hex(high)]), "nonce")
    if nonce > cap:
        return hub(address, high, "trace", nonce, f"nonce {nonce} at block {high} is above {cap}")
    room = cap - len(seen)
    traces = [*await _filter(client, "fromAddress", address, low, high, room),
              *await _filter(client, "toAddress", address, low, high, room)]
    if len(traces) > room:
        return hub(address, high, "trace", nonce, f"more than {cap} traces", cap + 1)
    blocks = sorted({_number(t.get("blockNumber")) for t in traces if isinstance(t, dict)})
    if any(not low < b <= high for b in blocks):
        raise InvalidResponseError(f"node returned a trace outside blocks {low + 1}..{high}")
    moved: dict[tuple[str, str], tuple[int, str, str, str, int, bool]] = {}
    for t in traces:
        m = _moved(t)
        if m is not None and address in (m[2], m[3]):
            moved[(m[1], ".".join(str(i) for i in t["traceAddress"]))] = m
    hashes = sorted({h for h, _ in moved})
    ok = {h for h, r in zip(hashes, await get_receipts(client, hashes), strict=True) if int(r["status"], 16) == 1} \
        if hashes else set()
    times = {b.number: b.timestamp for b in await get_blocks(client, sorted({m[0] for m in moved.values()}))} \
        if moved else {}
    transfers = tuple(
        NativeTransfer(n, times[n], f"tx:{h}" if top else f"trace:{h}:{path}", h, src, dst, value,
                       "tx" if top else "internal")
        for (h, path), (n, _, src, dst, value, top) in sorted(moved.items(), key=lambda kv: (kv[1][0], kv[0]))
        if h in ok)
    every = (*seen, *blocks)
    return NativeScan(address, high, "scanned", "trace", nonce, every, transfers, len(every))
