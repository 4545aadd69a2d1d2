"""Akash account types for the clustering: after the owners' transfers are stored, every Akash owner, funder and
native-transfer counterparty without an address_code row is looked up (x/auth account at the safe height) and
stored as EVM code flags are (is_contract: a module or other non-plain account), in batches, each final. An
address whose lookup fails is recorded in enrichment_failures (step akash-account) and, having no row, looked
up again next run; a re-run with nothing new asks nothing."""

from __future__ import annotations

from functools import partial

from auditor.errors import RpcError
from auditor.extract.akash.accounts import account_type
from auditor.model import Code, ItemFailure
from auditor.rpc.client import Rpc
from auditor.rpc.eth import asked_until_valid
from auditor.store.db import Lease
from auditor.store.failures import write_failures
from auditor.store.watch import codes_to_check, write_codes
from auditor.sync.bounded import as_done
from auditor.sync.summary import ChainSummary, Progress

ACCOUNT_STEP = "akash-account"
ACCOUNT_BATCH = 200     # accounts whose rows commit together
CANDIDATES = "akash_account_candidates"


async def check_akash_accounts(db: Lease, client: Rpc, chain: int, to: int, summary: ChainSummary,
                               progress: Progress) -> None:
    """Look up the type of every Akash account the clustering needs and does not know yet."""
    seen = dict(codes_to_check(db.con, chain, CANDIDATES))
    failures = summary.failures_of(ACCOUNT_STEP)
    label = f"{summary.name} accounts"
    progress.start(label, len(seen))

    async def one(address: str) -> Code | ItemFailure:
        try:
            found = await asked_until_valid(partial(account_type, client, address, to))
        except RpcError as exc:
            return failures.failed(address, exc)
        failures.ok()
        return found

    found: list[Code] = []

    def flush() -> None:
        write_codes(db.con, chain, found, [seen[c.address] for c in found], ACCOUNT_STEP)
        summary.codes_checked += len(found)
        progress.advance(label, len(found), 0)
        found.clear()
        db.yield_to_waiters()

    async for _, answer in as_done(one, sorted(seen), client.in_flight):
        if isinstance(answer, ItemFailure):
            write_failures(db.con, chain, [answer], to)
            continue
        found.append(answer)
        if len(found) >= ACCOUNT_BATCH:
            flush()
    flush()
    progress.finish(label)
