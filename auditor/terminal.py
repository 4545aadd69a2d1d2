"""What reaches the terminal: every value and message as plain text, never as rich markup, through text.clean.

Values come from the chain and messages from providers, so `[/bold]` or `[link=…]` in one is shown as those
characters (rich would crash on the first and print a hyperlink for the second), escape sequences are shown
as escapes, and any http(s) URL in a message is shown redacted (keys live in URL paths and queries).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from rich.table import Table as RichTable
from rich.text import Text

from auditor.rpc.urls import redact_url
from auditor.sqlfile import Table
from auditor.text import clean, shorten

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


def csv_value(value: object) -> object:
    """A CSV cell: text cleaned, newlines kept (the csv writer quotes them); numbers and NULL as they are."""
    if value is None or isinstance(value, bool | int | float | Decimal):
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
