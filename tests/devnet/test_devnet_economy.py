"""The economy plan is a pure function of the seed, stays inside its calendar, and sets the clustering traps."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from auditor.devnet.economy import Economy, plan_economy
from auditor.devnet.markets import spheron_spec, task_id
from auditor.devnet.plan import ARBITRUM, BASE, CLOSE_TIME, END_TIME, GENESIS_BLOCKS, GENESIS_TIME


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
    assert {c.chain_id for c in economy.chains} == {ARBITRUM, BASE}
    assert Counter(e.kind for e in economy.entities) == {"entity": 10, "solo": 20}
    assert all(2 <= len(e.wallets) <= 8 for e in economy.entities if e.kind == "entity")
    for chain in economy.chains:
        assert 1000 <= len(chain.txs) <= 2000
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
    assert len(solos) == 20 and len(entities) == 10
    assert all(2 <= len(e.wallets) <= 8 for e in entities)
    # Every solo buyer is first funded by the exchange: naive common-funder clustering would merge them.
    assert all(funder_of[k] == exchange for k in funder_of if k[1] in {w for s in solos for w in s.wallets})
    # Entity funders come from the exchange or their own treasury; buyers from their entity's funder.
    for e in entities:
        for (_, addr), funder in funder_of.items():
            if addr in e.wallets:
                assert funder in e.funders
            elif addr in e.funders:
                assert funder == exchange or funder in e.funders
    assert any(len(e.funders) == 2 for e in entities)
    # Providers serve several entities.
    owner = {w: e.entity_id for e in economy.entities for w in e.wallets}
    served = Counter(p for p, _ in {(r.provider, owner[r.buyer]) for r in economy.rentals})
    assert sum(1 for n in served.values() if n >= 3) >= 4
    assert set(by_entity) == {e.entity_id for e in economy.entities}


def test_rentals_cover_marketplaces_and_edge_cases() -> None:
    rentals = planned(7).rentals
    assert Counter(r.marketplace for r in rentals).keys() == {"livepeer", "iexec", "spheron", "morpheus"}
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


def test_spheron_spec_and_iexec_task_ids() -> None:
    expected = "{s:[{n:train,r:{c:{u:32},m:{u:256Gi},s:[{u:1Ti}],g:{u:8,a:{vendor:{nvidia:[{model:h100}]}}}},c:1}]}"
    assert spheron_spec("train", "h100", 8, 1) == expected
    deal = keccak(text="deal")
    assert task_id(deal, 3) == keccak(encode(["bytes32", "uint256"], [deal, 3]))
