"""What reaches the terminal: every value and message as plain text, never as rich markup, through text.clean.

Values come from the chain and messages from providers, so `[/bold]` or `[link=…]` in one is shown as those
characters (rich would crash on the first and print a hyperlink for the second), escape sequences are shown
as escapes, and any http(s) URL in a message is shown redacted (keys live in URL paths and queries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.table import Table as RichTable
from rich.text import Text

from auditor.rpc.urls import redact_url
from auditor.text import clean, shorten

if TYPE_CHECKING:  # sqlfile imports duckdb: `--help` and commands that never query need not pay for it
    from auditor.sqlfile import Table

ERROR_CHARS = 500
# Up to the first character that cannot be in a URL as printed in a message (quotes, brackets, spaces), and
# not ending in the punctuation of the sentence around it.
URL = re.compile(r"\b(?:https?|wss?)://[^\s'\"<>()\[\]{}]*[^\s'\"<>()\[\]{}.,:;!?]", re.IGNORECASE)


def plain(value: object) -> str:
    """A value as the text shown for it: "" for NULL, controls and bidi marks as escapes."""
    return "" if value is None else clean(str(value))


def line(text: str) -> str:
    """A message for the terminal: URLs redacted, then cleaned (a newline shows as an escape)."""
    return clean(URL.sub(lambda m: redact_url(m.group(0)), text))


def error_line(text: str) -> str:
    """An error message on one line: whitespace runs collapsed, URLs redacted, cleaned, cut to ERROR_CHARS."""
    return shorten(line(" ".join(text.split())), ERROR_CHARS)


def rich_table(table: Table, null: str = "") -> RichTable:
    """The table for rich: title, headers and cells as Text objects, which rich never reads as markup. `null`
    is what a NULL shows as (auditor sql: NULL, dimmed, so it is never mistaken for an empty string)."""
    out = RichTable(title=Text(plain(table.name)) if table.name else None, title_justify="left")
    for col in table.columns:
        out.add_column(Text(plain(col)), overflow="fold")
    for row in table.rows:
        out.add_row(*(Text(null, style="dim") if v is None else Text(plain(v)) for v in row))
    return out


_AS_IS = frozenset({type(None), bool, int, float, Decimal})   # exact types: a set lookup, not isinstance of a union


def csv_value(value: object) -> object:
    """A CSV cell: text cleaned, newlines kept (the csv writer quotes them); numbers and NULL as they are."""
    if type(value) in _AS_IS:
        return value
    return clean(str(value), keep_newlines=True)


def json_value(value: object) -> object:
    """A JSON value with every string in it cleaned (orjson escapes C0 but prints C1 and bidi marks raw)."""
    if isinstance(value, str):
        return clean(value, keep_newlines=True)
    if isinstance(value, Mapping):
        return {plain(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def json_default(value: object) -> object:
    """Exact sums (DECIMAL) stay numbers in JSON; anything else orjson lacks (dates, UUIDs, blobs) becomes text."""
    return float(value) if isinstance(value, Decimal) else plain(value)


# DuckDB column types whose Python values are numbers, booleans or NULL: nothing in them can act on a reader.
NUMERIC_TYPES = frozenset({"BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                           "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE"})


def text_columns(types: Sequence[str]) -> list[int]:
    """The columns that can hold text, by DuckDB type: only they need cleaning."""
    return [i for i, t in enumerate(types) if t not in NUMERIC_TYPES and not t.startswith("DECIMAL")]


def csv_rows(types: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    """Rows as csv_value makes them, touching only the columns that can hold text (a numeric column is passed
    through whole): a large `auditor sql --format csv` spends its time writing, not re-checking numbers."""
    risky = text_columns(types)
    for row in rows:
        cells = list(row)
        for i in risky:
            cells[i] = csv_value(cells[i])
        yield cells


def json_records(columns: Sequence[str], types: Sequence[str],
                 rows: Iterable[Sequence[object]]) -> Iterator[dict[str, object]]:
    """Rows as the records json_value makes of them, keys cleaned once, only text-capable columns checked."""
    keys = [plain(c) for c in columns]
    risky = text_columns(types)
    for row in rows:
        cells = list(row)
        for i in risky:
            cells[i] = json_value(cells[i])
        yield dict(zip(keys, cells, strict=True))
