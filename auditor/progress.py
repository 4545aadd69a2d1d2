"""Progress of an index run: rich bars on a terminal, plain periodic lines otherwise (cron, CI, pipes)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

PLAIN_INTERVAL_S = 10.0


class TerminalProgress:
    """One bar per stage and chain, with logs/s and ETA."""

    def __init__(self, stream: TextIO) -> None:
        self._bars = Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
                              TextColumn("{task.fields[logs]} logs, {task.fields[rate]}/s"), TimeRemainingColumn(),
                              console=Console(file=stream), transient=False)
        self._tasks: dict[str, TaskID] = {}
        self._started: dict[str, float] = {}
        self._logs: dict[str, int] = {}

    def start(self, label: str, total: int) -> None:
        if not self._tasks:
            self._bars.start()
        self._tasks[label] = self._bars.add_task(label, total=max(total, 1), logs=0, rate=0)
        self._started[label], self._logs[label] = time.perf_counter(), 0
        if total == 0:
            self._bars.update(self._tasks[label], completed=1)

    def advance(self, label: str, done: int, logs: int) -> None:
        self._logs[label] += logs
        rate = int(self._logs[label] / max(1e-6, time.perf_counter() - self._started[label]))
        self._bars.update(self._tasks[label], advance=done, logs=self._logs[label], rate=rate)

    def finish(self, label: str) -> None:
        if all(self._bars.tasks[i].finished or i == self._tasks[label] for i in self._tasks.values()):
            self._bars.refresh()

    def close(self) -> None:
        if self._tasks:
            self._bars.stop()


class PlainProgress:
    """A line per stage every PLAIN_INTERVAL_S seconds and at the end, for logs that are read later."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._state: dict[str, list[float]] = {}

    def start(self, label: str, total: int) -> None:
        now = time.perf_counter()
        self._state[label] = [total, 0, 0, now, now]

    def advance(self, label: str, done: int, logs: int) -> None:
        st = self._state[label]
        st[1] += done
        st[2] += logs
        if time.perf_counter() - st[4] >= PLAIN_INTERVAL_S:
            st[4] = time.perf_counter()
            self._line(label)

    def finish(self, label: str) -> None:
        self._line(label)

    def _line(self, label: str) -> None:
        total, done, logs, started, _ = self._state[label]
        elapsed = max(1e-6, time.perf_counter() - started)
        pct = 100.0 * done / total if total else 100.0
        print(f"{label}: {int(done)}/{int(total)} ({pct:.0f}%), {int(logs)} logs, {logs / elapsed:.0f} logs/s, "
              f"{elapsed:.1f}s", file=self._stream, flush=True)

    def close(self) -> None:
        pass


class Tally:
    """Wraps a progress display, counting what was stored: the line an interrupted run ends with."""

    RANGE_STAGES = ("logs", "transfers")   # stages that advance once per committed block range

    def __init__(self, inner: TerminalProgress | PlainProgress) -> None:
        self.inner = inner
        self.ranges = 0
        self.items = 0

    def start(self, label: str, total: int) -> None:
        self.inner.start(label, total)

    def advance(self, label: str, done: int, logs: int) -> None:
        if label.rsplit(" ", 1)[-1] in self.RANGE_STAGES:
            self.ranges += 1
        else:
            self.items += done
        self.inner.advance(label, done, logs)

    def finish(self, label: str) -> None:
        self.inner.finish(label)

    def close(self) -> None:
        self.inner.close()

    def committed(self) -> str:
        return f"{self.ranges} block ranges and {self.items} lookups committed"


def make_progress(stream: TextIO | None = None) -> TerminalProgress | PlainProgress:
    """Bars on a terminal, lines elsewhere; stderr unless told otherwise (resolved now, not at import)."""
    stream = stream or sys.stderr
    return TerminalProgress(stream) if stream.isatty() else PlainProgress(stream)
