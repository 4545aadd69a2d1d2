"""iExec deals as played: viewDeal answers every matched deal like the real PoCo diamond, tasks meet their deadlines."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from eth_abi.abi import decode
from eth_utils.crypto import keccak

from auditor.devnet import Devnet
from auditor.devnet.truth import RentalTruth
from tests.devnet.chainrpc import (
    LOCK,
    ORDERS_MATCHED,
    SCHEDULER_NOTICE,
    as_address,
    as_int,
    get_logs,
    iso,
    log_time,
    registry_address,
    rpc_batch,
    words,
)
from tests.devnet.test_devnet_economy import planned

DEAL = ("((address,address,uint256),(address,address,uint256),(address,address,uint256),uint256,uint256,bytes32,"
        "address,address,address,string,uint256,uint256,uint256,uint256,uint256,address)")
VIEW_DEAL = "0x" + keccak(text="viewDeal(bytes32)")[:4].hex()
TASK_INITIALIZE = "0x" + keccak(text="TaskInitialize(bytes32,address)").hex()
TASK_FINALIZE = "0x" + keccak(text="TaskFinalize(bytes32,bytes)").hex()
CATEGORY_REFS = (300, 1200, 3600, 10800, 36000)
TEE, GPU = 0x1, 0x100
ZERO = "0x" + "00" * 20
ARBITRUM = 42161
CLOSE = 1_794_787_200   # 2026-11-16T00:00:00Z, the closing block


def view_deals(net: Devnet, ids: list[str], block: list[int] | None = None) -> list[tuple[Any, ...]]:
    """viewDeal(id) by eth_call, decoded, at the given blocks (default latest)."""
    poco = registry_address("iexec", "PocoDiamond")
    blocks = block or ["latest"] * len(ids)
    calls = [("eth_call", [{"to": poco, "data": VIEW_DEAL + i.removeprefix("0x")},
                           b if isinstance(b, str) else hex(b)]) for i, b in zip(ids, blocks, strict=True)]
    return [decode([DEAL], bytes.fromhex(out.removeprefix("0x")))[0] for out in rpc_batch(net.urls[ARBITRUM], calls)]


def iexec_rentals(net: Devnet) -> list[RentalTruth]:
    return [r for r in net.truth.rentals if r.marketplace == "iexec"]


@pytest.fixture(scope="module")
def deals(net: Devnet) -> dict[str, tuple[Any, ...]]:
    """viewDeal at the match block of every planted deal, by deal id."""
    rentals = iexec_rentals(net)
    ids = [str(r.iexec_deal_id) for r in rentals]
    return dict(zip(ids, view_deals(net, ids, [r.block_number for r in rentals]), strict=True))


def test_view_deal_returns_the_planted_deal(net: Devnet, deals: dict[str, tuple[Any, ...]]) -> None:
    """Every field checked against the match tx's logs and the truth: parties, prices, volume, time, terms."""
    rentals = iexec_rentals(net)
    receipts = rpc_batch(net.urls[ARBITRUM], [("eth_getTransactionReceipt", [r.tx_hash]) for r in rentals])
    params: Counter[str] = Counter()
    for r, receipt in zip(rentals, receipts, strict=True):
        logs = receipt["logs"]
        assert [log["topics"][0] for log in logs] == [LOCK, LOCK, SCHEDULER_NOTICE, ORDERS_MATCHED]
        matched = words(logs[3]["data"])
        assert "0x" + matched[0].hex() == r.iexec_deal_id
        (app, dataset, pool, trust, category, tag, requester, beneficiary, callback, param, start, bot_first,
         bot_size, worker_stake, reward_ratio, sponsor) = deals[str(r.iexec_deal_id)]
        assert requester == beneficiary == sponsor == r.buyer and callback == ZERO
        assert pool[:2] == (r.provider, as_address(words(logs[1]["data"])[0]))
        assert app[0] != ZERO and app[1] != ZERO
        assert (dataset[0] == ZERO) == (dataset[1] == ZERO) and (dataset[0] != ZERO or dataset[2] == 0)
        locked = as_int(words(logs[0]["data"])[1])
        assert (app[2] + dataset[2] + pool[2]) * bot_size == locked == int(str(r.payment_raw))
        assert bot_first == 0 and bot_size == as_int(matched[5]) >= 1
        assert iso(start) == r.block_time
        assert (category, int.from_bytes(tag, "big")) == (r.iexec_category, r.iexec_tag)
        assert iso(start + 10 * CATEGORY_REFS[category]) == r.iexec_deadline
        assert trust in (0, 1, 5) and 0 < reward_ratio < 100 and 0 < worker_stake < pool[2]
        params[param] += 1
    assert any(dataset[0] != ZERO for _, dataset, *_ in deals.values())
    assert any(len(p.encode()) >= 32 for p in params) and any(0 < len(p) < 32 for p in params) and params[""]


def test_unknown_or_not_yet_matched_deals_are_all_zero(net: Devnet) -> None:
    """Like the real diamond: an unknown id gives an all-zero Deal, and a deal is absent before its match block."""
    first = iexec_rentals(net)[0]
    empty = ((ZERO, ZERO, 0),) * 3 + (0, 0, b"\0" * 32, ZERO, ZERO, ZERO, "", 0, 0, 0, 0, 0, ZERO)
    unknown = ["0x" + keccak(text="no such deal").hex(), "0x" + "00" * 32]
    assert view_deals(net, unknown) == [empty, empty]
    before, at = view_deals(net, [str(first.iexec_deal_id)] * 2, [first.block_number - 1, first.block_number])
    assert before == empty and at != empty


def test_finalized_tasks_meet_their_deadline(net: Devnet, deals: dict[str, tuple[Any, ...]]) -> None:
    """Task ids keccak256(dealid, index) for index < botSize; every TaskFinalize comes after its TaskInitialize
    and by the deal's deadline; a rental has an end exactly when all its tasks were finalized."""
    poco = registry_address("iexec", "PocoDiamond")
    inits = {log["topics"][1]: log_time(log) for log in get_logs(net, ARBITRUM, poco, [TASK_INITIALIZE])}
    finals = {log["topics"][1]: log_time(log) for log in get_logs(net, ARBITRUM, poco, [TASK_FINALIZE])}
    seen: set[str] = set()
    stuck = 0
    for r in iexec_rentals(net):
        deal = deals[str(r.iexec_deal_id)]
        deadline = deal[10] + 10 * CATEGORY_REFS[deal[4]]
        tasks = ["0x" + keccak(bytes.fromhex(str(r.iexec_deal_id)[2:]) + i.to_bytes(32, "big")).hex()
                 for i in range(deal[12])]
        seen.update(tasks)
        for task in tasks:
            if task in finals:
                assert deal[10] < inits[task] <= finals[task] <= deadline
        done = [finals[t] for t in tasks if t in finals]
        assert r.end_time == (iso(max(done)) if len(done) == len(tasks) else None)
        assert r.start_time == min((iso(inits[t]) for t in tasks if t in inits), default=None)
        stuck += any(t in inits and t not in finals for t in tasks) and deadline < CLOSE
    assert set(inits) <= seen and set(finals) <= set(inits)
    assert stuck >= 2, "deals with a task initialized, never finalized, past its deadline"
    assert sum(r.end_time is None for r in iexec_rentals(net)) >= stuck + 1


def test_gpu_and_other_deals(net: Devnet) -> None:
    tags = [int(str(r.iexec_tag)) for r in iexec_rentals(net)]
    gpu = sum(bool(t & GPU) for t in tags)
    assert 0.4 * len(tags) <= gpu <= 0.8 * len(tags)
    assert any(t & TEE and t & GPU for t in tags) and any(t & TEE and not t & GPU for t in tags) and 0 in tags
    assert len({r.iexec_category for r in iexec_rentals(net)}) >= 3
    others = [r for r in net.truth.rentals if r.marketplace != "iexec"]
    assert all(r.iexec_deal_id is r.iexec_tag is r.iexec_category is r.iexec_deadline is None for r in others)


@pytest.mark.parametrize("seed", [7, 8, 1234])
def test_planned_categories_cover_their_tasks(seed: int) -> None:
    """The smallest category that fits, or one more: every planned finalize is by the deadline, and a category
    one smaller would miss it for some task."""
    economy = planned(seed)
    txs = economy.txs_by_key()
    finals: dict[bytes, int] = {}
    for tx in economy.chain(ARBITRUM).txs:
        for e in tx.emits:
            if e.event == "TaskFinalize":
                finals[e.args[0]] = tx.time
    slack: Counter[bool] = Counter()
    for r in economy.rentals:
        if r.deal is None:
            continue
        start = txs[r.tx].time
        assert r.deal.deadline == start + 10 * CATEGORY_REFS[r.deal.category]
        ends = [finals[t] for i in range(4) if (t := keccak(r.deal.deal_id + i.to_bytes(32, "big"))) in finals]
        assert all(end <= r.deal.deadline for end in ends)
        if ends and r.end_time is not None:
            smaller = r.deal.category - 1
            fits_smaller = smaller >= 0 and max(ends) <= start + 10 * CATEGORY_REFS[smaller]
            slack[fits_smaller] += 1
    assert slack[False] > 3 * slack[True] > 0
