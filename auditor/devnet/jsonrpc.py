"""A minimal async JSON-RPC client for driving a local anvil: single calls and batches, no retries.

The auditor's own RPC stage is built for remote providers (limits, retries); a devnet node is local and an
error there is a bug in the plan, so every error here is terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
