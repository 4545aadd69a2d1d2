"""Plain, immutable domain values shared by every stage. No I/O here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def normalize_address(value: object) -> str:
    """The one place an address takes its stored form, lowercase 0x hex; ValueError for anything else."""
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value):
        raise ValueError(f"not a 20-byte 0x hex address: {str(value)[:50]!r}")
    return value.lower()


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
        from auditor.decode.abi import canonical_type

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
