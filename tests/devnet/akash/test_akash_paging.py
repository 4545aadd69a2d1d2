"""Pagination: walking by next_key gives every item once, whatever the page size. Akash's own lists (deployments,
v1beta5 market) order by state then key and count the page in `total`; cosmos Paginate (legacy v1beta4 market,
providers, bank) counts the total only when asked."""

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
    for path in ("/akash/market/v1beta5/bids/list", "/akash/market/v1beta4/bids/list"):
        whole = walk(get, path, "bids", 1000, **{"filters.state": "closed"})
        _, page = get(path, {"pagination.limit": 3, "pagination.offset": 2, "filters.state": "closed"})
        assert len(whole) > 5 and page["bids"] == whole[2:5]


def test_akash_lists_refuse_an_offset_without_a_state(get: Get) -> None:
    status, body = get("/akash/market/v1beta5/bids/list", {"pagination.offset": 2})
    assert status == 400 and body["message"] == (
        "invalid request parameters. if offset is set, filter.state must be provided")


def test_akash_lists_come_state_by_state_unless_filtered_by_owner(get: Get) -> None:
    leases = walk(get, "/akash/market/v1beta5/leases/list", "leases", 5)
    states = [x["lease"]["state"] for x in leases]
    order = ["active", "insufficient_funds", "closed"]
    assert states == sorted(states, key=order.index) and len(set(states)) == 3
    ids = [x["lease"]["id"] for x in leases if x["lease"]["state"] == "closed"]
    assert ids == sorted(ids, key=lambda i: (i["owner"], int(i["dseq"]), i["gseq"]))
    owner = next(i["owner"] for i in ids if sum(1 for x in leases if x["lease"]["id"]["owner"] == i["owner"]) > 1)
    mine = walk(get, "/akash/market/v1beta5/leases/list", "leases", 1, **{"filters.owner": owner})
    keys = [(int(x["lease"]["id"]["dseq"]), x["lease"]["id"]["gseq"]) for x in mine]
    assert len(mine) > 1 and keys == sorted(keys)


def test_akash_lists_count_the_page_in_total(get: Get) -> None:
    for limit in (1, 4, 1000):
        _, body = get("/akash/market/v1beta5/leases/list", {"pagination.limit": limit})
        assert body["pagination"]["total"] == str(len(body["leases"]))


def test_total_only_when_asked_or_without_limit(get: Get) -> None:
    path = "/akash/market/v1beta4/leases/list"
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


@pytest.mark.parametrize(("path", "params", "message"), [
    ("/akash/market/v1beta4/leases/list", {"pagination.key": "AWFh", "pagination.offset": 3},
     "either offset or key is expected, got both"),
    ("/akash/market/v1beta4/leases/list", {"pagination.key": "%%%"}, "pagination.key"),
    ("/akash/market/v1beta5/leases/list", {"pagination.key": "AWFh"}, "invalid pagination key"),
    ("/akash/market/v1beta5/leases/list", {"pagination.limit": "ten"},
     'strconv.ParseUint: parsing "ten": invalid syntax'),
    ("/akash/market/v1beta4/leases/list", {"pagination.count_total": "yes"},
     'strconv.ParseBool: parsing "yes": invalid syntax'),
])
def test_bad_pagination_is_refused_like_the_gateway(get: Get, path: str, params: dict[str, Any], message: str) -> None:
    status, body = get(path, params)
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
