"""Range planning never skips or repeats a block (property tests)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from auditor.extract.ranges import chunks, halves, merge, missing
from auditor.model import BlockRange

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
