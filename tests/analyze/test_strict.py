"""Strict and loose entities from hand-made evidence (auditor/analyze/clustering.py): a strong edge links alone,
weak edges only where two weak heuristics agree, and a hub joins the one entity its evidence points into."""

from __future__ import annotations

import duckdb

from auditor.analyze.clustering import STRONG, build_entities


def addr(n: int) -> str:
    return f"0x{n:040x}"


def entities(edges: list[tuple[int, int, str]], buyers: range) -> dict[str, dict[str, int]]:
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE _buyers (address VARCHAR)")
    con.executemany("INSERT INTO _buyers VALUES (?)", [[addr(b)] for b in buyers])
    con.execute("CREATE TABLE service_addresses (address VARCHAR, reason VARCHAR, exchange_like BOOLEAN, "
                "by_behaviour BOOLEAN)")
    con.execute("CREATE TABLE cluster_evidence (chain_id BIGINT, address_a VARCHAR, address_b VARCHAR, "
                "heuristic VARCHAR, detail VARCHAR, tx_hash VARCHAR)")
    con.executemany("INSERT INTO cluster_evidence VALUES (1, ?, ?, ?, '', NULL)",
                    [[addr(a), addr(b), h] for a, b, h in edges])
    build_entities(con)
    out = {}
    for mode in ("strict", "loose"):
        rows = con.execute(f"SELECT n.address, p.parent FROM _{mode}_parent p JOIN _cluster_nodes n ON n.id = p.node"
                           ).fetchall()
        out[mode] = {a: int(p) for a, p in rows}
    return out


def same(parts: dict[str, int], *ns: int) -> bool:
    return len({parts[addr(n)] for n in ns}) == 1


def test_one_strong_edge_links_and_one_weak_edge_does_not() -> None:
    assert "sweep_to_collector" in STRONG and "fresh_eoa_transfer" not in STRONG
    got = entities([(1, 2, "common_first_funder"), (3, 4, "fresh_eoa_transfer")], range(1, 5))
    assert same(got["strict"], 1, 2) and not same(got["strict"], 3, 4)
    assert same(got["loose"], 3, 4) and not same(got["loose"], 1, 3)


def test_two_weak_heuristics_agreeing_link_in_strict() -> None:
    # 5 and 6 are in one component of weak_a (through 7) and of weak_b: they link; 7 shares only weak_a with them.
    edges = [(5, 7, "weak_a"), (7, 6, "weak_a"), (5, 6, "weak_b"), (8, 9, "weak_a")]
    got = entities(edges, range(5, 10))
    assert same(got["strict"], 5, 6)
    assert not same(got["strict"], 5, 7) and not same(got["strict"], 8, 9)
    assert same(got["loose"], 5, 6, 7)


def test_a_hub_joins_the_one_entity_its_evidence_points_into() -> None:
    # 10 and 11 are one entity; 21 (no buyer) is weakly tied to both, 22 (no buyer) to 10 and to 12.
    edges = [(10, 11, "common_first_funder"), (10, 21, "weak_a"), (11, 21, "weak_a"), (10, 22, "weak_a"),
             (12, 22, "weak_a")]
    got = entities(edges, range(10, 13))
    assert same(got["strict"], 10, 11, 21)
    assert not same(got["strict"], 10, 22) and not same(got["strict"], 12, 22)
    assert same(got["loose"], 10, 11, 12, 21, 22)
