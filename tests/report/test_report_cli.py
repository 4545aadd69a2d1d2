"""`auditor report` on the indexed devnet: which week 'last' is, and exit codes for weeks without data."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.cli import main

from .conftest import DEVNET_WEEK


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.mark.parametrize("week", ["2020-W01", "2026-W47"])  # long before the devnet; after its safe block
def test_week_without_indexed_data_exits_1_and_leaves_files_alone(
    capsys: pytest.CaptureFixture[str], analysed_db: Path, tmp_path: Path, week: str
) -> None:
    earlier = tmp_path / "out" / week / "report.md"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("an earlier report", encoding="utf-8")
    code, out, err = run(capsys, "report", "--db", str(analysed_db), "--week", week, "--out", str(tmp_path / "out"))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: no indexed marketplace data covers {week} "), err
    assert "Arbitrum One has data from 2026-08-03T07:27:04Z to 2026-11-16T00:00:00Z" in lines[0]
    assert [p.name for p in (tmp_path / "out").rglob("*")] == [week, "report.md"]
    assert earlier.read_text(encoding="utf-8") == "an earlier report"


def test_week_without_data_creates_no_output_directory(
    capsys: pytest.CaptureFixture[str], analysed_db: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "report", "--db", str(analysed_db), "--week", "2020-W01", "--out",
                       str(tmp_path / "new"))
    assert code == 1 and err.startswith("error: ")
    assert not (tmp_path / "new").exists()


def test_last_after_indexing_to_monday_is_the_week_that_ended(
    capsys: pytest.CaptureFixture[str], analysed_db: Path, tmp_path: Path
) -> None:
    # The devnet is indexed to Monday 2026-11-16 00:00: 2026-W46 is complete, W47 has not started.
    code, out, err = run(capsys, "report", "--db", str(analysed_db), "--week", "last", "--out", str(tmp_path))
    assert code == 0, err
    assert out.strip() == str(tmp_path / DEVNET_WEEK / "report.html")
    assert "Incomplete week" not in (tmp_path / DEVNET_WEEK / "report.md").read_text(encoding="utf-8")


def test_first_week_of_the_data_is_reported_with_its_missing_share(
    capsys: pytest.CaptureFixture[str], analysed_db: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "report", "--db", str(analysed_db), "--week", "2026-W32", "--out", str(tmp_path))
    assert code == 0, err
    md = (tmp_path / "2026-W32" / "report.md").read_text(encoding="utf-8")
    banner = next(line for line in md.splitlines() if line.startswith("> **Incomplete week:**"))
    assert "data covers Mon 07:27 to Sun 24:00 UTC (95.6% of the week) on Arbitrum One" in banner
