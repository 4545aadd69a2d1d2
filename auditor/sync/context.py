"""One chain's pass as a single value: what every stage of the run needs, instead of ten parameters."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.extract.governor import RangeGovernor
from auditor.rpc.client import Rpc
from auditor.store.db import Lease
from auditor.sync.kind import SourceKind, Window
from auditor.sync.request import IndexRequest
from auditor.sync.summary import ChainSummary, Progress


@dataclass(frozen=True)
class ChainRun:
    """The request, the database lease, the endpoint and the kind of source it serves, and the window
    [earliest, to] of one chain's pass.

    `db.con` is read at each use (never kept): between commits the lease may hand the file to a waiting
    process and reopen it."""

    req: IndexRequest
    db: Lease
    client: Rpc
    chain: int
    name: str
    earliest: int
    to: int
    governor: RangeGovernor
    summary: ChainSummary
    progress: Progress
    kind: SourceKind

    @property
    def window(self) -> Window:
        return Window(self.earliest, self.to, self.req.from_block)

    def label(self, stage: str) -> str:
        return f"{self.name} {stage}"
