"""Golden files: the devnet economy's last week must give exactly the Markdown and CSVs in golden/.

The devnet is seeded, so its database, and hence the report, is the same on every machine. After an
intended change to the report, the economy or the analysis, regenerate the files and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/report/test_report_golden.py

HTML and SVG are left out of the golden files: matplotlib's SVG output may change between its versions.
They are covered by the byte-identical re-run test below instead.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from auditor.report import write_weekly_report

from .conftest import DEVNET_WEEK

GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / DEVNET_WEEK
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
DIFF_LINES = 40


def golden_names(directory: Path) -> list[str]:
    """The files under golden comparison: report.md and every CSV."""
    return sorted(p.name for p in directory.iterdir() if p.name == "report.md" or p.suffix == ".csv")


def contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def first_difference(name: str, expected: bytes, actual: bytes) -> str:
    diff = difflib.unified_diff(
        expected.decode("utf-8").splitlines(), actual.decode("utf-8").splitlines(),
        f"golden/{DEVNET_WEEK}/{name}", f"new {name}", lineterm="",
    )
    return "\n".join(list(diff)[:DIFF_LINES])


def test_devnet_report_matches_golden_files(devnet_report: Path) -> None:
    names = golden_names(devnet_report)
    if UPDATE:
        if GOLDEN_DIR.exists():
            shutil.rmtree(GOLDEN_DIR)
        GOLDEN_DIR.mkdir(parents=True)
        for name in names:
            shutil.copyfile(devnet_report / name, GOLDEN_DIR / name)
        pytest.skip(f"UPDATE_GOLDEN=1: rewrote {len(names)} golden files in {GOLDEN_DIR}; review the diff")
    assert GOLDEN_DIR.is_dir(), f"no golden files: run UPDATE_GOLDEN=1 pytest {Path(__file__).name} once"
    assert names == golden_names(GOLDEN_DIR), "the report's set of files differs from the golden set"
    for name in names:
        expected, actual = (GOLDEN_DIR / name).read_bytes(), (devnet_report / name).read_bytes()
        assert actual == expected, f"{name} differs from its golden file:\n" + first_difference(name, expected, actual)


def test_devnet_report_is_byte_identical_on_rerun(devnet_report: Path, analysed_db: Path, tmp_path: Path) -> None:
    # Another session time zone and thread count: neither may change a byte (parallel sums, local times).
    con = duckdb.connect(str(analysed_db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Pacific/Auckland'")
        con.execute("SET threads = 1")
        again = write_weekly_report(con, DEVNET_WEEK, tmp_path)
    finally:
        con.close()
    first, second = contents(devnet_report), contents(again)
    assert set(first) == set(second)
    assert {"report.md", "report.html", "h100e_hours_by_week.svg", "rentals_by_week.svg"} <= set(first)
    assert [name for name in first if first[name] != second[name]] == []
