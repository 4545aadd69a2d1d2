"""The safe block is what coverage says is known: a narrower run (fewer confirmations, a backfill window) never
makes the database know less."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import duckdb

from auditor.devnet import Devnet
from auditor.sync import IndexRequest, run_index


def _chains(db: Path) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT chain_id, safe_block, safe_time, safe_hash FROM chains ORDER BY 1").fetchall()


def _rerun(devnet: Devnet, db: Path, **kwargs: Any) -> None:
    urls = tuple(devnet.urls[c] for c in sorted(devnet.urls))
    asyncio.run(run_index(IndexRequest(rpc_urls=urls, db_path=db, **kwargs)))


def test_narrower_runs_never_lower_the_safe_block(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(analysed_db, db)
    before = _chains(db)
    assert before and all(safe is not None for _, safe, _, _ in before)
    _rerun(devnet, db, confirmations=None)          # the chains' default confirmations: a lower `to`
    assert _chains(db) == before
    _rerun(devnet, db, from_block=0, to_block=min(safe for _, safe, _, _ in before) // 2)  # a backfill window
    assert _chains(db) == before


def test_a_window_alone_is_known_to_its_end(devnet: Devnet, tmp_path: Path) -> None:
    db = tmp_path / "window.duckdb"
    url = devnet.urls[8453]
    head = asyncio.run(_head(url))
    asyncio.run(run_index(IndexRequest(rpc_urls=(url,), db_path=db, from_block=0, to_block=head - 100,
                                       funding=False)))
    ((_, safe, _, _),) = _chains(db)
    assert safe == head - 100


async def _head(url: str) -> int:
    from auditor.rpc.client import open_client
    from auditor.rpc.eth import block_number

    async with open_client(url) as client:
        return await block_number(client)
