"""Lookups of many items with a bound on those in flight, handed back as each finishes, so each answer can be
stored as it arrives; on any exit (an error, cancellation) the lookups still running are cancelled and awaited,
so none outlives the run or its HTTP session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def as_done(lookup: Callable[[T], Awaitable[R]], items: Sequence[T], limit: int
                  ) -> AsyncIterator[tuple[T, R]]:
    """(item, answer) pairs in the order the lookups finish."""
    gate = asyncio.Semaphore(max(1, limit))

    async def one(item: T) -> tuple[T, R]:
        async with gate:
            return item, await lookup(item)

    tasks = [asyncio.ensure_future(one(item)) for item in items]
    try:
        for next_done in asyncio.as_completed(tasks):
            yield await next_done
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
