"""How many blocks to ask one endpoint for per eth_getLogs, learned from its answers.

A refusal that names a limit sets a ceiling that is never exceeded again on that endpoint; a refusal without
a number halves the size; a run of successes doubles it back, up to the ceiling.
"""

from __future__ import annotations

GROW_AFTER = 4


class RangeGovernor:
    def __init__(self, initial: int, ceiling: int | None = None) -> None:
        self.ceiling = ceiling
        self.size = max(1, min(initial, ceiling or initial))
        self._maximum = max(1, initial)
        self._streak = 0
        self.refusals = 0

    def succeeded(self, tried: int) -> None:
        """A range of `tried` blocks was answered."""
        if tried < self.size:
            return
        self._streak += 1
        if self._streak >= GROW_AFTER:
            self._streak = 0
            self.size = min(self.size * 2, self.ceiling or self._maximum, self._maximum)

    def refused(self, tried: int, suggested: int | None) -> int:
        """A range of `tried` blocks was refused; returns the size to cut it into."""
        self.refusals += 1
        self._streak = 0
        if suggested is not None and 0 < suggested < tried:
            self.ceiling = suggested if self.ceiling is None else min(self.ceiling, suggested)
            self.size = min(self.size, suggested)
            return suggested
        self.size = max(1, min(self.size, tried // 2))
        return max(1, tried // 2)
