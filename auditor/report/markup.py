"""Tables as Markdown and HTML, formatted and escaped the same way in both."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup

from auditor.report.formatting import html_cell, is_numeric, md_cell, wraps
from auditor.report.styles import label
from auditor.sqlfile import Cell, Table

EMPTY_MD = "_None._"
EMPTY_HTML = Markup('<p class="none">None.</p>')

Rows = Table | Sequence[Mapping[str, Cell]]


def _records(rows: Rows) -> list[Mapping[str, Cell]]:
    return list(rows.records()) if isinstance(rows, Table) else list(rows)


def markdown_table(rows: Rows, columns: Sequence[str], like: Mapping[str, str] | None = None) -> str:
    """A GitHub-flavoured Markdown table of the given columns.

    `like` formats a column like another known column and labels it with its own name (used for the
    per-marketplace columns of the weekly pivot).
    """
    records = _records(rows)
    if not records:
        return EMPTY_MD
    formats = {c: (like or {}).get(c, c) for c in columns}
    headers = [c if c in (like or {}) else label(c) for c in columns]
    lines = [
        "| " + " | ".join(h.replace("|", "\\|") for h in headers) + " |",
        "|" + "|".join("---:" if is_numeric(formats[c]) else "---" for c in columns) + "|",
    ]
    lines += ["| " + " | ".join(md_cell(r[c], formats[c]) for c in columns) + " |" for r in records]
    return "\n".join(lines)


def html_table(rows: Rows, columns: Sequence[str], like: Mapping[str, str] | None = None) -> Markup:
    """An HTML table in a horizontally scrolling wrapper, so wide tables stay readable on a phone."""
    records = _records(rows)
    if not records:
        return EMPTY_HTML
    formats = {c: (like or {}).get(c, c) for c in columns}

    def cls(column: str) -> Markup:
        if is_numeric(formats[column]):
            return Markup(' class="num"')
        return Markup("") if wraps(formats[column]) else Markup(' class="nowrap"')

    head = Markup("").join(
        Markup("<th{}>{}</th>").format(cls(c), c if c in (like or {}) else label(c)) for c in columns
    )
    body = Markup("").join(
        Markup("<tr>{}</tr>").format(
            Markup("").join(Markup("<td{}>{}</td>").format(cls(c), html_cell(r[c], formats[c])) for c in columns)
        )
        for r in records
    )
    return Markup('<div class="scroll"><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>').format(
        head, body
    )
