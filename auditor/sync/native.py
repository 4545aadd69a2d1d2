"""Native-coin transfer discovery, after first fundings: the scan set grows from the buyers one hop per level
(their funders, the EOAs they paid or that paid them), at most NATIVE_MAX_HOPS, never through a contract, a
labelled service or a hub. Each level is scanned before the next is read from what it found, so a run killed
anywhere and run again sees the same levels. Per address, rows and cursor commit together (store.native); a
failed address is recorded and retried next run, and is expanded from what earlier runs stored."""

from __future__ import annotations

from auditor.defaults import NATIVE_MAX_CHANGES, NATIVE_MAX_HOPS
from auditor.errors import RpcError
from auditor.extract.enrich import for_each
from auditor.extract.native import bisect_scan
from auditor.extract.ots import ots_scan
from auditor.extract.traces import serves_traces, trace_scan
from auditor.model import NativeScan
from auditor.store.failures import write_failures
from auditor.store.native import STEP, Candidate, candidates, neighbours, prune_native, set_depths, write_scan
from auditor.store.watch import watched_buyers
from auditor.sync.context import ChainRun
from auditor.sync.enrich import check_codes

SCANS = {"trace": trace_scan, "ots": ots_scan, "bisect": bisect_scan}


async def discover_native(run: ChainRun, state_from: int) -> None:
    """Scan every address of the scan set up to the run's safe block, level by level."""
    base = max(run.earliest, state_from)
    if run.to <= base:
        return
    method = await _method(run, base)
    run.summary.native_method = method
    depth: dict[str, int] = {}
    frontier = watched_buyers(run.db.con, run.chain)
    for level in range(NATIVE_MAX_HOPS + 1):
        frontier = [a for a in frontier if a not in depth]
        if not frontier:
            break
        depth.update(dict.fromkeys(frontier, level))
        await check_codes(run)   # the new level's counterparties, so contracts are never scanned
        eoas = [c for c in candidates(run.db.con, run.chain, frontier) if c.what == "eoa"]
        hubs = await _scan_level(run, method, base, level, eoas)
        set_depths(run.db.con, run.chain, {a: d for a, d in depth.items() if d == level})
        if level < NATIVE_MAX_HOPS:
            frontier = neighbours(run.db.con, run.chain, [c.address for c in eoas if c.address not in hubs])
    prune_native(run.db.con, run.chain, sorted(depth))
    run.db.yield_to_waiters()


async def _method(run: ChainRun, base: int) -> str:
    """The method asked for, or (auto) traces where the node serves them over the whole window, probed once per
    chain and run, else bisection, which any archive node serves. The ots API is used only when asked for: a
    node without an address index (anvil) answers it by tracing every block, minutes on the devnet; an
    Erigon node answers it from its index."""
    if run.req.native_method != "auto":
        return run.req.native_method
    return "trace" if await serves_traces(run.client, base, run.to) else "bisect"


async def _scan_level(run: ChainRun, method: str, base: int, level: int, eoas: list[Candidate]) -> set[str]:
    """Scan the level's EOAs not yet scanned to the safe block; returns those found to be hubs."""
    todo = [c for c in eoas if (base if c.scanned_to_block is None else c.scanned_to_block) < run.to]
    label = run.label(f"native hop {level}")
    failures = run.summary.failures_of(STEP)
    hubs: set[str] = set()
    run.progress.start(label, len(todo))

    async def scan(c: Candidate) -> NativeScan:
        low = base if c.scanned_to_block is None else c.scanned_to_block
        return await SCANS[method](run.client, c.address, low, run.to, NATIVE_MAX_CHANGES, c.change_blocks)

    def done(c: Candidate, result: NativeScan | RpcError) -> None:
        if isinstance(result, RpcError):
            write_failures(run.db.con, run.chain, [failures.failed(c.address, result)], run.to)
        else:
            failures.ok()
            write_scan(run.db.con, run.chain, result, level)
            run.summary.native_scanned += 1
            run.summary.native_rows += len(result.transfers)
            if result.status == "hub":
                hubs.add(c.address)
                run.summary.native_hubs += 1
        run.progress.advance(label, 1, 0)
        run.db.yield_to_waiters()

    try:
        await for_each(todo, scan, run.req.concurrency, done)
    finally:
        run.progress.finish(label)
    return hubs
