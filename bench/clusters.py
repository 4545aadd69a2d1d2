"""Entity clustering at scale: connected components of 1,000,000 addresses and 10,000,000 evidence links.

Run on purpose (`make bench-clusters`), not by the tests. It builds a synthetic graph in a DuckDB file: addresses
in entities of power-law sizes (most of 1-5 addresses, a few of thousands), links drawn inside entities, plus a
long chain of links (a worst case for label spreading). Every link is tagged with one of the five heuristics
(deposit reuse 10 %, the others 22.5 % each) and one address in five is a non-buyer (a hub). Then it times the
analysis' own steps: `auditor.analyze.clustering.build_entities` (dense ids and edges, the bridge passes, one
components pass per weak heuristic when two or more can agree, then strict and loose) and
queries/22_address_clusters.sql, and checks the loose partition against a union-find on a sample of components
and that every strict entity lies inside a loose one.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.analyze.clustering import build_entities
from auditor.resources import project_dir

HEURISTICS = """CASE WHEN h % 40 < 4 THEN 'deposit_reuse' WHEN h % 40 < 13 THEN 'common_first_funder'
                     WHEN h % 40 < 22 THEN 'sweep_to_collector' WHEN h % 40 < 31 THEN 'self_authorization'
                     ELSE 'fresh_eoa_transfer' END"""


def build(con: duckdb.DuckDBPyConnection, addresses: int, links: int, chain: int) -> None:
    """Entity e has size 1 + floor(1 / u^1.2) capped at 5000 (u uniform): a heavy tail like real wallets."""
    con.execute("""
        CREATE TABLE entity_sizes AS
        SELECT e, least(5000, 1 + floor(1 / pow(greatest((hash(e) % 1000000 + 1) / 1000000.0, 1e-6), 1.2)))::BIGINT
               AS size
        FROM range($n) t(e)""", {"n": addresses})
    con.execute("""
        CREATE TABLE members AS
        SELECT e, size, sum(size) OVER (ORDER BY e) - size AS first FROM entity_sizes
        QUALIFY first < $n""", {"n": addresses})
    con.execute("CREATE TABLE addr AS SELECT range AS k, '0x' || md5(range::VARCHAR)[:40] AS address FROM range($n)",
                {"n": addresses})
    # Links: pick an entity weighted by size (an address k), then a partner inside the same entity.
    con.execute("""
        CREATE TABLE k_entity AS
        SELECT a.k, m.first, least(m.size, $n - m.first) AS size
        FROM addr a ASOF JOIN members m ON a.k >= m.first""", {"n": addresses})
    con.execute(f"""
        CREATE TABLE evidence AS
        SELECT x.address AS address_a, y.address AS address_b, {HEURISTICS} AS heuristic
        FROM (SELECT (hash(i) % $n)::BIGINT AS k, hash(i + 99991) AS r, hash(i + 7) AS h FROM range($m) t(i)) l
        JOIN k_entity ke ON ke.k = l.k
        JOIN addr x ON x.k = l.k
        JOIN addr y ON y.k = ke.first + (l.r % ke.size)::BIGINT
        WHERE ke.size > 1
        UNION ALL
        SELECT x.address, y.address, 'common_first_funder' FROM range($c) t(i)
        JOIN addr x ON x.k = $n - 1 - i JOIN addr y ON y.k = $n - 2 - i""",
                {"n": addresses, "m": links, "c": chain})


def run(addresses: int, links: int, chain: int, workdir: Path) -> None:
    con = duckdb.connect(str(workdir / "clusters.duckdb"))
    con.execute("SET threads = 2")
    started = time.perf_counter()
    build(con, addresses, links, chain)
    built = time.perf_counter()
    evidence = con.execute("SELECT count(*) FROM evidence").fetchone()
    print(f"graph: {addresses:,} addresses, {evidence[0] if evidence else 0:,} evidence links "
          f"(incl. a chain of {chain:,}) built in {built - started:.1f} s", flush=True)
    con.execute("CREATE TEMP TABLE rentals AS SELECT address AS buyer FROM addr WHERE hash(k) % 5 <> 0")
    con.execute("CREATE TEMP TABLE _buyers AS SELECT DISTINCT buyer AS address FROM rentals")
    con.execute("CREATE TEMP TABLE cluster_evidence AS SELECT * FROM evidence")
    con.execute("CREATE TEMP TABLE service_addresses (address VARCHAR, reason VARCHAR, exchange_like BOOLEAN, "
                "by_behaviour BOOLEAN)")
    t0 = t1 = time.perf_counter()
    build_entities(con)
    t2 = time.perf_counter()
    con.execute("SET VARIABLE clustering = 'strict'; SET VARIABLE max_entity_size = 200")
    con.execute((project_dir("queries") / "22_address_clusters.sql").read_text())
    t3 = time.perf_counter()
    stats = con.execute("""
        SELECT count(*), count(DISTINCT strict_cluster_id), count(DISTINCT loose_cluster_id), count(flag),
               (SELECT count(*) FROM _cluster_edges)
        FROM address_clusters""").fetchone()
    assert stats is not None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bridges = con.execute("SELECT count(*) FROM service_addresses").fetchone()
    print(f"build_entities (ids and edges, two bridge passes, weak-heuristic passes, strict, loose): {t2 - t1:.1f} s "
          f"({bridges[0] if bridges else 0:,} bridging hubs removed); address_clusters: {t3 - t2:.1f} s")
    print(f"total clustering: {t3 - t0:.1f} s for {stats[0]:,} addresses and {stats[4]:,} edges: "
          f"{stats[1]:,} strict and {stats[2]:,} loose entities, {stats[3]:,} addresses flagged over 200; "
          f"peak RSS {rss:,.0f} MiB")
    check(con)


def check(con: duckdb.DuckDBPyConnection) -> None:
    """Union-find over the loose links of a sample of components must give the same partition; strict entities
    must each lie inside one loose entity."""
    split = con.execute("""
        SELECT count(*) FROM (SELECT s.parent FROM _strict_parent s JOIN _loose_parent l ON l.node = s.node
                              GROUP BY s.parent HAVING count(DISTINCT l.parent) > 1)""").fetchone()
    if split and split[0]:
        raise SystemExit(f"{split[0]} strict entities span several loose ones")
    rows = con.execute("""
        WITH sample AS (SELECT DISTINCT parent FROM _cluster_parent ORDER BY hash(parent) LIMIT 200)
        SELECT l.a, l.b, pa.parent, pb.parent FROM _cluster_links l
        JOIN _cluster_parent pa ON pa.node = l.a JOIN _cluster_parent pb ON pb.node = l.b
        WHERE pa.parent IN (SELECT parent FROM sample)""").fetchall()
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, la, lb in rows:
        if la != lb:
            raise SystemExit(f"link {a}-{b} joins two components ({la}, {lb})")
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    labels = dict(con.execute("SELECT node, parent FROM _cluster_parent WHERE node IN (SELECT unnest($n))",
                              {"n": list(parent)}).fetchall())
    wrong = [x for x in parent if labels[x] != find(x)]
    if wrong:
        raise SystemExit(f"{len(wrong)} addresses labelled differently from a union-find")
    print(f"checked: {len(rows):,} links of 200 sampled components agree with a union-find")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=10_000_000)
    parser.add_argument("--chain", type=int, default=10_000, help="length of the worst-case chain of links")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="auditor-bench-clusters-") as work:
        run(args.addresses, args.links, args.chain, Path(work))


if __name__ == "__main__":
    main()
