"""Entities from the evidence graph (queries/21_cluster_evidence.sql), in both modes.

First the bridges go: a funder or collector reaching into entities that other hubs anchor is a service
(bridges.py). Loose: connected components over every edge. Strict: the STRONG edges alone, plus pairs that two
independent weaker heuristics each put in one component; then hubs (funders, collectors) join the one strict
entity all their evidence points into. queries/22_address_clusters.sql picks the mode asked for and applies the
size cap. Every component labelling is components.py; the SQL of each step is in queries/steps/cluster_*.sql.
"""

from __future__ import annotations

import duckdb

from auditor.analyze.bridges import drop_bridges
from auditor.analyze.components import label_components
from auditor.analyze.queries import step_sql

# One of these links in strict mode on its own (queries/steps/cluster_strict.sql reads getvariable('strong')).
STRONG = ("common_first_funder", "deposit_reuse", "self_authorization", "sweep_to_collector")

# Who is judged a bridge, by the groups which strong evidence other than funding makes (deposit reuse,
# self-authorization): first funders, then collectors. Weak links would make more groups and split more private
# funders' entities (measured on the economy families: bench/cluster_quality.py).
BRIDGE_PASSES = (
    ("common_first_funder", ("deposit_reuse", "self_authorization")),
    ("sweep_to_collector", ("deposit_reuse", "self_authorization")),
)


def _step(name: str) -> str:
    return step_sql(f"cluster_{name}")


def build_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the bridges from the evidence, then fill _cluster_nodes, _cluster_edges, _heuristic_parent,
    _strict_parent and _loose_parent."""
    con.execute(_step("graph"))
    grouped: tuple[str, ...] | None = None   # the evidence the current groups (_cluster_parent) were made of
    for role, evidence in BRIDGE_PASSES:
        con.execute("SET VARIABLE bridge_role = ?", [role])
        if evidence != grouped:
            con.execute("SET VARIABLE bridge_heuristics = ?::VARCHAR[]", [list(evidence)])
            con.execute(_step("bridges"))
            label_components(con)
            grouped = evidence
        if drop_bridges(con, role):
            con.execute(_step("graph"))   # their evidence is gone: ids, edges and groups again
            grouped = None
    con.execute("SET VARIABLE strong = ?::VARCHAR[]", [list(STRONG)])
    con.execute("CREATE OR REPLACE TEMP TABLE _heuristic_parent (heuristic VARCHAR, node BIGINT, parent BIGINT)")
    weak = [r[0] for r in con.execute("SELECT DISTINCT heuristic FROM _cluster_edges ORDER BY 1").fetchall()
            if r[0] not in STRONG]
    for heuristic in weak if len(weak) >= 2 else []:   # components of weak heuristics matter only to agree
        con.execute("SET VARIABLE cluster_heuristic = ?", [heuristic])
        con.execute(_step("heuristic"))
        label_components(con)
        con.execute(_step("heuristic_save"))
    for mode in ("strict", "loose"):
        con.execute(_step(mode))
        label_components(con)
        con.execute(_step(f"{mode}_save"))
