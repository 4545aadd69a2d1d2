"""The Akash indexer against the local Akash endpoint (auditor.devnet.akash, seed 1: leases open, closed by their
owner, by their provider and for lack of funds; GPU and CPU-only; uakt, uact and USDC), over real HTTP, into real
DuckDB files. The endpoint is a test double: the indexer reaches it only by URL."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.analyze import run_analysis
from auditor.devnet.akash.server import AkashNode
from auditor.devnet.akash.truth import truth_document
from auditor.labels import import_labels
from auditor.store.db import open_db
from auditor.sync import IndexRequest, run_index

SEED = 1
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="package")
def akash() -> Iterator[AkashNode]:
    with AkashNode(seed=SEED) as node:
        yield node


@pytest.fixture(scope="package")
def akash_truth(akash: AkashNode) -> dict[str, Any]:
    return truth_document(akash.api)


def index(urls: tuple[str, ...], db: Path, **kwargs: Any) -> None:
    asyncio.run(run_index(IndexRequest(rpc_urls=urls, db_path=db, confirmations=0, **kwargs)))


def label_card_wallet(db: Path, truth: dict[str, Any], tmp: Path) -> None:
    """What a user does for the Console's funding wallet: label it a card on-ramp."""
    from auditor.chains import AKASH_CHAIN_ID
    csv = tmp / "akash_labels.csv"
    csv.write_text("chain_id,address,category,label,source\n"
                   f"{AKASH_CHAIN_ID},{truth['labels']['console_funding_wallet']},card_onramp,"
                   "Akash Console funding wallet,devnet truth\n")
    with open_db(db) as con:
        import_labels(con, csv)


def analyse(db: Path) -> None:
    with open_db(db) as con:
        run_analysis(con)


@pytest.fixture(scope="package")
def akash_db(akash: AkashNode, akash_truth: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The endpoint indexed in one clean run, the Console wallet labelled, analysed."""
    tmp = tmp_path_factory.mktemp("akash")
    db = tmp / "akash.duckdb"
    index((akash.url,), db)
    label_card_wallet(db, akash_truth, tmp)
    analyse(db)
    return db


def tables(db: Path, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted; `skip`: columns left out (named table.column)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                                    "ORDER BY 1").fetchall():
            columns = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                                 "table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                       if f"{table}.{c}" not in skip]
            out[table] = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table}" '
                                     "ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def command(db: Path, *urls: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "auditor", "index", "--db", str(db), "--confirmations", "0", *extra,
            *(a for url in urls for a in ("--rpc", url))]
