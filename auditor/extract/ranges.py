"""Range arithmetic for coverage: what is done, what is missing, how to cut it into requests. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.model import BlockRange


def merge(ranges: Iterable[BlockRange]) -> list[BlockRange]:
    """Sorted, non-overlapping ranges; touching ranges are joined."""
    out: list[BlockRange] = []
    for r in sorted(ranges):
        if out and r.start <= out[-1].end + 1:
            if r.end > out[-1].end:
                out[-1] = BlockRange(out[-1].start, r.end)
        else:
            out.append(r)
    return out


def missing(covered: Iterable[BlockRange], want: BlockRange) -> list[BlockRange]:
    """The parts of `want` that no covered range contains."""
    gaps, cursor = [], want.start
    for r in merge(covered):
        if r.end < cursor:
            continue
        if r.start > want.end:
            break
        if r.start > cursor:
            gaps.append(BlockRange(cursor, min(r.start - 1, want.end)))
        cursor = max(cursor, r.end + 1)
        if cursor > want.end:
            break
    if cursor <= want.end:
        gaps.append(BlockRange(cursor, want.end))
    return gaps


def chunks(ranges: Iterable[BlockRange], size: int) -> list[BlockRange]:
    """Each range cut into pieces of at most `size` blocks, in order."""
    if size < 1:
        raise ValueError("chunk size must be positive")
    out = []
    for r in ranges:
        start = r.start
        while start <= r.end:
            end = min(r.end, start + size - 1)
            out.append(BlockRange(start, end))
            start = end + 1
    return out


def halves(r: BlockRange) -> tuple[BlockRange, BlockRange]:
    """Split a range of at least two blocks in two."""
    if r.size < 2:
        raise ValueError("cannot split a single block")
    mid = r.start + r.size // 2 - 1
    return BlockRange(r.start, mid), BlockRange(mid + 1, r.end)


class RangeCursor:
    """Walks a list of gaps, handing out the next range of whatever size is asked for at the time,
    so the range size can change during a run without skipping or repeating a block."""

    def __init__(self, gaps: list[BlockRange]) -> None:
        self._gaps = merge(gaps)
        self._i = 0
        self._next = self._gaps[0].start if self._gaps else 0

    def take(self, size: int) -> BlockRange | None:
        if size < 1:
            raise ValueError("size must be positive")
        if self._i >= len(self._gaps):
            return None
        gap = self._gaps[self._i]
        end = min(gap.end, self._next + size - 1)
        out = BlockRange(self._next, end)
        if end == gap.end:
            self._i += 1
            self._next = self._gaps[self._i].start if self._i < len(self._gaps) else 0
        else:
            self._next = end + 1
        return out

    @property
    def remaining(self) -> int:
        if self._i >= len(self._gaps):
            return 0
        return (self._gaps[self._i].end - self._next + 1) + sum(g.size for g in self._gaps[self._i + 1:])
