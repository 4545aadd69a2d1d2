"""Blocking work off the event loop, without letting it outlive a cancelled run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a worker thread, so responses keep being read meanwhile (Arrow and DuckDB release the GIL).
    Awaited to its end even when cancelled: the database must not close under a running transaction, nor a
    decoding thread outlive the run."""
    future = asyncio.get_running_loop().run_in_executor(None, fn, *args)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait([future])
        raise
