"""Dates as reporting gives them (bordermap.dates), and front-matter dates checked on reading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bordermap.articles import read_article
from bordermap.dates import parse_period
from bordermap.errors import ArticleError, DateError

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2021-10-05", D(2021, 10, 5), D(2021, 10, 5), "day"),
        ("5 October 2021", D(2021, 10, 5), D(2021, 10, 5), "day"),
        ("Oct. 5, 2021", D(2021, 10, 5), D(2021, 10, 5), "day"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),
        ("October 2021", D(2021, 10, 1), D(2021, 10, 31), "month"),
        ("2020", D(2020, 1, 1), D(2020, 12, 31), "year"),
        ("early October 2023", D(2023, 10, 1), D(2023, 10, 10), "part"),
        ("mid-April 2019", D(2019, 4, 11), D(2019, 4, 20), "part"),
        ("late February 2023", D(2023, 2, 21), D(2023, 2, 28), "part"),
        ("mid-2021", D(2021, 5, 1), D(2021, 8, 31), "part"),
        ("2016–2020", D(2016, 1, 1), D(2020, 12, 31), "range"),
        ("2016-2020", D(2016, 1, 1), D(2020, 12, 31), "range"),
        ("2021-10/2022-03", D(2021, 10, 1), D(2022, 3, 31), "range"),
        ("April 2019 to May 2019", D(2019, 4, 1), D(2019, 5, 31), "range"),
    ],
)
def test_each_form_gives_its_bounds_and_precision(text, start, end, precision) -> None:
    p = parse_period(text)
    assert (p.start, p.end, p.precision) == (start, end, precision)
    assert p.iso == (start.isoformat() if start == end else f"{start}/{end}")


def test_unknown_has_no_bounds() -> None:
    p = parse_period("unknown")
    assert (p.start, p.end, p.precision, p.known, p.iso) == (None, None, "unknown", False, "")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2021-02-30", "not a date on the calendar"),
        ("2021-13", "there is no month 13"),
        ("31 April 2020", "not a date on the calendar"),
        ("2020–2019", "ends before it starts"),
        ("soon after the congress", "not a date bordermap reads"),
    ],
)
def test_impossible_or_unreadable_dates_are_errors(text, why) -> None:
    with pytest.raises(DateError, match=why):
        parse_period(text)


def test_an_impossible_front_matter_date_names_the_file_and_key(tmp_path: Path) -> None:
    p = tmp_path / "bad.md"
    p.write_text('---\nid: "x"\ndate: "2021-02-30"\n---\nTrucks left Dandong.\n', "utf-8")
    with pytest.raises(ArticleError) as err:
        read_article(p)
    assert str(err.value) == (
        f"{p}: front matter date: '2021-02-30' is not a date on the calendar (2021-02-30)"
    )


def test_an_article_knows_its_period_and_file_hash(tmp_path: Path) -> None:
    import hashlib

    p = tmp_path / "ok.md"
    p.write_bytes(b'---\ndate: "early October 2023"\n---\nTrucks left Dandong.\n')
    a = read_article(p)
    assert (a.period.start, a.period.end) == (D(2023, 10, 1), D(2023, 10, 10))
    assert a.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_a_time_stamp_is_its_day() -> None:
    for stamp in ("2023-10-05T08:00:00Z", "2023-10-05T23:59+09:00", "2023-10-05 08:00:00.5"):
        period = parse_period(stamp)
        assert (period.start, period.end, period.precision) == (
            dt.date(2023, 10, 5), dt.date(2023, 10, 5), "day")  # fmt: skip


def test_an_unreadable_date_is_named_whole() -> None:
    with pytest.raises(DateError) as err:
        parse_period("12/04/2023")
    assert str(err.value) == ("'12/04/2023': day and month in an order the date does not say; "
                              "write 2023-04-12 or 2023-12-04")  # fmt: skip
    with pytest.raises(DateError, match=r"^'2021-13/2022-01': '2021-13': there is no month 13$"):
        parse_period("2021-13/2022-01")


@pytest.mark.parametrize(("text", "said"), [
    ("25/04/2023", "write it as 2023-04-25 (dates are year-month-day)"),
    ("13/13/2023", "no date of the calendar in either order of 13 and 13"),
    ("12/04/2023 - 15/04/2023", "day and month in an order the date does not say; write 2023-04-12 or 2023-12-04"),
])  # fmt: skip
def test_a_slashed_date_says_what_to_write(text: str, said: str) -> None:
    with pytest.raises(DateError) as err:
        parse_period(text)
    assert str(err.value) == f"{text!r}: {said}"


def test_a_range_of_time_stamps_is_the_days_between() -> None:
    for text in ("2023-04-12T10:00Z to 2023-04-13T10:00Z", "2023-04-12T10:00/2023-04-13T11:00"):
        period = parse_period(text)
        assert (period.start, period.end, period.precision) == (
            dt.date(2023, 4, 12), dt.date(2023, 4, 13), "range")  # fmt: skip
