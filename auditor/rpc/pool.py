"""Several RPC endpoints of one chain used as one: requests rotate over them, and a request that fails on
one endpoint is tried on the next, so a dead or throttled provider slows the run instead of stopping it.
The request's time budget (the members' `retry_for`) covers every endpoint tried, not each one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from auditor.errors import TransientRpcError
from auditor.rpc.client import BACKOFF_BASE_S, BodyParser, RpcClient, RpcStats

T = TypeVar("T")
ROUNDS = 3               # passes over all endpoints before a request is given up
MEMBER_RETRIES = 1       # each endpoint's own retries inside one pass: fail over fast


class RpcPool:
    def __init__(self, clients: list[RpcClient]) -> None:
        if not clients:
            raise ValueError("a pool needs at least one endpoint")
        self.clients = clients
        for client in clients:
            client.max_retries = MEMBER_RETRIES
        self.where = " + ".join(c.where for c in clients)
        self._next = 0

    @property
    def stats(self) -> RpcStats:
        return RpcStats(calls=sum(c.stats.calls for c in self.clients),
                        retries=sum(c.stats.retries for c in self.clients),
                        rate_limited=sum(c.stats.rate_limited for c in self.clients))

    @property
    def in_flight(self) -> int:
        return sum(c.in_flight for c in self.clients)

    async def call(self, method: str, params: list[Any], *, retries: int | None = None,
                   parse: BodyParser | None = None, budget: float | None = None) -> Any:
        return await self._spread(lambda c, left: c.call(method, params, retries=retries, parse=parse,
                                                         budget=left), budget)

    async def batch(self, calls: list[tuple[str, list[Any]]], *, budget: float | None = None) -> list[Any]:
        return await self._spread(lambda c, left: c.batch(calls, budget=left), budget)

    async def get(self, path: str, query: Sequence[tuple[str, str]] = (), *,
                  headers: Mapping[str, str] | None = None, retries: int | None = None,
                  budget: float | None = None) -> Any:
        return await self._spread(lambda c, left: c.get(path, query, headers=headers, retries=retries, budget=left),
                                  budget)

    async def _spread(self, request: Callable[[RpcClient, float], Awaitable[T]], budget: float | None) -> T:
        start = self._next
        self._next = (self._next + 1) % len(self.clients)
        clock = asyncio.get_running_loop().time
        budget = max(c.retry_for for c in self.clients) if budget is None else budget
        deadline = clock() + budget
        failure: TransientRpcError | None = None
        for attempt in range(ROUNDS * len(self.clients)):
            client = self.clients[(start + attempt) % len(self.clients)]
            if failure is not None and clock() >= deadline:
                break
            try:
                return await request(client, max(0.0, deadline - clock()))
            except TransientRpcError as exc:
                failure = exc
                if (attempt + 1) % len(self.clients) == 0:
                    delay = BACKOFF_BASE_S * 2 ** (attempt // len(self.clients))
                    if clock() + delay >= deadline:
                        break
                    await asyncio.sleep(delay)
        assert failure is not None
        raise failure
