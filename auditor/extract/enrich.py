"""Per-item enrichment (funding, code, senders, iExec deals): one item's failure is recorded, never the run's.

An RPC error for one address or deal (any text: providers word the same fault many ways) is kept with its
reason and retried on the next run. Only an endpoint that fails every call of a step, BROKEN_AFTER in a row
with no success, stops the run. Concurrent lookups are cancelled and awaited on any exit, so no task outlives
the run or its HTTP session.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from auditor.errors import RpcError
from auditor.model import ItemFailure

BROKEN_AFTER = 25      # consecutive failures, none succeeded since: the endpoint, not the items, is at fault
REASON_CHARS = 300

I = TypeVar("I")  # noqa: E741 - item
R = TypeVar("R")


@dataclass
class StepFailures:
    """Failures of one enrichment step on one endpoint: recorded per item, with a breaker for a dead endpoint."""

    step: str
    where: str
    failures: list[ItemFailure] = field(default_factory=list)
    succeeded: int = 0
    _in_a_row: int = 0

    def ok(self) -> None:
        self.succeeded += 1
        self._in_a_row = 0

    def failed(self, item: str, exc: RpcError) -> ItemFailure:
        """Records the failure; raises when the endpoint evidently fails every call of this step."""
        failure = ItemFailure(self.step, item, _reason(exc, self.where))
        self.failures.append(failure)
        self._in_a_row += 1
        if self._in_a_row >= BROKEN_AFTER and (self.succeeded == 0 or self._in_a_row >= 2 * BROKEN_AFTER):
            raise RpcError(f"{self.where}: every {self.step} lookup fails ({self._in_a_row} in a row, e.g. "
                           f"{failure.reason}); stopping, the endpoint is not usable for this")
        return failure

    def summary(self) -> str:
        """'3 code lookups failed ... (2: timed out; 1: ...)', or '' when none failed."""
        if not self.failures:
            return ""
        reasons = Counter(f.reason for f in self.failures).most_common(2)
        shown = "; ".join(f"{n}: {r[:120]}" for r, n in reasons)
        return f"{len(self.failures)} {self.step} lookups failed and are retried next run ({shown})"


def _reason(exc: RpcError, where: str) -> str:
    """The provider's text as one printable line: it is stored, then shown on terminals and in reports."""
    text = " ".join(str(exc).split()).removeprefix(f"{where}: ")
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text[:REASON_CHARS] or type(exc).__name__


async def for_each(items: Iterable[I], lookup: Callable[[I], Awaitable[R]], concurrency: int,
                   done: Callable[[I, R | RpcError], None]) -> None:
    """lookup(item) for every item, at most `concurrency` at once; done(item, result or RpcError) as each ends,
    in the event loop's thread. Any other exception, or one raised by `done`, cancels and awaits the rest."""
    pending: dict[asyncio.Task[R], I] = {}
    queue = iter(items)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < concurrency:
                try:
                    item = next(queue)
                except StopIteration:
                    exhausted = True
                    break
                pending[asyncio.ensure_future(lookup(item))] = item
            if not pending:
                return
            finished, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                item = pending.pop(task)
                try:
                    result: R | RpcError = task.result()
                except RpcError as exc:
                    result = exc
                done(item, result)
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
