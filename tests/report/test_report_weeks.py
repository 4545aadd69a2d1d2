from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.errors import InputError, StoreError
from auditor.report import parse_iso_week, resolve_week
from auditor.report.weeks import IsoWeek, parse_week

from .conftest import create_tables


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W07", dt.date(2026, 2, 9)),
        ("2026-W01", dt.date(2025, 12, 29)),
        ("2026-W53", dt.date(2026, 12, 28)),  # 2026 starts on a Thursday: it has 53 ISO weeks
        ("2020-W53", dt.date(2020, 12, 28)),
        (" 2026-w07 ", dt.date(2026, 2, 9)),
    ],
)
def test_parse_iso_week_gives_monday(text: str, monday: dt.date) -> None:
    assert parse_iso_week(text) == monday


@pytest.mark.parametrize(
    "text", ["2026-W54", "2025-W53", "2025-W00", "2026W1", "2026-W7", "2026-13", "abc", "", "2026-W07x", "last"]
)
def test_bad_weeks_raise_one_line_input_error(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_iso_week(text)
    assert "\n" not in str(raised.value)


def test_nonexistent_week_message_names_the_last_week() -> None:
    with pytest.raises(InputError, match="2026 has ISO weeks W01 to W53"):
        parse_iso_week("2026-W54")


@given(st.dates(min_value=dt.date(1971, 1, 1), max_value=dt.date(9998, 12, 1)))
def test_every_day_lies_in_the_week_its_label_parses_to(day: dt.date) -> None:
    week = IsoWeek.containing(day)
    monday = parse_iso_week(week.label)
    assert monday <= day < monday + dt.timedelta(days=7)
    assert parse_week(week.label) == week


def test_resolve_last_picks_the_last_complete_week(ro_con: duckdb.DuckDBPyConnection) -> None:
    assert resolve_week(ro_con, "last") == "2026-W07"  # indexed to Friday 2026-02-20: W08 is not complete
    assert resolve_week(ro_con, "2026-w05") == "2026-W05"


def test_resolve_last_without_indexed_data_is_an_input_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    create_tables(con)
    with pytest.raises(InputError, match="no complete week to report yet: no marketplace source has been indexed"):
        resolve_week(con, "last")


def test_resolve_last_without_analysis_is_a_store_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "bare.duckdb"))
    with pytest.raises(StoreError, match="no analysis yet"):
        resolve_week(con, "last")
