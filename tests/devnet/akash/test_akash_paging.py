"""Cosmos pagination: walking by next_key gives every item once, whatever the page size; totals only when asked."""

from __future__ import annotations

from typing import Any

import pytest

from tests.devnet.akash.conftest import Get

LISTS = [("/akash/market/v1beta5/leases/list", "leases"), ("/akash/market/v1beta4/leases/list", "leases"),
         ("/akash/deployment/v1beta4/deployments/list", "deployments"),
         ("/akash/deployment/v1beta5/deployments/list", "deployments"), ("/akash/market/v1beta5/bids/list", "bids"),
         ("/akash/market/v1beta5/orders/list", "orders"), ("/akash/provider/v1beta4/providers", "providers")]


def walk(get: Get, path: str, key: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_key = None
    for _ in range(10_000):
        status, body = get(path, {"pagination.limit": limit, **params,
                                  **({"pagination.key": next_key} if next_key else {})})
        assert status == 200, body
        assert len(body[key]) <= limit
        items += body[key]
        next_key = body["pagination"]["next_key"]
        if next_key is None:
            return items
        assert body[key], "a page with a next_key is never empty"
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize(("path", "key"), LISTS)
@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_walking_pages_gives_every_item_once(get: Get, path: str, key: str, limit: int) -> None:
    _, whole = get(path, {"pagination.limit": 1000})
    assert whole["pagination"]["next_key"] is None and len(whole[key]) > 3
    assert walk(get, path, key, limit) == whole[key]


def test_reverse_walks_the_same_items_backwards(get: Get) -> None:
    forward = walk(get, "/akash/market/v1beta5/leases/list", "leases", 4)
    assert walk(get, "/akash/market/v1beta5/leases/list", "leases", 4, **{"pagination.reverse": "true"}) == \
        forward[::-1]


def test_offset_pages_match_key_pages(get: Get) -> None:
    whole = walk(get, "/akash/market/v1beta5/bids/list", "bids", 1000)
    _, page = get("/akash/market/v1beta5/bids/list", {"pagination.limit": 5, "pagination.offset": 5})
    assert page["bids"] == whole[5:10]


def test_total_only_when_asked_or_without_limit(get: Get) -> None:
    path = "/akash/market/v1beta5/leases/list"
    count = len(walk(get, path, "leases", 1000))
    _, plain = get(path, {"pagination.limit": 2})
    _, counted = get(path, {"pagination.limit": 2, "pagination.count_total": "true"})
    _, default = get(path)
    assert plain["pagination"]["total"] == "0"
    assert counted["pagination"]["total"] == default["pagination"]["total"] == str(count)
    _, keyed = get(path, {"pagination.limit": 2, "pagination.count_total": "true",
                          "pagination.key": counted["pagination"]["next_key"]})
    assert keyed["pagination"]["total"] == "0", "cosmos counts no total when paging by key"


def test_limit_is_capped(get: Get) -> None:
    _, body = get("/akash/market/v1beta5/bids/list", {"pagination.limit": 100_000})
    assert 0 < len(body["bids"]) <= 1000


@pytest.mark.parametrize(("params", "message"), [
    ({"pagination.key": "AWFh", "pagination.offset": 3}, "either offset or key is expected, got both"),
    ({"pagination.key": "%%%"}, "pagination.key"),
    ({"pagination.limit": "ten"}, 'strconv.ParseUint: parsing "ten": invalid syntax'),
    ({"pagination.count_total": "yes"}, 'strconv.ParseBool: parsing "yes": invalid syntax'),
])
def test_bad_pagination_is_refused_like_the_gateway(get: Get, params: dict[str, Any], message: str) -> None:
    status, body = get("/akash/market/v1beta5/leases/list", params)
    assert status == 400 and body["code"] == 3 and message in body["message"] and body["details"] == []


def test_tx_search_pages_cover_every_match_once(get: Get) -> None:
    query = {"query": "message.action='/akash.market.v1beta5.MsgCreateBid'"}
    _, first = get("/cosmos/tx/v1beta1/txs", {**query, "limit": 100})
    total = int(first["total"])
    assert total > 20 and first["pagination"] is None
    for limit in (1, 7, 30):
        hashes = []
        for page in range(1, -(-total // limit) + 1):
            status, body = get("/cosmos/tx/v1beta1/txs", {**query, "limit": limit, "page": page})
            assert status == 200 and body["total"] == str(total)
            hashes += [r["txhash"] for r in body["tx_responses"]]
        assert len(hashes) == total == len(set(hashes))
        status, beyond = get("/cosmos/tx/v1beta1/txs", {**query, "limit": limit, "page": -(-total // limit) + 1})
        assert status == 400 and beyond["code"] == 3
