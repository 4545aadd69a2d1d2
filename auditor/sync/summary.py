"""What a run reports back: a summary per chain, and the progress protocol the CLI draws."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from auditor.extract.enrich import StepFailures


@dataclass
class ChainSummary:
    chain_id: int
    name: str
    rpc_host: str
    head: int = 0
    to_block: int = 0
    ranges: int = 0
    splits: int = 0
    logs: int = 0
    rows: int = 0
    funding_checked: int = 0
    watched: int = 0
    codes_checked: int = 0
    reorg_depth: int = 0
    rate_limited: int = 0
    refusals: int = 0
    rpc_calls: int = 0
    retries: int = 0
    no_archive: int = 0
    native_scanned: int = 0     # addresses scanned for native-coin transfers this run (hubs included)
    native_hubs: int = 0
    native_rows: int = 0
    native_method: str | None = None   # trace | bisect, as probed
    state_from: int | None = None
    notes: list[str] = field(default_factory=list)
    failures: dict[str, StepFailures] = field(default_factory=dict)
    looked_up: dict[str, int] = field(default_factory=dict)   # marketplace enrichment step -> items stored

    def failures_of(self, step: str) -> StepFailures:
        """The failure record of one enrichment step (created on first use)."""
        return self.failures.setdefault(step, StepFailures(step, self.rpc_host))


class Progress(Protocol):
    def start(self, label: str, total: int) -> None: ...
    def advance(self, label: str, done: int, logs: int) -> None: ...
    def finish(self, label: str) -> None: ...


class NoProgress:
    def start(self, label: str, total: int) -> None: ...
    def advance(self, label: str, done: int, logs: int) -> None: ...
    def finish(self, label: str) -> None: ...
