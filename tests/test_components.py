"""Connected components by hooking and pointer jumping equal a plain union-find, for any graph."""

from __future__ import annotations

import itertools

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.analyze.components import label_components


def union_find_roots(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def components(n: int, edges: list[tuple[int, int]]) -> tuple[list[int], int]:
    """Each node's label, and the hooking rounds it took."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TEMP TABLE _cluster_parent AS SELECT range AS node, range AS parent FROM range(?)", [n])
        links = [(a, b) for a, b in edges if a != b] + [(b, a) for a, b in edges if a != b]
        con.execute("CREATE TEMP TABLE _cluster_links AS SELECT unnest($a::BIGINT[]) AS a, unnest($b::BIGINT[]) AS b",
                    {"a": [a for a, _ in links], "b": [b for _, b in links]})
        run = label_components(con)
        labels = [int(p) for (p,) in con.execute("SELECT parent FROM _cluster_parent ORDER BY node").fetchall()]
        return labels, run.rounds
    finally:
        con.close()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))))
def test_equal_to_union_find(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = graph
    assert components(n, edges)[0] == union_find_roots(n, edges)


def test_a_long_path_converges_in_few_rounds() -> None:
    n = 2000  # a path 1999 links long: label spreading would need ~2000 rounds
    order = list(range(n))
    order.reverse()
    edges = list(itertools.pairwise(order))
    labels, rounds = components(n, edges)
    assert labels == [0] * n and rounds <= 20
