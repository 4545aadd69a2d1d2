"""The GET path of the client (RpcClient.get): one request to a REST endpoint (a Cosmos LCD gateway) and its
answer, classified like a JSON-RPC one so the client's retries, budget and limits apply unchanged.

429 and gRPC RESOURCE_EXHAUSTED back off; other 5xx (but 501, "not implemented", which will not change),
timeouts, resets and truncated JSON are transient; a gateway error body (google.rpc.Status: code, message)
on 4xx or 501 is an RpcResponseError with its code, which callers classify (a page refused: smaller pages; a
route not served: another API version). Paths are the auditor's own; the endpoint's URL is never shown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

import aiohttp
import orjson

from auditor.errors import RateLimitedError, RpcError, RpcResponseError, TransientRpcError
from auditor.rpc.urls import redact_text

CONNECT_TIMEOUT_S = 10.0
REQUEST_TIMEOUT_S = 60.0
GRPC_DEADLINE_EXCEEDED = 4
GRPC_RESOURCE_EXHAUSTED = 8
GRPC_UNAVAILABLE = 14
GRPC_NOT_FOUND = 5
GRPC_UNIMPLEMENTED = 12

Reader = Callable[[aiohttp.ClientResponse, str], Awaitable[bytes]]


class Stats(Protocol):
    calls: int


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is rare for RPC providers and treated as absent)."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


async def rest_get(session: aiohttp.ClientSession, base_url: str, where: str, path: str,
                   query: Sequence[tuple[str, str]], headers: Mapping[str, str], seconds: float, read: Reader,
                   stats: Stats) -> Any:
    """One attempt: the JSON object at `base_url + path`, or the matching exception."""
    what = f"GET {path}"
    stats.calls += 1
    seconds = min(REQUEST_TIMEOUT_S, seconds)
    timeout = aiohttp.ClientTimeout(total=seconds, sock_connect=min(CONNECT_TIMEOUT_S, seconds))
    url = base_url.rstrip("/") + path
    try:
        async with session.get(url, params=list(query), timeout=timeout, headers=dict(headers),
                               allow_redirects=False) as resp:
            status = resp.status
            wait = retry_after(resp.headers.get("Retry-After"))
            body = await read(resp, what)
    except aiohttp.ClientConnectorError as exc:
        reason = exc.os_error.strerror if exc.os_error and exc.os_error.strerror else type(exc).__name__
        raise TransientRpcError(f"{where}: cannot connect ({reason})") from None
    except TimeoutError:
        raise TransientRpcError(f"{where}: {what}: timed out after {seconds:.0f}s") from None
    except aiohttp.ClientError as exc:
        raise TransientRpcError(f"{where}: {what}: {type(exc).__name__}: "
                                f"{redact_text(str(exc).replace(base_url, where))}") from None
    if status == 429:
        raise RateLimitedError(f"{where}: {what}: HTTP 429", wait)
    if status >= 500 and status != 501:
        raise TransientRpcError(f"{where}: {what}: HTTP {status}")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        if body.lstrip()[:1] in (b"{", b"["):
            raise TransientRpcError(f"{where}: {what}: truncated JSON response") from None
        raise RpcError(f"{where}: {what}: HTTP {status}, answered with something that is not JSON "
                       "(is this a Cosmos REST endpoint?)") from None
    if status >= 300:
        raise _status_error(where, what, status, data)
    if not isinstance(data, dict):
        raise RpcError(f"{where}: {what}: answered with JSON that is not an object")
    return data


def _status_error(where: str, what: str, status: int, data: Any) -> RpcError:
    """A gateway error body (google.rpc.Status) as the matching exception."""
    code = data.get("code") if isinstance(data, dict) else None
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    message = data.get("message") if isinstance(data, dict) else None
    text = redact_text(str(message))[:300] if isinstance(message, str) else "no error message"
    shown = f"{where}: {what}: HTTP {status}: {text}" + (f" (code {code})" if code is not None else "")
    if code == GRPC_RESOURCE_EXHAUSTED:
        return RateLimitedError(shown)
    if code == GRPC_UNAVAILABLE:
        return TransientRpcError(shown)
    return RpcResponseError(shown, code, what)
