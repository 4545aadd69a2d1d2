"""A JSON-RPC client over one aiohttp session.

Only idempotent reads go through here, so every transient failure (connection reset, timeout, 5xx, 429,
truncated or malformed JSON) is retried with exponential backoff and jitter, within a time budget per request
(`retry_for`): a dead or black-holed endpoint fails in about that time with its last error, however many
attempts the count would still allow. JSON-RPC error objects are classified once, here: too-many-results
(shrink the range), rate limit (back off), anything else terminal.

A body is read in chunks and counted after decompression: one larger than `max_response` bytes is cut there
(ResponseTooLargeError, which the log fetch treats like a provider's result cap), so a hostile endpoint's
endless body or gzip bomb costs at most the cap per request in flight.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import aiohttp
import orjson

from auditor import defaults
from auditor.errors import (
    InvalidResponseError,
    RateLimitedError,
    ResponseTooLargeError,
    RpcError,
    TransientRpcError,
)
from auditor.rpc.classify import classify_error
from auditor.rpc.rest import rest_get
from auditor.rpc.rest import retry_after as _retry_after
from auditor.rpc.urls import check_url, redact_text, redact_url

MAX_RETRIES = 6
BACKOFF_BASE_S = 0.25
BACKOFF_CAP_S = 20.0
REQUEST_TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 10.0
MIN_ATTEMPT_S = 1.0              # the last attempt of a budget still gets this long
RETRY_FOR_S = defaults.RETRY_FOR_S   # default budget of one request, all its attempts and waits together
MAX_RESPONSE_BYTES = 64 << 20    # decoded; a 10,000-log answer is about 6 MB
MAX_BATCH = 100

BodyParser = Callable[[bytes, int], Any]
"""Reads a single call's result straight from the response body and the request id; returns None for any body
it does not handle (errors, other shapes), which then takes the general path."""

RETRY_AFTER_CAP_S = 60.0
T = TypeVar("T")
GROW_AFTER_SUCCESSES = 20


@dataclass
class RpcStats:
    """Counters for the run summary."""

    calls: int = 0
    retries: int = 0
    rate_limited: int = 0


class AdaptiveLimit:
    """Requests in flight to one endpoint: halved on a rate limit, grown back by one after a run of
    successes, never above the configured maximum."""

    def __init__(self, maximum: int) -> None:
        self.maximum = self.limit = max(1, maximum)
        self._in_flight = 0
        self._successes = 0
        self._cond = asyncio.Condition()

    async def __aenter__(self) -> None:
        async with self._cond:
            await self._cond.wait_for(lambda: self._in_flight < self.limit)
            self._in_flight += 1

    async def __aexit__(self, *exc: object) -> None:
        async with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    def throttled(self) -> None:
        self.limit = max(1, self.limit // 2)
        self._successes = 0

    def succeeded(self) -> None:
        self._successes += 1
        if self._successes >= GROW_AFTER_SUCCESSES and self.limit < self.maximum:
            self.limit += 1
            self._successes = 0


class Rpc(Protocol):
    """One endpoint or a pool of endpoints of the same chain: what extraction needs."""

    where: str

    @property
    def stats(self) -> RpcStats: ...

    @property
    def in_flight(self) -> int: ...

    async def call(self, method: str, params: list[Any], *, retries: int | None = None,
                   parse: BodyParser | None = None, budget: float | None = None) -> Any: ...

    async def batch(self, calls: list[tuple[str, list[Any]]], *, budget: float | None = None) -> list[Any]: ...

    async def get(self, path: str, query: Sequence[tuple[str, str]] = (), *,
                  headers: Mapping[str, str] | None = None, retries: int | None = None,
                  budget: float | None = None) -> Any: ...


class RpcClient:
    """Calls one endpoint. `where` (the redacted URL) is the only form of the URL that appears in messages.
    `retry_for` is the time budget of one request; `max_response` the largest decoded body read."""

    def __init__(self, url: str, session: aiohttp.ClientSession, *, max_retries: int = MAX_RETRIES,
                 concurrency: int = 16, retry_for: float = RETRY_FOR_S,
                 max_response: int | None = None) -> None:
        self._url = check_url(url)
        self.where = redact_url(url)
        self._session = session
        self.max_retries = max_retries
        self.retry_for = retry_for
        self.max_response = MAX_RESPONSE_BYTES if max_response is None else max_response
        self._ids = 0
        self.stats = RpcStats()
        self.limit = AdaptiveLimit(concurrency)

    @property
    def in_flight(self) -> int:
        """How many requests may be in flight now (lowered while the endpoint rate-limits)."""
        return self.limit.limit

    async def call(self, method: str, params: list[Any], *, retries: int | None = None,
                   parse: BodyParser | None = None, budget: float | None = None) -> Any:
        """One request; retried while the failure is transient (`retries` overrides the client's limit,
        `budget` its time budget). `parse`, run in a worker thread, may read a large result faster than JSON
        into Python objects."""
        results = await self._with_retries([(method, params)], single=True, retries=retries, parse=parse,
                                           budget=budget)
        return results[0]

    async def batch(self, calls: list[tuple[str, list[Any]]], *, budget: float | None = None) -> list[Any]:
        """Many requests in JSON-RPC batches of at most MAX_BATCH, results in the order asked; each batch
        has the time budget."""
        out: list[Any] = []
        for i in range(0, len(calls), MAX_BATCH):
            out.extend(await self._with_retries(calls[i:i + MAX_BATCH], single=False, budget=budget))
        return out

    async def _with_retries(self, calls: list[tuple[str, list[Any]]], single: bool,
                            retries: int | None = None, parse: BodyParser | None = None,
                            budget: float | None = None) -> list[Any]:
        return await self._retrying(lambda seconds: self._post(calls, single, parse, seconds), retries, budget)

    async def get(self, path: str, query: Sequence[tuple[str, str]] = (), *, headers: Mapping[str, str] | None = None,
                  retries: int | None = None, budget: float | None = None) -> Any:
        """GET of a REST path under the endpoint's URL (a Cosmos LCD), its JSON answer; retried like `call`."""
        return await self._retrying(lambda seconds: rest_get(self._session, self._url, self.where, path, query,
                                                             headers or {}, seconds, self._read, self.stats),
                                    retries, budget)

    async def _retrying(self, attempt_once: Callable[[float], Awaitable[T]], retries: int | None,
                        budget: float | None) -> T:
        """One request's attempts (`attempt_once(seconds left)`), within the retry count and time budget."""
        limit = self.max_retries if retries is None else retries
        budget = self.retry_for if budget is None else budget
        clock = asyncio.get_running_loop().time
        deadline = clock() + budget
        attempt = 0
        while True:
            try:
                async with self.limit:
                    result = await attempt_once(max(MIN_ATTEMPT_S, deadline - clock()))
                self.limit.succeeded()
                return result
            except InvalidResponseError:
                raise  # asked again by the caller that checks the answer (rpc.eth), of the next endpoint in a pool
            except TransientRpcError as exc:
                attempt += 1
                if attempt > limit:
                    raise
                self.stats.retries += 1
                delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
                if isinstance(exc, RateLimitedError):
                    self.stats.rate_limited += 1
                    self.limit.throttled()
                    if exc.retry_after is not None:
                        delay = min(RETRY_AFTER_CAP_S, exc.retry_after)
                if clock() + delay >= deadline:
                    raise TransientRpcError(f"{exc} (no retry left within the {budget:g}s retry budget)") from None
                await asyncio.sleep(delay)

    async def _post(self, calls: list[tuple[str, list[Any]]], single: bool, parse: BodyParser | None,
                    seconds: float) -> list[Any]:
        ids = list(range(self._ids, self._ids + len(calls)))
        self._ids += len(calls)
        payload: Any = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in zip(ids, calls,
                                                                                                    strict=True)]
        if single:
            payload = payload[0]
        self.stats.calls += len(calls)
        methods = calls[0][0] if single else f"batch of {len(calls)}"
        seconds = min(REQUEST_TIMEOUT_S, seconds)
        timeout = aiohttp.ClientTimeout(total=seconds, sock_connect=min(CONNECT_TIMEOUT_S, seconds))
        try:
            async with self._session.post(self._url, data=orjson.dumps(payload), timeout=timeout,
                                          headers={"content-type": "application/json"}) as resp:
                status = resp.status
                retry_after = _retry_after(resp.headers.get("Retry-After"))
                body = await self._read(resp, methods)
        except aiohttp.ClientConnectorError as exc:
            reason = exc.os_error.strerror if exc.os_error and exc.os_error.strerror else type(exc).__name__
            raise TransientRpcError(f"{self.where}: cannot connect ({reason})") from None
        except TimeoutError:
            raise TransientRpcError(f"{self.where}: {methods}: timed out after {seconds:.0f}s") from None
        except aiohttp.ClientError as exc:
            raise TransientRpcError(f"{self.where}: {methods}: {type(exc).__name__}: "
                                    f"{redact_text(_scrub(str(exc), self._url))}") from None
        if status == 429:
            raise RateLimitedError(f"{self.where}: {methods}: HTTP 429", retry_after)
        if status >= 500 and status != 501:   # 501: the server does not implement this (a REST gateway's answer)
            raise TransientRpcError(f"{self.where}: {methods}: HTTP {status}")
        if status >= 400:
            raise RpcError(f"{self.where}: {methods}: HTTP {status} (is this a JSON-RPC endpoint?)")
        if parse is not None:
            parsed = await asyncio.to_thread(parse, body, ids[0])
            if parsed is not None:
                return [parsed]
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            if body.lstrip()[:1] in (b"{", b"["):
                raise TransientRpcError(f"{self.where}: {methods}: truncated JSON response") from None
            raise RpcError(f"{self.where}: answered with something that is not JSON-RPC") from None
        return self._unpack(data, calls, ids, single)

    async def _read(self, resp: aiohttp.ClientResponse, methods: str) -> bytes:
        """The decoded body, refused once it grows past max_response (aiohttp decodes chunk by chunk). The
        pieces are joined once at the end: growing one buffer by 64 KiB pieces (realloc and copy) cost a
        quarter of a 1,000,000-log run's CPU."""
        pieces: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_any():
            size += len(chunk)
            if size > self.max_response:
                resp.close()  # the rest is never read nor decoded
                raise ResponseTooLargeError(f"{self.where}: {methods}: response too large (over "
                                            f"{self.max_response >> 20} MiB decoded)", None,
                                            methods, suggested=None)
            pieces.append(chunk)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _unpack(self, data: Any, calls: list[tuple[str, list[Any]]], ids: list[int], single: bool) -> list[Any]:
        items = [data] if single and isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items) or \
                (single and not {"result", "error"} & data.keys()):   # a REST gateway's object, say
            if isinstance(data, dict) and "error" in data and not single:
                raise classify_error(calls[0][0], data["error"], self.where)
            raise RpcError(f"{self.where}: answered with something that is not JSON-RPC")
        by_id = {item.get("id"): item for item in items}
        results = []
        for i, (method, _) in zip(ids, calls, strict=True):
            item = by_id.get(i)
            if item is None:
                raise TransientRpcError(f"{self.where}: {method}: response is missing an answer")
            if "error" in item and item["error"] is not None:
                raise classify_error(method, item["error"], self.where)
            if "result" not in item:
                raise RpcError(f"{self.where}: {method}: response has neither result nor error")
            results.append(item["result"])
        return results


def _scrub(text: str, url: str) -> str:
    """Error texts from aiohttp may quote the URL; cut it out."""
    return text.replace(url, redact_url(url))


@asynccontextmanager
async def open_client(url: str, *, connections: int = 16, retry_for: float = RETRY_FOR_S,
                      max_response: int | None = None) -> AsyncIterator[RpcClient]:
    """A client with its own session, closed on exit."""
    check_url(url)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S, sock_connect=CONNECT_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        yield RpcClient(url, session, concurrency=connections, retry_for=retry_for, max_response=max_response)
