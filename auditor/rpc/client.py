"""A JSON-RPC client over one aiohttp session.

Only idempotent reads go through here, so every transient failure (connection reset, timeout, 5xx, 429,
truncated or malformed JSON) is retried with exponential backoff and jitter. JSON-RPC error objects are
classified once, here: too-many-results (shrink the range), rate limit (back off), anything else terminal.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson

from auditor.errors import RpcError, RpcResponseError, TooManyResultsError, TransientRpcError
from auditor.rpc.urls import check_url, redact_url

MAX_RETRIES = 6
BACKOFF_BASE_S = 0.25
BACKOFF_CAP_S = 20.0
REQUEST_TIMEOUT_S = 60.0
MAX_BATCH = 100

_TOO_MANY = re.compile(
    r"query returned more than|too many results|response size|response too large|exceeds? (the )?max|"
    r"block range|range is too large|limited to|log response size|query timeout|results? exceed",
    re.I)
_RATE_LIMIT = re.compile(r"rate limit|too many requests|exceeded .*(capacity|quota|compute units)|throughput", re.I)


@dataclass
class RpcStats:
    """Counters for the run summary."""

    calls: int = 0
    retries: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def classify_error(method: str, error: dict[str, Any], where: str) -> RpcError:
    """A JSON-RPC error object as the matching exception (message-based: codes differ between providers)."""
    code = error.get("code")
    message = str(error.get("message", ""))[:300]
    text = f"{where}: {method} failed: {message} (code {code})"
    if method == "eth_getLogs" and _TOO_MANY.search(message):
        return TooManyResultsError(text, code, method)
    if code == 429 or _RATE_LIMIT.search(message):
        return TransientRpcError(text)
    return RpcResponseError(text, code if isinstance(code, int) else None, method)


class RpcClient:
    """Calls one endpoint. `where` (the redacted URL) is the only form of the URL that appears in messages."""

    def __init__(self, url: str, session: aiohttp.ClientSession, *, max_retries: int = MAX_RETRIES) -> None:
        self._url = check_url(url)
        self.where = redact_url(url)
        self._session = session
        self._max_retries = max_retries
        self._ids = 0
        self.stats = RpcStats()

    async def call(self, method: str, params: list[Any], *, retries: int | None = None) -> Any:
        """One request; retried while the failure is transient (`retries` overrides the client's limit)."""
        results = await self._with_retries([(method, params)], single=True, retries=retries)
        return results[0]

    async def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        """Many requests in JSON-RPC batches of at most MAX_BATCH, results in the order asked."""
        out: list[Any] = []
        for i in range(0, len(calls), MAX_BATCH):
            out.extend(await self._with_retries(calls[i:i + MAX_BATCH], single=False))
        return out

    async def _with_retries(self, calls: list[tuple[str, list[Any]]], single: bool,
                            retries: int | None = None) -> list[Any]:
        limit = self._max_retries if retries is None else retries
        attempt = 0
        while True:
            try:
                return await self._post(calls, single)
            except TransientRpcError:
                attempt += 1
                if attempt > limit:
                    raise
                self.stats.retries += 1
                delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1))
                await asyncio.sleep(delay * (0.5 + random.random() / 2))

    async def _post(self, calls: list[tuple[str, list[Any]]], single: bool) -> list[Any]:
        ids = list(range(self._ids, self._ids + len(calls)))
        self._ids += len(calls)
        payload: Any = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in zip(ids, calls,
                                                                                                    strict=True)]
        if single:
            payload = payload[0]
        self.stats.calls += len(calls)
        methods = calls[0][0] if single else f"batch of {len(calls)}"
        try:
            async with self._session.post(self._url, data=orjson.dumps(payload),
                                          headers={"content-type": "application/json"}) as resp:
                body = await resp.read()
                status = resp.status
        except aiohttp.ClientConnectorError as exc:
            reason = exc.os_error.strerror if exc.os_error and exc.os_error.strerror else type(exc).__name__
            raise TransientRpcError(f"{self.where}: cannot connect ({reason})") from None
        except TimeoutError:
            raise TransientRpcError(f"{self.where}: {methods}: timed out after {REQUEST_TIMEOUT_S:.0f}s") from None
        except aiohttp.ClientError as exc:
            raise TransientRpcError(f"{self.where}: {methods}: {type(exc).__name__}: "
                                    f"{_scrub(str(exc), self._url)}") from None
        if status == 429 or status >= 500:
            raise TransientRpcError(f"{self.where}: {methods}: HTTP {status}")
        if status >= 400:
            raise RpcError(f"{self.where}: {methods}: HTTP {status} (is this a JSON-RPC endpoint?)")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            if body.lstrip()[:1] in (b"{", b"["):
                raise TransientRpcError(f"{self.where}: {methods}: truncated JSON response") from None
            raise RpcError(f"{self.where}: answered with something that is not JSON-RPC") from None
        return self._unpack(data, calls, ids, single)

    def _unpack(self, data: Any, calls: list[tuple[str, list[Any]]], ids: list[int], single: bool) -> list[Any]:
        items = [data] if single and isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
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
async def open_client(url: str, *, connections: int = 16) -> AsyncIterator[RpcClient]:
    """A client with its own session, closed on exit."""
    check_url(url)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S, sock_connect=10)
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        yield RpcClient(url, session)
