"""The command line as a user meets it: help everywhere, one-line errors, nothing printed that holds a key."""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from auditor.cli import app, main
from auditor.store.db import open_db

COMMANDS = ["index", "check", "analyze", "report", "sql", "export", "marketplaces", "status", "demo"]
README = Path(__file__).resolve().parents[1] / "README.md"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def assert_one_line_error(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err


def test_every_command_has_help_and_is_in_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    registered = {c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[union-attr]
    assert registered == set(COMMANDS)
    readme = README.read_text()
    for name in COMMANDS:
        code, out, _ = run(capsys, name, "--help")
        assert code == 0 and "Usage: auditor " + name in out
        assert re.search(rf"auditor {name}\b", readme), f"README does not show `auditor {name}`"
        command = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)  # type: ignore[union-attr]
        assert command.callback is not None and command.callback.__doc__


def test_unknown_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "index", "--bogus")
    assert code == 2
    assert_one_line_error(err)
    assert "--bogus" in err


def test_non_numeric_block(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "index", "--rpc", "http://127.0.0.1:1", "--db", str(tmp_path / "a.duckdb"),
                       "--from-block", "ten")
    assert code == 2
    assert_one_line_error(err)


@pytest.mark.parametrize("args", [
    ["--from-block", "10", "--to-block", "5"],
    ["--from-block", "-1"],
    ["--marketplace", "nosuchmarket"],
    ["--contract", "0x1234", "--event", "Transfer(address indexed from, address indexed to, uint256 value)"],
    ["--contract", "0x" + "11" * 20, "--event", "Transfer(address from"],
    ["--contract", "0x" + "11" * 20],
])
def test_bad_index_input_touches_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "a.duckdb"
    code, _, err = run(capsys, "index", "--rpc", "https://rpc.example.org/v2/SECRETKEY", "--db", str(db), *args)
    assert code == 1
    assert_one_line_error(err)
    assert "SECRETKEY" not in err
    assert not db.exists()


def test_dead_rpc_is_one_redacted_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    code, out, err = run(capsys, "index", "--rpc", "http://127.0.0.1:1/v2/SECRETKEY?apikey=SECRET2", "--db", str(db))
    assert code == 1, err
    assert_one_line_error(err)
    assert "http://127.0.0.1:1/…" in err and "SECRET" not in err + out
    assert not db.exists()


class _HtmlHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b"<html><body>Welcome to nginx!</body></html>"
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def html_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/rpc/SECRETKEY"
    finally:
        server.shutdown()
        server.server_close()


def test_server_that_is_not_json_rpc(capsys: pytest.CaptureFixture[str], tmp_path: Path, html_server: str) -> None:
    code, _, err = run(capsys, "index", "--rpc", html_server, "--db", str(tmp_path / "a.duckdb"))
    assert code == 1
    assert_one_line_error(err)
    assert "not JSON-RPC" in err and "SECRETKEY" not in err


def test_sql_is_read_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    with open_db(db, create=True) as con:
        con.execute("INSERT INTO meta VALUES ('k', 'v')")
    for statement in ["DELETE FROM meta", "DROP TABLE meta", "CREATE TABLE x (a INT)"]:
        code, _, err = run(capsys, "sql", statement, "--db", str(db))
        assert code == 1
        assert_one_line_error(err)
    code, out, _ = run(capsys, "sql", "SELECT key, value FROM meta", "--db", str(db), "--format", "csv")
    assert code == 0 and out == "key,value\nk,v\n"
    code, out, _ = run(capsys, "sql", "SELECT 1 AS one", "--db", str(db), "--format", "json")
    assert code == 0 and '"one": 1' in out
    code, _, err = run(capsys, "sql", "SELEC nonsense", "--db", str(db))
    assert code == 1
    assert_one_line_error(err)


def test_sql_and_status_on_missing_or_foreign_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "status", "--db", str(tmp_path / "absent.duckdb"))
    assert code == 1
    assert_one_line_error(err)
    assert not (tmp_path / "absent.duckdb").exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database " * 300)
    code, _, err = run(capsys, "sql", "SELECT 1", "--db", str(text))
    assert code == 1
    assert_one_line_error(err)


def test_marketplaces_lists_supported_and_non_evm(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "marketplaces")
    assert code == 0
    for name in ["livepeer", "iexec", "spheron", "morpheus", "io.net", "Nosana", "Akash"]:
        assert name in out
    assert "0xa8bb618b1520e284046f3dfc448851a1ff26e41b" in out


def test_status_of_a_fresh_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    with open_db(db, create=True):
        pass
    code, out, _ = run(capsys, "status", "--db", str(db))
    assert code == 0 and "Chains" in out and "Row counts" in out


def test_debug_shows_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--debug", "status", "--db", str(tmp_path / "absent.duckdb"))
    assert code == 1
    assert "Traceback" in err and err.strip().splitlines()[-1].startswith("error: ")


@pytest.mark.parametrize("week", ["2026-W54", "2026-13", "last-week", "2025-W00"])
def test_report_bad_week(capsys: pytest.CaptureFixture[str], tmp_path: Path, week: str) -> None:
    db = tmp_path / "a.duckdb"
    with open_db(db, create=True):
        pass
    code, _, err = run(capsys, "report", "--db", str(db), "--week", week, "--out", str(tmp_path / "out"))
    assert code == 1
    assert_one_line_error(err)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_report_max_age_alerts_after_writing(capsys: pytest.CaptureFixture[str], analysed_db: Path,
                                             tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code, stdout, err = run(capsys, "report", "--db", str(analysed_db), "--week", "last", "--out", str(out),
                            "--max-age", "1")
    assert code == 1 and "stale data" in err
    assert_one_line_error(err)
    assert (out / "2026-W46" / "report.html").exists() and stdout.strip().endswith("report.html")
    code, _, err = run(capsys, "report", "--db", str(analysed_db), "--week", "2026-W46", "--out", str(out),
                       "--max-age", "100000000")
    assert code == 0, err


def test_version_and_short_help(capsys: pytest.CaptureFixture[str]) -> None:
    from auditor import __version__

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"auditor {__version__}"
    for args in (("-h",), ("index", "-h"), ("sql", "-h")):
        code, out, _ = run(capsys, *args)
        assert code == 0 and out.startswith("Usage: auditor"), args


@pytest.fixture
def tiny_db(tmp_path: Path) -> Path:
    from auditor.analyze import run_analysis

    db = tmp_path / "tiny.duckdb"
    with open_db(db, create=True) as con:
        run_analysis(con)
    return db


def test_sql_tells_the_truth(capsys: pytest.CaptureFixture[str], tiny_db: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(capsys, "sql", "--db", str(tiny_db), "SELECT NULL AS a, '' AS b")
    assert code == 0 and "NULL" in out.splitlines()[3]            # NULL visible, the empty string empty
    code, out, err = run(capsys, "sql", "--db", str(tiny_db), "--limit", "3", "SELECT * FROM range(5)")
    assert code == 0 and out.count("│") == 3 * 2 and "only the first 3 rows are shown" in err
    code, out, err = run(capsys, "sql", "--db", str(tiny_db), "SELECT * FROM range(5000)")
    assert code == 0 and out.count("│") == 1000 * 2   # the table view shows a screenful by default
    assert "only the first 1,000 rows are shown" in err and "--format csv" in err
    code, out, err = run(capsys, "sql", "--db", str(tiny_db), "--limit", "5", "SELECT * FROM range(5)")
    assert code == 0 and "only the first" not in err
    big = tmp_path / "big.sql"
    big.write_text("SELECT length('" + "x" * 200_000 + "') AS n")   # 200 KB: beyond one argument's 128 KB
    code, out, _ = run(capsys, "sql", "--db", str(tiny_db), "-f", str(big), "--format", "csv")
    assert code == 0 and out == "n\n200000\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT 7 AS x"))
    code, out, _ = run(capsys, "sql", "--db", str(tiny_db), "-", "--format", "csv")
    assert code == 0 and out == "x\n7\n"
    code, _, err = run(capsys, "sql", "--db", str(tiny_db), "SELECT 1", "-f", str(big))
    assert code == 1
    assert_one_line_error(err)


def test_sql_streams_csv_and_json_beyond_the_table_views_cap(capsys: pytest.CaptureFixture[str],
                                                              tiny_db: Path) -> None:
    """csv and json are written batch by batch with no row cap by default (the table view stops at 1,000,000);
    json has exactly the shape of one orjson document; --limit still cuts and says so."""
    code, out, err = run(capsys, "sql", "--db", str(tiny_db), "--format", "csv",
                         "SELECT range AS n FROM range(1200000)")
    lines = out.splitlines()
    assert code == 0 and err == "" and len(lines) == 1_200_001 and lines[1] == "0" and lines[-1] == "1199999"
    query = ("SELECT * FROM (VALUES (1, NULL, 'a\nb', 1.5::DECIMAL(10, 2)), (2, 'x', '', NULL)) t(i, s, t, d) "
             "ORDER BY i")
    code, out, _ = run(capsys, "sql", "--db", str(tiny_db), "--format", "json", query)
    assert code == 0 and orjson.loads(out) == [{"i": 1, "s": None, "t": "a\nb", "d": 1.5},
                                               {"i": 2, "s": "x", "t": "", "d": None}]
    assert out.startswith("[\n  {\n    \"i\": 1,") and out.endswith("\n  }\n]\n")
    code, out, _ = run(capsys, "sql", "--db", str(tiny_db), "--format", "json", "SELECT 1 AS a WHERE false")
    assert code == 0 and out == "[]\n"
    code, out, err = run(capsys, "sql", "--db", str(tiny_db), "--format", "csv", "--limit", "25000",
                         "SELECT * FROM range(30000)")
    assert code == 0 and len(out.splitlines()) == 25_001 and "only the first 25,000 rows are shown" in err


def test_sql_into_a_closed_pipe_stops_quietly(tiny_db: Path) -> None:
    """`auditor sql ... | head -1`: the reader leaves after one line; no traceback, no error line (the rows are
    streamed, so the writer meets the closed pipe long before the 5,000,000th row)."""
    command = f"{sys.executable} -m auditor sql --db {tiny_db} --format csv 'SELECT * FROM range(5000000)' | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.stdout == "range\n" and result.stderr == ""
    assert result.returncode == 1   # click's answer to EPIPE: exit 1, stdout and stderr pacified
