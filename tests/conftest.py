"""Shared fixtures: one real anvil devnet with the simulated economy per test session, indexed once."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.analyze import run_analysis
from auditor.devnet import Devnet, start_devnet
from auditor.labels import import_labels
from auditor.prices.imports import import_prices
from auditor.store.db import open_db
from auditor.sync import IndexRequest, run_index
from tests.devnet.chainrpc import port_open


@pytest.fixture(scope="session")
def devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    """The one played economy of the session (starting it costs seconds): tests that change a chain start
    their own bare anvil instead."""
    with start_devnet(tmp_path_factory.mktemp("devnet")) as net:
        yield net
    assert not any(port_open(url) for url in net.urls.values()), "anvil still listening after start_devnet exited"


@pytest.fixture(scope="session")
def truth(devnet: Devnet) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(devnet.truth_path.read_text())
    return data


def index_devnet(devnet: Devnet, db: Path, **kwargs: Any) -> None:
    req = IndexRequest(rpc_urls=tuple(devnet.urls[c] for c in sorted(devnet.urls)), db_path=db, confirmations=0,
                       **kwargs)
    asyncio.run(run_index(req))


SLOW_INDEX = ("--chunk-blocks", "20", "--concurrency", "2")  # a run that lasts long enough to be disturbed


def index_command(devnet: Devnet, db: Path, *extra: str) -> list[str]:
    """`auditor index` of every devnet chain as a subprocess command."""
    command = [sys.executable, "-m", "auditor", "index", "--db", str(db), "--confirmations", "0", *extra]
    for chain_id in sorted(devnet.urls):
        command += ["--rpc", devnet.urls[chain_id]]
    return command


def coverage_rows(db: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM coverage ORDER BY ALL").fetchall()


def analyse(devnet: Devnet, db: Path) -> None:
    """What a user does after indexing: import prices for tokens without a feed and the labels of the chains'
    exchange and bridge, then analyse."""
    with open_db(db) as con:
        import_prices(con, devnet.prices_path)
        import_labels(con, devnet.labels_path)
        run_analysis(con)


@pytest.fixture(scope="session")
def analysed_db(devnet: Devnet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The devnet indexed in one uninterrupted run, then analysed."""
    db = tmp_path_factory.mktemp("db") / "audit.duckdb"
    index_devnet(devnet, db)
    analyse(devnet, db)
    return db
