"""Enrichment after the logs: code flags, transaction senders, first fundings, and each marketplace's own
lookups (iExec's viewDeal). Every item is stored as it arrives; a failed item is recorded with its reason and
retried on the next run (extract.enrich); the file is offered to waiting processes after each commit."""

from __future__ import annotations

from typing import Any

from auditor.defaults import FUNDING_LEVELS
from auditor.errors import RpcError
from auditor.extract.accounts import get_codes, get_senders
from auditor.extract.enrich import for_each
from auditor.extract.funding import first_funding
from auditor.marketplaces import BY_NAME
from auditor.marketplaces.base import Enrichment
from auditor.model import Funding, Source
from auditor.store.failures import clear_failures, write_failures
from auditor.store.funding import funders_of, funding_to_check, prune_funding, write_funding
from auditor.store.native import candidates
from auditor.store.tx import transaction
from auditor.store.watch import codes_to_check, senders_to_fetch, watched_buyers, write_codes, write_senders
from auditor.sync.context import ChainRun

ACCOUNT_BATCH = 500   # addresses or txs looked up, then stored, per transaction


async def check_codes(run: ChainRun) -> None:
    """Code flags of the addresses the clustering looks at, stored in batches, each batch final."""
    addresses = codes_to_check(run.db.con, run.chain)
    label = run.label("accounts")
    failures = run.summary.failures_of("code")
    run.progress.start(label, len(addresses))
    try:
        for i in range(0, len(addresses), ACCOUNT_BATCH):
            part = addresses[i:i + ACCOUNT_BATCH]
            found = await get_codes(run.client, [a for a, _ in part], run.to)
            codes, seen, failed = [], [], []
            for (address, block), code in zip(part, found, strict=True):
                if isinstance(code, RpcError):
                    failed.append(failures.failed(address, code))
                else:
                    failures.ok()
                    codes.append(code)
                    seen.append(block)
            write_codes(run.db.con, run.chain, codes, seen)
            write_failures(run.db.con, run.chain, failed, run.to)
            run.summary.codes_checked += len(codes)
            run.progress.advance(label, len(part), 0)
            run.db.yield_to_waiters()
    finally:
        run.progress.finish(label)


async def accounts(run: ChainRun) -> None:
    """After funding discovery: code flags of the funders and new counterparties, then the senders that show
    an approved EOA spending the allowance."""
    await check_codes(run)
    txs = senders_to_fetch(run.db.con, run.chain)
    failures = run.summary.failures_of("sender")
    for i in range(0, len(txs), ACCOUNT_BATCH):
        part = txs[i:i + ACCOUNT_BATCH]
        rows, failed = [], []
        for (tx, _), got in zip(part, await get_senders(run.client, part), strict=True):
            if isinstance(got, RpcError):
                failed.append(failures.failed(tx, got))
            else:
                failures.ok()
                if got is not None:
                    rows.append(got)
        write_senders(run.db.con, run.chain, rows)
        write_failures(run.db.con, run.chain, failed, run.to)
        run.db.yield_to_waiters()


async def discover_funding(run: ChainRun, state_from: int) -> None:
    """The first funding of every buyer not yet traced, searched from the first block with state, then of their
    funders and their funders' funders (FUNDING_LEVELS in all), so funding trees show. A level's funders are
    traced when they are EOAs (code checked first) and no labelled service; trees no longer reached are pruned."""
    tree: set[str] = set()
    level = watched_buyers(run.db.con, run.chain)
    for depth in range(FUNDING_LEVELS):
        level = [a for a in level if a not in tree]
        tree.update(level)
        await _trace_funding(run, funding_to_check(run.db.con, run.chain, level, run.to), state_from, depth)
        if depth + 1 < FUNDING_LEVELS:
            await check_codes(run)
            level = [c.address for c in candidates(run.db.con, run.chain, funders_of(run.db.con, run.chain, level))
                     if c.what in ("eoa", "hub")]
    prune_funding(run.db.con, run.chain, sorted(tree))


async def _trace_funding(run: ChainRun, addresses: list[str], state_from: int, depth: int) -> None:
    label = run.label("funding" if depth == 0 else f"funders' funding {depth}")
    failures = run.summary.failures_of("funding")
    run.progress.start(label, len(addresses))

    def done(address: str, result: Funding | RpcError) -> None:
        if isinstance(result, RpcError):
            write_failures(run.db.con, run.chain, [failures.failed(address, result)], run.to)
        else:
            failures.ok()
            write_funding(run.db.con, run.chain, result)
            run.summary.funding_checked += depth == 0
            run.summary.no_archive += depth == 0 and result.status == "no_archive"
        run.progress.advance(label, 1, 0)
        run.db.yield_to_waiters()

    try:
        await for_each(addresses, lambda a: first_funding(run.client, a, run.earliest, run.to, state_from),
                       run.req.concurrency, done)
    finally:
        run.progress.finish(label)


async def marketplace_enrichments(run: ChainRun, sources: list[Source], state_from: int) -> None:
    """Every enrichment the sources' marketplaces declare, per contract."""
    for source in sources:
        market = BY_NAME.get(source.marketplace or "")
        for step in market.enrichments if market else ():
            await _enrich(run, step, source.address, state_from)


async def _enrich(run: ChainRun, step: Enrichment, contract: str, state_from: int) -> None:
    items = step.todo(run.db.con, run.chain, contract)
    label = run.label(step.step + "s")
    failures = run.summary.failures_of(step.step)
    run.progress.start(label, len(items))

    def done(item: Any, answer: Any) -> None:
        key = step.key(item)
        if isinstance(answer, RpcError):
            write_failures(run.db.con, run.chain, [failures.failed(key, answer)], run.to)
        else:
            failures.ok()
            with transaction(run.db.con, f"storing a {step.step}"):
                step.store(run.db.con, run.chain, contract, answer)
                clear_failures(run.db.con, run.chain, step.step, [key])
            run.summary.looked_up[step.step] = run.summary.looked_up.get(step.step, 0) + 1
        run.progress.advance(label, 1, 0)
        run.db.yield_to_waiters()

    try:
        await for_each(items, lambda item: step.lookup(run.client, contract, item, state_from, run.to),
                       run.req.concurrency, done)
    finally:
        run.progress.finish(label)
