"""`auditor check`: what a user runs first against their own provider, before an index run.

Per chain behind the URLs: the head and its age, the first block the node keeps, whether it serves old state
(and from which block: funding is traced only from there), and the block range it accepts for eth_getLogs.
Per registered deployment on that chain: whether there is code at the address, how many of its events a
recent window holds, whether they decode, and the first block an index would scan. Each problem is one line;
nothing is written anywhere.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow.compute as pc

from auditor.chains import AKASH_CHAIN_ID, chain_name, default_confirmations
from auditor.decode.logs import decode_table
from auditor.errors import RpcError
from auditor.extract.akash import lcd
from auditor.extract.governor import RangeGovernor
from auditor.extract.logs import fetch_range
from auditor.extract.state import first_state_block
from auditor.logtable import topic
from auditor.marketplaces import MARKETPLACES, sources_for_chain
from auditor.model import BlockRange, Source
from auditor.rpc.client import Rpc, open_client
from auditor.rpc.detect import detect_chain
from auditor.rpc.eth import block_number, get_block, parse_block
from auditor.sqlfile import Table
from auditor.sync.heads import earliest_block

RECENT_BLOCKS = 50_000     # the window the events are looked for in, ending at the safe block
PROBE_BLOCKS = 100_000     # the range first offered to eth_getLogs, to learn the provider's limit
STALE_HEAD_S = 3600        # a head older than this means the node is not following its chain


@dataclass(frozen=True)
class Finding:
    chain_id: int
    subject: str     # "node", or a source's key
    check: str
    result: str
    ok: bool


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]

    @property
    def problems(self) -> list[str]:
        return [f"{_chain(f.chain_id)}: {f.subject}: {f.check}: {f.result}" for f in self.findings if not f.ok]

    def table(self) -> Table:
        return Table("Checks", ("chain", "chain_id", "subject", "check", "result", "ok"),
                     tuple((_chain(f.chain_id), f.chain_id or None, f.subject, f.check, f.result,
                            "ok" if f.ok else "PROBLEM") for f in self.findings))


def _chain(chain_id: int) -> str:
    return chain_name(chain_id) if chain_id else "unreachable"


async def check_endpoints(urls: Sequence[str], now: float | None = None) -> CheckReport:
    """Every check for every URL, in URL order; an endpoint that cannot be reached is one problem, not a stop."""
    findings: list[Finding] = []
    for url in dict.fromkeys(urls):
        async with open_client(url, connections=4) as client:
            try:
                chain = await detect_chain(client)
            except RpcError as exc:
                findings.append(Finding(0, client.where, "reachable", str(exc), False))
                continue
            now_s = time.time() if now is None else now
            findings += await (_check_akash(client, chain, now_s) if chain == AKASH_CHAIN_ID else
                               _check_chain(client, chain, now_s))
    return CheckReport(tuple(findings))


async def _check_chain(client: Rpc, chain: int, now: float) -> list[Finding]:
    node = client.where
    head = await block_number(client)
    head_block = parse_block(await get_block(client, head))
    age = int(now - head_block.timestamp)
    out = [Finding(chain, node, "head", f"block {head}, {max(age, 0)} s old", age <= STALE_HEAD_S)]
    earliest = await earliest_block(client)
    safe = max(earliest, head - default_confirmations(chain))
    sources = sources_for_chain(chain, MARKETPLACES)
    if not sources:
        out.append(Finding(chain, node, "marketplaces", "none of the supported marketplaces is deployed here",
                           False))
        return out
    first_needed = max(earliest, min(s.start_block for s in sources))
    try:
        state_from = await first_state_block(client, first_needed, safe)
    except RpcError as exc:
        out.append(Finding(chain, node, "old state", str(exc), False))
    else:
        archive = state_from <= first_needed
        out.append(Finding(chain, node, "old state",
                           f"served from block {first_needed} on (archive for this work)" if archive else
                           f"served from block {state_from} only: funding before it is not traced", archive))
    out.append(Finding(chain, node, "first block", f"{earliest}", True))
    out += await _check_sources(client, chain, sources, safe, earliest)
    return out


async def _check_akash(client: Rpc, chain: int, now: float) -> list[Finding]:
    """An Akash LCD: its head, the API version, every list endpoint at the safe height, its first block, and
    whether it indexes txs (owners' funding needs tx search)."""
    node = client.where
    head = await lcd.block(client)
    age = int(now - head.timestamp)
    out = [Finding(chain, node, "head", f"block {head.number}, {max(age, 0)} s old", age <= STALE_HEAD_S)]
    safe = max(0, head.number - default_confirmations(chain))
    try:
        version = await lcd.api_version(client)
    except RpcError as exc:
        return [*out, Finding(chain, node, "Akash API", str(exc), False)]
    out.append(Finding(chain, node, "Akash API", version, True))
    for name in lcd.LISTS:
        try:
            page = await lcd.page(client, name, version, None, 1, safe)
            out.append(Finding(chain, f"akash/{name}", f"list at height {safe}",
                               "answers" + (", more pages" if page.next_key else ""), True))
        except RpcError as exc:
            out.append(Finding(chain, f"akash/{name}", f"list at height {safe}", str(exc), False))
    first = await lcd.earliest_block(client)
    out.append(Finding(chain, node, "first block", "unknown" if first is None else str(first.number), True))
    try:
        await lcd.tx_search(client, f"tx.height={safe}", 1, 1)
        out.append(Finding(chain, node, "tx search", "served (owners' funding is traced)", True))
    except RpcError as exc:
        out.append(Finding(chain, node, "tx search", f"{exc}: owners' funding cannot be traced here", False))
    return out


async def _check_sources(client: Rpc, chain: int, sources: list[Source], safe: int,
                         earliest: int) -> list[Finding]:
    out: list[Finding] = []
    window = BlockRange(max(earliest, safe - RECENT_BLOCKS + 1), safe)
    governor = RangeGovernor(PROBE_BLOCKS)
    for source in sources:
        code = await client.call("eth_getCode", [source.address, "latest"])
        has_code = isinstance(code, str) and code not in ("0x", "0x0", "")
        out.append(Finding(chain, source.key, "code", f"{source.address}: " + ("contract code present" if has_code
                           else "no code at this address"), has_code))
        start = max(earliest, source.start_block)
        out.append(Finding(chain, source.key, "start block", f"an index scans from block {start}"
                           + ("" if source.start_block else " (deployment block unknown)"), True))
        try:
            logs, _ = await fetch_range(client, [source], window, governor)
        except RpcError as exc:
            out.append(Finding(chain, source.key, "recent events", str(exc), False))
            continue
        counts = []
        failed = []
        for spec in source.events:
            mine = logs.filter(pc.equal(topic(logs, 0), "0x" + spec.topic0.hex())) if logs.num_rows else logs
            if mine.num_rows:
                try:
                    decode_table(chain, spec, mine)
                except RpcError as exc:
                    failed.append(f"{spec.name}: {exc}")
            counts.append(f"{spec.name} {mine.num_rows}")
        out.append(Finding(chain, source.key, f"events in blocks {window.start}-{window.end}", ", ".join(counts),
                           True))
        out.append(Finding(chain, source.key, "decoding", "; ".join(failed) or "every event decodes", not failed))
    if governor.ceiling is not None:
        out.append(Finding(chain, client.where, "eth_getLogs range", f"at most {governor.ceiling} blocks", True))
    return out
