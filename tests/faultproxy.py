"""A real HTTP JSON-RPC proxy in front of anvil, for provider behaviour a local node does not show.

It runs an aiohttp server on 127.0.0.1 in a thread of its own. `inject(body, n)` may answer the n-th HTTP
request itself (an HTTP error, a truncated body, a JSON-RPC error, a dropped connection) instead of
forwarding it; `rewrite(request, response)` may change each JSON-RPC answer (single or batch) that anvil gave;
`delay_s` holds every request that long, as a distant provider does (a floor on a run's duration that does not
depend on the machine's speed). `inject` may also return a `Streamed` body, written chunk by chunk as it is
produced: an endless or enormous answer, or a gzip bomb, costs the proxy one chunk.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
from aiohttp import web

Rewrite = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Streamed:
    """An answer written as its chunks come: `chunks` is iterated lazily, `headers` sent first."""

    chunks: Iterable[bytes]
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


Inject = Callable[[Any, int], "web.StreamResponse | Streamed | None"]


def keep(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    return response


class FaultProxy:
    def __init__(self, upstream: str, rewrite: Rewrite = keep, inject: Inject | None = None,
                 delay_s: float = 0.0, prefix: str = "") -> None:
        self.upstream = upstream
        self.prefix = prefix   # cut from GET paths before forwarding (a key in the URL's path)
        self.delay_s = delay_s
        self.rewrite = rewrite
        self.inject = inject
        self.requests: list[str] = []
        self.injected = 0
        self.cut = 0
        self._count = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _start(self) -> None:
        self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        app.router.add_get("/{tail:.*}", self._handle_get)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def _stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
        if self._session:
            await self._session.close()

    async def _stream(self, request: web.Request, answer: Streamed) -> web.StreamResponse:
        resp = web.StreamResponse(headers=answer.headers)
        await resp.prepare(request)
        try:
            for chunk in answer.chunks:
                await resp.write(chunk)
            await resp.write_eof()
        except (ConnectionError, RuntimeError):
            self.cut += 1   # the client stopped reading
        return resp

    async def _handle_get(self, request: web.Request) -> web.StreamResponse:
        """A REST GET (a Cosmos LCD): `inject` sees {"method": "GET", "path", "query", "headers"}; else forwarded
        with its query and the x-cosmos-block-height header, the answer passed back as it came."""
        seen = {"method": "GET", "path": request.path, "query": dict(request.query),
                "headers": {k.lower(): v for k, v in request.headers.items()}}
        self._count += 1
        if self.inject is not None:
            injected = self.inject(seen, self._count)
            if injected is not None:
                self.injected += 1
                if isinstance(injected, Streamed):
                    return await self._stream(request, injected)
                if isinstance(injected, web.HTTPException):
                    raise injected
                if injected.status == 599:
                    assert request.transport is not None
                    request.transport.abort()
                return injected
        assert self._session is not None
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        path = request.path.removeprefix(self.prefix)
        self.requests.append(f"GET {path}")
        height = request.headers.get("x-cosmos-block-height")
        async with self._session.get(self.upstream + path, params=request.query,
                                     headers={"x-cosmos-block-height": height} if height else {}) as resp:
            return web.Response(body=await resp.read(), status=resp.status, content_type="application/json")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = orjson.loads(await request.read())
        self._count += 1
        if self.inject is not None:
            injected = self.inject(body, self._count)
            if injected is not None:
                self.injected += 1
                if isinstance(injected, Streamed):
                    return await self._stream(request, injected)
                if isinstance(injected, web.HTTPException):
                    raise injected
                if injected.status == 599:  # drop the connection without an answer
                    assert request.transport is not None
                    request.transport.abort()
                return injected
        assert self._session is not None
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        async with self._session.post(self.upstream, data=orjson.dumps(body),
                                      headers={"content-type": "application/json"}) as resp:
            if resp.status != 200:   # an error of the upstream (a REST gateway's 501) passes as it came
                return web.Response(body=await resp.read(), status=resp.status, content_type="application/json")
            answer = orjson.loads(await resp.read())
        if isinstance(body, list):
            by_id = {item["id"]: item for item in body}
            self.requests.extend(item["method"] for item in body)
            answer = [self.rewrite(by_id[a["id"]], a) for a in answer]
        else:
            self.requests.append(body["method"])
            answer = self.rewrite(body, answer)
        return web.Response(body=orjson.dumps(answer), content_type="application/json")
