"""The economy and its ground truth: identical per seed, different across seeds, and what the endpoint serves."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from bech32 import bech32_decode

from auditor.devnet.akash.api import AkashApi
from auditor.devnet.akash.catalog import DENOMS, PRICING_BOT, USDC_IBC
from auditor.devnet.akash.model import Sizes
from auditor.devnet.akash.plan import plan_market
from auditor.devnet.akash.server import AkashNode
from auditor.devnet.akash.truth import truth_document, write_truth
from tests.devnet.akash.conftest import SEED, SIZES, Get


def _truth(seed: int, sizes: Sizes = SIZES) -> dict[str, Any]:
    return truth_document(AkashApi(plan_market(seed, sizes)))


def test_a_seed_gives_identical_output_and_another_seed_another(tmp_path: Path) -> None:
    first, again = write_truth(AkashApi(plan_market(7, SIZES)), tmp_path / "a.json"), tmp_path / "b.json"
    write_truth(AkashApi(plan_market(7, SIZES)), again)
    assert first.read_bytes() == again.read_bytes()
    assert _truth(8)["leases"] != orjson.loads(first.read_bytes())["leases"]
    a, b = AkashApi(plan_market(7, SIZES)), AkashApi(plan_market(7, SIZES))
    assert [t.hash for t in a.txs] == [t.hash for t in b.txs]


def test_sizes_change_the_economy() -> None:
    small, big = _truth(5, Sizes(providers=4, owners=8)), _truth(5, Sizes(providers=10, owners=40))
    assert len(small["owners"]) == 9 and len(big["owners"]) == 41 and len(big["providers"]) == 10
    assert len(big["leases"]) > len(small["leases"])


def test_the_economy_has_every_kind_of_lease_and_owner() -> None:
    seen_reasons: Counter[Any] = Counter()
    seen_denoms: set[str] = set()
    for seed in range(6):
        truth = _truth(seed)
        seen_reasons.update(lease["close_reason"] for lease in truth["leases"])
        seen_denoms |= {lease["price_denom"] for lease in truth["leases"]}
        kinds = Counter(o["kind"] for o in truth["owners"])
        assert kinds["bot"] == 1 and kinds["exchange"] and kinds["card"] and kinds["funder"]
        assert len({o["funder"] for o in truth["owners"] if o["kind"] == "funder"}) >= 1
    assert {None, 1, 20000} <= set(seen_reasons) and set(seen_reasons) & {10000, 10001, 10002, 10003}
    assert seen_denoms == set(DENOMS) and USDC_IBC in seen_denoms


def test_every_address_is_valid_bech32() -> None:
    truth = _truth(SEED)
    addresses = {o["address"] for o in truth["owners"]} | {p["owner"] for p in truth["providers"]} | {
        truth["labels"]["exchange_hot_wallet"], truth["labels"]["console_funding_wallet"]}
    for address in addresses:
        hrp, data = bech32_decode(address)
        assert hrp == "akash" and data is not None, address


def test_truth_matches_what_is_served(node: AkashNode, get: Get) -> None:
    truth = truth_document(node.api)
    _, body = get("/akash/market/v1beta5/leases/list", {"pagination.limit": 1000})
    served = {(x["lease"]["id"]["owner"], int(x["lease"]["id"]["dseq"]), x["lease"]["id"]["gseq"],
               x["lease"]["id"]["provider"]): x for x in body["leases"]}
    assert len(served) == len(truth["leases"])
    for lease in truth["leases"]:
        item = served[lease["owner"], lease["dseq"], lease["gseq"], lease["provider"]]
        row, state = item["lease"], item["escrow_payment"]["state"]
        assert row["price"] == {"denom": lease["price_denom"], "amount": lease["price_amount"]}
        assert row["created_at"] == str(lease["open_height"])
        assert row["closed_on"] == str(lease["close_height"] or 0)
        assert row["reason"] == (lease["close_reason_name"] or "lease_closed_invalid")
        assert row["state"] == {None: "active", 20000: "insufficient_funds"}.get(lease["close_reason"], "closed")
        paid = Decimal(state["balance"]["amount"]) + Decimal(state["withdrawn"]["amount"])
        assert paid == Decimal(lease["total_paid"])
        _, bids = get("/akash/market/v1beta5/bids/list", {"filters.owner": lease["owner"],
                                                           "filters.dseq": lease["dseq"],
                                                           "filters.gseq": lease["gseq"],
                                                           "filters.provider": lease["provider"]})
        offer = bids["bids"][0]["bid"]["resources_offer"][0]
        gpu = offer["resources"]["gpu"]
        assert int(gpu["units"]["val"]) * offer["count"] == lease["gpu_count"]
        if lease["gpu_model"]:
            assert gpu["attributes"] == [{"key": f"vendor/nvidia/model/{lease['gpu_model']}/ram/"
                                                 f"{lease['gpu_memory']}/interface/{lease['gpu_interface']}",
                                          "value": "true"}]


def test_closes_happen_by_tx_except_for_lack_of_funds(node: AkashNode, get: Get) -> None:
    truth = truth_document(node.api)
    for lease in truth["leases"]:
        if lease["closed_by"] == "insufficient_funds":
            assert lease["close_tx_hash"] is None
            query = f"tx.height={lease['close_height']} AND message.sender='{lease['owner']}'"
            _, body = get("/cosmos/tx/v1beta1/txs", {"query": query})
            assert body["total"] == "0"
        elif lease["closed_by"] == "provider":
            _, body = get(f"/cosmos/tx/v1beta1/txs/{lease['close_tx_hash']}")
            msg = body["tx"]["body"]["messages"][0]
            assert msg["@type"] == "/akash.market.v1beta5.MsgCloseBid" and msg["id"]["provider"] == lease["provider"]
            assert msg["reason"] == lease["close_reason_name"]
        elif lease["closed_by"] == "owner":
            _, body = get(f"/cosmos/tx/v1beta1/txs/{lease['close_tx_hash']}")
            assert body["tx"]["body"]["messages"][0]["@type"] == "/akash.deployment.v1beta4.MsgCloseDeployment"


def test_funding_is_served_as_sends_and_grants(node: AkashNode, get: Get) -> None:
    truth = truth_document(node.api)
    for owner in truth["owners"]:
        if owner["kind"] == "card":
            _, body = get("/cosmos/tx/v1beta1/txs", {"query": f"use_feegrant.grantee='{owner['address']}'"})
            assert int(body["total"]) >= 1
            assert all(t["auth_info"]["fee"]["granter"] == owner["funder"] for t in body["txs"])
            _, grants = get("/cosmos/tx/v1beta1/txs", {"query": f"set_feegrant.grantee='{owner['address']}'"})
            types = [m["@type"] for m in grants["txs"][0]["body"]["messages"]]
            assert types == ["/cosmos.feegrant.v1beta1.MsgGrantAllowance", "/cosmos.authz.v1beta1.MsgGrant"]
        else:
            _, body = get("/cosmos/tx/v1beta1/txs", {"query": f"transfer.recipient='{owner['address']}'"})
            assert [r["txhash"] for r in body["tx_responses"]] == owner["funding_tx_hashes"]
            assert body["txs"][0]["body"]["messages"][0]["from_address"] == owner["funder"]


def test_balances_never_go_negative_and_card_wallets_hold_nothing(node: AkashNode, get: Get) -> None:
    market = node.api.market
    heights = range(market.genesis_height, market.latest_height + 1, 997)
    for address in node.api.ledger.addresses:
        assert all(node.api.ledger.balance(address, denom, h) >= 0 for denom in DENOMS for h in heights), address
    card = next(o for o in market.owners if o.kind == "card")
    assert get(f"/cosmos/bank/v1beta1/balances/{card.address}")[1]["balances"] == []
    rich = next(o for o in market.owners if o.kind == "exchange")
    _, body = get(f"/cosmos/bank/v1beta1/balances/{rich.address}")
    assert body["balances"] and all(b["amount"].isdigit() for b in body["balances"])
    assert body["balances"] == sorted(body["balances"], key=lambda b: b["denom"])


def test_the_pricing_bot_only_collects_bids(get: Get) -> None:
    _, deployments = get("/akash/deployment/v1beta4/deployments/list", {"filters.owner": PRICING_BOT})
    assert deployments["deployments"]
    _, bids = get("/akash/market/v1beta5/bids/list", {"filters.owner": PRICING_BOT})
    _, leases = get("/akash/market/v1beta5/leases/list", {"filters.owner": PRICING_BOT})
    assert bids["bids"] and leases["leases"] == []
