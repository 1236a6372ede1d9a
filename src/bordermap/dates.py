"""Dates as reporting gives them: a day, a month, a year, part of one, a range, or unknown.

:func:`parse_period` reads the forms articles and project files use and returns a
:class:`Period`: the first and last day it may mean and how precise it is, after
the Security Force Monitor's precise and imprecise date bounds (an imprecise date
is its whole span, never a guessed day)::

    "2021-10-05"          day     2021-10-05 .. 2021-10-05
    "2021-10", "October 2021"
                          month   2021-10-01 .. 2021-10-31
    "2021"                year    2021-01-01 .. 2021-12-31
    "early October 2023"  part    2023-10-01 .. 2023-10-10 (mid: 11-20, late: 21-end)
    "mid-2021"            part    2021-05-01 .. 2021-08-31 (early: Jan-Apr, late: Sep-Dec)
    "2016–2020", "2021-10/2022-03", "April 2019 to May 2019"
                          range   the first day of the first to the last day of the second
    "unknown", ""         unknown no bounds

An impossible date ("2021-02-30") or an unreadable one raises :class:`DateError`,
whose message says what is wrong; callers add the file and key.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from bordermap.errors import DateError

__all__ = ["Period", "parse_period", "PRECISIONS", "UNKNOWN"]

#: How precise a period is, most precise first.
PRECISIONS = ("day", "month", "part", "year", "range", "unknown")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_PART = r"(early|mid|late)[- ]?"

_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("iso", r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$"),
        ("day_month_year", rf"^(\d{{1,2}}) {_MONTH},? (\d{{4}})$"),
        ("month_day_year", rf"^{_MONTH} (\d{{1,2}}),? (\d{{4}})$"),
        ("part_month_year", rf"^{_PART}{_MONTH},? (\d{{4}})$"),
        ("month_year", rf"^{_MONTH},? (\d{{4}})$"),
        ("part_year", rf"^{_PART}(\d{{4}})$"),
    )
)
#: Range separators: an en or em dash (spaces allowed), "/", " to ", or " - " with spaces.
_RANGE = re.compile(r"^(.+?)\s*(?:[–—/]|\s-\s|\bto\b|\buntil\b)\s*(.+)$", re.IGNORECASE)
#: "2016-2020": two years joined by a hyphen (not a month, which has at most two digits).
_YEAR_RANGE = re.compile(r"^(\d{4})-(\d{4})$")
#: An ISO 8601 time stamp (scraped news has them): its day, as written, is the date.
_STAMP = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
#: 12/04/2023: a day and a month in an order the text does not say.
_SLASHED = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/.])")


@dataclass(frozen=True)
class Period:
    """What a date means: ``start`` and ``end`` (days, both included) and ``precision``.

    ``precision`` is one of :data:`PRECISIONS`; ``start`` and ``end`` are None
    when it is ``"unknown"``. ``text`` is the date as written.
    """

    text: str
    start: dt.date | None
    end: dt.date | None
    precision: str

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def iso(self) -> str:
        """``"2021-10-01/2021-10-10"`` (ISO 8601 interval), one day as itself, or ``""``."""
        if self.start is None or self.end is None:
            return ""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def as_dict(self) -> dict[str, str]:
        """``period``, ``period_start``, ``period_end``, ``period_precision`` (ISO days)."""
        return {
            "period": self.text,
            "period_start": self.start.isoformat() if self.start else "",
            "period_end": self.end.isoformat() if self.end else "",
            "period_precision": self.precision,
        }


UNKNOWN = Period("unknown", None, None, "unknown")


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        ymd = f"{year:04d}-{month:02d}-{day:02d}"
        raise DateError(f"{text!r} is not a date on the calendar ({ymd})") from None


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _slashed(a: str, b: str, year: str) -> str:
    """What to write instead of a day and a month joined by slashes (12/04/2023)."""
    ways = []
    for day, month in ((a, b), (b, a)):
        try:
            ways.append(dt.date(int(year), int(month), int(day)).isoformat())
        except ValueError:
            continue
    ways = list(dict.fromkeys(ways))
    if not ways:
        return f"no date of the calendar in either order of {a} and {b}"
    if len(ways) == 1:
        return f"write it as {ways[0]} (dates are year-month-day)"
    return f"day and month in an order the date does not say; write {ways[0]} or {ways[1]}"


def _single(text: str) -> Period:
    """A period that is not a range."""
    if stamp := _STAMP.match(text):  # a time stamp: its day
        day = _single(stamp.group(1))
        return Period(text, day.start, day.end, "day")
    for name, pattern in _FORMS:
        m = pattern.match(text)
        if not m:
            continue
        g = m.groups()
        if name == "iso":
            year = int(g[0])
            if g[2] is not None:
                d = _day(year, int(g[1]), int(g[2]), text)
                return Period(text, d, d, "day")
            if g[1] is not None:
                month = int(g[1])
                if not 1 <= month <= 12:
                    raise DateError(f"{text!r}: there is no month {month}")
                end = _month_end(year, month)
                return Period(text, dt.date(year, month, 1), dt.date(year, month, end), "month")
            return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        if name == "day_month_year":
            d = _day(int(g[2]), _MONTHS[g[1].lower()], int(g[0]), text)
            return Period(text, d, d, "day")
        if name == "month_day_year":
            d = _day(int(g[2]), _MONTHS[g[0].lower()], int(g[1]), text)
            return Period(text, d, d, "day")
        if name == "month_year":
            year, month = int(g[1]), _MONTHS[g[0].lower()]
            end = _month_end(year, month)
            return Period(text, dt.date(year, month, 1), dt.date(year, month, end), "month")
        if name == "part_month_year":
            year, month = int(g[2]), _MONTHS[g[1].lower()]
            first, last = {"early": (1, 10), "mid": (11, 20)}.get(
                g[0].lower(), (21, _month_end(year, month))
            )
            return Period(text, dt.date(year, month, first), dt.date(year, month, last), "part")
        if name == "part_year":
            year = int(g[1])
            first, last = {"early": (1, 4), "mid": (5, 8)}.get(g[0].lower(), (9, 12))
            last_day = dt.date(year, last, _month_end(year, last))
            return Period(text, dt.date(year, first, 1), last_day, "part")
    raise DateError(
        f"{text!r} is not a date bordermap reads; write a day (2021-10-05), a month "
        '(2021-10, "October 2021"), a year (2021), "early October 2021", a range '
        '("2016–2020", "2021-10/2022-03") or "unknown"'
    )


def parse_period(text: str) -> Period:
    """The :class:`Period` that ``text`` describes (see the module's table).

    Raises
    ------
    DateError
        If ``text`` is no date of the calendar, is in no form listed above, or is a
        range that ends before it starts.
    """
    clean = " ".join(text.split())
    if clean.lower() in ("", "unknown", "undated", "n/a"):
        return Period(clean or "unknown", None, None, "unknown")
    if slashed := _SLASHED.search(clean):
        raise DateError(f"{text!r}: {_slashed(*slashed.groups())}")
    if _STAMP.match(clean):
        return _single(clean)
    if not _FORMS[0][1].match(clean):
        years = _YEAR_RANGE.match(clean)
        parts = years.groups() if years else None
        if parts is None and (m := _RANGE.match(clean)):
            parts = m.groups()
        if parts is not None:
            try:
                first, last = _single(parts[0].strip()), _single(parts[1].strip())
            except DateError as exc:  # say which date it was, not only its half
                raise DateError(f"{text!r}: {exc}") from None
            assert first.start is not None and last.end is not None
            if last.end < first.start:
                raise DateError(f"{text!r}: the range ends before it starts")
            return Period(clean, first.start, last.end, "range")
    return _single(clean)
