"""The devnet's JSON-RPC clients for driving a local anvil, async (DevnetRpc) and sync (LocalRpc): single calls
and batches, no retries.

The auditor's own RPC stage is built for remote providers (limits, retries); a devnet node is local and an
error there is a bug in the plan, so every error here is terminal.
"""

from __future__ import annotations

import http.client
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import orjson

from auditor.errors import DevnetError

Call = tuple[str, list[Any]]


class DevnetRpc:
    def __init__(self, url: str, session: aiohttp.ClientSession) -> None:
        self.url = url
        self._session = session

    async def _post(self, payload: Any) -> Any:
        try:
            async with self._session.post(self.url, data=orjson.dumps(payload),
                                          headers={"Content-Type": "application/json"}) as resp:
                body = await resp.read()
        except aiohttp.ClientError as exc:
            raise DevnetError(f"devnet node at {self.url} failed: {exc}") from exc
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise DevnetError(f"devnet node answered non-JSON: {body[:200]!r}") from exc

    async def call(self, method: str, *params: Any) -> Any:
        reply = await self._post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
        return _result(method, reply)

    async def batch(self, calls: Sequence[Call]) -> list[Any]:
        """Results in call order; any error fails the whole batch."""
        if not calls:
            return []
        payload = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
        replies = await self._post(payload)
        if not isinstance(replies, list) or len(replies) != len(calls):
            raise DevnetError(f"devnet node answered a batch of {len(calls)} with {str(replies)[:200]}")
        by_id = {r.get("id"): r for r in replies}
        return [_result(m, by_id.get(i, {})) for i, (m, _) in enumerate(calls)]


def _result(method: str, reply: Any) -> Any:
    if not isinstance(reply, dict) or ("result" not in reply and "error" not in reply):
        raise DevnetError(f"{method}: malformed reply {str(reply)[:200]}")
    if "error" in reply:
        err = reply["error"]
        message = err.get("message", err) if isinstance(err, dict) else err
        raise DevnetError(f"{method} failed on the devnet: {message}")
    return reply["result"]


class LocalRpc:
    """The synchronous twin, for set-up and checks outside an event loop (anvil's start, tests, the benchmark):
    one kept-alive HTTP connection, single calls and batches, every error terminal."""

    def __init__(self, url: str, timeout: float = 300) -> None:
        parts = urlsplit(url)
        self.url = url
        self._path = parts.path or "/"
        self._conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)

    def _post(self, payload: Any) -> Any:
        try:
            self._conn.request("POST", self._path, orjson.dumps(payload), {"Content-Type": "application/json"})
            body = self._conn.getresponse().read()
        except (OSError, http.client.HTTPException) as exc:
            self._conn.close()   # the next request reconnects
            raise DevnetError(f"devnet node at {self.url} failed: {exc}") from exc
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise DevnetError(f"devnet node answered non-JSON: {body[:200]!r}") from exc

    def call(self, method: str, *params: Any) -> Any:
        return _result(method, self._post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}))

    def batch(self, calls: Sequence[Call]) -> list[Any]:
        """Results in call order; any error fails the whole batch."""
        if not calls:
            return []
        replies = self._post([{"jsonrpc": "2.0", "id": i, "method": m, "params": p}
                              for i, (m, p) in enumerate(calls)])
        if not isinstance(replies, list) or len(replies) != len(calls):
            raise DevnetError(f"devnet node answered a batch of {len(calls)} with {str(replies)[:200]}")
        by_id = {r.get("id"): r for r in replies}
        return [_result(m, by_id.get(i, {})) for i, (m, _) in enumerate(calls)]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> LocalRpc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
