"""Which funders and collectors serve unrelated customers (bridges), judged by the groups they reach.

A group is a set of addresses that evidence other than funding links (deposit reuse, self-authorization). Groups
alone are no evidence of different owners: an entity with several exchange accounts makes several deposit groups,
all funded by its one private funder, which must stay. So a hub is a bridge only when what it reaches looks like
many customers: the groups it reaches fall into two or more entities that *other* hubs anchor (each is reached
by another funder or collector, and no other hub links the two: two private funders' entities, and a relayer that
also funded a few wallets of each). A hub's own sub-funders are no strangers (evidence ties them to it). Services
that reach no anchored group are found by what they do (queries/20_service_addresses.sql).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from auditor.analyze.queries import step_sql

MIN_GROUPS = 2   # a hub reaching fewer groups than this bridges nothing


@dataclass(frozen=True)
class Bridge:
    address: str
    reason: str


def _find(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _anchored_entities(hub: str, groups: set[int], reach: dict[str, set[int]], ties: set[tuple[str, str]],
                       hubs_of: dict[int, set[str]]) -> int:
    """How many separate entities other hubs make of `groups`: groups another hub also reaches count, and two
    such groups are one entity when some other hub reaches both."""
    parent = {g: g for g in groups}
    anchored: set[int] = set()
    for other in sorted({h for g in groups for h in hubs_of[g]} - {hub}):
        if (hub, other) in ties:
            continue
        shared = sorted(reach[other] & groups)
        anchored.update(shared)
        for g in shared[1:]:
            parent[_find(parent, g)] = _find(parent, shared[0])
    return len({_find(parent, g) for g in anchored})


def judge(touches: list[tuple[str, bool, int]], ties: set[tuple[str, str]]) -> list[Bridge]:
    """Bridges among the hubs judged, from (hub, judged, group) rows and the hub pairs evidence ties directly."""
    reach: dict[str, set[int]] = defaultdict(set)
    judged: dict[str, set[int]] = defaultdict(set)
    hubs_of: dict[int, set[str]] = defaultdict(set)
    for hub, is_judged, group in touches:
        reach[hub].add(group)
        hubs_of[group].add(hub)
        if is_judged:
            judged[hub].add(group)
    out = []
    for hub in sorted(judged):
        groups = judged[hub]
        if len(groups) < MIN_GROUPS:
            continue
        entities = _anchored_entities(hub, groups, reach, ties, hubs_of)
        if entities >= MIN_GROUPS:
            out.append(Bridge(hub, f"reaches {len(groups)} groups that other funders or collectors make "
                                   f"{entities} separate entities"))
    return out


def drop_bridges(con: duckdb.DuckDBPyConnection, role: str) -> list[Bridge]:
    """Judge the hubs of `role` over the current groups, record the bridges as services and drop their evidence."""
    con.execute(step_sql("cluster_bridge_touches"))
    touches = [(str(h), bool(j), int(g)) for h, j, g in
               con.execute("SELECT hub, judged, parent FROM _bridge_touches").fetchall()]
    ties = {(str(a), str(b)) for a, b in con.execute("SELECT a, b FROM _bridge_ties").fetchall()}
    ties |= {(b, a) for a, b in ties}
    bridges = judge(touches, ties)
    label = "first funder" if role == "common_first_funder" else "collector"
    con.execute("CREATE OR REPLACE TEMP TABLE _bridges (address VARCHAR, reason VARCHAR)")
    if bridges:
        con.executemany("INSERT INTO _bridges VALUES (?, ?)", [[b.address, f"{label}: {b.reason}"] for b in bridges])
    con.execute(step_sql("cluster_bridges_apply"))
    return bridges
