"""`auditor export`: the analysis tables read back by another reader (pyarrow's dataset API, hive partitions)
equal the database, and the export never leaves a half-written directory or touches the database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from auditor.errors import InputError
from auditor.export import TABLES, export_tables


def test_parquet_export_reads_back_equal(analysed_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    before = analysed_db.stat().st_mtime_ns
    done = subprocess.run([sys.executable, "-m", "auditor", "export", "--db", str(analysed_db), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert analysed_db.stat().st_mtime_ns == before
    schema = json.loads((out / "schema.json").read_text())
    assert set(schema["tables"]) == set(TABLES) and schema["format"] == "parquet"
    with duckdb.connect(str(analysed_db), read_only=True) as con:
        want = con.execute("SELECT marketplace, count(*), sum(h100e_hours) FROM rentals GROUP BY ALL "
                           "ORDER BY ALL").fetchall()
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index]
    rentals = ds.dataset(out / "rentals", format="parquet", partitioning="hive").to_table()
    assert rentals.num_rows == counts["rentals"] == schema["tables"]["rentals"]["rows"]
    got: dict[str, list[float]] = {}
    for m, h in zip(rentals["marketplace"].to_pylist(), rentals["h100e_hours"].to_pylist(), strict=True):
        got.setdefault(str(m), []).append(h or 0.0)
    assert sorted((m, len(v)) for m, v in got.items()) == [(m, n) for m, n, _ in want]
    for m, _, total in want:
        assert sum(got[m]) == pytest.approx(float(total or 0.0))
    weeks = {p.name for p in (out / "rentals").glob("marketplace=*/week=*")}
    assert weeks and all(w.startswith("week=2026-W") for w in weeks)
    assert {c["name"] for c in schema["tables"]["rentals"]["columns"]} >= {"buyer", "h100e_hours", "week"}
    for name, count in counts.items():
        assert schema["tables"][name]["rows"] == count, name


def test_csv_export_and_refusals(analysed_db: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(analysed_db), read_only=True) as con:
        export_tables(con, tmp_path / "csv", "csv")
        assert (tmp_path / "csv" / "gpu_specs.csv").read_text().startswith(
            ",".join(c[0] for c in con.execute("DESCRIBE gpu_specs").fetchall()))
        with pytest.raises(InputError, match="not an empty directory"):
            export_tables(con, tmp_path / "csv")
        with pytest.raises(InputError, match="--format"):
            export_tables(con, tmp_path / "x", "xlsx")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
