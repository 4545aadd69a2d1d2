"""Sharing one DuckDB file between a long index run and everyone else.

DuckDB lets one process hold a file for writing, and then no other process may open it, not even to read. So
the index run does not hold it for hours: a process that finds the file locked leaves a note in
`<db>.waiting/` and retries for a bounded time; the index run looks for notes between commits and, when it
finds one, closes the file until the waiters are in, then opens it again (waiting while readers read). A note
whose process died is ignored and removed. A second index run is refused at once (`<db>.index.lock`): two
would plan the same ranges.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from auditor.errors import StoreError

HANDOVER_MAX_S = 5.0     # the index waits at most this long for waiters to get in before opening again
POLL_S = 0.02


def waiting_dir(db: Path) -> Path:
    return db.with_name(db.name + ".waiting")


@contextlib.contextmanager
def waiting(db: Path) -> Iterator[None]:
    """A note saying this process waits for the file, withdrawn on exit."""
    folder = waiting_dir(db)
    note = folder / f"{os.getpid()}.{time.monotonic_ns()}"
    posted = False
    for _ in range(3):  # another waiter may remove the empty folder between our mkdir and touch
        try:
            folder.mkdir(exist_ok=True)
            note.touch()
            posted = True
            break
        except FileNotFoundError:
            continue
        except OSError:  # a read-only directory: waiting still works, only without asking the index to yield
            break
    try:
        yield
    finally:
        if posted:
            with contextlib.suppress(OSError):
                note.unlink()
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def waiters(db: Path) -> int:
    """Live processes waiting for the file; notes of dead ones are removed."""
    try:
        notes = list(os.scandir(waiting_dir(db)))
    except OSError:
        return 0
    live = 0
    for note in notes:
        pid = note.name.split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            live += 1
        else:
            with contextlib.suppress(OSError):
                os.unlink(note.path)
    return live


def await_waiters(db: Path) -> None:
    """After closing the file: give the waiters (polling every few ms) the time to open it."""
    deadline = time.monotonic() + HANDOVER_MAX_S
    while waiters(db) and time.monotonic() < deadline:
        time.sleep(POLL_S)


@contextlib.contextmanager
def index_lock(db: Path) -> Iterator[None]:
    """Exclusive for the whole index run; released by the kernel if the process dies."""
    path = db.with_name(db.name + ".index.lock")
    try:
        handle = path.open("a+")
    except OSError as exc:
        raise StoreError(f"cannot create {path.name} beside the database: {exc.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"database {db} is being indexed by another auditor process; "
                             "one index run at a time") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
