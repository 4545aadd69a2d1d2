"""The played devnet on real anvil nodes, checked with plain JSON-RPC against the ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from auditor.devnet import Devnet, load_truth
from auditor.devnet.truth import RentalTruth
from auditor.marketplaces import MARKETPLACES
from auditor.marketplaces.golem import MULTI_TRANSFER
from tests.devnet.chainrpc import (
    FLOW_UPDATED,
    LEASE_CREATED,
    LOCK,
    ORDERS_MATCHED,
    SCHEDULER_NOTICE,
    SESSION_OPENED,
    TASK_CREATED,
    TRANSFER,
    WINNING_TICKET_REDEEMED,
    as_address,
    as_int,
    get_logs,
    iso,
    log_time,
    registry_address,
    rpc,
    rpc_batch,
    same_abi_addresses,
    words,
)

CHAINS = {42161: 400_000_000, 8453: 30_000_000, 254: 5_000_000, 137: 79_000_000}
DEFINING = {"livepeer": WINNING_TICKET_REDEEMED, "iexec": ORDERS_MATCHED, "spheron": LEASE_CREATED,
            "morpheus": SESSION_OPENED, "swan": TASK_CREATED, "aleph": FLOW_UPDATED, "golem": TRANSFER}
IEXEC_FIELDS = ("iexec_deal_id", "iexec_tag", "iexec_category", "iexec_deadline")
CONTRACT_OF = {"livepeer": "TicketBroker", "iexec": "PocoDiamond", "spheron": "ComputeLease", "morpheus": "Diamond",
               "swan": "JobManager", "aleph": "ConstantFlowAgreementV1", "golem": "GLM"}


# Where the defining log names (buyer, provider): topic n ("t2") or data word n ("d5"). iExec's names neither.
PARTIES = {"livepeer": ("t1", "t2"), "morpheus": ("t1", "t3"), "spheron": ("d5", "d4"), "swan": ("d1", "d5"),
           "aleph": ("t2", "t3"), "golem": ("t1", "t2")}


def named(log: dict[str, Any], where: str) -> str:
    index = int(where[1:])
    return as_address(log["topics"][index] if where[0] == "t" else words(log["data"])[index])


@pytest.fixture(scope="module")
def blocks(net: Devnet) -> dict[int, list[dict[str, Any]]]:
    """Every block with full txs, per chain."""
    out = {}
    for chain_id, url in net.urls.items():
        c = net.truth.chains[chain_id]
        numbers = range(c.genesis_block, c.last_block + 1)
        out[chain_id] = [b for i in range(0, len(numbers), 300)
                         for b in rpc_batch(url, [("eth_getBlockByNumber", [hex(n), True])
                                                  for n in numbers[i:i + 300]])]
    return out


def first_rental(net: Devnet, marketplace: str) -> RentalTruth:
    return next(r for r in net.truth.rentals if r.marketplace == marketplace)


def defining_log(net: Devnet, rental: RentalTruth) -> dict[str, Any]:
    receipt = rpc(net.urls[rental.chain_id], "eth_getTransactionReceipt", rental.tx_hash)
    assert int(receipt["blockNumber"], 16) == rental.block_number
    return next(log for log in receipt["logs"] if int(log["logIndex"], 16) == rental.log_index)


def test_chain_ids_and_heads(net: Devnet) -> None:
    assert set(net.urls) == set(CHAINS)
    for chain_id, url in net.urls.items():
        assert int(rpc(url, "eth_chainId"), 16) == chain_id
        head = rpc(url, "eth_getBlockByNumber", "latest", False)
        assert int(head["number"], 16) == net.truth.chains[chain_id].last_block
        assert net.truth.chains[chain_id].last_time == "2026-11-16T00:00:00Z"
        assert net.truth.chains[chain_id].genesis_block == CHAINS[chain_id]


def test_code_at_real_addresses(net: Devnet) -> None:
    """Every registry contract on a played chain has code; Aleph's Avalanche deployment is not played."""
    placed = 0
    for m in MARKETPLACES:
        for c in m.contracts:
            for d in c.deployments:
                if d.chain_id in net.urls:
                    code = rpc(net.urls[d.chain_id], "eth_getCode", d.address, "latest")
                    assert len(code) > 100, f"no code for {m.name}/{c.name} at {d.address}"
                    placed += 1
    assert placed == 12


@pytest.mark.parametrize("marketplace", list(DEFINING))
def test_every_defining_log_exists(net: Devnet, marketplace: str) -> None:
    """Every rental's defining log is on the node: right contract, topic0, tx, block time, buyer and provider."""
    rentals = [r for r in net.truth.rentals if r.marketplace == marketplace]
    assert rentals
    chain_id = rentals[0].chain_id
    addresses = same_abi_addresses(marketplace, CONTRACT_OF[marketplace], chain_id)
    logs = {(log["transactionHash"], int(log["logIndex"], 16)): log
            for address in addresses for log in get_logs(net, chain_id, address, [DEFINING[marketplace]])}
    for r in rentals:
        log = logs[(r.tx_hash, r.log_index)]
        assert int(log["blockNumber"], 16) == r.block_number
        assert iso(log_time(log)) == r.block_time
        if marketplace in PARTIES:
            parties = tuple(named(log, w) for w in PARTIES[marketplace])
            if marketplace == "golem" and parties[0] == MULTI_TRANSFER:   # a relayed leg: its payer paid in
                parties = (r.buyer, parties[1])
            assert parties == (r.buyer, r.provider)


def test_winning_ticket_decodes_by_hand(net: Devnet) -> None:
    rental = first_rental(net, "livepeer")
    log = defining_log(net, rental)
    assert as_address(log["topics"][1]) == rental.buyer
    assert as_address(log["topics"][2]) == rental.provider
    w = words(log["data"])
    assert str(int.from_bytes(w[0], "big")) == rental.payment_raw
    assert int.from_bytes(w[4], "big") == 5 * 32          # auxData offset
    assert int.from_bytes(w[5], "big") == 64              # (uint256 creationRound, bytes32 blockHash)
    assert 4000 < int.from_bytes(w[6], "big") < 5000
    tx = rpc(net.urls[42161], "eth_getTransactionByHash", rental.tx_hash)
    assert tx["from"] == rental.provider


def test_iexec_match_tx_event_sequence(net: Devnet) -> None:
    rental = first_rental(net, "iexec")
    receipt = rpc(net.urls[42161], "eth_getTransactionReceipt", rental.tx_hash)
    logs = receipt["logs"]
    assert [log["topics"][0] for log in logs] == [LOCK, LOCK, SCHEDULER_NOTICE, ORDERS_MATCHED]
    first_lock = words(logs[0]["data"])
    assert as_address(first_lock[0]) == rental.buyer
    assert str(int.from_bytes(first_lock[1], "big")) == rental.payment_raw
    assert as_address(logs[2]["topics"][1]) == rental.provider
    assert words(logs[2]["data"])[0] == words(logs[3]["data"])[0]          # same dealid
    assert as_address(words(logs[1]["data"])[0]) in net.truth.providers["iexec"]


def test_spheron_lease_decodes_by_hand(net: Devnet) -> None:
    rental = first_rental(net, "spheron")
    w = words(defining_log(net, rental)["data"])
    assert as_address(w[4]) == rental.provider
    assert as_address(w[5]) == rental.buyer
    assert int.from_bytes(w[6], "big") == rental.block_number
    assert int.from_bytes(w[9], "big") == 1


def test_swan_task_created_decodes_by_hand(net: Devnet) -> None:
    for rental in [r for r in net.truth.rentals if r.marketplace == "swan"][:10]:
        w = words(defining_log(net, rental)["data"])
        assert as_int(w[0]) == 4 * 32                       # cpList offset
        assert as_address(w[1]) == rental.buyer
        assert str(as_int(w[2])) == rental.payment_raw
        assert 3600 <= as_int(w[3]) <= 7 * 86400
        cps = [as_address(x) for x in w[5:5 + as_int(w[4])]]
        assert (cps[0], len(cps)) == (rental.provider, rental.gpu_count)
        assert set(cps) <= set(net.truth.providers["swan"])


def test_golem_batch_pays_several_providers(net: Devnet) -> None:
    golem = [r for r in net.truth.rentals if r.marketplace == "golem"]
    batches = {r.tx_hash for r in golem if r.log_index > 0}
    assert len(batches) >= 5
    receipt = rpc(net.urls[137], "eth_getTransactionReceipt", sorted(batches)[0])
    legs = [(as_address(log["topics"][1]), as_address(log["topics"][2]), as_int(log["data"]))
            for log in receipt["logs"]]
    planted = [(r.buyer, r.provider, r.payment_raw) for r in golem if r.tx_hash == receipt["transactionHash"]]
    # golemTransferIndirectPacked (erc20_payment_lib's default on Polygon): the total into the contract, then a
    # leg from the contract to each provider
    buyer = planted[0][0]
    assert legs[0] == (buyer, MULTI_TRANSFER, sum(int(v) for _, _, v in planted)) and len(planted) >= 2
    assert [(buyer, to, str(v)) for sender, to, v in legs[1:] if sender == MULTI_TRANSFER] == planted
    assert receipt["from"] == buyer


def test_get_logs_matches_truth(net: Devnet) -> None:
    """All WinningTicketRedeemed logs by eth_getLogs, with block timestamps, are exactly the truth's tickets."""
    truth = net.truth
    c = truth.chains[42161]
    logs = rpc(net.urls[42161], "eth_getLogs", {
        "fromBlock": hex(c.genesis_block), "toBlock": hex(c.last_block),
        "address": registry_address("livepeer", "TicketBroker"), "topics": [WINNING_TICKET_REDEEMED]})
    expected = {(r.tx_hash, r.log_index, r.block_time) for r in truth.rentals if r.marketplace == "livepeer"}
    found = {(log["transactionHash"], int(log["logIndex"], 16), iso(log_time(log))) for log in logs}
    assert found == expected


def test_first_funding_is_first_plain_transfer(net: Devnet, blocks: dict[int, list[dict[str, Any]]]) -> None:
    first: dict[tuple[int, str], dict[str, Any]] = {}
    for chain_id, chain_blocks in blocks.items():
        for block in chain_blocks:
            for tx in block["transactions"]:
                if int(tx["value"], 16) > 0 and tx["to"]:
                    first.setdefault((chain_id, tx["to"]), tx)
    truth = net.truth
    assert len(truth.funding) > 50
    assert {f.chain_id for f in truth.funding} == set(CHAINS)
    for f in truth.funding:
        tx = first[(f.chain_id, f.address)]
        assert (tx["hash"], tx["from"], tx["input"], int(tx["blockNumber"], 16)) == \
            (f.tx_hash, f.funder, "0x", f.block_number)
    solo_wallets = {w for e in truth.entities if e.kind == "solo" for w in e.wallets}
    # Solos withdraw from the exchange or bridge in: the relayer funds them then.
    assert {f.funder for f in truth.funding if f.address in solo_wallets} == \
        {*truth.exchange, truth.labels["bridge_relayer"]}
    assert {(r.chain_id, r.buyer) for r in truth.rentals} <= {(f.chain_id, f.address) for f in truth.funding}


def test_truth_file_round_trips(net: Devnet) -> None:
    assert load_truth(net.truth_path) == net.truth
    raw = json.loads(Path(net.truth_path).read_text())
    assert set(raw) == {"seed", "chains", "exchange", "entities", "providers", "rentals", "funding", "prices",
                        "imported_prices", "labels"}
    assert raw["seed"] == 7 and set(raw["chains"]) == {str(c) for c in CHAINS}
    assert all(r["tx_hash"].startswith("0x") and r["block_time"].endswith("Z") for r in raw["rentals"])
    assert {r["marketplace"] for r in raw["rentals"] if r["workload"] is not None} == {"livepeer"}
    iexec = [r for r in raw["rentals"] if r["marketplace"] == "iexec"]
    assert all(r[k] is None for r in raw["rentals"] if r["marketplace"] != "iexec" for k in IEXEC_FIELDS)
    assert all(len(r["iexec_deal_id"]) == 66 and r["iexec_deadline"].endswith("Z") and
               isinstance(r["iexec_tag"], int) and r["iexec_category"] in range(5) for r in iexec)
    assert set(raw["labels"]) == {"aleph_community_wallet", "aleph_super_token", "aleph_other_super_token",
                                  "bridge_relayer", "payment_processor", "phisher"}


def test_old_truth_files_still_load(net: Devnet, tmp_path: Path) -> None:
    """A truth file written before prices, labels, workload and the iExec deal fields existed loads with those
    empty."""
    raw = json.loads(Path(net.truth_path).read_text())
    for key in ("prices", "imported_prices", "labels"):
        del raw[key]
    for r in raw["rentals"]:
        for key in ("workload", *IEXEC_FIELDS):
            del r[key]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(raw))
    truth = load_truth(old)
    assert truth.rentals and not truth.prices and not truth.imported_prices and truth.labels == {}
    assert all(r.workload is r.iexec_deal_id is r.iexec_tag is r.iexec_category is r.iexec_deadline is None
               for r in truth.rentals)
