"""Connected components of the clustering graph, by Shiloach-Vishkin hooking and pointer jumping in DuckDB.

A recursive CTE that spreads labels costs (nodes x component size) rows and does not finish on 1M addresses
and 10M links; hooking roots and halving tree depth converges in a few rounds whatever the graph's diameter.
The tables (_cluster_links, _cluster_parent) are made by queries/21_cluster_evidence.sql; the steps' SQL is in
queries/steps/. Every node ends pointing at its component's smallest id.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from auditor.analyze.queries import step_sql
from auditor.errors import StoreError

MAX_ROUNDS = 200


def _step(name: str) -> str:
    return step_sql(f"components_{name}")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class ComponentsRun:
    rounds: int
    jumps: int


def label_components(con: duckdb.DuckDBPyConnection) -> ComponentsRun:
    """Label every node of _cluster_parent with its component's smallest id; returns the work it took."""
    jumps = 0
    for rounds in range(1, MAX_ROUNDS + 1):
        con.execute(_step("hook"))
        if _count(con, "SELECT count(*) FROM _cluster_hooks") == 0:
            return ComponentsRun(rounds, jumps)
        con.execute(_step("apply"))
        while True:
            con.execute(_step("shortcut"))
            jumps += 1
            if _count(con, "SELECT count(*) FROM _cluster_jumped WHERE moved") == 0:
                break
    raise StoreError(f"connected components did not converge in {MAX_ROUNDS} rounds")
