"""A progress bar on standard error, drawn only when it is a terminal.

In a pipe, a file or a test's CliRunner nothing is drawn at all, so output
that is captured or logged never holds carriage returns or bar characters.
"""

from __future__ import annotations

import sys
import time
from typing import IO

__all__ = ["Bar"]

WIDTH = 28
#: Seconds between redraws: a bar must not cost more than the work it shows.
EVERY_S = 0.1


class Bar:
    """``label [#####.....] done/total  rate/s`` redrawn in place on a terminal.

    ``update(done, total)`` may be called as often as wanted; ``close()``
    ends the line. ``total`` may be unknown (0): then only the count shows.
    """

    def __init__(self, label: str, stream: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        try:
            self.shown = self.stream.isatty()
        except (AttributeError, ValueError):
            self.shown = False
        self.start = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def update(self, done: int, total: int = 0) -> None:
        if not self.shown:
            return
        now = time.monotonic()
        if now - self.last < EVERY_S and done != total:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-6)
        if total:
            filled = WIDTH * min(done, total) // total
            bar = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,}"
        else:
            bar = f"{done:,}"
        self.stream.write(f"\r{self.label} {bar}  {rate:,.0f}/s\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.shown and self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
