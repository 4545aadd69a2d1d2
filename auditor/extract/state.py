"""Which old state the node serves, probed rather than guessed from error texts.

Archive nodes answer state reads at every block; pruned nodes (and anvil, which keeps a bounded history) only
from some block on, and each words the refusal its own way. So the node is asked: state at the earliest block
of interest, else a bisection for the first block it serves. Lookups start there; what happened before it is
reported as not traceable (`no_archive`), never guessed.
"""

from __future__ import annotations

from auditor.errors import RpcError
from auditor.rpc.client import Rpc

PROBE_ADDRESS = "0x0000000000000000000000000000000000000000"
PROBE_RETRIES = 2   # a refusal is an answer here: a block without state must not cost a full backoff


async def serves_state(client: Rpc, block: int) -> bool:
    """Whether the node answers a state read at `block`."""
    try:
        await client.call("eth_getBalance", [PROBE_ADDRESS, hex(block)], retries=PROBE_RETRIES)
    except RpcError:
        return False
    return True


async def first_state_block(client: Rpc, low: int, high: int) -> int:
    """The first block in [low, high] from which the node serves state (it keeps state up to its head once it
    keeps any); O(log(high - low)) calls. Every node serves state near its head: one that refuses it at `high`
    cannot trace funding at all, and the run stops saying so."""
    try:
        await client.call("eth_getBalance", [PROBE_ADDRESS, hex(high)])
    except RpcError as exc:
        raise RpcError(f"{exc}: the node serves no state at block {high}, so funding cannot be traced; "
                       "index with --no-funding, or fewer --confirmations") from None
    if await serves_state(client, low):
        return low
    lo, hi = low, high  # no state at lo, state at hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if await serves_state(client, mid):
            hi = mid
        else:
            lo = mid
    return hi
