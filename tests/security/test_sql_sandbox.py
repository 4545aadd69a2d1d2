"""`auditor sql` against an analyst who types (or pastes) hostile SQL: issue 15 item 1, one test per attack.

Each runs the real command on a real analysed database in tmp_path and asserts what happened on disk and what
was printed: nothing written, no file read, a one-line error that says why, the database's own tables readable.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from auditor import sqlrun
from auditor.analyze import AnalyzeOptions, run_analysis
from auditor.cli import main
from auditor.store.db import open_db

SECRET = "AUDITOR_RPC_URLS=https://eth.example/v2/SECRETKEY"
BUYER = "0x" + "ab" * 20


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An analysed database with one rental and its buyer's cluster (only read by the tests)."""
    path = tmp_path_factory.mktemp("sandbox") / "a.duckdb"
    with open_db(path, create=True) as con:
        run_analysis(con, AnalyzeOptions())
        con.execute("INSERT INTO rentals (chain_id, marketplace, buyer, gpu_model, gpu_count) "
                    "VALUES (1, 'spheron', ?, 'H100', 8)", [BUYER])
        con.execute("INSERT INTO address_clusters (address, cluster_id, cluster_size, role) "
                    "VALUES (?, 'c1', 1, 'buyer')", [BUYER])
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """The README's systemd EnvironmentFile: what a file read would be after."""
    path = tmp_path / "auditor.env"
    path.write_text(SECRET + "\n")
    return path


def sql(capsys: pytest.CaptureFixture[str], db: Path, statement: str, *extra: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["sql", statement, "--db", str(db), *extra])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def refused(code: int, out: str, err: str, why: str) -> None:
    assert code == 1, (code, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert why in lines[0], lines[0]


def test_copy_to_a_file_is_refused(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    target = tmp_path / "evil.sh"
    result = sql(capsys, db, f"COPY (SELECT 'echo owned') TO '{target}' (HEADER false, QUOTE '')")
    refused(*result, "a COPY statement is refused")
    assert not target.exists()


def test_export_database_is_refused(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    target = tmp_path / "dump"
    refused(*sql(capsys, db, f"EXPORT DATABASE '{target}'"), "a EXPORT statement is refused")
    assert not target.exists()


def test_a_second_statement_never_runs(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    target = tmp_path / "evil.sh"
    refused(*sql(capsys, db, f"SELECT 'first'; COPY (SELECT 1) TO '{target}'"), "exactly one statement, found 2")
    assert not target.exists()


@pytest.mark.parametrize("statement", [";", " ; ;", "/* only a comment */"])
def test_no_statement_is_a_one_line_error(capsys: pytest.CaptureFixture[str], db: Path, statement: str) -> None:
    refused(*sql(capsys, db, statement), "give a SQL query")


@pytest.mark.parametrize("reader", [
    "SELECT * FROM read_csv('{path}')",
    "SELECT * FROM read_text('{path}')",
    "SELECT * FROM read_blob('{path}')",
    "SELECT * FROM read_json('{path}')",
    "SELECT * FROM read_parquet('{path}')",
    "SELECT * FROM glob('{dir}/*')",
    "SELECT * FROM sniff_csv('{path}')",
])
def test_file_readers_cannot_read_files(capsys: pytest.CaptureFixture[str], db: Path, secret: Path,
                                        reader: str) -> None:
    code, out, err = sql(capsys, db, reader.format(path=secret, dir=secret.parent))
    refused(code, out, err, "files, URLs and extensions are off")
    assert "SECRETKEY" not in out + err and "auditor.env" not in out


def test_a_file_name_as_a_table_is_not_read(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    csv = tmp_path / "keys.csv"
    csv.write_text(f"line\n{SECRET}\n")
    code, out, err = sql(capsys, db, f"SELECT * FROM '{csv}'")
    refused(code, out, err, "files, URLs and extensions are off")
    assert "SECRETKEY" not in out + err


def test_urls_are_not_fetched(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    started = time.monotonic()
    refused(*sql(capsys, db, "SELECT * FROM 'https://198.51.100.1/keys.csv'"), "files, URLs and extensions are off")
    assert time.monotonic() - started < 10   # refused before any connection attempt


def test_attach_is_refused(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    target = tmp_path / "new.duckdb"
    refused(*sql(capsys, db, f"ATTACH '{target}' (READ_WRITE)"), "a ATTACH statement is refused")
    assert not target.exists()


@pytest.mark.parametrize("statement", ["INSTALL httpfs", "LOAD httpfs", "FORCE INSTALL httpfs"])
def test_extensions_are_refused(capsys: pytest.CaptureFixture[str], db: Path, statement: str) -> None:
    refused(*sql(capsys, db, statement), "a LOAD statement is refused")


@pytest.mark.parametrize("statement", ["SET memory_limit = '64GB'", "RESET memory_limit",
                                       "PRAGMA memory_limit = '64GB'", "SET enable_external_access = true",
                                       "SET VARIABLE v = 1", "USE memory"])
def test_settings_are_refused(capsys: pytest.CaptureFixture[str], db: Path, statement: str) -> None:
    code, out, err = sql(capsys, db, statement)
    assert code == 1 and out == "" and "statement is refused" in err, err


@pytest.mark.parametrize("statement", [
    "INSERT INTO meta VALUES ('k', 'v')", "UPDATE rentals SET gpu_count = 0", "DELETE FROM rentals",
    "CREATE TEMP TABLE t AS SELECT 1", "CREATE MACRO m() AS 1", "DROP TABLE rentals", "CALL pragma_version()",
    "CHECKPOINT", "VACUUM", "BEGIN", "DETACH a", "EXPLAIN ANALYZE COPY rentals TO 'x.csv'",
    "PIVOT rentals ON marketplace",
])
def test_statements_that_are_not_reads_are_refused(capsys: pytest.CaptureFixture[str], db: Path,
                                                   statement: str) -> None:
    code, out, err = sql(capsys, db, statement)
    refused(code, out, err, "statement is refused")


def test_the_lockdown_holds_against_direct_sets(tmp_path: Path) -> None:
    """Below the statement filter: after lock_down no SET, RESET or PRAGMA changes anything."""
    path = tmp_path / "plain.duckdb"
    duckdb.connect(str(path)).close()
    con = duckdb.connect(str(path), read_only=True)
    try:
        sqlrun.lock_down(con)
        for statement in ["SET memory_limit = '64GB'", "RESET memory_limit", "PRAGMA memory_limit = '64GB'",
                          "SET enable_external_access = true", "SET lock_configuration = false",
                          "RESET lock_configuration", "SET threads = 64", "SET autoinstall_known_extensions = true"]:
            with pytest.raises(duckdb.InvalidInputException, match="configuration has been locked"):
                con.execute(statement)
        settings = dict(con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration', "
            "'autoinstall_known_extensions', 'autoload_known_extensions', 'allow_community_extensions', 'threads', "
            "'python_enable_replacements')").fetchall())
    finally:
        con.close()
    assert settings == {"enable_external_access": "false", "lock_configuration": "true",
                        "autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
                        "allow_community_extensions": "false", "threads": str(sqlrun.THREADS),
                        "python_enable_replacements": "false"}


def test_memory_and_threads_are_bounded(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = sql(capsys, db, "SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t, "
                                   "current_setting('lock_configuration') AS l", "--format", "csv")
    reference = duckdb.connect()
    reference.execute("SET memory_limit = ?", [sqlrun.MEMORY_LIMIT])
    expected = reference.execute("SELECT current_setting('memory_limit')").fetchone()
    reference.close()
    assert code == 0 and expected is not None
    assert out.splitlines()[1].split(",") == [expected[0], str(sqlrun.THREADS), "True"]


def test_a_long_query_is_stopped_by_the_timeout(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    started = time.monotonic()
    code, out, err = sql(capsys, db, "SELECT count(*) FROM range(1000000000000)", "--timeout", "1")
    refused(code, out, err, "query stopped after 1s (--timeout)")
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("timeout", ["0", "-5", "nan", "inf"])
def test_an_impossible_timeout_is_refused(capsys: pytest.CaptureFixture[str], db: Path, timeout: str) -> None:
    refused(*sql(capsys, db, "SELECT 1", "--timeout", timeout), "--timeout must be a positive number")


def test_reads_of_the_database_still_work(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = sql(capsys, db, "SELECT marketplace, buyer, gpu_count FROM rentals", "--format", "csv")
    assert (code, err) == (0, "") and out == f"marketplace,buyer,gpu_count\nspheron,{BUYER},8\n"
    code, out, _ = sql(capsys, db, "SELECT r.gpu_model, c.cluster_id FROM rentals r JOIN address_clusters c "
                                   "ON c.address = r.buyer AND c.role = 'buyer';", "--format", "json")
    assert code == 0 and '"cluster_id": "c1"' in out and '"gpu_model": "H100"' in out
    for statement in ["FROM rentals", "DESCRIBE rentals", "SHOW TABLES", "SUMMARIZE rentals",
                      "WITH x AS (SELECT 1 AS a) SELECT a FROM x", "VALUES (1)", "TABLE rentals"]:
        code, out, err = sql(capsys, db, statement)
        assert code == 0 and err == "" and out, (statement, err)
