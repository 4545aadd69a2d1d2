"""The report's files: deterministic, self-contained, read-only, and clear errors on unusable databases."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from auditor.errors import StoreError
from auditor.report import write_weekly_report
from auditor.report.dataset import DERIVED_TABLES, TABLE_QUERIES
from auditor.report.queries import NO_ANALYSIS, SQL_DIR

from .conftest import REPORT_WEEK, create_tables

EXTERNAL_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
EXPECTED_FILES = {
    "report.md", "report.html", "h100e_hours_by_week.svg", "rentals_by_week.svg",
    *(f"{name}.csv" for name in (*TABLE_QUERIES, *DERIVED_TABLES)),
}


def contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_writes_every_file(report_dir: Path) -> None:
    assert report_dir.name == REPORT_WEEK
    assert set(contents(report_dir)) == EXPECTED_FILES


def test_same_database_gives_byte_identical_files(report_dir: Path, db_path: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(db_path), read_only=True)
    con.execute("SET TimeZone = 'America/New_York'")  # the report must not depend on the session zone
    again = write_weekly_report(con, REPORT_WEEK, tmp_path)
    con.close()
    assert contents(again) == contents(report_dir)


def test_rerun_overwrites_in_place(ro_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    first = contents(write_weekly_report(ro_con, REPORT_WEEK, tmp_path))
    (tmp_path / REPORT_WEEK / "report.md").write_text("stale", encoding="utf-8")
    second = contents(write_weekly_report(ro_con, REPORT_WEEK, tmp_path))
    assert second == first  # the stale file is replaced and no temporary files are left behind


def test_html_is_self_contained(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3   # two charts and the first screen's sparkline
    assert '<meta name="viewport"' in html and "<style>" in html
    assert not EXTERNAL_REFERENCE.search(html)
    assert "<script" not in html.lower() and "@import" not in html and "url(http" not in html
    assert "<code>https://www.nvidia.com/h100/</code>" in html  # a cited source is text, never a link
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "the two inline charts must not share element ids"


def test_markdown_links_only_its_own_charts(report_dir: Path) -> None:
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert re.findall(r"\]\(([^)]+)\)", md) == ["h100e_hours_by_week.svg", "rentals_by_week.svg"]
    assert "<http" not in md


def test_read_only_connection_is_enough(db_path: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(db_path), read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE probe (x INTEGER)")  # proves the connection really is read-only
    assert (write_weekly_report(con, REPORT_WEEK, tmp_path) / "report.md").is_file()
    con.close()


def test_database_without_analysis_is_a_store_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "bare.duckdb"))
    with pytest.raises(StoreError) as raised:
        write_weekly_report(con, REPORT_WEEK, tmp_path / "out")
    assert str(raised.value) == NO_ANALYSIS == "database has no analysis yet: run `auditor analyze --db PATH` first"
    assert not (tmp_path / "out").exists()


def test_one_missing_analysis_table_is_a_store_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "partial.duckdb"))
    create_tables(con)
    con.execute("DROP TABLE cluster_evidence")
    with pytest.raises(StoreError, match="no analysis yet"):
        write_weekly_report(con, REPORT_WEEK, tmp_path / "out")


def test_every_sql_file_is_run_by_the_report() -> None:
    used = {*TABLE_QUERIES, "tables", "marketplace_coverage", "freshness"}  # analysis check, coverage, ensure_fresh
    assert {p.stem for p in SQL_DIR.glob("*.sql")} == used
