"""Issue 15 item 5 (Markdown, HTML and CSV) and the report side of item 2: strings written by strangers (a GPU
string posted on-chain, a service address's reason) reach report.md inert, every table row keeps its cells, the
CSVs carry no raw control character, and an implausible rental is listed in the data-quality section."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from auditor.report import write_weekly_report
from tests.report.conftest import ARB, EXCHANGE, PROVIDER, REPORT_WEEK, block_at, build_database

HOSTILE = ("h100\r# Pwned heading\r\n[click here](http://x.test/phish) ![](http://x.test/pixel.gif) "
           "\x1b]0;title\x07\x1b[2J\x1b]52;c;b3duZWQ=\x07 \u202egnp.exe\u202c | `tick` <img src=x>\x85next")
LONG = "rtx" + "9" * 5000
BUYER = "0x" + "ab" * 20
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def add_hostile_rentals(db: Path) -> None:
    con = duckdb.connect(str(db))
    try:
        for n, raw in ((901, HOSTILE), (902, LONG)):
            when = dt.datetime(2026, 2, 12, 14, tzinfo=dt.UTC) + dt.timedelta(minutes=n)
            tx = f"0x{n:064x}"
            con.execute("INSERT INTO rentals (chain_id, marketplace, block_number, block_time, tx_hash, log_index, "
                        "buyer, provider, gpu_model_raw, gpu_count, kyc, quality_flag) "
                        "VALUES ($c, 'morpheus', $b, $t, $tx, 0, $buyer, $p, $raw, 2000000000, 'none', 'gpu_count')",
                        {"c": ARB, "b": block_at(ARB, when), "t": when, "tx": tx, "buyer": BUYER, "p": PROVIDER,
                         "raw": raw})
            con.execute("INSERT INTO rental_flags VALUES ($c, 'morpheus', $b, $t, $tx, 0, 'gpu_count', 2e9, 4096, "
                        "1.2e10, NULL)", {"c": ARB, "b": block_at(ARB, when), "t": when, "tx": tx})
        con.execute("UPDATE service_addresses SET reason = $r WHERE address = $a", {"r": HOSTILE, "a": EXCHANGE})
    finally:
        con.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = build_database(tmp_path_factory.mktemp("db") / "auditor.duckdb")
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE rentals ADD COLUMN quality_flag VARCHAR")
    con.close()
    add_hostile_rentals(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return write_weekly_report(con, REPORT_WEEK, tmp_path_factory.mktemp("report"))
    finally:
        con.close()


def outside_code(line: str) -> str:
    return re.sub(r"`[^`]*`", "", line)


def test_report_md_has_no_live_markup_from_strangers(report: Path) -> None:
    md = (report / "report.md").read_text(encoding="utf-8")
    lines = md.split("\n")
    assert "\r" not in md and not CONTROLS.search(md)
    assert [line for line in lines if line.lstrip().startswith("#") and "Pwned" in line] == []
    assert [line for line in lines if re.search(r"(?<!\\)\]\(", outside_code(line)) and "x.test" in line] == []
    assert "<img" not in md
    table: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:   # every row of a table has as many cells as its header
            widths = {len(re.split(r"(?<!\\)\|", row)) for row in table}
            assert len(widths) == 1, table
            table = []
    assert "h100\\x0d# Pwned heading" in md   # shown, as an escape, not acted on


def test_long_strings_are_shortened_in_the_report_and_whole_in_the_csv(report: Path) -> None:
    md = (report / "report.md").read_text(encoding="utf-8")
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "9" * 200 not in md and "9" * 200 not in html
    with (report / "unknown_gpu.csv").open(newline="", encoding="utf-8") as fh:
        assert LONG in [row["gpu_model_raw"] for row in csv.DictReader(fh)]


def test_report_html_escapes_controls_too(report: Path) -> None:
    html = (report / "report.html").read_text(encoding="utf-8")
    assert not CONTROLS.search(html) and "\r" not in html and "<img src=x>" not in html


def test_csv_cells_carry_no_raw_control(report: Path) -> None:
    found = {}
    for path in sorted(report.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        if CONTROLS.search(text) or "\r" in text:
            found[path.name] = CONTROLS.findall(text)[:3]
    assert found == {}
    with (report / "implausible_rentals.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["gpu_model_raw"].startswith("h100\\x0d# Pwned") for r in rows] == [True, False]


def test_implausible_rentals_are_listed_in_the_data_quality_section(report: Path) -> None:
    md = (report / "report.md").read_text(encoding="utf-8")
    section = md.split("### Implausible rentals", 1)[1].split("###", 1)[0]
    rows = [line for line in section.split("\n") if line.startswith("| `morpheus`") or line.startswith("| morph")]
    assert len(rows) == 2 and all("gpu\\_count" in r or "`gpu_count`" in r for r in rows)
    assert all("12,000,000,000.0" in r for r in rows)
