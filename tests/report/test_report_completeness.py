"""Which week 'last' is, and what a report says about a week the indexed data covers partly or not at all.

The fixture (conftest.py) indexes Arbitrum's marketplaces from 2023-10-06 to 2026-02-20 10:56 and Base's from
2024-06-28 to 2026-02-20 10:00; block numbers and times follow each chain's block clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.errors import InputError
from auditor.report import UncoveredWeekError, resolve_week, write_weekly_report
from auditor.report.completeness import Span, intersect

from .conftest import ARB, BASE, BLOCK_ROWS, REPORT_WEEK, block_at, rental
from .test_report_contents import read_csv

MONDAY_6AM = dt.datetime(2026, 2, 23, 6, tzinfo=dt.UTC)  # 2026-W09 began six hours ago


@pytest.fixture
def rw_con(db_path: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the fixture database."""
    con = duckdb.connect(str(shutil.copy(db_path, tmp_path / "copy.duckdb")))
    yield con
    con.close()


def index_until(con: duckdb.DuckDBPyConnection, chain: int, when: dt.datetime) -> None:
    """What an index run up to a safe block at `when` leaves: coverage, the safe block and its time."""
    safe = block_at(chain, when)
    con.execute("UPDATE coverage AS c SET to_block = $safe WHERE chain_id = $chain AND from_block = "
                "(SELECT max(from_block) FROM coverage AS l WHERE l.chain_id = c.chain_id AND l.source = c.source)",
                {"safe": safe, "chain": chain})
    con.execute("UPDATE chains SET safe_block = $safe, safe_time = $when, head_block = $safe + 40, "
                "head_time = $when + INTERVAL 1 HOUR WHERE chain_id = $chain",
                {"safe": safe, "when": when, "chain": chain})


def add_rental(con: duckdb.DuckDBPyConnection, chain: int, time: str) -> None:
    row = rental(chain, "livepeer", time, "0x" + "ab" * 20, "H100", 5.0, 5.0)
    con.execute(f"INSERT INTO rentals VALUES ({', '.join('?' * len(row))})", row)
    con.execute("INSERT INTO blocks VALUES (?, ?, ?, ?)", [chain, row[2], "0x" + f"{row[2]:064x}", row[3]])


def test_last_on_monday_morning_is_the_week_that_just_ended(rw_con: duckdb.DuckDBPyConnection,
                                                           tmp_path: Path) -> None:
    # The Monday 06:00 cron: indexed to the head, the new week already has a rental.
    for chain in (ARB, BASE):
        index_until(rw_con, chain, MONDAY_6AM)
    add_rental(rw_con, ARB, "2026-02-23 01:30:00")
    assert resolve_week(rw_con, "last") == "2026-W08"
    out = write_weekly_report(rw_con, "last", tmp_path / "out")
    assert out.name == "2026-W08"
    (h,) = read_csv(out, "headline")
    assert (h["week"], h["week_complete"], h["missing_data"]) == ("2026-W08", "true", "")
    assert "Incomplete week" not in (out / "report.md").read_text(encoding="utf-8")


def test_last_waits_for_every_chain_with_marketplaces(rw_con: duckdb.DuckDBPyConnection) -> None:
    index_until(rw_con, ARB, MONDAY_6AM)
    index_until(rw_con, BASE, MONDAY_6AM - dt.timedelta(hours=7))  # Base is indexed to Sunday 23:00 only
    assert resolve_week(rw_con, "last") == "2026-W07"
    # A chain with no marketplace source (an ad-hoc event, far behind) has no say in what is complete.
    rw_con.execute("INSERT INTO chains VALUES (1, 'Ethereum', NULL, 10, TIMESTAMPTZ '2025-01-01 00:00:00+00', "
                   "9, TIMESTAMPTZ '2025-01-01 00:00:00+00')")
    rw_con.execute("INSERT INTO sources VALUES (1, 'evt/0xabc#12345678', 'adhoc', NULL, '0xabc', 0, NULL)")
    rw_con.execute("INSERT INTO coverage VALUES (1, 'evt/0xabc#12345678', 0, 9)")
    index_until(rw_con, BASE, MONDAY_6AM)
    assert resolve_week(rw_con, "last") == "2026-W08"


def test_last_when_a_marketplace_chain_has_no_indexed_data_is_an_error(rw_con: duckdb.DuckDBPyConnection) -> None:
    rw_con.execute("DELETE FROM coverage WHERE chain_id = $c", {"c": BASE})
    with pytest.raises(UncoveredWeekError, match=r"^no complete week to report yet: Base has no indexed marketplace"):
        resolve_week(rw_con, "last")


@pytest.mark.parametrize(("week", "span"), [
    ("2020-W01", "2019-12-30 to 2020-01-05"),  # before any coverage
    ("2026-W09", "2026-02-23 to 2026-03-01"),  # after every chain's safe block
])
def test_week_the_data_does_not_reach_writes_nothing(ro_con: duckdb.DuckDBPyConnection, tmp_path: Path,
                                                     week: str, span: str) -> None:
    with pytest.raises(UncoveredWeekError) as raised:
        write_weekly_report(ro_con, week, tmp_path / "out")
    assert str(raised.value) == (
        f"no indexed marketplace data covers {week} ({span}): "
        "Base has data from 2024-06-28T13:34:40Z to 2026-02-20T10:00:00Z; "
        "Arbitrum One has data from 2023-10-06T09:40:11Z to 2026-02-20T10:56:00Z"
    )
    assert isinstance(raised.value, InputError)
    assert not (tmp_path / "out").exists()


def test_partly_covered_week_says_how_much_is_missing(ro_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = write_weekly_report(ro_con, "2026-W08", tmp_path)  # indexed to Friday morning
    missing = ("data covers Mon 00:00 to Fri 10:00 UTC (63.1% of the week) on Base; "
               "data covers Mon 00:00 to Fri 10:56 UTC (63.7% of the week) on Arbitrum One")
    (h,) = read_csv(out, "headline")
    assert (h["week_complete"], h["missing_data"]) == ("false", missing)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"> **Incomplete week:** {missing}. Rentals in the hours not covered are missing" in md
    assert f"<strong>Incomplete week:</strong> {missing}." in (out / "report.html").read_text(encoding="utf-8")
    rows = {r["chain"]: r for r in read_csv(out, "week_coverage")}
    assert (rows["Base"]["data_from"], rows["Base"]["data_to"]) == ("2026-02-16T00:00:00Z", "2026-02-20T10:00:00Z")
    assert (float(rows["Base"]["covered_hours"]), rows["Base"]["covers_week"]) == (106.0, "false")


def test_week_where_the_data_begins_names_the_chain_without_data(ro_con: duckdb.DuckDBPyConnection,
                                                                 tmp_path: Path) -> None:
    out = write_weekly_report(ro_con, "2023-W40", tmp_path)
    (h,) = read_csv(out, "headline")
    assert h["missing_data"] == (
        "no data for this week on Base; data covers Fri 09:40 to Fri 09:44, Fri 09:48 to Sun 24:00 UTC "
        "(37.1% of the week) on Arbitrum One"  # the 4-minute gap of livepeer's coverage shows
    )


def test_coverage_ends_at_the_last_block_time_known(rw_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # Base's indexed range ends on Saturday at a block without logs: its time is not stored, so the data is
    # known up to the newest stored block inside the range (Wednesday 08:30), never to a guess beyond it.
    saturday = block_at(BASE, dt.datetime(2026, 2, 14, 12, tzinfo=dt.UTC))
    rw_con.execute("UPDATE coverage SET to_block = $b WHERE chain_id = $c", {"b": saturday, "c": BASE})
    rw_con.execute("DELETE FROM blocks WHERE chain_id = $c AND block_number > $b", {"b": saturday, "c": BASE})
    rw_con.execute("DELETE FROM rentals WHERE chain_id = $c AND block_number > $b", {"b": saturday, "c": BASE})
    rw_con.execute("UPDATE chains SET safe_block = NULL, safe_time = NULL WHERE chain_id = $c", {"c": BASE})
    out = write_weekly_report(rw_con, REPORT_WEEK, tmp_path)
    (h,) = read_csv(out, "headline")
    assert (h["week_complete"], h["missing_data"]) == (
        "false", "data covers Mon 00:00 to Wed 08:30 UTC (33.6% of the week) on Base")


def test_every_fixture_block_time_follows_its_clock() -> None:
    assert all(t.tzinfo is not None for *_, t in BLOCK_ROWS)
    assert sorted(BLOCK_ROWS, key=lambda r: (r[0], r[1])) == sorted(BLOCK_ROWS, key=lambda r: (r[0], r[3]))


MINUTE = dt.timedelta(minutes=1)
BASE_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
span_sets = st.lists(st.integers(0, 200), max_size=8).map(
    lambda points: [Span(BASE_TIME + a * MINUTE, BASE_TIME + b * MINUTE)
                    for a, b in zip(sorted(set(points))[::2], sorted(set(points))[1::2], strict=False)])


@given(st.lists(span_sets, min_size=1, max_size=4))
def test_intersect_keeps_exactly_the_minutes_inside_every_set(sets: list[list[Span]]) -> None:
    def minutes(spans: list[Span]) -> set[int]:
        return {m for s in spans for m in range((s.start - BASE_TIME) // MINUTE, (s.end - BASE_TIME) // MINUTE + 1)}

    result = intersect(sets)
    assert minutes(result) == set.intersection(*(minutes(s) for s in sets))
    assert result == sorted(result) and all(a.end < b.start for a, b in itertools.pairwise(result))
