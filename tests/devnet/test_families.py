"""Economy families: deterministic plans that differ by seed, heavy-tailed sizes from 1 to 200 wallets, a truth
whose linkable groups refine ownership, traps that really fan out; and one small family economy played on anvil,
indexed and analysed, on which the scorer's arithmetic is checked."""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter, defaultdict
from dataclasses import replace
from functools import cache
from pathlib import Path

import duckdb
import pytest

from auditor.analyze import run_analysis
from auditor.devnet import start_economy
from auditor.devnet.families import FAMILIES, FamilyEconomy, plan_family
from auditor.devnet.families.linktruth import family_truth, label_writer, load_family_truth, truth_of
from auditor.devnet.quality import score, score_linkable
from auditor.errors import DevnetError
from auditor.labels import import_labels
from auditor.store.db import open_db
from auditor.sync import IndexRequest, run_index

SEEDS = (1, 2, 3, 4, 5)


@cache
def planned(family: str, seed: int) -> FamilyEconomy:
    return plan_family(family, seed)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_plans_are_deterministic_and_differ_by_seed(family: str) -> None:
    assert plan_family(family, 1) == planned(family, 1)
    chains = [planned(family, s).economy.chains for s in SEEDS]
    assert len({hash(c) for c in chains}) == len(SEEDS)
    assert planned(family, 1).economy.entities != planned(family, 2).economy.entities


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_sizes_are_heavy_tailed_from_1_to_200(family: str) -> None:
    sizes = [len(o.members) for s in SEEDS for o in planned(family, s).owners]
    entity_sizes = [len(o.members) for s in SEEDS for o in planned(family, s).owners if o.kind == "entity"]
    assert min(sizes) == 1 and max(sizes) == 200 and min(entity_sizes) == 2
    assert statistics.median(sizes) == 1 and statistics.median(entity_sizes) <= 12
    assert len(set(entity_sizes)) >= 10


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_truth_is_consistent(family: str) -> None:
    for seed in SEEDS:
        fam = planned(family, seed)
        truth = truth_of(fam)
        buyers = {r.buyer for r in fam.economy.rentals}
        assert set(truth.owners) == buyers   # every wallet rents, every buyer has one owner
        owners_of_group: dict[str, set[str]] = defaultdict(set)
        for wallet, group in truth.linkable.items():
            owners_of_group[group].add(truth.owners[wallet])
        assert all(len(o) == 1 for o in owners_of_group.values())   # linkable groups refine owners
        for o in fam.owners:
            if o.profile == "exchange_only":
                assert len({truth.linkable[m.address] for m in o.members}) == len(o.members)
        assert {a: truth.owned[a] for a in truth.owners} == truth.owners
        assert not set(truth.owned) & set(truth.services.values())
        assert truth.bystanders and not set(truth.bystanders) & (set(truth.owned) | set(truth.services.values()))


def test_families_plant_every_tradecraft_and_trap() -> None:
    """Across the families' first seeds: native and USDC deposits, aggregated sweeps, funding trees, exchange-only
    entities, and services that fund or receive from far more buyers than any clustering fan-out limit."""
    kinds: Counter[str] = Counter()
    for family in FAMILIES:
        fam = planned(family, 1)
        kinds.update(x.kind for x in fam.links)
        kinds.update(f"{m.cashout}/{'native' if m.native else 'usdc'}" for o in fam.owners for m in o.members)
        kinds.update(o.profile for o in fam.owners)
        buyers, hot = set(truth_of(fam).owners), set(fam.services.hot_wallets)
        firsts = Counter(f.funder for f in fam.economy.fundings if f.address in buyers)
        assert max(firsts[h] for h in hot) > 10 and firsts[fam.services.distributor] > 10
        paid = {tx.to if tx.value else tx.emits[0].args[1] for c in fam.economy.chains for tx in c.txs
                if tx.sender in hot and (tx.value or tx.emits)}
        assert len(paid & buyers) >= 150 and len(paid - buyers) >= 100
        deposits = {d for o in fam.owners for d in o.deposits}
        swept = Counter(tx.sender for c in fam.economy.chains for tx in c.txs if tx.sender in deposits
                        and (tx.to in hot or (tx.emits and tx.emits[0].args[1] in hot)))
        assert len(swept) >= 5
        receipts = Counter(tx.to for c in fam.economy.chains for tx in c.txs if tx.to in deposits and tx.value)
        if family == "native":
            assert max(receipts.values()) > max(swept.values())   # several receipts per sweep
    for kind in ("funds wallet", "funds sub-funder", "pays deposit address", "sweeps to collector",
                 "hands off to fresh wallet", "deposit/native", "deposit/usdc", "own_deposit/native",
                 "sweep/native", "sweep/usdc", "tree", "exchange_only", "bridged", "solo"):
        assert kinds[kind] > 0, kind


def test_unknown_family_is_refused() -> None:
    with pytest.raises(DevnetError, match="unknown economy family"):
        plan_family("nope", 1)


SMALL = replace(FAMILIES["mixed"], entities=5, max_size=9, tail_cap=6, solos=30, noise_withdrawals=20,
                processor_payers=6, airdrop_recipients=30, router_callers=8)


@pytest.mark.slow
def test_small_family_plays_indexes_and_scores(tmp_path: Path) -> None:
    fam = plan_family("mixed", 3, SMALL)
    with start_economy(tmp_path / "net", fam.economy, family_truth(fam), label_writer(fam)) as net:
        db = tmp_path / "audit.duckdb"
        asyncio.run(run_index(IndexRequest(rpc_urls=tuple(net.urls[c] for c in sorted(net.urls)), db_path=db,
                                           confirmations=0)))
        with open_db(db) as con:
            import_labels(con, net.labels_path)
            run_analysis(con)
        truth = load_family_truth(net.truth_path)
    assert truth == truth_of(fam)
    with duckdb.connect(str(db), read_only=True) as con:
        buyers = {b for (b,) in con.execute("SELECT DISTINCT buyer FROM rentals").fetchall()}
        rows = con.execute("SELECT address, strict_cluster_id, loose_cluster_id FROM address_clusters").fetchall()
    assert buyers == set(truth.owners)
    strict = {a: s for a, s, _ in rows}
    assert set(truth.owners) <= set(strict)

    perfect = score_linkable(truth.owners, truth.owners, truth.linkable)
    assert (perfect.precision, perfect.recall, perfect.bcubed_precision, perfect.bcubed_recall) == (1, 1, 1, 1)
    exact = score_linkable(truth.linkable, truth.owners, truth.linkable)
    assert (exact.precision, exact.recall, exact.bcubed_recall) == (1, 1, 1)
    assert exact.ownership.recall < 1   # some entity's wallets share no link

    # Merging the two largest owners: pairwise precision is the co-owned pairs over all predicted pairs.
    sizes = Counter(truth.owners.values())
    (a, na), (b, nb) = sizes.most_common(2)
    merged = {w: (a if o == b else o) for w, o in truth.owners.items()}
    s = score_linkable(merged, truth.owners, truth.linkable)
    owned_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    assert s.ownership.predicted_pairs == owned_pairs + na * nb
    assert s.precision == pytest.approx(owned_pairs / (owned_pairs + na * nb))
    assert s.bcubed_precision == pytest.approx(1 - 2 * na * nb / (na + nb) / len(truth.owners))
    assert s.recall == 1

    found = score_linkable(strict, truth.owners, truth.linkable)
    assert found.ownership == score(strict, truth.owners) and found.linkable == score(strict, truth.linkable)
    assert 0 <= found.recall <= 1 and 0 <= found.precision <= 1


# Large enough that the biggest entity cashes out through three exchange accounts; the relayer is not labelled.
MEDIUM = replace(FAMILIES["mixed"], entities=6, max_size=90, tail_cap=8, solos=30, noise_withdrawals=40,
                 processor_payers=10, airdrop_recipients=40, router_callers=10, label_relayer=False)


@pytest.mark.slow
def test_unlabelled_services_are_found_and_private_hubs_kept(tmp_path: Path) -> None:
    fam = plan_family("mixed", 1, MEDIUM)
    with start_economy(tmp_path / "net", fam.economy, family_truth(fam), label_writer(fam)) as net:
        db = tmp_path / "audit.duckdb"
        asyncio.run(run_index(IndexRequest(rpc_urls=tuple(net.urls[c] for c in sorted(net.urls)), db_path=db,
                                           confirmations=0)))
        truth = load_family_truth(net.truth_path)
    with open_db(db) as con:
        run_analysis(con)   # no label list: every service must be found by what it does
        strict = dict(con.execute("SELECT address, strict_cluster_id FROM address_clusters").fetchall())
        services = dict(con.execute("SELECT address, reason FROM service_addresses").fetchall())
    missed = {name for name, a in truth.services.items() if a not in services}
    assert not missed, missed
    private = {a: services[a] for a, role in truth.roles.items() if role != "wallet" and a in services}
    assert not private, private
    found = score_linkable(strict, truth.owners, truth.linkable)
    assert found.precision >= 0.97 and found.recall >= 0.85, found
