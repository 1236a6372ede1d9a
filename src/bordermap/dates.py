"""Dates as reporting gives them: a day, a month, a year, part of one, a range, or unknown.

:func:`parse_period` reads the forms articles and project files use and returns a
:class:`Period`: the first and last day it may mean and how precise it is, after
the Security Force Monitor's precise and imprecise date bounds (an imprecise date
is its whole span, never a guessed day)::

    "2021-10-05", "2021/10/05", "5 October 2021", "October 5th, 2021",
    "Tuesday, Oct. 5, 2021"
                          day     2021-10-05 .. 2021-10-05
    "2021-10", "2021/10", "October 2021"
                          month   2021-10-01 .. 2021-10-31
    "2021"                year    2021-01-01 .. 2021-12-31
    "early October 2023"  part    2023-10-01 .. 2023-10-10 (mid: 11-20, late: 21-end)
    "mid-2021"            part    2021-05-01 .. 2021-08-31 (early: Jan-Apr, late: Sep-Dec)
    "2016–2020", "2021-10/2022-03", "April 2019 to May 2019"
                          range   the first day of the first to the last day of the second
    "unknown", ""         unknown no bounds

A slashed date with its year first has one reading; one with its year last
(12/04/2023) has two, and is an error that names them. An impossible date
("2021-02-30"), a weekday that is not the day's or an unreadable date raises
:class:`DateError`, whose message quotes the date whole and says what is wrong;
callers add the file and key.
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
#: A day of the month, with or without its ordinal suffix (12, 12th, 1st, 22nd, 3rd).
_DOM = r"(\d{1,2})(?:st|nd|rd|th)?"

#: Weekday names and abbreviations, Monday 0 (as :meth:`datetime.date.weekday`).
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS |= {name.lower(): i for i, name in enumerate(calendar.day_abbr)}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
#: "Thursday, " or "Thu. " before a day: the weekday and the rest.
_WEEKDAY = re.compile(
    r"^(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+(.+)$",
    re.IGNORECASE,
)

_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        # 2021-10-05, 2021-10, 2021; also 2021/10/05 and 2021/10 (year first: one reading)
        ("iso", r"^(\d{4})(?:([-/])(\d{1,2})(?:\2(\d{1,2}))?)?$"),
        ("day_month_year", rf"^{_DOM} {_MONTH},? (\d{{4}})$"),
        ("month_day_year", rf"^{_MONTH} {_DOM},? (\d{{4}})$"),
        ("part_month_year", rf"^{_PART}{_MONTH},? (\d{{4}})$"),
        ("month_year", rf"^{_MONTH},? (\d{{4}})$"),
        ("part_year", rf"^{_PART}(\d{{4}})$"),
    )
)
#: Range separators: an en or em dash (spaces allowed), "/", " to ", or " - " with spaces.
_RANGE = re.compile(r"\s*(?:[–—/]|\s-\s|\bto\b|\buntil\b)\s*", re.IGNORECASE)
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


def _iso(text: str, year: int, sep: str | None, month: str | None, day: str | None) -> Period:
    """The day, month or year of an ISO date (2021-10-05, 2021-10, 2021) or of one with
    slashes and its year first (2021/10/05, 2021/10), which has only that reading."""
    if day is not None and month is not None:
        d = _day(year, int(month), int(day), text)
        return Period(text, d, d, "day")
    if month is None:
        return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    m = int(month)
    if not 1 <= m <= 12:
        years = year // 100 * 100 + m  # 2019/20: two years, in the way of a month
        hint = f" (for two years, write {year}–{years})" if sep == "/" and years > year else ""
        raise DateError(f"{text!r}: there is no month {m}{hint}")
    return Period(text, dt.date(year, m, 1), dt.date(year, m, _month_end(year, m)), "month")


def _form(body: str, text: str) -> Period | None:
    """The period ``body`` gives in one of the forms of ``_FORMS``, None if it is in none.

    ``text`` is the whole value as written: the period's text, and what errors quote.
    """
    for name, pattern in _FORMS:
        m = pattern.match(body)
        if not m:
            continue
        g = m.groups()
        if name == "iso":
            return _iso(text, int(g[0]), g[1], g[2], g[3])
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
    return None


#: What a period that is not one day is, for the error of a weekday before it.
_SPANS = {"month": "a month", "year": "a year", "part": "part of a month or year"}


def _on_weekday(period: Period, weekday: int) -> Period:
    """``period``, checked to be one day that falls on ``weekday`` (Monday 0)."""
    if period.precision != "day" or period.start is None:
        span = _SPANS.get(period.precision, period.precision)
        raise DateError(
            f"{period.text!r}: a weekday goes with one day, and this date is {span}; "
            "give the day or leave the weekday out"
        )
    actual = period.start.weekday()
    if actual != weekday:
        raise DateError(
            f"{period.text!r}: {period.start.isoformat()} is a {calendar.day_name[actual]}, "
            f"not a {calendar.day_name[weekday]}; correct the weekday or the day"
        )
    return period


def _single(text: str) -> Period | None:
    """The period ``text`` gives if it is not a range, None if it is in no form read.

    A weekday may stand before a day ("Thursday, February 15, 2024"); it must be that
    day's. A time stamp is its day as written.
    """
    weekday, body = None, text
    if named := _WEEKDAY.match(text):
        weekday, body = _WEEKDAYS[named.group(1).lower()], named.group(2)
    if stamp := _STAMP.match(body):
        day = _form(stamp.group(1), text)
        assert day is not None  # the stamp's day is an ISO day
        period: Period | None = Period(text, day.start, day.end, "day")
    else:
        period = _form(body, text)
    if period is None or weekday is None:
        return period
    return _on_weekday(period, weekday)


def _range(text: str) -> Period | None:
    """The range ``text`` gives: two periods joined by a separator; None if no split reads.

    Each separator is tried in turn, so a slash inside a date (2023/05/17 to 2023/06/01)
    is not taken for one; the first split whose two halves both read is the range.
    """
    if years := _YEAR_RANGE.match(text):
        splits = [years.groups()]
    else:
        splits = [(text[: m.start()], text[m.end() :]) for m in _RANGE.finditer(text)]
    wrong: DateError | None = None  # a half in a form read, but impossible
    for first_text, last_text in splits:
        try:
            first, last = _single(first_text), _single(last_text)
        except DateError as exc:
            wrong = wrong or exc
            continue
        if first is None or last is None:
            continue
        assert first.start is not None and last.end is not None
        if last.end < first.start:
            raise DateError(f"{text!r}: the range ends before it starts")
        return Period(text, first.start, last.end, "range")
    if wrong is not None:  # say which date it was, not only its half
        raise DateError(f"{text!r}: {wrong}")
    return None


def parse_period(text: str) -> Period:
    """The :class:`Period` that ``text`` describes (see the module's table).

    Raises
    ------
    DateError
        If ``text`` is no date of the calendar, is in no form listed above, names a
        weekday that is not its day's, or is a range that ends before it starts. The
        message quotes ``text`` whole (white space aside).
    """
    clean = " ".join(text.split())
    if clean.lower() in ("", "unknown", "undated", "n/a"):
        return Period(clean or "unknown", None, None, "unknown")
    if slashed := _SLASHED.search(clean):
        raise DateError(f"{clean!r}: {_slashed(*slashed.groups())}")
    try:
        period = _single(clean) or _range(clean)
    except DateError:
        raise
    except ValueError as exc:  # a year the calendar does not have: 0000
        raise DateError(f"{clean!r}: {exc}; write a year from 1 to 9999") from None
    if period is None:
        raise DateError(
            f"{clean!r} is not a date bordermap reads; write a day (2021-10-05), a month "
            '(2021-10, "October 2021"), a year (2021), "early October 2021", a range '
            '("2016–2020", "2021-10/2022-03") or "unknown"'
        )
    return period
