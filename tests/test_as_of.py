"""Reading a snapshot's as-of date (bordermap.as_of): the day it stands for, its label
and file name, and the one-line errors."""

from __future__ import annotations

import datetime as dt

import pytest

from bordermap.as_of import AsOf, parse_as_of
from bordermap.errors import SnapshotError

ADVICE = "write a day, a month or a year (2021-03-01, 2021-03, 2021)"


@pytest.mark.parametrize(
    ("text", "label", "day"),
    [
        ("2021-03-01", "2021-03-01", dt.date(2021, 3, 1)),
        ("1 March 2021", "2021-03-01", dt.date(2021, 3, 1)),
        ("2021-03", "2021-03", dt.date(2021, 3, 31)),
        ("March 2021", "2021-03", dt.date(2021, 3, 31)),
        ("2020-02", "2020-02", dt.date(2020, 2, 29)),
        ("2021", "2021", dt.date(2021, 12, 31)),
    ],
)
def test_a_date_stands_for_its_last_day(text: str, label: str, day: dt.date) -> None:
    assert parse_as_of(text) == AsOf(label, day)


def test_the_file_name_carries_the_date() -> None:
    assert parse_as_of("2021-03").name("index.png") == "index-as-of-2021-03.png"
    assert parse_as_of("2021-03-01").name("overview.pdf") == "overview-as-of-2021-03-01.pdf"
    assert parse_as_of("2021").options() == {"day": "2021-12-31", "label": "2021"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-02-30", "'2021-02-30' is not a date on the calendar (2021-02-30)"),
        ("2021-13", "'2021-13': there is no month 13"),
        ("tomorrow", "'tomorrow' is not a date bordermap reads"),
        ("2019-2020", "'2019-2020' is a range, not one date"),
        ("mid-2021", "'mid-2021' is part of a month or year, not one date"),
        ("unknown", "'unknown' is not a date"),
        ("", "'' is not a date"),
    ],
)
def test_anything_else_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(SnapshotError) as err:
        parse_as_of(text)
    assert str(err.value) == f"{message}: {ADVICE}"
