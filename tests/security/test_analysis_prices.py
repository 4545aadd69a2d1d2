"""Issue 15 item 4 (prices): an imported price of nan, inf, 1e308, 0 or below is refused with a one-line error
naming its line, a feed answer past any token's worth is left out, and no report figure prints nan or inf."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest

from auditor.analyze import parse_h100_hour_price
from auditor.errors import InputError
from auditor.prices.imports import import_prices
from auditor.report.formatting import csv_cell, display, md_cell
from auditor.store.db import open_db


@pytest.mark.parametrize("usd", ["nan", "NaN", "inf", "-inf", "1e308", "1e10", "0", "-3", "1e400"])
def test_a_hostile_imported_price_is_refused_naming_its_line(tmp_path: Path, usd: str) -> None:
    db, prices = tmp_path / "a.duckdb", tmp_path / "prices.csv"
    prices.write_text(f"asset,time,usd\nMOR,2026-08-03,20\nMOR,2026-08-04,{usd}\n")
    with open_db(db, create=True) as con:
        with pytest.raises(InputError, match=r"prices\.csv line 3: .*positive USD price of at most") as err:
            import_prices(con, prices)
        assert "\n" not in str(err.value)
        assert con.execute("SELECT count(*) FROM price_imports").fetchall() == [(0,)]


def test_a_plausible_price_still_loads(tmp_path: Path) -> None:
    db, prices = tmp_path / "a.duckdb", tmp_path / "prices.csv"
    prices.write_text("asset,time,usd\nMOR,2026-08-03,20\nPEPE,2026-08-03,0.000001\nBTC,2026-08-03,120000\n")
    with open_db(db, create=True) as con:
        assert import_prices(con, prices) == 3


@pytest.mark.parametrize("text", ["0,1,2", "1e-300,1,2", "1,2,1e308"])
def test_an_h100_hour_price_near_zero_or_past_any_market_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="--h100-hour-usd"):
        parse_h100_hour_price(text)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("Infinity")])
@pytest.mark.parametrize("column", ["h100e_hours", "change_pct_h100e_hours_no_kyc", "payment_usd", "price_usd"])
def test_no_report_figure_prints_nan_or_inf(value: float | Decimal, column: str) -> None:
    for text in (display(value, column), md_cell(value, column), csv_cell(value)):
        assert "nan" not in text.lower() and "inf" not in text.lower()
