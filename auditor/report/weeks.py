"""ISO weeks: validating the user's week argument ('last' is resolved in completeness.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from auditor.errors import InputError

LAST = "last"
WEEK_FORMAT = re.compile(r"([0-9]{4})-W([0-9]{2})")
# Trailing windows reach back a quarter; these bounds keep that inside datetime.date's range.
MIN_YEAR, MAX_YEAR = 1970, 9998


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week; its days run Monday 00:00 UTC to the next Monday, exclusive."""

    year: int
    week: int

    @classmethod
    def containing(cls, day: dt.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def start(self) -> dt.datetime:
        """The week's first instant, UTC-aware so DuckDB compares it with TIMESTAMPTZ exactly."""
        return dt.datetime.combine(self.monday, dt.time(), tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(weeks=1)

    def shifted(self, weeks: int) -> IsoWeek:
        """The week `weeks` later (earlier when negative), across year boundaries."""
        return IsoWeek.containing(self.monday + dt.timedelta(weeks=weeks))


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December always falls in a year's last ISO week."""
    return dt.date(year, 12, 28).isocalendar().week


def parse_week(text: str) -> IsoWeek:
    """Validates 'YYYY-Www' (W01 up to the year's last ISO week)."""
    cleaned = text.strip()
    if cleaned.lower() == LAST:
        raise InputError("week 'last' depends on the database: resolve it with resolve_week first")
    match = WEEK_FORMAT.fullmatch(cleaned.upper())
    if match is None:
        raise InputError(f"bad week {text!r}: expected an ISO week like 2026-W07, or 'last'")
    year, week = int(match.group(1)), int(match.group(2))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(f"bad week {text!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        raise InputError(f"no such week {text!r}: {year} has ISO weeks W01 to W{last:02d}")
    return IsoWeek(year, week)


def parse_iso_week(text: str) -> dt.date:
    """The Monday of ISO week 'YYYY-Www'; InputError for malformed or non-existent weeks."""
    return parse_week(text).monday
