"""Opening databases: migrations, and the clear errors users get instead of DuckDB's."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.errors import StoreError
from auditor.store.db import open_db


def test_new_database_gets_schema_and_event_tables(tmp_path: Path) -> None:
    with open_db(tmp_path / "a.duckdb", create=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        versions = con.execute("SELECT version FROM schema_migrations").fetchall()
    assert {"chains", "sources", "coverage", "blocks", "funding", "meta", "native_transfer", "native_scan"} <= tables
    assert {"livepeer_winning_ticket_redeemed", "spheron_lease_created", "iexec_orders_matched",
            "morpheus_session_opened"} <= tables
    assert versions == [(1,), (2,), (3,), (4,), (5,), (6,), (7,)]
    assert {"price_feeds", "price_imports", "chainlink_answer_updated", "swan_task_created",
            "aleph_flow_updated", "golem_transfer"} <= tables


def test_reopening_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "a.duckdb"
    with open_db(path, create=True) as con:
        con.execute("INSERT INTO meta VALUES ('k', 'v')")
    with open_db(path, create=True) as con:
        assert con.execute("SELECT * FROM meta").fetchall() == [("k", "v")]


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a database\n" * 200)
    with pytest.raises(StoreError, match="not a DuckDB database"), open_db(path, create=True):
        pass
    assert path.read_text().startswith("hello")


def test_missing_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"), open_db(tmp_path / "nope" / "a.duckdb"):
        pass
    with pytest.raises(StoreError, match="does not exist"), open_db(tmp_path / "absent.duckdb", read_only=True):
        pass
    assert not (tmp_path / "absent.duckdb").exists()


def test_foreign_duckdb_file_is_not_an_auditor_database(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(StoreError, match="not an auditor database"), open_db(path, read_only=True):
        pass


def test_second_writer_gets_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_LOCK_WAIT", "1")  # the holder is no index run: it never hands the file over
    path = tmp_path / "a.duckdb"
    with open_db(path, create=True):
        pass
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
                               " time.sleep(30)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(StoreError, match="in use by another auditor process"), open_db(path, create=True):
            pass
        assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
