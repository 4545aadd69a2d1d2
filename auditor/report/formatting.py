"""How values look: fixed decimals in CSV, readable numbers and labels in Markdown and HTML.

Numbers are rounded half-even on their exact value before formatting, and -0 never reaches the output. Sums
arrive as DECIMAL (exact, whatever the thread count or storage order), so a tie such as 14.9145625 rounds the
same way on every run; floats are rounded on their exact binary value.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_EVEN, Context, Decimal

from markupsafe import Markup, escape

from auditor.report.styles import style
from auditor.sqlfile import Cell
from auditor.text import clean, shorten

CSV_DECIMALS = 6
# Enough digits for any DECIMAL(38, s) and any double the report rounds, so quantize never overflows.
EXACT = Context(prec=400, rounding=ROUND_HALF_EVEN)
MISSING = "—"
# Spreadsheets run cells starting with these as formulas; on-chain strings are attacker-controlled.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MD_SPECIAL = str.maketrans({
    "\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]",
    "<": "&lt;", ">": "&gt;", "\n": " ", "\r": " ",
})




def fixed(value: float | int | Decimal, decimals: int) -> Decimal:
    """The value rounded half-even to `decimals` places, on its exact value; never negative zero."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), context=EXACT)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def finite(value: Cell) -> bool:
    """False for NaN and infinities, which no figure of the report may print ("nan H100e-hours", "+inf%"): the
    analysis keeps them out (bounded prices, implausible rentals withheld), this is the last guard."""
    return not isinstance(value, float | Decimal) or math.isfinite(value)


def csv_cell(value: Cell) -> str:
    """Machine-readable: plain integers, fixed-decimal floats, true/false, empty for NULL; text with its controls
    shown as escapes (auditor.text.clean) and guarded against spreadsheet formulas."""
    if value is None or not finite(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | Decimal):
        return f"{fixed(value, CSV_DECIMALS):f}"
    if isinstance(value, int | dt.date):
        return str(value)
    text = clean(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def display(value: Cell, column: str) -> str:
    """Human-readable text for a table cell or a number in prose; text with its controls and bidi marks shown
    as escapes (auditor.text.clean)."""
    kind = style(column).kind
    if value is None or not finite(value):
        return "n/a" if kind == "pct" else MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and kind in ("int", "delta"):
        return f"{value:+,}" if kind == "delta" else f"{value:,}"
    if isinstance(value, int | float | Decimal) and kind in DECIMAL_FORMATS:
        prefix, decimals, spec, suffix = DECIMAL_FORMATS[kind]
        return f"{prefix}{fixed(value, decimals):{spec}}{suffix}"
    if isinstance(value, float | Decimal) and kind == "amount":
        return format_amount(value)
    return clean(str(value))


def format_amount(value: float | Decimal) -> str:
    """Token amounts: cents-like precision for large ones, six decimals (trimmed) for dust."""
    if abs(Decimal(value)) >= 1:
        return f"{fixed(value, 2):,.2f}"
    return f"{fixed(value, 6):.6f}".rstrip("0").rstrip(".")


# kind -> (prefix, decimals, format spec, suffix)
DECIMAL_FORMATS: dict[str, tuple[str, int, str, str]] = {
    "int": ("", 1, ",.1f", ""),
    "hours": ("", 1, ",.1f", ""),
    "delta": ("", 1, "+,.1f", ""),
    "pct": ("", 1, "+.1f", "%"),
    "share": ("", 1, ".1f", "%"),
    "usd": ("$", 2, ",.2f", ""),
    "factor": ("", 3, ".3f", ""),
}
NUMERIC_KINDS = frozenset({*DECIMAL_FORMATS, "amount", "block"})
CODE_KINDS = frozenset({"code", "id"})


def shown(value: Cell, column: str) -> str:
    """A cell's text as report.md and report.html show it: displayed, cut to the column's length."""
    return shorten(display(value, column), style(column).max_chars)


def md_cell(value: Cell, column: str) -> str:
    """A Markdown table cell: escaped so on-chain strings cannot break the table or inject markup."""
    text = shown(value, column)
    if style(column).kind in CODE_KINDS and value is not None:
        return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"
    return text.translate(MD_SPECIAL)


def html_cell(value: Cell, column: str) -> Markup:
    """An HTML table cell's content, escaped."""
    text = shown(value, column)
    kind = style(column).kind
    if kind == "id" and value is not None:
        return Markup('<code class="id">{}</code>').format(text)
    if kind == "code" and value is not None:
        return Markup("<code>{}</code>").format(text)
    return escape(text)


def wraps(column: str) -> bool:
    """Whether a column's cells may break across lines (numbers never do; see also `Style.wrap`)."""
    return style(column).wrap and not is_numeric(column)


def is_numeric(column: str) -> bool:
    """Numbers are right-aligned so digits line up."""
    return style(column).kind in NUMERIC_KINDS


def as_int(value: Cell) -> int:
    """A numeric cell as int; NULL (no rentals) is 0."""
    return int(value) if isinstance(value, int | float) else 0


def as_decimal(value: Cell) -> Decimal | None:
    """A numeric cell as an exact Decimal; NULL (rentals, none estimated) stays None."""
    if isinstance(value, Decimal) or value is None:
        return value
    return Decimal(value) if isinstance(value, int | float) else None
