"""Finding the aggregators behind a Chainlink proxy, so their `AnswerUpdated` events can be indexed.

A proxy switches aggregators over its life (phases 1..phaseId); prices of past rentals come from the old
aggregators, so every phase is indexed, not only the current one.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_hash.auto import keccak

from auditor.errors import RpcResponseError
from auditor.events import answer_updated
from auditor.model import Source, normalize_address
from auditor.prices.feeds import Feed, feeds_on
from auditor.rpc.client import Rpc
from auditor.rpc.eth import to_int

_PHASE_ID = keccak(b"phaseId()")[:4]
_PHASE_AGGREGATORS = keccak(b"phaseAggregators(uint16)")[:4]
MAX_PHASES = 64


@dataclass(frozen=True)
class FeedPhase:
    feed: Feed
    phase: int
    aggregator: str

    def source(self) -> Source:
        key = f"chainlink/{self.feed.asset}-USD/{normalize_address(self.feed.proxy)[:10]}/phase{self.phase}"
        return Source(key=key, chain_id=self.feed.chain_id, address=self.aggregator, events=(answer_updated(),))


async def _call(client: Rpc, to: str, data: bytes, block: int) -> bytes | None:
    """An eth_call's 32-byte answer; None when the contract is missing or reverts."""
    try:
        raw = await client.call("eth_call", [{"to": to, "data": "0x" + data.hex()}, hex(block)])
    except RpcResponseError:
        return None
    if not isinstance(raw, str) or len(raw) < 66:
        return None
    return bytes.fromhex(raw[2:66])


async def feed_phases(client: Rpc, chain_id: int, block: int) -> tuple[list[FeedPhase], list[str]]:
    """Every phase aggregator of the chain's feeds, as of `block`; plus a note per feed that could not be
    read (the proxy is not deployed on this node, say), which is then left out rather than failing the run."""
    phases: list[FeedPhase] = []
    notes: list[str] = []
    for feed in feeds_on(chain_id):
        word = await _call(client, feed.proxy, _PHASE_ID, block)
        count = to_int("0x" + word.hex(), "phase id") if word else 0
        if not 0 < count <= MAX_PHASES:
            notes.append(f"{feed.asset}/USD feed {feed.proxy} not readable at block {block}; prices for "
                         f"{feed.asset} must come from `auditor prices import`")
            continue
        for phase in range(1, count + 1):
            answer = await _call(client, feed.proxy, _PHASE_AGGREGATORS + phase.to_bytes(32, "big"), block)
            aggregator = "0x" + answer[12:].hex() if answer else None
            if aggregator and int(aggregator, 16):
                phases.append(FeedPhase(feed, phase, aggregator))
    return phases, notes
