"""Turns ReportData into files: report.md and report.html from jinja2 templates, charts, one CSV per table.

Files are written whole and renamed into place, so a re-run overwrites cleanly and a crash never leaves
half a report.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from auditor.report import formatting, markup
from auditor.report.dataset import ADDRESSES_PER_ENTITY, ReportData
from auditor.resources import package_data
from auditor.sqlfile import Table

if TYPE_CHECKING:
    from auditor.report.charts import Chart

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
MARKDOWN_TEMPLATE = "report.md.j2"
HTML_TEMPLATE = "report.html.j2"


def _file_mode() -> int:
    """The mode a plainly created file gets (0666 less the umask): mkstemp's 0600 would hide a report from the
    web server that publishes it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


REPORT_FILE_MODE = _file_mode()   # read once, at import: os.umask can only be read by setting it


@cache
def environment() -> jinja2.Environment:
    """One environment per process, so templates compile once."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        quality=clustering_quality(),
        families=clustering_families(),
        fmt=lambda row, column: formatting.display(row[column], column),
        md=lambda row, column: formatting.md_cell(row[column], column),
        markdown_table=markup.markdown_table,
        html_table=markup.html_table,
    )
    return env


def clustering_quality() -> dict[str, dict[str, str]]:
    """The clustering's measured quality on the devnet economy, by mode (package data clustering_quality.csv,
    which a test keeps equal to a fresh measurement)."""
    with package_data("clustering_quality.csv").open(newline="") as fh:
        return {row["mode"]: row for row in csv.DictReader(fh)}


def clustering_families() -> dict[str, object]:
    """The clustering's minimum quality over the economy families x seeds, by mode (package data
    clustering_families.csv, written by `bench/cluster_quality.py --publish`), with how it was measured."""
    with package_data("clustering_families.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, object] = {row["mode"].replace("/", "_"): row for row in rows}
    first = rows[0]
    out.update(economies=first["economies"], families=first["families"], seeds=first["seeds"],
               measured=first["measured"])
    return out


def render_report(data: ReportData, template: str, charts: Sequence[Chart]) -> str:
    """Renders report.md.j2 or report.html.j2; `fmt(row, column)` in templates formats one value."""
    return environment().get_template(template).render(
        week=data.week,
        previous=data.previous,
        h=data.headline,
        g=data.glance,
        check=data.analysis_check,
        series=data.series,
        t=data.tables,
        charts=charts,
        csv_files=sorted(f"{name}.csv" for name in data.tables),
        addresses_per_entity=ADDRESSES_PER_ENTITY,
    )


def table_csv(table: Table) -> str:
    """CSV with RFC 4180 quoting, a header row and "\\n" line ends; values as formatting.csv_cell writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([formatting.csv_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue()


def write_text(path: Path, text: str) -> None:
    """Writes via a temporary sibling and an atomic rename. The sibling has a random name and is created
    exclusively (mkstemp: O_CREAT | O_EXCL, never through a symlink), so whoever can write the report directory
    cannot plant a link that makes the report overwrite another file; a link planted at `path` itself is
    replaced, not followed."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(temporary, REPORT_FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
