"""Several RPC endpoints of one chain used as one: requests rotate over them, and a request that fails on
one endpoint is tried on the next, so a dead or throttled provider slows the run instead of stopping it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
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
                   parse: BodyParser | None = None) -> Any:
        return await self._spread(lambda c: c.call(method, params, retries=retries, parse=parse))

    async def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        return await self._spread(lambda c: c.batch(calls))

    async def _spread(self, request: Callable[[RpcClient], Awaitable[T]]) -> T:
        start = self._next
        self._next = (self._next + 1) % len(self.clients)
        failure: TransientRpcError | None = None
        for attempt in range(ROUNDS * len(self.clients)):
            client = self.clients[(start + attempt) % len(self.clients)]
            try:
                return await request(client)
            except TransientRpcError as exc:
                failure = exc
                if (attempt + 1) % len(self.clients) == 0:
                    await asyncio.sleep(BACKOFF_BASE_S * 2 ** (attempt // len(self.clients)))
        assert failure is not None
        raise failure
