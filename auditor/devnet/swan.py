"""Swan Chain tasks in the simulated economy: a user creates a task on one to three computing providers for a
paid duration; some tasks are extended or terminated early, most are completed at their scheduled end."""

from __future__ import annotations

from auditor.devnet.actors import Providers
from auditor.devnet.markets import Intent
from auditor.devnet.plan import (
    CLOSE_TIME,
    END_TIME,
    GENESIS_TIME,
    HOUR,
    SWAN,
    WEEK,
    Emit,
    Ledger,
    Rental,
    contract_address,
    word,
)

JOB_MANAGER = "swan/JobManager"
# Tasks created before this go to the first JobManager, as on Swan Chain before its switch (2024-12-16);
# a task's later events stay on the manager it was created on.
LEGACY_UNTIL = GENESIS_TIME + 4 * WEEK
OPEN_TASKS = 3          # the last tasks run for a week, so they are still running when the calendar ends
EXTEND_SHARE = 0.2
TERMINATE_SHARE = 0.15
_TASK_HOURS = (1, 2, 4, 6, 12, 24, 24, 48, 72, 120, 168)
_EXTEND_HOURS = (1, 4, 12, 24, 48)
# Reward per provider-hour in centi-SWAN: 10-60 SWAN, $0.5-3 at ~$0.05 a SWAN.
_CENTI_SWAN_PER_HOUR = (1000, 6000)
_CENTI = 10**16


def task_uid(seed: int, n: int) -> str:
    """A UUID-shaped task id, as Swan's orchestrator writes them."""
    h = word(seed, f"swan/task/{n}").hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def write_swan(ledger: Ledger, providers: Providers, intents: list[Intent]) -> None:
    """One TaskCreated tx per intent, then its extension, termination or completion txs."""
    rng = ledger.rng
    current = contract_address("swan", "JobManager", SWAN)
    legacy = contract_address("swan", "JobManagerLegacy", SWAN)
    still_open = {i.seq for i in intents[-OPEN_TASKS:]}
    for n, it in enumerate(intents, start=1):
        uid = task_uid(ledger.seed, n)
        manager = legacy if it.time < LEGACY_UNTIL else current
        others = [p for p in providers.swan if p != it.provider]
        cps = (it.provider, *rng.sample(others, k=rng.choice((0, 0, 0, 1, 1, 2))))
        hours = max(_TASK_HOURS) if it.seq in still_open else rng.choice(_TASK_HOURS)
        reward = rng.randint(*_CENTI_SWAN_PER_HOUR) * _CENTI * hours * len(cps)
        key = ledger.send(SWAN, it.time, it.buyer, manager,
                          Emit(JOB_MANAGER, "TaskCreated", (uid, list(cps), it.buyer, reward, hours * HOUR)))
        start, total, last = it.time, hours * HOUR, it.time
        if it.seq not in still_open and rng.random() < EXTEND_SHARE:
            t = rng.randint(start + total // 4, start + total - 60)
            if t <= END_TIME:
                added = rng.choice(_EXTEND_HOURS) * HOUR
                total += added
                last = t
                ledger.send(SWAN, t, it.buyer, manager, Emit(JOB_MANAGER, "TaskExtended", (uid, added, total)))
        end = start + total
        if it.seq not in still_open and rng.random() < TERMINATE_SHARE and end - last > 2 * HOUR:
            t = rng.randint(last + HOUR, end - HOUR)
            if t <= END_TIME:
                ledger.send(SWAN, t, it.buyer, manager, Emit(JOB_MANAGER, "TaskTerminated", (uid, t)))
                end = t
        else:
            done = end + rng.randint(0, 30 * 60)
            if done <= END_TIME:
                ledger.send(SWAN, done, cps[0], manager, Emit(JOB_MANAGER, "TaskCompleted", (uid,)))
        ledger.rent(Rental("swan", SWAN, key, 0, it.buyer, it.provider, gpu_count=len(cps), start_time=start,
                           end_time=end if end <= CLOSE_TIME else None, payment_token="SWAN", payment_raw=reward))
