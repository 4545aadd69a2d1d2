"""The endpoint itself: an aiohttp app on 127.0.0.1 serving AkashApi's answers at the REST gateway's paths.

`AkashNode` runs it on a free port in a thread of its own (a context manager, like devnet/anvil.py's Anvil),
so synchronous tests and the demo can use it; `python -m auditor.devnet.akash` serves it in the foreground.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType

from aiohttp import web

from auditor.devnet.akash.api import AkashApi
from auditor.devnet.akash.model import Sizes
from auditor.devnet.akash.paging import UNIMPLEMENTED, ApiError
from auditor.devnet.akash.plan import plan_market
from auditor.devnet.akash.shapes import Json, error_body

HOST = "127.0.0.1"
HEIGHT_HEADER = "x-cosmos-block-height"
# The gateway passes the height the state was read at back as gRPC metadata.
HEIGHT_REPLY_HEADER = "Grpc-Metadata-X-Cosmos-Block-Height"
START_TIMEOUT = 10.0
Answer = Callable[[web.Request, int], Json]


def _route(api: AkashApi, answer: Answer) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        try:
            at = api.height(request.headers.get(HEIGHT_HEADER))
            body = answer(request, at)
        except ApiError as exc:
            return web.json_response(error_body(exc.code, exc.message), status=exc.http_status)
        return web.json_response(body, headers={HEIGHT_REPLY_HEADER: str(at)})
    return handle


async def _not_implemented(request: web.Request) -> web.Response:
    return web.json_response(error_body(UNIMPLEMENTED, "Not Implemented"), status=501)


def _versioned(api: AkashApi, v: str) -> dict[str, Answer]:
    """The deployment and market routes of one API version (v1beta4 or v1beta5)."""
    def deployments(r: web.Request, at: int) -> Json:
        return api.deployments(v, r.query, at)

    def deployment(r: web.Request, at: int) -> Json:
        return api.deployment(v, r.query, at)

    def orders(r: web.Request, at: int) -> Json:
        return api.orders(v, r.query, at)

    def bids(r: web.Request, at: int) -> Json:
        return api.bids(v, r.query, at)

    def leases(r: web.Request, at: int) -> Json:
        return api.leases(v, r.query, at)

    def lease(r: web.Request, at: int) -> Json:
        return api.lease(v, r.query, at)

    return {f"/akash/deployment/{v}/deployments/list": deployments,
            f"/akash/deployment/{v}/deployments/info": deployment,
            f"/akash/market/{v}/orders/list": orders, f"/akash/market/{v}/bids/list": bids,
            f"/akash/market/{v}/leases/list": leases, f"/akash/market/{v}/leases/info": lease}


def make_app(api: AkashApi) -> web.Application:
    """Every served path (see README.md beside this file); anything else is the gateway's 501."""
    def node_info(r: web.Request, at: int) -> Json:
        return api.node_info()

    def block(r: web.Request, at: int) -> Json:
        return api.block(r.match_info["height"])

    def balances(r: web.Request, at: int) -> Json:
        return api.balances(r.match_info["address"], r.query, at)

    def account(r: web.Request, at: int) -> Json:
        return api.account(r.match_info["address"], at)

    def tx_search(r: web.Request, at: int) -> Json:
        return api.tx_search(r.query)

    def tx(r: web.Request, at: int) -> Json:
        return api.tx(r.match_info["hash"])

    def providers(r: web.Request, at: int) -> Json:
        return api.providers(r.query)

    def provider(r: web.Request, at: int) -> Json:
        return api.provider(r.match_info["owner"])

    routes: dict[str, Answer] = {
        "/cosmos/base/tendermint/v1beta1/node_info": node_info,
        "/cosmos/base/tendermint/v1beta1/blocks/{height}": block,
        "/cosmos/bank/v1beta1/balances/{address}": balances,
        "/cosmos/auth/v1beta1/accounts/{address}": account,
        "/cosmos/tx/v1beta1/txs": tx_search,
        "/cosmos/tx/v1beta1/txs/{hash}": tx,
        "/akash/provider/v1beta4/providers": providers,
        "/akash/provider/v1beta4/providers/{owner}": provider,
        **_versioned(api, "v1beta4"), **_versioned(api, "v1beta5"),
    }
    app = web.Application()
    for path, answer in routes.items():
        app.router.add_get(path, _route(api, answer))
    app.router.add_route("*", "/{tail:.*}", _not_implemented)
    return app


class AkashNode:
    """The endpoint for one seed on a free 127.0.0.1 port, in a background thread; always stopped on exit."""

    def __init__(self, seed: int, sizes: Sizes | None = None, port: int = 0) -> None:
        self.api = AkashApi(plan_market(seed, sizes))
        self._port = port
        self.port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the Akash endpoint is not running")
        return f"http://{HOST}:{self.port}"

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            runner = web.AppRunner(make_app(self.api), access_log=None)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, HOST, self._port)
            loop.run_until_complete(site.start())
            self._runner = runner
            self.port = int(runner.addresses[0][1])
        except BaseException as exc:  # handed to start() in the caller's thread
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, name="akash-endpoint", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError(f"the Akash endpoint did not start within {START_TIMEOUT:.0f}s")
        if self._error is not None:
            raise RuntimeError(f"the Akash endpoint could not start: {self._error}") from self._error

    def stop(self) -> None:
        """Stops serving and closes the port; safe to call twice."""
        loop, thread = self._loop, self._thread
        self._thread = None
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
        self.port = None

    def __enter__(self) -> AkashNode:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
