"""`auditor prices import` and the analysis options that turn payments into H100e-hours."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.analyze import default_h100_hour_price, parse_h100_hour_price
from auditor.cli import main
from auditor.errors import InputError
from auditor.marketplaces.iexec.tasks import task_id
from auditor.store.db import open_db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def imported(db: Path) -> list[tuple[object, ...]]:
    with open_db(db, read_only=True) as con:
        return con.execute("SELECT asset, strftime(time, '%Y-%m-%dT%H:%M:%S'), usd, source FROM price_imports "
                           "ORDER BY asset, time").fetchall()


def new_db(path: Path) -> Path:
    with open_db(path, create=True):
        return path


def test_import_loads_rows_and_replaces_on_reimport(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db, csv = new_db(tmp_path / "a.duckdb"), tmp_path / "p.csv"
    csv.write_text("asset,time,usd\nrlc,2026-08-03,1.5\n GLM ,2026-08-03T12:00:00Z,0.30\n")
    code, _, err = run(capsys, "prices", "import", str(csv), "--db", str(db))
    assert code == 0 and "imported 2 prices" in err
    assert imported(db) == [("GLM", "2026-08-03T12:00:00", 0.3, "p.csv"), ("RLC", "2026-08-03T00:00:00", 1.5, "p.csv")]
    csv.write_text("asset,time,usd\nRLC,2026-08-03T00:00:00Z,1.6\n")
    assert run(capsys, "prices", "import", str(csv), "--db", str(db))[0] == 0
    assert ("RLC", "2026-08-03T00:00:00", 1.6, "p.csv") in imported(db)
    assert len(imported(db)) == 2


@pytest.mark.parametrize(("content", "message"), [
    ("asset,time,usd\nRLC,2026-08-03,1.5\nRLC,tomorrow,1.6\n", "line 3"),
    ("asset,time,usd\nRLC,2026-08-03,-1\n", "positive USD price"),
    ("asset,time,usd\n,2026-08-03,1\n", "line 2"),
    ("asset,when,usd\nRLC,2026-08-03,1\n", "lacks column(s) time"),
    ("asset,time,usd\nRLC,2026-08-03,1\nrlc,2026-08-03T00:00:00Z,2\n", "more than once"),
])
def test_bad_file_is_a_one_line_error_and_changes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          content: str, message: str) -> None:
    db, good, bad = new_db(tmp_path / "a.duckdb"), tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("asset,time,usd\nMOR,2026-08-03,20\n")
    assert run(capsys, "prices", "import", str(good), "--db", str(db))[0] == 0
    bad.write_text(content)
    code, _, err = run(capsys, "prices", "import", str(bad), "--db", str(db))
    assert code == 1
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1 and message in err
    assert imported(db) == [("MOR", "2026-08-03T00:00:00", 20.0, "good.csv")]


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "prices", "import", str(tmp_path / "none.csv"), "--db", str(tmp_path / "a.duckdb"))
    assert code == 1 and "does not exist" in err


def test_h100_hour_price_option() -> None:
    price = parse_h100_hour_price("1.5,2,3.25")
    assert (price.low, price.central, price.high) == (1.5, 2.0, 3.25)
    for bad in ("2", "1,2", "3,2,1", "0,1,2", "a,b,c", "1,2,inf"):
        with pytest.raises(InputError):
            parse_h100_hour_price(bad)
    shipped = default_h100_hour_price()
    assert 0 < shipped.low < shipped.central < shipped.high
    assert "RunPod" in shipped.source


def test_analyze_rejects_a_bad_price_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "analyze", "--db", str(tmp_path / "a.duckdb"), "--h100-hour-usd", "3,2,1")
    assert code == 1 and err.startswith("error: --h100-hour-usd")


def test_iexec_task_id_matches_the_protocol() -> None:
    # keccak256(abi.encodePacked(bytes32(0), uint256(0))): the hash of 64 zero bytes.
    assert task_id("0x" + "00" * 32, 0) == "0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5"
    assert task_id("0x1234", 0) is None
    assert task_id(None, 1) is None


def test_prices_command_has_help_and_is_in_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "prices", "import", "--help")
    assert code == 0 and "Usage: auditor prices import" in out and "asset,time,usd" in out
    code, out, _ = run(capsys, "prices", "--help")
    assert code == 0 and "import" in out
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "auditor prices import" in readme and "--h100-hour-usd" in readme
