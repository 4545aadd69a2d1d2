"""An address's role in its cluster is the most telling of its roles: a funder of buyers is a funder even when
the entity's sweeps also go to it (the devnet's own-funder tradecraft), so the report counts it as one."""

from __future__ import annotations

from pathlib import Path

import duckdb


def test_first_funders_are_funders_even_when_they_also_collect(analysed_db: Path) -> None:
    with duckdb.connect(str(analysed_db), read_only=True) as con:
        both = con.execute("""
            SELECT DISTINCT f.address_b FROM cluster_evidence f
            JOIN cluster_evidence c ON c.address_b = f.address_b AND c.heuristic = 'sweep_to_collector'
            WHERE f.heuristic = 'common_first_funder'""").fetchall()
        roles = dict(con.execute("SELECT address, role FROM address_clusters").fetchall())
        funders = con.execute("SELECT DISTINCT address_b FROM cluster_evidence "
                              "WHERE heuristic = 'common_first_funder'").fetchall()
    assert both, "the devnet has entities whose own funder also collects their sweeps"
    assert all(roles.get(a) in ("funder", "buyer", None) for (a,) in funders)
    assert all(roles.get(a) in ("funder", "buyer") for (a,) in both)


def test_funding_origin_says_the_funding_source_in_one_word(analysed_db: Path) -> None:
    with duckdb.connect(str(analysed_db), read_only=True) as con:
        rows = con.execute("SELECT funding_source, funding_origin FROM address_funding").fetchall()
    origins = {o for _, o in rows}
    assert {"exchange", "bridge", "private"} <= origins <= {"exchange", "bridge", "service", "private", "unknown"}
    for source, origin in rows:
        if source.startswith("service (cex"):
            assert origin == "exchange", source
        elif source.startswith(("service (bridge", "service (relayer")):
            assert origin == "bridge", source
        elif source.startswith("service ("):
            assert origin == "service", source
        elif source == "unknown/own wallet":
            assert origin == "private"
        else:
            assert origin == "unknown", source
