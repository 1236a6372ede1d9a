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


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2023/05/17", D(2023, 5, 17), D(2023, 5, 17), "day"),
        ("2023/5/7", D(2023, 5, 7), D(2023, 5, 7), "day"),
        ("2023/05", D(2023, 5, 1), D(2023, 5, 31), "month"),
        ("2023/05/17 to 2023/06/01", D(2023, 5, 17), D(2023, 6, 1), "range"),
        ("2023/05/17/2023/06/01", D(2023, 5, 17), D(2023, 6, 1), "range"),
        ("2021/2022", D(2021, 1, 1), D(2022, 12, 31), "range"),
    ],
)
def test_a_slashed_date_with_its_year_first_has_one_reading(text, start, end, precision) -> None:
    p = parse_period(text)
    assert (p.text, p.start, p.end, p.precision) == (text, start, end, precision)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("September 12th, 2023", D(2023, 9, 12)),
        ("12th September 2023", D(2023, 9, 12)),
        ("Sept. 1st, 2023", D(2023, 9, 1)),
        ("22nd Feb 2024", D(2024, 2, 22)),
        ("March 3rd 2024", D(2024, 3, 3)),
        ("Nov. 20, 2022", D(2022, 11, 20)),
        ("Thursday, February 15, 2024", D(2024, 2, 15)),
        ("Thu 15 Feb 2024", D(2024, 2, 15)),
        ("Thurs. Feb. 15th, 2024", D(2024, 2, 15)),
        ("thursday 2024/02/15", D(2024, 2, 15)),
        ("Tue, 2023-10-03T08:00:00Z", D(2023, 10, 3)),
    ],
)
def test_a_day_may_have_an_ordinal_and_a_weekday(text: str, day: dt.date) -> None:
    p = parse_period(text)
    assert (p.text, p.start, p.end, p.precision) == (text, day, day, "day")


@pytest.mark.parametrize(("text", "said"), [
    ("Friday, February 15, 2024", "2024-02-15 is a Thursday, not a Friday; correct the weekday or the day"),
    ("Thursday, February 2024", "a weekday goes with one day, and this date is a month; give the day or leave the weekday out"),
    ("Mon, mid-2021", "a weekday goes with one day, and this date is part of a month or year; give the day or leave the weekday out"),
    ("2023/02/30", "is not a date on the calendar (2023-02-30)"),
    ("2023/13", "there is no month 13"),
    ("2019/20", "there is no month 20 (for two years, write 2019–2020)"),
    ("2023-02-30T08:00Z", "is not a date on the calendar (2023-02-30)"),
    ("February 30th, 2024", "is not a date on the calendar (2024-02-30)"),
    ("2023/05/17 to soon", "is not a date bordermap reads"),
    ("Thursday, Feb 15 to 20, 2024", "is not a date bordermap reads"),
])  # fmt: skip
def test_a_date_error_quotes_the_value_whole(text: str, said: str) -> None:
    with pytest.raises(DateError) as err:
        parse_period(text)
    message = str(err.value)
    assert message.startswith(repr(text)) and said in message
    assert "'" not in message[len(repr(text)) :]  # no fragment quoted after it


def test_a_slashed_front_matter_date_is_the_articles_period(tmp_path: Path) -> None:
    p = tmp_path / "slashed.md"
    p.write_text("---\ndate: 2023/05/17\n---\nTrucks left Dandong.\n", "utf-8")
    a = read_article(p)
    assert (a.date, a.period.start, a.period.end) == ("2023/05/17", D(2023, 5, 17), D(2023, 5, 17))
    p.write_text("---\ndate: Friday, February 15, 2024\n---\nTrucks left Dandong.\n", "utf-8")
    with pytest.raises(ArticleError) as err:
        read_article(p)
    assert str(err.value) == (
        f"{p}: front matter date: 'Friday, February 15, 2024': 2024-02-15 is a Thursday, "
        "not a Friday; correct the weekday or the day"
    )


@pytest.mark.parametrize("text", ["0000", "0000-05", "early 0000", "2021-0000"])
def test_year_zero_is_an_error_not_a_crash(text: str) -> None:
    with pytest.raises(DateError) as err:
        parse_period(text)
    assert str(err.value) == f"{text!r}: year 0 is out of range; write a year from 1 to 9999"
