"""Stopping an async run on SIGINT or SIGTERM the way kill -9 never can: cleanly.

The signal cancels the run's task, so every `finally` runs: the writer's transaction ends, concurrent lookups
are cancelled and awaited, HTTP sessions close. Then Interrupted (exit 130 or 143, as shells and systemd
expect) says what was committed.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from auditor.errors import Interrupted

T = TypeVar("T")
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def run_interruptible(coro: Coroutine[Any, Any, T], committed: Callable[[], str]) -> T:
    """asyncio.run(coro); on SIGINT/SIGTERM the run is cancelled and Interrupted raised, its message ending
    with committed() (what the run had stored)."""
    received: list[int] = []

    async def main() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None

        def stop(signum: int) -> None:
            received.append(signum)
            if len(received) == 1:  # a second signal must not cut the cleanup short: one cancel only
                task.cancel()

        for signum in SIGNALS:
            loop.add_signal_handler(signum, stop, signum)
        try:
            return await coro
        finally:
            for signum in SIGNALS:
                loop.remove_signal_handler(signum)

    try:
        return asyncio.run(main())
    except asyncio.CancelledError:
        if not received:
            raise
        name = signal.Signals(received[0]).name
        raise Interrupted(f"interrupted by {name}: {committed()}; run again to resume", received[0]) from None
