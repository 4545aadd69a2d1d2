"""The report's numbers against values computed by hand from the dataset in conftest.py."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from auditor.report import write_weekly_report
from auditor.report.dataset import ADDRESSES_PER_ENTITY, DERIVED_TABLES, TABLE_QUERIES, collect
from auditor.report.formatting import csv_cell
from auditor.report.weeks import parse_week

from .conftest import (
    A1,
    A2,
    AF,
    B1,
    BASE,
    BF,
    C1,
    E1,
    EXCHANGE,
    EXCHANGE_REASON,
    HIGH,
    LOW,
    REPORT_WEEK,
    addr,
    block_at,
    publish,
)

SECTIONS = [
    "## 1. Headline",
    "## 2. Breakdown",
    "## 3. Top entities",
    "## 4. New entities",
    "## 5. Where the money came from",
    "## 6. Trailing 12 weeks",
    "## 7. Data coverage and freshness",
    "## 8. Methodology",
]


def read_csv(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def column(rows: list[dict[str, str]], name: str) -> list[str]:
    return [r[name] for r in rows]


def test_headline_numbers(report_dir: Path) -> None:
    (h,) = read_csv(report_dir, "headline")
    assert h["week"] == "2026-W07"
    assert (h["week_start"], h["week_end"], h["previous_week"]) == ("2026-02-09", "2026-02-15", "2026-W06")
    assert h["data_as_of"] == "2026-02-15T23:59:59Z"
    assert h["week_complete"] == "true"
    assert float(h["h100e_hours_no_kyc"]) == 220.0
    assert (h["rentals"], h["buyers"], h["entities"]) == ("8", "5", "4")
    assert float(h["prev_h100e_hours_no_kyc"]) == 160.0
    assert (h["prev_rentals"], h["prev_buyers"], h["prev_entities"]) == ("3", "3", "3")
    assert float(h["change_h100e_hours_no_kyc"]) == 60.0
    assert float(h["change_pct_h100e_hours_no_kyc"]) == 37.5
    assert h["change_rentals"] == "5"
    assert h["rentals_without_estimate"] == "2"
    assert float(h["pct_rentals_without_estimate"]) == 25.0
    assert float(h["payment_usd"]) == 795.0
    assert (h["rentals_without_usd"], h["open_leases"], h["rentals_unknown_gpu"]) == ("1", "1", "1")


def test_headline_prose(report_dir: Path) -> None:
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "**220.0 H100e-hours** were rented without KYC in 2026-W07: 8 rentals by 5 buyer addresses" in md
    assert "+60.0 H100e-hours (+37.5%) compared with 2026-W06" in md
    assert "| H100e-hours without KYC | 220.0 | 160.0 | +60.0 | +37.5% |" in md
    assert "Without an H100e estimate: 2 of 8 rentals (25.0%)" in md


def test_rentals_without_estimate_by_marketplace(report_dir: Path) -> None:
    rows = read_csv(report_dir, "missing_estimates")
    assert [(r["marketplace"], r["rentals_without_estimate"], r["unknown_gpu"], r["open_leases"]) for r in rows] == [
        ("livepeer", "1", "0", "1"),
        ("morpheus", "1", "1", "0"),
    ]


def test_breakdowns(report_dir: Path) -> None:
    market = read_csv(report_dir, "by_marketplace")
    assert [(r["marketplace"], r["rentals"], r["buyers"], float(r["h100e_hours"])) for r in market] == [
        ("livepeer", "3", "3", 90.0),
        ("morpheus", "3", "2", 80.0),
        ("iexec", "2", "2", 50.0),
    ]
    chain = read_csv(report_dir, "by_chain")
    assert [(r["chain"], r["rentals"], float(r["h100e_hours"])) for r in chain] == [
        ("Arbitrum One", "6", 140.0),
        ("Base", "2", 80.0),
    ]
    gpu = read_csv(report_dir, "by_gpu")
    assert [(r["gpu"], r["eccn_oct2023"], r["rentals"], float(r["h100e_hours"])) for r in gpu[:3]] == [
        ("H100", "3A090.a", "3", 130.0),
        ("H200", "3A090.a", "2", 60.0),
        ("A100", "3A090.a", "2", 30.0),
    ]
    assert [(r["gpu"], r["h100e_hours"]) for r in gpu[3:]] == [("unknown", "")]  # not estimated, not 0
    eccn = read_csv(report_dir, "by_eccn")
    assert [(r["eccn_oct2023"], r["gpu_models"], r["rentals"]) for r in eccn] == [
        ("3A090.a", "A100, H100, H200", "7"),
        ("unknown", "", "1"),
    ]
    payments = read_csv(report_dir, "payments")
    unpriced = [r for r in payments if r["chain"] == "Arbitrum One" and r["marketplace"] == "morpheus"]
    assert [(r["payment_token"], r["payment_usd"], r["rentals_without_usd"]) for r in unpriced] == [("MOR", "", "1")]


def test_top_entities_order_evidence_and_heuristics(report_dir: Path) -> None:
    top = read_csv(report_dir, "top_entities")
    assert column(top, "cluster_id") == ["cl-a", "cl-b", "cl-c", E1]  # cl-b beats cl-c on rentals (3 vs 2)
    assert column(top, "h100e_hours") == ["100.000000", "60.000000", "60.000000", ""]  # e1: not estimated
    assert column(top, "evidence_rows") == ["3", "1", "0", "0"]  # the cross-cluster a1-b1 row is not counted
    assert column(top, "heuristics") == [
        "first_funder, shared_deposit", "first_funder", "(no linking evidence)", "(not clustered)"
    ]
    assert column(top, "buyer_addresses") == ["2", "1", "1", "1"]
    assert column(top, "funder_addresses") == ["1", "1", "0", "0"]
    assert column(top, "marketplaces")[0] == "iexec, livepeer"


def test_new_entities(report_dir: Path) -> None:
    new = read_csv(report_dir, "new_entities")
    assert column(new, "cluster_id") == ["cl-c", E1]
    assert column(new, "first_rental") == ["2026-02-14T09:00:00Z", "2026-02-15T23:59:59Z"]


def test_weekly_series(report_dir: Path) -> None:
    rows = read_csv(report_dir, "weekly_series")
    weeks = list(dict.fromkeys(column(rows, "week")))
    assert len(weeks) == 12 and weeks[0] == "2025-W48" and weeks[-1] == "2026-W07"
    assert len(rows) == 12 * 3
    cell = {(r["week"], r["marketplace"]): (r["rentals"], float(r["h100e_hours"])) for r in rows}
    assert cell["2025-W50", "livepeer"] == ("1", 5.0)
    assert cell["2026-W06", "morpheus"] == ("1", 20.0)
    assert cell["2026-W07", "livepeer"] == ("3", 90.0)
    assert cell["2026-W02", "iexec"] == ("0", 0.0)
    assert sum(float(r["h100e_hours"]) for r in rows if r["week"] == "2026-W07") == 220.0


def test_coverage_and_freshness(report_dir: Path) -> None:
    coverage = {r["source"]: r for r in read_csv(report_dir, "coverage")}
    assert coverage["livepeer/TicketBroker#aa"]["indexed_intervals"] == "100-1000, 2000-299999960"
    assert coverage["livepeer/TicketBroker#aa"]["gap_blocks"] == "999"
    assert coverage["morpheus/Diamond#cc"]["blocks_behind_safe"] == "960"
    assert coverage["funding"]["indexed_intervals"] == "not indexed"
    chains = read_csv(report_dir, "chains")
    assert [(r["chain_id"], r["safe_block"], r["head_time"]) for r in chains] == [
        ("8453", "25999970", "2026-02-20T11:00:00Z"),
        ("42161", "299999960", "2026-02-20T12:00:00Z"),
    ]
    open_leases = read_csv(report_dir, "open_leases")
    assert [(r["marketplace"], r["open_this_week"]) for r in open_leases] == [("livepeer", "1")]
    (check,) = read_csv(report_dir, "analysis_check")
    assert (check["consistent"], check["unclustered_buyers"]) == ("true", "1")


def test_rentals_csv_is_this_weeks_rentals(report_dir: Path) -> None:
    rows = read_csv(report_dir, "rentals")
    assert len(rows) == 8
    assert rows[0]["block_time"] == "2026-02-09T00:00:00Z" and rows[0]["buyer"] == A1
    assert rows[-1]["block_time"] == "2026-02-15T23:59:59Z" and rows[-1]["is_open"] == "true"
    assert sum(float(r["h100e_hours"] or 0) for r in rows) == 220.0
    # A spreadsheet would run a cell starting with '=': the on-chain string is defused, not dropped.
    assert "'=RTX-9090 | <b>ULTRA</b>" in column(rows, "gpu_model_raw")


def test_csvs_parse_back_to_the_query_results(report_dir: Path, ro_con: duckdb.DuckDBPyConnection) -> None:
    data = collect(ro_con, parse_week(REPORT_WEEK))
    assert {*TABLE_QUERIES, *DERIVED_TABLES} == set(data.tables)
    for name, table in data.tables.items():
        with (report_dir / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            parsed = list(csv.reader(f))
        assert tuple(parsed[0]) == table.columns, name
        assert parsed[1:] == [[csv_cell(v) for v in row] for row in table.rows], name


def test_onchain_strings_are_escaped(report_dir: Path) -> None:
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "| morpheus | `=RTX-9090 \\| <b>ULTRA</b>` | 1 |" in md
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "<b>ULTRA" not in html and "&lt;b&gt;ULTRA" in html


def test_previous_week_zero_gives_na(ro_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = write_weekly_report(ro_con, "2026-W05", tmp_path)
    (h,) = read_csv(out, "headline")
    assert (h["prev_rentals"], h["change_pct_h100e_hours_no_kyc"], h["change_pct_rentals"]) == ("0", "", "")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "+10.0 H100e-hours (n/a) compared with 2026-W04" in md
    assert "| Rentals | 1 | 0 | +1 | n/a |" in md


def test_stale_analysis_is_flagged(ro_con: duckdb.DuckDBPyConnection, tmp_path: Path, report_dir: Path) -> None:
    out = write_weekly_report(ro_con, "2026-W06", tmp_path)
    assert "Analysis may be stale" in (out / "report.md").read_text(encoding="utf-8")
    assert "Analysis may be stale" not in (report_dir / "report.md").read_text(encoding="utf-8")


def test_covered_week_without_rentals(ro_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = write_weekly_report(ro_con, "2025-W20", tmp_path)  # indexed, and nobody rented: a real zero
    (h,) = read_csv(out, "headline")
    assert (h["rentals"], float(h["h100e_hours_no_kyc"]), h["week_complete"]) == ("0", 0.0, "true")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "Incomplete week" not in md
    assert "No entity rented this week." in md
    assert read_csv(out, "weekly_series") == []
    assert "<svg" in (out / "report.html").read_text(encoding="utf-8")


def test_rentals_with_kyc_are_left_out_of_the_headline(db_path: Path, tmp_path: Path) -> None:
    copy = shutil.copy(db_path, tmp_path / "kyc.duckdb")
    con = duckdb.connect(str(copy))
    con.execute("UPDATE rentals SET kyc = 'verified' WHERE buyer = $buyer AND h100e_hours = 80", {"buyer": A1})
    out = write_weekly_report(con, REPORT_WEEK, tmp_path / "out")
    con.close()
    (h,) = read_csv(out, "headline")
    assert float(h["h100e_hours_no_kyc"]) == 140.0
    assert (h["rentals_kyc_other"], float(h["h100e_hours_kyc_other"])) == ("1", 80.0)
    assert "Rentals with a KYC status other than 'none': 1 (80.0 H100e-hours)" in (out / "report.md").read_text()


@pytest.mark.parametrize("week", ["2026-W07", "last"])
def test_last_and_explicit_week_write_the_same_directory(
    ro_con: duckdb.DuckDBPyConnection, tmp_path: Path, week: str
) -> None:
    assert write_weekly_report(ro_con, week, tmp_path) == tmp_path / "2026-W07"


def test_evidence_strength_and_funding_of_entities(report_dir: Path) -> None:
    top = {r["cluster_id"]: r for r in read_csv(report_dir, "top_entities")}
    assert {e: r["evidence_strength"] for e, r in top.items()} == {
        "cl-a": "corroborated (2 heuristics)",
        "cl-b": "single heuristic",
        "cl-c": "n/a (one address)",
        E1: "none (not clustered)",
    }
    assert {e: r["funding_sources"] for e, r in top.items()} == {
        "cl-a": "unknown/own wallet",  # a1's later Base funding by the exchange is not its first
        "cl-b": "unknown/own wallet",
        "cl-c": f"service ({EXCHANGE_REASON})",
        E1: "no funder found (no_archive)",
    }


def test_funding_sources(report_dir: Path) -> None:
    rows = read_csv(report_dir, "funding_sources")
    got = [(r["funding_source"], r["funders"], r["buyers"], r["entities"], r["rentals"], r["h100e_hours"])
           for r in rows]
    assert got == [
        ("unknown/own wallet", "2", "3", "2", "5", "160.000000"),
        (f"service ({EXCHANGE_REASON})", "1", "1", "1", "2", "60.000000"),
        ("no funder found (no_archive)", "0", "1", "1", "1", ""),  # one rental, not estimated
    ]
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "## 5. Where the money came from" in md
    assert "a funder in the service-address list, such as a labelled exchange or bridge" in md


def test_entity_addresses(report_dir: Path) -> None:
    rows = read_csv(report_dir, "entity_addresses")
    assert [(r["cluster_id"], r["address"], r["role"], r["rentals"]) for r in rows] == [
        (E1, E1, "buyer", "1"),
        ("cl-a", A1, "buyer", "1"),
        ("cl-a", A2, "buyer", "1"),
        ("cl-a", AF, "funder", "0"),
        ("cl-b", B1, "buyer", "3"),
        ("cl-b", BF, "funder", "0"),
        ("cl-c", C1, "buyer", "2"),
    ]
    first = {r["address"]: (r["funding_status"], r["funder"], r["funding_source"]) for r in rows}
    assert first[A1] == ("funded", AF, "unknown/own wallet")
    assert first[C1] == ("funded", EXCHANGE, f"service ({EXCHANGE_REASON})")
    assert first[E1] == ("no_archive", "", "no funder found (no_archive)")
    assert first[AF] == ("", "", "not traced")
    top = read_csv(report_dir, "top_entity_addresses")
    assert [(r["rank"], r["address"]) for r in top] == [
        ("1", A1), ("1", A2), ("1", AF), ("2", B1), ("2", BF), ("3", C1), ("4", E1),
    ]


def test_top_entity_addresses_are_capped_per_entity(db_path: Path, tmp_path: Path) -> None:
    copy = shutil.copy(db_path, tmp_path / "big.duckdb")
    con = duckdb.connect(str(copy))
    extra = [(addr(f"{i:02d}"), "cl-a", 10, "funder") for i in range(30, 37)]
    con.executemany("INSERT INTO address_clusters VALUES (?, ?, ?, ?)", extra)
    publish(con)
    out = write_weekly_report(con, REPORT_WEEK, tmp_path / "out")
    con.close()
    top = read_csv(out, "top_entity_addresses")
    assert [r["address"] for r in top if r["cluster_id"] == "cl-a"][:2] == [A1, A2]  # buyers first
    assert sum(r["cluster_id"] == "cl-a" for r in top) == ADDRESSES_PER_ENTITY
    assert len([r for r in read_csv(out, "entity_addresses") if r["cluster_id"] == "cl-a"]) == 10
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "Up to 5 addresses per entity, busiest buyers first; 5 more are in `entity_addresses.csv`." in md


def test_freshness_and_unknowns_in_the_report(report_dir: Path) -> None:
    chains = {r["chain"]: r for r in read_csv(report_dir, "chains")}
    assert chains["Base"]["safe_time"] == "2026-02-20T10:00:00Z"
    assert float(chains["Base"]["hours_behind_head"]) == 1.0
    assert chains["Arbitrum One"]["last_rental_time"] == "2026-02-15T23:59:59Z"
    week = {r["chain"]: r for r in read_csv(report_dir, "week_coverage")}
    assert [(r["covers_week"], float(r["covered_pct"])) for r in week.values()] == [("true", 100.0)] * 2
    coverage = {r["source"]: r for r in read_csv(report_dir, "coverage")}
    assert coverage["morpheus/Diamond#cc"]["blocks_behind_head"] == "1000"
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert ("This week: 1 of 8 rentals with an unknown GPU model (not posted on-chain, or not recognised), "
            "0 without a payment amount, 1 without a USD price.") in md


def test_figures_not_estimated_yet_are_said_so(report_dir: Path) -> None:
    for name in ("report.md", "report.html"):
        text = (report_dir / name).read_text(encoding="utf-8")
        assert "the range is 165.0 to 330.0 H100e-hours" in text, name
        assert "UTC offset: each entity's estimated home time zone" in text, name
        assert "not estimated yet" not in text and "not available yet" not in text, name
        prose = text.replace("&#39;", "'")
        # The methodology quotes the family minimum and the demo figures from package data, as measured.
        assert "the minimum over them: strict pairwise precision 1.000 and recall 0.989" in prose, name
        assert "without any label list 1.000 and 0.989" in prose, name
        assert "25 economies: 5 families x 5 seeds" in prose, name
        assert "On the demo economy: strict 1.000 / 1.000" in prose, name
    settings = {r["key"]: r["value"] for r in read_csv(report_dir, "report_settings")}
    assert settings["trailing_weeks"] == "12" and settings["top_entities"] == "10"
    assert settings["h100e_estimate"] == "central, with low and high (rentals.h100e_hours_low / _high)"
    h = read_csv(report_dir, "headline")[0]
    assert (float(h["h100e_hours_no_kyc_low"]), float(h["h100e_hours_no_kyc_high"])) == (165.0, 330.0)
    by_market = {r["marketplace"]: r for r in read_csv(report_dir, "by_marketplace")}
    assert sum(float(r["h100e_hours_high"]) for r in by_market.values()) == 330.0


def test_report_sections(report_dir: Path) -> None:
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert [line for line in md.splitlines() if line.startswith("## ")] == SECTIONS
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert [f"## {h}" for h in re.findall(r"<h2>([^<]+)</h2>", html)] == SECTIONS


def test_week_is_complete_only_when_every_marketplace_source_is_indexed_past_its_end(
    db_path: Path, tmp_path: Path
) -> None:
    copy = shutil.copy(db_path, tmp_path / "behind.duckdb")
    con = duckdb.connect(str(copy))
    # Base's own safe block is past the week, but one of its marketplace sources stops on Sunday 23:00.
    con.execute("INSERT INTO sources VALUES ($c, 'spheron/Lease#ee', 'marketplace', 'spheron', $a, 10, NULL)",
                {"c": BASE, "a": addr("0e")})
    con.execute("INSERT INTO coverage VALUES ($c, 'spheron/Lease#ee', 10, $b)",
                {"c": BASE, "b": block_at(BASE, dt.datetime(2026, 2, 15, 23, tzinfo=dt.UTC))})
    con.execute("INSERT INTO blocks VALUES ($c, $b, '0xee', TIMESTAMPTZ '2026-02-15 23:00:00+00')",
                {"c": BASE, "b": block_at(BASE, dt.datetime(2026, 2, 15, 23, tzinfo=dt.UTC))})
    out = write_weekly_report(con, REPORT_WEEK, tmp_path / "out")
    con.close()
    (h,) = read_csv(out, "headline")
    assert (h["week_complete"], h["missing_data"]) == (
        "false", "data covers Mon 00:00 to Sun 23:00 UTC (99.4% of the week) on Base")


def test_devnet_morpheus_is_not_estimated_never_zero(devnet_report: Path) -> None:
    market = {r["marketplace"]: r for r in read_csv(devnet_report, "by_marketplace")}
    morpheus = market["morpheus"]
    assert int(morpheus["rentals"]) == int(morpheus["rentals_without_estimate"]) > 0
    assert (morpheus["h100e_hours"], morpheus["h100e_hours_low"], morpheus["h100e_hours_high"]) == ("", "", "")
    methods = {r["method"]: r for r in read_csv(devnet_report, "methods")}
    assert methods["not estimated"]["h100e_hours"] == ""
    weeks = [r for r in read_csv(devnet_report, "weekly_series") if r["marketplace"] == "morpheus"]
    assert weeks and all(r["h100e_hours"] in ("", "0.000000") for r in weeks)
    assert all(r["h100e_hours"] == "" for r in weeks if r["rentals"] != "0")
    md = (devnet_report / "report.md").read_text(encoding="utf-8")
    lines = md.splitlines()
    table = lines.index(next(line for line in lines if line.startswith("| Marketplace | H100e-hours |")))
    header = [c.strip() for c in lines[table].strip("|").split("|")]
    row = next(line for line in lines[table:] if line.startswith("| morpheus |"))
    cells = dict(zip(header, (c.strip() for c in row.strip("|").split("|")), strict=True))
    assert "0.0" not in row and [v for k, v in cells.items() if k.startswith("H100e-hours")] == ["—", "—", "—"]


def test_first_screen_answers_who_which_gpus_and_the_trend(report_dir: Path) -> None:
    """At a glance, by hand: W07 220.0 against the 4 weeks before (W06 160, W05 10, W04 and W03 0: 42.5 a week);
    entities cl-a 100 (W06 100), cl-b 60 (W06 20), cl-c 60 (new) of 220; GPUs H100 130, H200 60, A100 30."""
    rows = read_csv(report_dir, "at_a_glance")
    got = [(r["aspect"], r["label"], r["h100e_hours"], r["share_pct"], r["prev_h100e_hours"], r["change_pct"])
           for r in rows]
    assert got == [
        ("this_week", "2026-W07", "220.000000", "", "", ""),
        ("trend", "average of the 4 weeks before", "42.500000", "", "", "417.647059"),
        ("entity", "cl-a", "100.000000", "45.454545", "100.000000", "0.000000"),
        ("entity", "cl-b", "60.000000", "27.272727", "20.000000", "200.000000"),
        ("entity", "cl-c", "60.000000", "27.272727", "", ""),
        ("gpu", "H100", "130.000000", "59.090909", "", ""),
        ("gpu", "H200", "60.000000", "27.272727", "", ""),
        ("gpu", "A100", "30.000000", "13.636364", "", ""),
    ]
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    glance = md[:md.index("## 1. Headline")]
    assert "**220.0 H100e-hours** were rented without KYC in 2026-W07" in glance
    assert "+417.6% against the average of the 4 weeks before (42.5 H100e-hours a week)" in glance
    assert "the top 4 entities rented 100.0% of the week's H100e-hours" in glance
    assert "`cl-b` 60.0 (27.3%; +200.0% vs last week; 2 addresses; GPUs: H100, A100, unknown)" in glance
    assert "`cl-c` 60.0 (27.3%; none last week;" in glance
    assert "**On which GPUs:** H100 130.0 (59.1%), H200 60.0 (27.3%), A100 30.0 (13.6%)." in glance


def test_top_entities_show_change_range_and_gpus(report_dir: Path) -> None:
    top = {r["cluster_id"]: r for r in read_csv(report_dir, "top_entities")}
    assert {e: (r["prev_h100e_hours"], r["change_pct_h100e_hours"]) for e, r in top.items()} == {
        "cl-a": ("100.000000", "0.000000"), "cl-b": ("20.000000", "200.000000"), "cl-c": ("", ""), E1: ("", "")}
    assert top["cl-a"]["gpu_models"] == "H100, A100"   # by H100e-hours: 80 then 20
    assert top["cl-b"]["gpu_models"] == "H100, A100, unknown"
    assert top["cl-a"]["h100e_range"] == f"{100 * LOW:,.1f}\u2013{100 * HIGH:,.1f}"
    assert top[E1]["h100e_range"] == ""    # no estimate, no range


def test_services_found_by_behaviour_show_their_figures(report_dir: Path) -> None:
    rows = read_csv(report_dir, "services")
    assert [(r["address"], r["service_reason"], r["buyers_funded"], r["other_recipients"], r["nonce"])
            for r in rows] == [(EXCHANGE, EXCHANGE_REASON, "25", "300", "340")]   # the provider is known, not found
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "### Services found by behaviour" in md and EXCHANGE in md
