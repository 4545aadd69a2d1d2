"""One Akash endpoint per test module set (seed 3, small sizes), read over real HTTP; none of the tests changes it."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from auditor.devnet.akash.model import Sizes
from auditor.devnet.akash.server import AkashNode

SEED = 3
SIZES = Sizes(providers=6, owners=16)
Get = Callable[..., tuple[int, dict[str, Any]]]


def fetch(url: str, path: str, params: dict[str, Any] | None = None, height: int | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any], dict[str, str]]:
    query = "?" + urllib.parse.urlencode(params) if params else ""
    request = urllib.request.Request(url + path + query, headers={
        **({"x-cosmos-block-height": str(height)} if height is not None else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer), dict(answer.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err), dict(err.headers)


@pytest.fixture(scope="package")
def node() -> Iterator[AkashNode]:
    with AkashNode(SEED, SIZES) as running:
        yield running


@pytest.fixture(scope="package")
def get(node: AkashNode) -> Get:
    def call(path: str, params: dict[str, Any] | None = None, height: int | None = None) -> tuple[int, dict[str, Any]]:
        status, body, _ = fetch(node.url, path, params, height)
        return status, body
    return call
