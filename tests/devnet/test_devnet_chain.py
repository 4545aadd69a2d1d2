"""The played devnet on real anvil nodes, checked with plain JSON-RPC against the ground truth.

Expected topic0s are hard-coded reference values, and logs are decoded by slicing 32-byte words, so these
checks do not share code with the auditor's decoder.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.devnet import Devnet, load_truth, start_devnet
from auditor.devnet.truth import RentalTruth
from auditor.marketplaces import MARKETPLACES

WINNING_TICKET_REDEEMED = "0xc389eb51ed006dbf2528507f010efdf5225ea596e1e1741d74f550dab1925ee7"
LEASE_CREATED = "0x5ac8ea04e47ef9fd0cb3dc8fb52cafc453271d39b0e0b60c8674e64bf08737c4"
SESSION_OPENED = "0x2bd7c890baf595977d256a6e784512c873ac58ba612b4895dbb7f784bfbf4839"
ORDERS_MATCHED = "0xd811b592ed0899225773e8933d8df64bd0b62761a9d7aad4ed5b22735f4610a4"
LOCK = "0x625fed9875dada8643f2418b838ae0bc78d9a148a18eee4ee1979ff0f3f5d427"
SCHEDULER_NOTICE = "0x692ad61076dceddd0f1a861f737553dd61fc8501cf4190d29c4e90af6607f765"
DEFINING = {"livepeer": WINNING_TICKET_REDEEMED, "iexec": ORDERS_MATCHED, "spheron": LEASE_CREATED,
            "morpheus": SESSION_OPENED}
CONTRACT_OF = {"livepeer": "TicketBroker", "iexec": "PocoDiamond", "spheron": "ComputeLease", "morpheus": "Diamond"}


def rpc(url: str, method: str, *params: Any) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        reply = json.loads(resp.read())
    assert "error" not in reply, reply
    return reply["result"]


def rpc_batch(url: str, calls: list[tuple[str, list[Any]]]) -> list[Any]:
    body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": m, "params": p}
                       for i, (m, p) in enumerate(calls)]).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as resp:
        replies = sorted(json.loads(resp.read()), key=lambda r: r["id"])
    return [r["result"] for r in replies]


def port_open(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def words(data: str) -> list[bytes]:
    raw = bytes.fromhex(data.removeprefix("0x"))
    return [raw[i:i + 32] for i in range(0, len(raw), 32)]


def as_address(word: bytes | str) -> str:
    hexed = word.hex() if isinstance(word, bytes) else word.removeprefix("0x")
    return "0x" + hexed[-40:]


def registry_address(marketplace: str, contract: str) -> str:
    m = next(m for m in MARKETPLACES if m.name == marketplace)
    return next(c for c in m.contracts if c.name == contract).deployments[0].address.lower()


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    started = time.monotonic()
    with start_devnet(tmp_path_factory.mktemp("devnet")) as played:
        print(f"start_devnet took {time.monotonic() - started:.1f}s")
        yield played
    assert not any(port_open(url) for url in played.urls.values()), "anvil still listening after start_devnet exited"


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
    assert set(net.urls) == {42161, 8453}
    for chain_id, url in net.urls.items():
        assert int(rpc(url, "eth_chainId"), 16) == chain_id
        head = rpc(url, "eth_getBlockByNumber", "latest", False)
        assert int(head["number"], 16) == net.truth.chains[chain_id].last_block
        assert net.truth.chains[chain_id].last_time == "2026-11-16T00:00:00Z"
    assert net.truth.chains[42161].genesis_block == 300_000_000
    assert net.truth.chains[8453].genesis_block == 30_000_000


def test_code_at_real_addresses(net: Devnet) -> None:
    for m in MARKETPLACES:
        for c in m.contracts:
            for d in c.deployments:
                code = rpc(net.urls[d.chain_id], "eth_getCode", d.address, "latest")
                assert len(code) > 100, f"no code for {m.name}/{c.name} at {d.address}"


@pytest.mark.parametrize("marketplace", ["livepeer", "iexec", "spheron", "morpheus"])
def test_defining_event_topic0(net: Devnet, marketplace: str) -> None:
    rental = first_rental(net, marketplace)
    log = defining_log(net, rental)
    assert log["topics"][0] == DEFINING[marketplace]
    assert log["address"] == registry_address(marketplace, CONTRACT_OF[marketplace])
    assert log["transactionHash"] == rental.tx_hash


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


def test_get_logs_matches_truth(net: Devnet) -> None:
    """All WinningTicketRedeemed logs by eth_getLogs, with block timestamps, are exactly the truth's tickets."""
    truth = net.truth
    c = truth.chains[42161]
    logs = rpc(net.urls[42161], "eth_getLogs", {
        "fromBlock": hex(c.genesis_block), "toBlock": hex(c.last_block),
        "address": registry_address("livepeer", "TicketBroker"), "topics": [WINNING_TICKET_REDEEMED]})
    expected = {(r.tx_hash, r.log_index, r.block_time) for r in truth.rentals if r.marketplace == "livepeer"}
    found = {(log["transactionHash"], int(log["logIndex"], 16),
              time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(log["blockTimestamp"], 16)))) for log in logs}
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
    for f in truth.funding:
        tx = first[(f.chain_id, f.address)]
        assert (tx["hash"], tx["from"], tx["input"], int(tx["blockNumber"], 16)) == \
            (f.tx_hash, f.funder, "0x", f.block_number)
    solo_wallets = {w for e in truth.entities if e.kind == "solo" for w in e.wallets}
    assert {f.funder for f in truth.funding if f.address in solo_wallets} == set(truth.exchange)


def test_truth_file_round_trips(net: Devnet) -> None:
    assert load_truth(net.truth_path) == net.truth
    raw = json.loads(Path(net.truth_path).read_text())
    assert set(raw) == {"seed", "chains", "exchange", "entities", "providers", "rentals", "funding"}
    assert raw["seed"] == 7 and set(raw["chains"]) == {"42161", "8453"}
    assert all(r["tx_hash"].startswith("0x") and r["block_time"].endswith("Z") for r in raw["rentals"])
