"""Range planning never skips or repeats a block (property tests)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from auditor.extract.governor import RangeGovernor
from auditor.model import BlockRange, RangeCursor, chunks, halves, merge, missing

ranges = st.builds(lambda a, n: BlockRange(a, a + n), st.integers(0, 500), st.integers(0, 60))


def blocks(rs: list[BlockRange]) -> set[int]:
    return {b for r in rs for b in range(r.start, r.end + 1)}


@given(st.lists(ranges, max_size=12), ranges)
def test_missing_is_exactly_the_uncovered_blocks(covered: list[BlockRange], want: BlockRange) -> None:
    gaps = missing(covered, want)
    assert blocks(gaps) == blocks([want]) - blocks(covered)
    assert sum(g.size for g in gaps) == len(blocks(gaps))  # no overlap
    assert gaps == sorted(gaps)


@given(st.lists(ranges, max_size=12))
def test_merge_keeps_blocks_and_separates_ranges(rs: list[BlockRange]) -> None:
    merged = merge(rs)
    assert blocks(merged) == blocks(rs)
    assert all(a.end + 1 < b.start for a, b in itertools.pairwise(merged))


@given(st.lists(ranges, max_size=6).map(merge), st.integers(1, 50))
def test_chunks_cover_each_block_once(rs: list[BlockRange], size: int) -> None:
    parts = chunks(rs, size)
    assert all(p.size <= size for p in parts)
    assert sorted(b for p in parts for b in range(p.start, p.end + 1)) == sorted(blocks(rs))


@given(ranges.filter(lambda r: r.size > 1))
def test_halves_split_without_gap(r: BlockRange) -> None:
    a, b = halves(r)
    assert a.start == r.start and b.end == r.end and a.end + 1 == b.start


@given(st.lists(ranges, max_size=8), st.lists(st.integers(1, 40), min_size=1, max_size=30))
def test_cursor_partitions_gaps_whatever_sizes_are_asked(gaps: list[BlockRange], sizes: list[int]) -> None:
    cursor = RangeCursor(gaps)
    taken: list[BlockRange] = []
    i = 0
    while (r := cursor.take(sizes[i % len(sizes)])) is not None:
        assert r.size <= sizes[i % len(sizes)]
        taken.append(r)
        i += 1
    assert cursor.remaining == 0
    assert sorted(b for r in taken for b in range(r.start, r.end + 1)) == sorted(blocks(gaps))


@given(st.integers(1, 100_000), st.lists(st.tuples(st.booleans(), st.integers(1, 100_000) | st.none()), max_size=40))
def test_governor_respects_a_learned_ceiling(initial: int, events: list[tuple[bool, int | None]]) -> None:
    governor = RangeGovernor(initial)
    for ok, suggested in events:
        tried = governor.size
        if ok:
            governor.succeeded(tried)
        elif tried > 1:
            cut = governor.refused(tried, suggested)
            assert 1 <= cut < tried
        assert 1 <= governor.size <= initial
        if governor.ceiling is not None:
            assert governor.size <= governor.ceiling
