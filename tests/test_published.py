"""The tables analysis publishes for the report (queries/33_address_entities.sql, 34_address_funding.sql), on the
devnet: one row per address, each re-derived here in Python from the raw tables."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.test_pipeline import query


def test_address_entities_has_each_address_once_with_its_cluster(analysed_db: Path) -> None:
    rows = query(analysed_db, "SELECT address, cluster_id, role, clustered FROM address_entities")
    assert len(rows) == len({r[0] for r in rows})
    memberships: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for address, cluster, role in query(analysed_db, "SELECT address, cluster_id, role FROM address_clusters"):
        memberships[address].append((cluster, role))
    buyers = {b for (b,) in query(analysed_db, "SELECT DISTINCT buyer FROM rentals WHERE buyer IS NOT NULL")}
    expected = {a: (min(c for c, _ in m), min(r for _, r in m), True) for a, m in memberships.items()}
    expected |= {b: (b, "buyer", False) for b in buyers - expected.keys()}
    assert {a: (c, r, clustered) for a, c, r, clustered in rows} == expected
    assert len(buyers) > 50 and len(memberships) > len(buyers), "the devnet's clusters should hold funders too"


def test_every_rental_has_one_entity(analysed_db: Path) -> None:
    [(rentals, attributed)] = query(analysed_db, """
        SELECT count(*), count(e.cluster_id) FROM rentals r LEFT JOIN address_entities e ON e.address = r.buyer""")
    assert rentals == attributed > 0


def first_funding(rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """The earliest funded row on any chain, else the first row of another status; ties to the lower chain."""
    return min(rows, key=lambda f: (f[2] != "funded", f[5] is None, f[5] or 0, f[1]))


def test_address_funding_is_each_address_first_funding(analysed_db: Path, truth: dict[str, Any]) -> None:
    rows = query(analysed_db, """
        SELECT address, chain_id, status, funder, block_number, epoch(block_time), tx_hash, value_eth,
               funder_service, funding_source FROM address_funding""")
    assert len(rows) == len({r[0] for r in rows})
    assert {r[0] for r in rows} == {a for (a,) in query(analysed_db, "SELECT address FROM address_entities")}
    funding: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for f in query(analysed_db, """SELECT address, chain_id, status, funder, block_number, epoch(block_time), tx_hash,
                                          value_eth FROM funding"""):
        funding[f[0]].append(f)
    reasons = dict(query(analysed_db, "SELECT address, reason FROM service_addresses"))
    for address, *published, service, source in rows:
        if address not in funding:
            assert (published, service, source) == ([None] * 7, None, "not traced")
            continue
        first = first_funding(funding[address])
        assert tuple(published) == first[1:]
        status, funder = first[2], first[3]
        assert service == reasons.get(funder)
        if status != "funded" or funder is None:
            assert source == f"no funder found ({status})"
        elif funder in reasons:
            assert source == f"service ({reasons[funder]})"
        else:
            assert source == "unknown/own wallet"

    sources = {r[0]: r[-1] for r in rows}
    funders = {r[0]: r[3] for r in rows}
    buyers = {r["buyer"] for r in truth["rentals"]}
    assert "not traced" not in {sources[b] for b in buyers}, "every buyer's funding is looked up"
    exchange, bridge = set(truth["exchange"]), truth["labels"]["bridge_relayer"]
    seen = set()
    for b in buyers:
        if funders[b] in exchange:
            assert sources[b].startswith("service (cex_hot: "), b
            seen.add("exchange")
        elif funders[b] == bridge:
            assert sources[b].startswith("service (bridge: "), b
            seen.add("bridge")
        elif sources[b] == "unknown/own wallet":
            seen.add("own wallet")
    assert seen == {"exchange", "bridge", "own wallet"}, "the economy funds buyers from all three"
