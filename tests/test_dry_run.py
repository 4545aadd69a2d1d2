"""`auditor index --dry-run` on a real devnet: the plan is what a run then does, and nothing is written."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.cli import main
from auditor.devnet import Devnet
from auditor.model import BlockRange
from auditor.sync import IndexRequest, run_index
from auditor.sync.dryrun import plan_index
from tests.faultproxy import FaultProxy


def coverage(db: Path) -> dict[str, list[tuple[int, int]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source, from_block, to_block FROM coverage ORDER BY ALL").fetchall()
    out: dict[str, list[tuple[int, int]]] = {}
    for source, a, b in rows:
        out.setdefault(source, []).append((a, b))
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_plan_of_a_new_database_writes_nothing(devnet: Devnet, truth: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    url = devnet.urls[8453]
    last = truth["chains"]["8453"]["last_block"]
    req = IndexRequest(rpc_urls=(url,), db_path=db, confirmations=0, to_block=last)
    [plan] = asyncio.run(plan_index(req))
    assert not db.exists()
    assert (plan.chain, plan.to) == (8453, last)
    kinds = {s.kind for s in plan.sources}
    assert "price feed" in kinds and {"spheron", "morpheus"} <= kinds
    for s in plan.sources:
        assert s.covered == 0 and s.missing == (BlockRange(s.start, last),)
    assert plan.buyers is None and plan.pending == ()
    asyncio.run(run_index(req))
    # The run covered exactly the planned sources over exactly the planned windows.
    got = {k.split("#")[0] if k.startswith("chainlink/") else k: v for k, v in coverage(db).items()
           if not k.startswith("watch/")}
    want = {s.key: [(s.start, last)] for s in plan.sources}
    assert got == want


def test_plan_after_part_of_the_chain(devnet: Devnet, truth: dict[str, Any], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "part.duckdb"
    chain = truth["chains"]["8453"]
    mid, last = (chain["genesis_block"] + chain["last_block"]) // 2, chain["last_block"]
    url = devnet.urls[8453]
    asyncio.run(run_index(IndexRequest(rpc_urls=(url,), db_path=db, confirmations=0, to_block=mid)))
    before = coverage(db)
    stored = digest(db)
    [plan] = asyncio.run(plan_index(IndexRequest(rpc_urls=(url,), db_path=db, confirmations=0, to_block=last)))
    assert digest(db) == stored, "a dry run must not change the database"
    assert plan.buyers and plan.buyers > 0 and plan.funding_todo == 0
    for s in plan.sources:
        have = before[s.key]
        assert s.covered == sum(b - max(a, s.start) + 1 for a, b in have if b >= s.start)
        assert s.missing == (BlockRange(mid + 1, last),)

    with FaultProxy(url) as keyed, pytest.raises(SystemExit) as exit_info:   # a provider URL carries a key
        main(["index", "--rpc", keyed.url + "/v2/SECRETKEY42", "--db", str(db), "--confirmations", "0",
              "--to-block", str(last), "--dry-run"])
    out, err = capsys.readouterr()
    assert exit_info.value.code in (0, None), err
    assert f"blocks {chain['genesis_block']}-{last}" in out and f"{mid + 1}-{last}" in out
    assert "spheron" in out and "funding" in out
    assert "SECRETKEY42" not in out + err   # the URL shows redacted, like every other output
    assert digest(db) == stored
