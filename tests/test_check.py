"""`auditor check` against the devnet (every deployment has code, its recent events decode, state is served),
against a pruned anvil (old state refused), and a chain where only one registered contract has code."""

from __future__ import annotations

import asyncio
from pathlib import Path

from auditor.check import CheckReport, check_endpoints
from auditor.devnet import Devnet
from auditor.devnet.anvil import Anvil
from auditor.devnet.emitters import load_emitters
from auditor.marketplaces import MARKETPLACES
from tests.devnet.chainrpc import rpc

MORPHEUS = "0x6abe1d282f72b474e54527d93b979a4f64d3030a"
GENESIS_BLOCK, GENESIS_TIME = 30_000_000, 1_794_700_800


def check(urls: list[str], now: float) -> CheckReport:
    return asyncio.run(check_endpoints(urls, now=now))


def test_the_devnet_passes_every_check(devnet: Devnet) -> None:
    urls = [devnet.urls[c] for c in sorted(devnet.urls)]
    head_time = max(int(rpc(u, "eth_getBlockByNumber", "latest", False)["timestamp"], 16) for u in urls)
    report = check(urls, now=head_time)
    assert report.problems == []
    deployed = {d.chain_id for m in MARKETPLACES for c in m.contracts for d in c.deployments}
    sources = {(f.chain_id, f.subject) for f in report.findings if f.check == "code"}
    assert len(sources) == sum(len(m.sources(c)) for m in MARKETPLACES for c in sorted(deployed & set(devnet.urls)))
    seen = [f.result for f in report.findings if f.check.startswith("events in blocks")]
    assert any(any(int(part.rsplit(" ", 1)[1]) > 0 for part in r.split(", ")) for r in seen)
    assert report.table().columns[:2] == ("chain", "chain_id") and len(report.table()) == len(report.findings)


def test_a_pruned_node_without_most_contracts_is_named_problem_by_problem(tmp_path: Path) -> None:
    node = Anvil(8453, GENESIS_BLOCK, GENESIS_TIME, tmp_path / "anvil.log")
    node.args += ["--prune-history", "100"]
    with node:
        url = node.url
        rpc(url, "anvil_setCode", MORPHEUS, load_emitters()["morpheus/Diamond"].runtime_bytecode)
        rpc(url, "anvil_mine", hex(300), hex(12))
        head_time = int(rpc(url, "eth_getBlockByNumber", "latest", False)["timestamp"], 16)
        report = check([url], now=head_time + 7200)
    problems = report.problems
    assert any("head:" in p and "s old" in p for p in problems)           # two hours behind
    assert any("old state: served from block" in p for p in problems)     # pruned: funding not traceable
    no_code = [p for p in problems if "no code at this address" in p]
    base_sources = [s for m in MARKETPLACES for s in m.sources(8453)]
    assert len(no_code) == len(base_sources) - 1 and not any(MORPHEUS in p for p in no_code)
    assert all(p.startswith("Base: ") for p in problems)


def test_a_dead_endpoint_is_one_problem_not_a_stop(devnet: Devnet) -> None:
    report = check(["http://127.0.0.1:9/", devnet.urls[8453]], now=0)
    assert report.problems[0].startswith("unreachable: http://127.0.0.1:9") and "cannot connect" in report.problems[0]
    assert any(f.chain_id == 8453 for f in report.findings)
