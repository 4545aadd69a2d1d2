"""`auditor export`: the analysis tables as files for the analyst's own tools (pandas, polars, Spark, R, DuckDB).

Parquet is hive-partitioned where a table has a natural partition (rentals by marketplace and ISO week, the
weekly entity figures by marketplace), so a reader can prune; `schema.json` lists every table's columns and
DuckDB types. The export is written into a temporary directory beside OUT and renamed into place at the end:
an interrupted export leaves no half-written OUT.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from auditor.errors import InputError
from auditor.sqlfile import database_error


@dataclass(frozen=True)
class Exported:
    name: str
    rows: int
    partitions: tuple[str, ...]


# table -> (the SELECT exported, hive partition columns)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "rentals": ("SELECT *, strftime(block_time AT TIME ZONE 'UTC', '%G-W%V') AS week FROM rentals",
                ("marketplace", "week")),
    "rental_flags": ("SELECT * FROM rental_flags", ()),
    "entity_weekly": ("SELECT * FROM entity_weekly", ("marketplace",)),
    "address_clusters": ("SELECT * FROM address_clusters", ()),
    "address_entities": ("SELECT * FROM address_entities", ()),
    "address_funding": ("SELECT * FROM address_funding", ()),
    "cluster_evidence": ("SELECT * FROM cluster_evidence", ()),
    "marketplace_facts": ("SELECT * FROM marketplace_facts", ()),
    "gpu_specs": ("SELECT * FROM gpu_specs", ()),
    "analysis_runs": ("SELECT * FROM analysis_runs", ()),
}
FORMATS = ("parquet", "csv")


def _literal(path: Path) -> str:
    """A path as a SQL string literal (COPY takes no parameter for its target)."""
    return "'" + str(path).replace("'", "''") + "'"


def export_tables(con: duckdb.DuckDBPyConnection, out: Path, fmt: str = "parquet") -> list[Exported]:
    """Writes every analysis table under OUT (a new or empty directory) with schema.json; the database is only
    read."""
    if fmt not in FORMATS:
        raise InputError(f"--format must be {' or '.join(FORMATS)}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out} exists and is not an empty directory: export into a new one")
    if not out.parent.is_dir():
        raise InputError(f"cannot export to {out}: directory {out.parent} does not exist")
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    missing = [t for t in TABLES if t not in present]
    if missing:
        raise InputError(f"database has no analysis tables {', '.join(missing)}: run `auditor analyze` first")
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        done, schema = [], {}
        for name, (select, partitions) in TABLES.items():
            done.append(_copy(con, name, select, partitions, work, fmt))
            schema[name] = {"columns": [{"name": c, "type": t} for c, t in _columns(con, select)],
                            "partitioned_by": list(partitions), "rows": done[-1].rows,
                            "path": f"{name}/" if partitions else f"{name}.{fmt}"}
        (work / "schema.json").write_text(json.dumps({"format": fmt, "tables": schema}, indent=1) + "\n")
        if out.exists():
            out.rmdir()
        work.rename(out)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return done


def _columns(con: duckdb.DuckDBPyConnection, select: str) -> list[tuple[str, str]]:
    return [(str(r[0]), str(r[1])) for r in con.execute(f"DESCRIBE {select}").fetchall()]


def _copy(con: duckdb.DuckDBPyConnection, name: str, select: str, partitions: tuple[str, ...], work: Path,
          fmt: str) -> Exported:
    options = [f"FORMAT {fmt}"] + (["HEADER true"] if fmt == "csv" else [])
    target = work / name if partitions else work / f"{name}.{fmt}"
    if partitions:
        options.append(f"PARTITION_BY ({', '.join(partitions)})")
    try:
        rows = con.execute(f"COPY ({select}) TO {_literal(target)} ({', '.join(options)})").fetchone()  # rows written
        if partitions:
            target.mkdir(exist_ok=True)   # an empty table writes no partition: readers still find the table
    except duckdb.Error as exc:
        raise database_error(exc, f"export of {name} failed") from exc
    return Exported(name, int(rows[0]) if rows else 0, partitions)
