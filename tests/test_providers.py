"""Indexing through a proxy that behaves like common hosted providers, compared with a direct run."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import duckdb

from auditor.devnet import Devnet
from auditor.sync import IndexRequest, run_index
from tests.faultproxy import FaultProxy


def _strip_block_timestamp(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """Most providers' logs carry no blockTimestamp: the indexer must fetch block headers instead."""
    if request["method"] == "eth_getLogs" and isinstance(response.get("result"), list):
        for log in response["result"]:
            log.pop("blockTimestamp", None)
    return response


def _rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
    finally:
        con.close()


def test_logs_without_block_timestamp(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "proxied.duckdb"
    with FaultProxy(devnet.urls[8453], _strip_block_timestamp) as proxy:
        asyncio.run(run_index(IndexRequest(rpc_urls=(proxy.url,), db_path=db, confirmations=0, funding=False)))
    assert "eth_getBlockByNumber" in proxy.requests
    for table in ("spheron_lease_created", "spheron_order_created", "morpheus_session_opened", "blocks"):
        direct = [r for r in _rows(analysed_db, table) if r[0] == 8453]
        assert _rows(db, table) == direct and direct, table
