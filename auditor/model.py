"""Plain, immutable domain values shared by every stage, and the arithmetic of block ranges. No I/O here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_HASH = re.compile(r"0x[0-9a-fA-F]{64}")


def normalize_address(value: object) -> str:
    """The one place an address takes its stored form, lowercase 0x hex; ValueError for anything else."""
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value):
        raise ValueError(f"not a 20-byte 0x hex address: {str(value)[:50]!r}")
    return value.lower()


def normalize_hash(value: object) -> str:
    """The one place a 32-byte hash (block, transaction) takes its stored form; ValueError for anything else."""
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        raise ValueError(f"not a 32-byte 0x hex hash: {str(value)[:70]!r}")
    return value.lower()


FUTURE_SLACK_S = 86_400   # a block time further ahead of the local clock is a lie, not clock skew


def plausible_block_time(timestamp: int, now: float) -> bool:
    """Not before 1970, not more than FUTURE_SLACK_S ahead of `now`: a block time in year 3000 would make every
    freshness check pass forever."""
    return 0 <= timestamp <= now + FUTURE_SLACK_S


@dataclass(frozen=True, order=True)
class BlockRange:
    """An inclusive block range [start, end]."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad block range {self.start}..{self.end}")

    @property
    def size(self) -> int:
        return self.end - self.start + 1


class RawLog(NamedTuple):
    """One log as the node returned it, normalized: lowercase hex address, int block numbers.
    A NamedTuple rather than a frozen dataclass: just as immutable, and several times cheaper to build,
    which matters at a million logs."""

    address: str
    topics: tuple[bytes, ...]
    data: bytes
    block_number: int
    block_hash: str
    block_time: int | None
    tx_hash: str
    tx_index: int
    log_index: int


@dataclass(frozen=True)
class Block:
    """A block header's identity and time."""

    number: int
    hash: str
    timestamp: int


@dataclass(frozen=True)
class Param:
    """One event parameter in the ABI's own terms."""

    name: str
    type: str
    indexed: bool
    components: tuple[Param, ...] = ()


def canonical_type(p: Param) -> str:
    """The type as it appears in a canonical signature: tuples expanded, uint/int widened."""
    if p.type.startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in p.components)
        return f"({inner}){p.type[len('tuple'):]}"
    base = p.type
    for short, full in (("uint", "uint256"), ("int", "int256")):
        if base == short or base.startswith(short + "["):
            base = full + base[len(short):]
    return base


@dataclass(frozen=True)
class EventSpec:
    """An event to index: its ABI, where its rows go, and its topic0."""

    name: str
    params: tuple[Param, ...]
    table: str
    topic0: bytes
    anonymous: bool = False

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(canonical_type(p) for p in self.params)})"


@dataclass(frozen=True)
class Source:
    """Logs indexed together under one coverage key: a contract's events, or (a watch source) the token
    transfers of one address, where `contracts` lists the tokens and `address` is the watched address."""

    key: str
    chain_id: int
    address: str
    events: tuple[EventSpec, ...]
    start_block: int = 0
    marketplace: str | None = None
    topic1: tuple[bytes, ...] = ()   # when set, only logs whose topic1 is one of these
    topic2: tuple[bytes, ...] = ()   # when set, only logs whose topic2 is one of these
    contracts: tuple[str, ...] = ()  # when set, the contracts whose logs are taken (else `address`)

    @property
    def emitters(self) -> tuple[str, ...]:
        """The contracts whose logs this source takes."""
        return self.contracts or (self.address,)

    @property
    def shape(self) -> tuple[object, ...]:
        """Sources of one shape may be fetched with one query over the union of their topic filters: with
        the same contracts and events and one filtered position, that union is exactly the sources' logs."""
        if not self.topic1 and not self.topic2:
            return ("plain",)
        return (self.emitters, tuple(e.topic0 for e in self.events), bool(self.topic1), bool(self.topic2))


@dataclass(frozen=True)
class ItemFailure:
    """An item an enrichment step could not look up, and why; stored and retried on the next run."""

    step: str
    item: str
    reason: str


@dataclass(frozen=True)
class Code:
    """Whether an address holds code: a contract, or an EOA delegating under EIP-7702 (which is not one)."""

    address: str
    is_contract: bool
    delegated: bool
    size: int


@dataclass(frozen=True)
class Funding:
    """Where an address was first funded with the native coin, or why that is not known."""

    address: str
    status: str  # funded | unfunded | internal (via a contract call) | genesis | no_archive
    checked_to_block: int  # final answers: the block the answer was found at, so it does not depend on the run
    funder: str | None = None
    block_number: int | None = None
    block_time: int | None = None
    tx_hash: str | None = None
    value_wei: int | None = None
    reason: str | None = None  # why an answer is not final (no_archive: from which block the node has state)


# Range arithmetic for coverage: what is done, what is missing, how to cut it into requests.

def merge(ranges: Iterable[BlockRange]) -> list[BlockRange]:
    """Sorted, non-overlapping ranges; touching ranges are joined."""
    out: list[BlockRange] = []
    for r in sorted(ranges):
        if out and r.start <= out[-1].end + 1:
            if r.end > out[-1].end:
                out[-1] = BlockRange(out[-1].start, r.end)
        else:
            out.append(r)
    return out


def missing(covered: Iterable[BlockRange], want: BlockRange) -> list[BlockRange]:
    """The parts of `want` that no covered range contains."""
    gaps, cursor = [], want.start
    for r in merge(covered):
        if r.end < cursor:
            continue
        if r.start > want.end:
            break
        if r.start > cursor:
            gaps.append(BlockRange(cursor, min(r.start - 1, want.end)))
        cursor = max(cursor, r.end + 1)
        if cursor > want.end:
            break
    if cursor <= want.end:
        gaps.append(BlockRange(cursor, want.end))
    return gaps


def chunks(ranges: Iterable[BlockRange], size: int) -> list[BlockRange]:
    """Each range cut into pieces of at most `size` blocks, in order."""
    if size < 1:
        raise ValueError("chunk size must be positive")
    out = []
    for r in ranges:
        start = r.start
        while start <= r.end:
            end = min(r.end, start + size - 1)
            out.append(BlockRange(start, end))
            start = end + 1
    return out


def halves(r: BlockRange) -> tuple[BlockRange, BlockRange]:
    """Split a range of at least two blocks in two."""
    if r.size < 2:
        raise ValueError("cannot split a single block")
    mid = r.start + r.size // 2 - 1
    return BlockRange(r.start, mid), BlockRange(mid + 1, r.end)


class RangeCursor:
    """Walks a list of gaps, handing out the next range of whatever size is asked for at the time,
    so the range size can change during a run without skipping or repeating a block."""

    def __init__(self, gaps: list[BlockRange]) -> None:
        self._gaps = merge(gaps)
        self._i = 0
        self._next = self._gaps[0].start if self._gaps else 0

    def take(self, size: int) -> BlockRange | None:
        if size < 1:
            raise ValueError("size must be positive")
        if self._i >= len(self._gaps):
            return None
        gap = self._gaps[self._i]
        end = min(gap.end, self._next + size - 1)
        out = BlockRange(self._next, end)
        if end == gap.end:
            self._i += 1
            self._next = self._gaps[self._i].start if self._i < len(self._gaps) else 0
        else:
            self._next = end + 1
        return out

    @property
    def remaining(self) -> int:
        if self._i >= len(self._gaps):
            return 0
        return (self._gaps[self._i].end - self._next + 1) + sum(g.size for g in self._gaps[self._i + 1:])


@dataclass(frozen=True)
class NativeTransfer:
    """One native-coin value transfer (store/migrations/006_native.sql); `sender` None when unknown."""

    block_number: int
    block_time: int
    transfer_id: str
    tx_hash: str | None
    sender: str | None
    recipient: str
    value: int
    kind: str  # tx | internal


@dataclass(frozen=True)
class NativeScan:
    """What scanning one address over (from_block, to_block] found: its transfers, or why it is a hub."""

    address: str
    to_block: int
    status: str  # scanned | hub
    method: str  # trace | bisect
    nonce: int
    change_blocks: tuple[int, ...] = ()
    transfers: tuple[NativeTransfer, ...] = ()
    changes: int | None = None
    reason: str | None = None
