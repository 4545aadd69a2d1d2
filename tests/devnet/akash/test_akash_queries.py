"""Filters, the v1beta4 and v1beta5 paths, queries at a height, blocks, and the gateway's error answers."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from auditor.devnet.akash.catalog import PRICING_BOT
from auditor.devnet.akash.server import AkashNode
from tests.devnet.akash.conftest import Get, fetch

LEASES = "/akash/market/v1beta5/leases/list"


def all_items(get: Get, path: str, key: str, params: dict[str, Any] | None = None,
              height: int | None = None) -> list[dict[str, Any]]:
    status, body = get(path, {"pagination.limit": 1000, **(params or {})}, height)
    assert status == 200, body
    assert body["pagination"]["next_key"] is None
    return list(body[key])


def test_lease_filters_select_exactly_the_matching_leases(get: Get) -> None:
    leases = all_items(get, LEASES, "leases")
    states = {x["lease"]["state"] for x in leases}
    assert {"active", "closed", "insufficient_funds"} <= states
    for state in states:
        assert all_items(get, LEASES, "leases", {"filters.state": state}) == [
            x for x in leases if x["lease"]["state"] == state]
    some = leases[len(leases) // 2]["lease"]["id"]
    for field in ("owner", "provider", "dseq"):
        wanted = [x for x in leases if x["lease"]["id"][field] == some[field]]
        assert by_id(all_items(get, LEASES, "leases", {f"filters.{field}": some[field]})) == by_id(wanted)
    both = all_items(get, LEASES, "leases", {"filters.owner": some["owner"], "filters.state": "closed"})
    assert by_id(both) == by_id([x for x in leases if x["lease"]["id"]["owner"] == some["owner"]
                                 and x["lease"]["state"] == "closed"])


def by_id(leases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(leases, key=lambda x: json.dumps(x["lease"].get("id") or x["lease"]["lease_id"], sort_keys=True))


def test_deployment_and_bid_filters(get: Get) -> None:
    deployments = all_items(get, "/akash/deployment/v1beta4/deployments/list", "deployments")
    closed = all_items(get, "/akash/deployment/v1beta4/deployments/list", "deployments", {"filters.state": "closed"})
    assert closed and closed == [d for d in deployments if d["deployment"]["state"] == "closed"]
    one = deployments[0]["deployment"]["id"]
    assert all_items(get, "/akash/deployment/v1beta4/deployments/list", "deployments",
                     {"filters.owner": one["owner"], "filters.dseq": one["dseq"]}) == [deployments[0]]
    bids = all_items(get, "/akash/market/v1beta5/bids/list", "bids")
    lost = all_items(get, "/akash/market/v1beta5/bids/list", "bids", {"filters.state": "lost"})
    assert lost and lost == [b for b in bids if b["bid"]["state"] == "lost"]


@pytest.mark.parametrize("path", [LEASES, "/akash/market/v1beta5/bids/list",
                                  "/akash/deployment/v1beta4/deployments/list"])
def test_an_unknown_state_is_refused(get: Get, path: str) -> None:
    status, body = get(path, {"filters.state": "running"})
    assert (status, body) == (400, {"code": 3, "message": "invalid state value", "details": []})


def test_v1beta4_and_v1beta5_paths_answer_in_their_own_shapes(get: Get) -> None:
    new, old = all_items(get, LEASES, "leases"), all_items(get, "/akash/market/v1beta4/leases/list", "leases")
    assert len(new) == len(old)
    for n, o in zip(by_id(new), by_id(old), strict=True):
        assert set(n["lease"]) == {"id", "state", "price", "created_at", "closed_on", "reason", "reclamation"}
        assert set(o["lease"]) == {"lease_id", "state", "price", "created_at", "closed_on"}
        assert {k: v for k, v in n["lease"]["id"].items() if k != "bseq"} == o["lease"]["lease_id"]
        assert n["lease"]["price"] == o["lease"]["price"] and n["lease"]["state"] == o["lease"]["state"]
        assert "payment_id" in o["escrow_payment"] and "aid" in n["escrow_payment"]["id"]
    d4 = all_items(get, "/akash/deployment/v1beta4/deployments/list", "deployments")
    d5 = all_items(get, "/akash/deployment/v1beta5/deployments/list", "deployments")
    unit4, unit5 = d4[0]["groups"][0]["group_spec"]["resources"][0], d5[0]["groups"][0]["group_spec"]["resources"][0]
    assert unit5["prices"] == [unit4["price"]] and "price" not in unit5 and "prices" not in unit4


def test_a_query_at_a_height_sees_the_state_then(node: AkashNode, get: Get) -> None:
    lease = next(x for d in node.api.market.deployments for x in d.leases if x.reason == 1)
    owner = next(d.owner for d in node.api.market.deployments if lease in d.leases)
    params = {"filters.owner": owner, "filters.provider": lease.provider}

    def state_at(height: int) -> list[tuple[str, str, str]]:
        found = all_items(get, LEASES, "leases", params, height)
        return [(x["lease"]["state"], x["lease"]["closed_on"], x["lease"]["reason"]) for x in found
                if x["lease"]["created_at"] == str(lease.open_height)]

    assert lease.close_height is not None
    assert state_at(lease.open_height - 1) == []
    assert state_at(lease.open_height) == [("active", "0", "lease_closed_invalid")]
    assert state_at(lease.close_height - 1) == [("active", "0", "lease_closed_invalid")]
    assert state_at(lease.close_height) == [("closed", str(lease.close_height), "lease_closed_owner")]
    _, _, headers = fetch(node.url, LEASES, height=lease.open_height)
    assert headers["Grpc-Metadata-X-Cosmos-Block-Height"] == str(lease.open_height)


def test_heights_out_of_range_are_refused(node: AkashNode, get: Get) -> None:
    status, body = get(LEASES, height=node.api.latest + 1)
    assert status == 400 and body["code"] == 3 and "height in the future" in body["message"]
    status, body = get("/cosmos/base/tendermint/v1beta1/blocks/" + str(node.api.latest + 1))
    assert status == 400 and body["message"] == "requested block height is bigger then the chain length"


def test_blocks_are_six_seconds_apart_and_hold_the_searched_txs(node: AkashNode, get: Get) -> None:
    _, latest = get("/cosmos/base/tendermint/v1beta1/blocks/latest")
    _, info = get("/cosmos/base/tendermint/v1beta1/node_info")
    assert info["default_node_info"]["network"] == "akashnet-2" and info["application_version"]["version"]
    head = latest["block"]["header"]
    assert head["chain_id"] == "akashnet-2" and int(head["height"]) == node.api.latest
    tx = node.api.txs[len(node.api.txs) // 2]
    _, block = get(f"/cosmos/base/tendermint/v1beta1/blocks/{tx.height}")
    gap = (datetime.fromisoformat(head["time"]) - datetime.fromisoformat(block["block"]["header"]["time"]))
    assert gap.total_seconds() == 6 * (node.api.latest - tx.height)
    assert block["sdk_block"]["header"]["proposer_address"].startswith("akashvalcons1")
    hashes = [hashlib.sha256(base64.b64decode(raw)).hexdigest().upper() for raw in block["block"]["data"]["txs"]]
    _, found = get("/cosmos/tx/v1beta1/txs", {"query": f"tx.height={tx.height}"})
    assert hashes == [r["txhash"] for r in found["tx_responses"]] and tx.hash in hashes
    assert all(r["timestamp"] == block["block"]["header"]["time"] for r in found["tx_responses"])
    assert head["time"].endswith("Z") and datetime.fromisoformat(head["time"]).tzinfo == UTC


def test_tx_search_by_message_and_sender(node: AkashNode, get: Get) -> None:
    owner = node.api.market.deployments[0].owner
    query = f"message.action='/akash.deployment.v1beta4.MsgCreateDeployment' AND message.sender='{owner}'"
    _, body = get("/cosmos/tx/v1beta1/txs", {"query": query})
    want = sorted(str(d.dseq) for d in node.api.market.deployments if d.owner == owner)
    got = sorted(tx["body"]["messages"][0]["id"]["dseq"] for tx in body["txs"])
    assert got == want and body["total"] == str(len(want))
    _, single = get(f"/cosmos/tx/v1beta1/txs/{body['tx_responses'][0]['txhash']}")
    assert single["tx_response"] == body["tx_responses"][0]


@pytest.mark.parametrize(("path", "params", "status", "code", "message"), [
    ("/cosmos/tx/v1beta1/txs", {"events": "message.action='x'"}, 400, 3, "query cannot be empty"),
    ("/cosmos/tx/v1beta1/txs", {"query": "message.action"}, 400, 3, "invalid query"),
    ("/cosmos/tx/v1beta1/txs/" + "AB" * 32, {}, 404, 5, "tx not found"),
    ("/cosmos/bank/v1beta1/balances/akash1notanaddress", {}, 400, 3, "decoding bech32 failed"),
    ("/akash/deployment/v1beta4/deployments/info", {"id.owner": "akash1x", "id.dseq": "5"}, 400, 3,
     "invalid owner address"),
    ("/akash/deployment/v1beta4/deployments/info", {"id.owner": PRICING_BOT, "id.dseq": "5"}, 404, 5,
     "Deployment not found"),
    ("/akash/market/v1beta5/leases/info", {"id.owner": PRICING_BOT, "id.dseq": "5", "id.gseq": 1, "id.oseq": 1,
                                           "id.provider": PRICING_BOT}, 404, 5, "invalid lease: lease not found"),
    ("/akash/market/v1beta9/leases/list", {}, 501, 12, "Not Implemented"),
])
def test_errors_have_the_gateway_shape(get: Get, path: str, params: dict[str, Any], status: int, code: int,
                                       message: str) -> None:
    got, body = get(path, params)
    assert got == status and set(body) == {"code", "message", "details"}
    assert body["code"] == code and message in body["message"] and body["details"] == []
