"""The economy plan is a pure function of the seed, stays inside its calendar, and sets the clustering traps."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from itertools import pairwise

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from auditor.devnet.aleph import stream_payment
from auditor.devnet.economy import Economy, plan_economy
from auditor.devnet.feeds import DAILY_WALKS, FEED_WALKS, PHASE_2_FROM
from auditor.devnet.iexec import task_id
from auditor.devnet.plan import (
    ARBITRUM,
    BASE,
    CLOSE_TIME,
    DAY,
    END_TIME,
    GENESIS_BLOCKS,
    GENESIS_TIME,
    POLYGON,
    SWAN,
    contract_address,
)
from auditor.devnet.swan import task_uid
from auditor.marketplaces.golem import MULTI_TRANSFER

# Txs per chain: enough to be a real workload, few enough for a quick session fixture.
TX_RANGE = {ARBITRUM: (1500, 2400), BASE: (1500, 2400), SWAN: (100, 400), POLYGON: (60, 300)}
MAX_TXS = 4900
NEW_MARKETS = ("swan", "aleph", "golem")


@cache
def planned(seed: int) -> Economy:
    return plan_economy(seed)


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    assert plan_economy(7) == planned(7)
    assert planned(8) != planned(7)
    assert planned(8).exchange != planned(7).exchange


@pytest.mark.parametrize("seed", [7, 8, 1234])
def test_scale_and_calendar(seed: int) -> None:
    economy = planned(seed)
    assert {c.chain_id for c in economy.chains} == {ARBITRUM, BASE, SWAN, POLYGON}
    assert Counter(e.kind for e in economy.entities) == {"entity": 12, "solo": 28}
    assert all(2 <= len(e.wallets) <= 8 for e in economy.entities if e.kind == "entity")
    assert sum(len(c.txs) for c in economy.chains) <= MAX_TXS
    for chain in economy.chains:
        low, high = TX_RANGE[chain.chain_id]
        assert low <= len(chain.txs) <= high
        assert chain.genesis_block == GENESIS_BLOCKS[chain.chain_id]
        assert chain.last_time == CLOSE_TIME
        previous = (chain.genesis_block, GENESIS_TIME)
        for tx in chain.txs:
            assert GENESIS_TIME < tx.time <= END_TIME
            assert (tx.block == previous[0] and tx.time == previous[1]) or (
                tx.block == previous[0] + 1 and tx.time > previous[1])
            previous = (tx.block, tx.time)
        assert chain.last_block in (previous[0], previous[0] + 1)


@pytest.mark.parametrize("seed", [7, 8, 1234])
def test_nonces_count_up_per_sender(seed: int) -> None:
    for chain in planned(seed).chains:
        seen: dict[str, int] = defaultdict(int)
        for tx in chain.txs:
            assert tx.nonce == seen[tx.sender]
            seen[tx.sender] += 1


@pytest.mark.parametrize("seed", [7, 8, 1234])
def test_first_funding_comes_first(seed: int) -> None:
    """The planned first funding is the earliest value transfer in, and precedes everything the address does."""
    economy = planned(seed)
    txs = economy.txs_by_key()
    first_in: dict[tuple[int, str], int] = {}
    first_act: dict[tuple[int, str], int] = {}
    for chain in economy.chains:
        for tx in chain.txs:
            if tx.value > 0:
                first_in.setdefault((chain.chain_id, tx.to), tx.key)
            first_act.setdefault((chain.chain_id, tx.sender), tx.key)
    for r in economy.rentals:
        first_act[(r.chain_id, r.buyer)] = min(first_act.get((r.chain_id, r.buyer), r.tx), r.tx,
                                               key=lambda k: (txs[k].block, k))
    funded = {(f.chain_id, f.address): f for f in economy.fundings}
    for (chain_id, addr), f in funded.items():
        assert first_in[(chain_id, addr)] == f.tx
        assert txs[f.tx].sender == f.funder and txs[f.tx].to == addr and not txs[f.tx].emits
        act = first_act.get((chain_id, addr))
        if act is not None:
            assert txs[f.tx].time < txs[act].time
    assert {(r.chain_id, r.buyer) for r in economy.rentals} <= set(funded)


def test_traps_are_set() -> None:
    economy = planned(7)
    exchange = economy.exchange[0]
    by_entity = {e.entity_id: e for e in economy.entities}
    funder_of = {(f.chain_id, f.address): f.funder for f in economy.fundings}
    solos = [e for e in economy.entities if e.kind == "solo"]
    entities = [e for e in economy.entities if e.kind == "entity"]
    assert len(solos) == 28 and len(entities) == 12
    assert all(2 <= len(e.wallets) <= 8 for e in entities)
    relayer = economy.labels["bridge_relayer"]
    # Every solo buyer is first funded by the exchange or the bridge relayer: naive common-funder clustering
    # would merge them.
    solo_funders = {funder_of[k] for k in funder_of if k[1] in {w for s in solos for w in s.wallets}}
    assert solo_funders == {exchange, relayer}
    # Entity funders come from the exchange or their own treasury; buyers from their entity's funder, or (entities
    # without one) the exchange or the relayer.
    for e in entities:
        for (_, addr), funder in funder_of.items():
            if addr in e.wallets:
                assert funder in e.funders if e.funders else funder in (exchange, relayer)
            elif addr in e.funders:
                assert funder == exchange or funder in e.funders
    styles = Counter(economy.styles[e.entity_id] for e in entities)
    assert styles == {"funder": 3, "exchange": 4, "bridge": 4, "weak": 1}
    # Exchange-style entities share one deposit address across their wallets and chains.
    assert all(len(economy.deposits[e.entity_id]) == 1 for e in entities if economy.styles[e.entity_id] == "exchange")
    assert any(len(e.funders) == 2 for e in entities)
    # Providers serve several entities.
    owner = {w: e.entity_id for e in economy.entities for w in e.wallets}
    served = Counter(p for p, _ in {(r.provider, owner[r.buyer]) for r in economy.rentals})
    assert sum(1 for n in served.values() if n >= 3) >= 4
    assert set(by_entity) == {e.entity_id for e in economy.entities}


def test_rentals_cover_marketplaces_and_edge_cases() -> None:
    rentals = planned(7).rentals
    assert Counter(r.marketplace for r in rentals).keys() == {"livepeer", "iexec", "spheron", "morpheus", *NEW_MARKETS}
    spheron = [r for r in rentals if r.marketplace == "spheron"]
    assert sum(r.end_time is None for r in spheron) >= 3
    assert sum(r.gpu_model_raw is None for r in spheron) == 4
    assert {r.gpu_model_raw for r in spheron} >= {"h100", "a100-80g", "rtx4090"}
    assert {r.gpu_count for r in spheron if r.gpu_count} >= {1, 2, 4, 8}


def test_growth_is_visible() -> None:
    """Some entity rents at least twice as much in the last four weeks as in its first four active weeks."""
    economy = planned(7)
    txs = economy.txs_by_key()
    owner = {w: e.entity_id for e in economy.entities for w in e.wallets}
    weekly: dict[str, Counter[int]] = defaultdict(Counter)
    for r in economy.rentals:
        weekly[owner[r.buyer]][(txs[r.tx].time - GENESIS_TIME) // (7 * 86400)] += 1
    growing = 0
    for counts in weekly.values():
        weeks = sorted(counts)
        early = sum(counts[w] for w in range(weeks[0], weeks[0] + 4))
        if early and sum(counts[w] for w in range(11, 15)) >= 2 * early:
            growing += 1
    assert growing >= 2


def test_iexec_task_ids() -> None:
    deal = keccak(text="deal")
    assert task_id(deal, 3) == keccak(encode(["bytes32", "uint256"], [deal, 3]))


@pytest.mark.parametrize("seed", [7, 8, 1234])
def test_new_marketplaces_have_entity_and_solo_buyers(seed: int) -> None:
    economy = planned(seed)
    kind = {w: e.kind for e in economy.entities for w in e.wallets}
    for market in NEW_MARKETS:
        rentals = [r for r in economy.rentals if r.marketplace == market]
        assert 55 <= len(rentals) <= 125, (market, len(rentals))
        kinds = Counter(kind[r.buyer] for r in rentals)
        assert kinds["entity"] >= 20 and kinds["solo"] >= 5, (market, kinds)
    assert all(r.workload is None for r in economy.rentals if r.marketplace != "livepeer")
    assert {r.workload for r in economy.rentals if r.marketplace == "livepeer"} == {"ai", "transcoding"}


def test_swan_tasks() -> None:
    economy = planned(7)
    txs = economy.txs_by_key()
    swan = [r for r in economy.rentals if r.marketplace == "swan"]
    assert sum(r.end_time is None for r in swan) >= 1
    assert {r.gpu_count for r in swan} == {1, 2, 3}
    for n, r in enumerate(swan, start=1):
        (created,) = txs[r.tx].emits
        uid, cps, user, reward, duration = created.args
        assert uid == task_uid(7, n) and len(uid) == 36 and uid.count("-") == 4
        assert (cps[0], len(cps), user, reward) == (r.provider, r.gpu_count, r.buyer, r.payment_raw)
        assert 3600 <= duration <= 7 * DAY and r.start_time == txs[r.tx].time
        assert r.end_time is None or r.start_time < r.end_time <= CLOSE_TIME


def test_aleph_instances_are_sequential_per_buyer() -> None:
    economy = planned(7)
    aleph = [r for r in economy.rentals if r.marketplace == "aleph"]
    community = economy.labels["aleph_community_wallet"]
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in aleph:
        assert r.start_time is not None
        if r.provider != community:
            spans[r.buyer].append((r.start_time, r.end_time or CLOSE_TIME))
    for buyer_spans in spans.values():
        buyer_spans.sort()
        assert all(a[1] < b[0] for a, b in pairwise(buyer_spans))
    assert sum(r.end_time is None for r in aleph) >= 2
    assert stream_payment(((100, 10), (200, 4)), 300) == 10 * 100 + 4 * 100
    assert stream_payment(((100, 10),), None, share=5) == 2 * (CLOSE_TIME - 100)


def test_golem_requestors_approve_before_paying_and_pay_only_providers() -> None:
    economy = planned(7)
    glm = contract_address("golem", "GLM", POLYGON)
    txs = sorted((t for t in economy.chain(POLYGON).txs if t.to == glm), key=lambda t: (t.block, t.key))
    providers = set(economy.providers["golem"])
    approved: set[str] = set()
    rentals = {(r.tx, r.log_position): r for r in economy.rentals if r.marketplace == "golem"}
    payments = 0
    for tx in txs:
        for i, e in enumerate(tx.emits):
            if e.event == "Approval" and e.args[1] == MULTI_TRANSFER:
                approved.add(e.args[0])
            elif e.event == "Transfer" and e.args[0] in approved and e.args[1] == MULTI_TRANSFER:
                assert (tx.key, i) not in rentals   # into the multi-transfer contract: the legs out are the rentals
            elif e.event == "Transfer" and (e.args[0] in approved or e.args[0] == MULTI_TRANSFER):
                assert e.args[1] in providers and (tx.key, i) in rentals
                payments += 1
            elif e.event == "Transfer":
                assert (tx.key, i) not in rentals
    assert payments == len(rentals)
    assert any(len(tx.emits) >= 3 for tx in txs)


def test_feed_answers_and_daily_prices() -> None:
    economy = planned(7)
    answers = economy.feed_answers
    assert {(a.chain_id, a.asset) for a in answers} == {(c, a) for c in (ARBITRUM, BASE) for a in FEED_WALKS}
    assert min(a.time for a in answers) < GENESIS_TIME + DAY
    assert all((a.phase == 2) == (a.time >= PHASE_2_FROM) for a in answers)
    assert {a.asset for a in economy.daily_prices} == set(DAILY_WALKS)
    days = (CLOSE_TIME - GENESIS_TIME) // DAY + 1
    assert len(economy.daily_prices) == days * len(DAILY_WALKS)
    assert planned(8).daily_prices != economy.daily_prices
