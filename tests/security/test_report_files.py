"""Issue 15 item 6: the report's temporary files cannot be turned against another file. A link planted where
the old code put its temporary (`.report.md.tmp`) or at a report file itself must leave its target untouched."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb

from auditor.report import write_weekly_report
from auditor.report.render import REPORT_FILE_MODE
from tests.report.conftest import REPORT_WEEK, build_database


def test_a_planted_temp_symlink_does_not_overwrite_its_target(tmp_path: Path) -> None:
    db_path = build_database(tmp_path / "auditor.duckdb")
    out = tmp_path / "out"
    week_dir = out / REPORT_WEEK
    week_dir.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    for name in ("report.md", "report.html", "headline.csv", "rentals_by_week.svg"):
        (week_dir / f".{name}.tmp").symlink_to(victim)
    (week_dir / "rentals.csv").symlink_to(victim)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        write_weekly_report(con, REPORT_WEEK, out)
    finally:
        con.close()
    assert victim.read_text() == "precious\n"
    report = week_dir / "report.md"
    assert report.read_text(encoding="utf-8").startswith("# ")
    assert not (week_dir / "rentals.csv").is_symlink() and "chain_id" in (week_dir / "rentals.csv").read_text()
    assert stat.S_IMODE(report.stat().st_mode) == REPORT_FILE_MODE   # as a plain file would get, not 0600
    leftovers = [p.name for p in week_dir.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()]
    assert leftovers == []
