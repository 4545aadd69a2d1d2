"""A minimal synchronous JSON-RPC client for the benchmark's set-up (planting logs, checking them).

The node itself is the devnet's (auditor.devnet.anvil.Anvil), started quiet and with pruned history.
"""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

RPC_TIMEOUT = 300


class Node:
    """Synchronous JSON-RPC over one kept-alive HTTP connection."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self._conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=RPC_TIMEOUT)
        self._id = 0

    def call(self, method: str, params: list[Any]) -> Any:
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        self._conn.request("POST", "/", body, {"Content-Type": "application/json"})
        answer = json.loads(self._conn.getresponse().read())
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
