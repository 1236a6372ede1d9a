"""Exceptions raised by bordermap.

Every error the library raises derives from :class:`BordermapError`; each
subclass also derives from the matching builtin so callers may catch either.
The CLI turns them into one-line messages at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence


def one_line(message: str) -> str:
    """``message`` on one line: a newline (in a file name, say) is shown as ``\\n``."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def counted(n: int, noun: str) -> str:
    """``"1 article"``, ``"2 articles"``, ``"10,010 articles"``: a count in a message."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def first_few(items: Sequence[str], shown: int = 3, sep: str = ", ", noun: str = "") -> str:
    """``"005, 007, 009 and 2 more articles"`` (``noun`` "article"; without one, "and 2
    more"): the first ``shown`` of ``items`` and how many the list leaves out."""
    more = len(items) - shown
    if more <= 0:
        return sep.join(items)
    left = counted(more, f"more {noun}") if noun else f"{more:,} more"
    return f"{sep.join(items[:shown])} and {left}"


class BordermapError(Exception):
    """Base class of every bordermap error."""


class ArticleError(BordermapError, ValueError):
    """An article file is missing, empty, binary or cannot be decoded."""


class BadArticles(ArticleError):
    """Several bad articles: a header line, then one line per article."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return (
            f"{len(self.problems)} bad articles (nothing was written; fix them, or build with "
            "--skip-bad to leave them out):\n  " + "\n  ".join(map(one_line, self.problems))
        )


class ConfigError(BordermapError, ValueError):
    """The project file is malformed; the message names the file and key path."""


class DataError(BordermapError, RuntimeError):
    """Shipped data is missing or unreadable (a broken installation)."""


class LayerError(BordermapError, KeyError):
    """An unknown layer id or an unreadable layer file."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class BrowserError(BordermapError, RuntimeError):
    """No usable Chromium, or a page that never became ready."""


class UnknownLayerError(LayerError):
    """A layer reference that names nothing: an unknown layer or table, or a missing file.

    A bad argument rather than a failure: the CLI reports it as a usage error.
    ``argument`` names the argument it came from ("A", "B"), when known.
    """

    argument: str | None = None


class SnapshotError(BordermapError, ValueError):
    """A bad snapshot request: unknown format, non-positive size or scale, bad bbox."""


class OutputError(BordermapError, OSError):
    """The output cannot be written: a read-only folder, a file in the way, a build running."""


class DateError(BordermapError, ValueError):
    """A date that is not on the calendar or not in a form bordermap reads."""


class ClusterError(BordermapError, RuntimeError):
    """Dask is not installed, or the Dask scheduler given cannot be reached."""
