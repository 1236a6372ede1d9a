"""A snapshot "as of" a date: the date read, the day it stands for, the file it is named by.

``bordermap snapshot --as-of DATE`` shows a map as it stood on a date: the
page's own time filter (``assets/claims.js``) is set so that it shows only
the features and claims whose period had begun by then.  :func:`parse_as_of`
reads DATE with :func:`bordermap.dates.parse_period`; a day, a month or a
year is accepted, and it stands for its *last* day, so that ``2021-03`` is the
page's filter with its upper handle at March 2021 and ``2021`` at December::

    "2021-03-01", "1 March 2021"   as of 2021-03-01
    "2021-03", "March 2021"        as of 2021-03-31
    "2021"                         as of 2021-12-31

A claim's imprecise period counts from its first possible day, as the page's
filter counts it (a claim dated "2021" is shown as of 2021-06-01: it may have
begun by then); an undated one is always shown.

>>> a = parse_as_of("March 2021")
>>> a.label, a.day.isoformat(), a.name("index.png")
('2021-03', '2021-03-31', 'index-as-of-2021-03.png')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath

from bordermap.dates import parse_period
from bordermap.errors import DateError, SnapshotError

__all__ = ["AsOf", "parse_as_of"]

#: The precisions an as-of date may have: how many characters of its ISO day its label keeps.
_LABEL = {"day": 10, "month": 7, "year": 4}
#: What the other precisions are called in the error.
_NOT_ONE = {"part": "is part of a month or year, not one date", "range": "is a range, not one date",
            "unknown": "is not a date"}  # fmt: skip


@dataclass(frozen=True)
class AsOf:
    """The date a snapshot shows the map as of.

    Attributes
    ----------
    label : str
        The date as the snapshot's caption, alt text and file name write it:
        ``"2021-03-01"``, ``"2021-03"`` or ``"2021"``.
    day : datetime.date
        The last day it covers: claims begun on or before it are shown.
    """

    label: str
    day: dt.date

    def name(self, file_name: str) -> str:
        """``file_name`` with ``-as-of-LABEL`` before its suffix: ``index-as-of-2021-03.png``."""
        path = PurePath(file_name)
        return f"{path.stem}-as-of-{self.label}{path.suffix}"

    def options(self) -> dict[str, str]:
        """What the page's ``bordermap.showAsOf`` is given: ``{"day", "label"}``."""
        return {"day": self.day.isoformat(), "label": self.label}


def parse_as_of(text: str) -> AsOf:
    """The :class:`AsOf` of ``text``: a day, a month or a year, in any form
    :func:`~bordermap.dates.parse_period` reads.

    Raises
    ------
    SnapshotError
        If ``text`` is no date, or is a range, a part of a month or year, or unknown;
        the message says what to write instead.
    """
    example = "write a day, a month or a year (2021-03-01, 2021-03, 2021)"
    try:
        period = parse_period(text)
    except DateError as exc:
        # Its own advice lists ranges and "unknown", which an as-of date cannot be.
        message = f"{text!r} is not a date bordermap reads" if "reads" in str(exc) else str(exc)
        raise SnapshotError(f"{message}: {example}") from None
    if period.precision not in _LABEL or period.start is None or period.end is None:
        raise SnapshotError(f"{text!r} {_NOT_ONE[period.precision]}: {example}")
    return AsOf(period.start.isoformat()[: _LABEL[period.precision]], period.end)
