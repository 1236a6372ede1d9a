"""The end of a ``bordermap`` process: no freeing, one by one, of what a build made.

A build of 10,000 articles ends holding a few million small objects (the
corpus's mentions, the layers' entries). Freeing them one by one takes half a
second that nobody waits for gladly, and the operating system reclaims the
whole process at once anyway. So a command that made such objects hands them
to :func:`keep_until_exit`, and the console entry point (:func:`finish`, from
:func:`bordermap.cli.main`) ends the process with ``os._exit`` once the
command returned, after flushing the standard streams and the log handlers.

Only the console entry point does this: inside another program (click's test
runner, a notebook) :func:`keep_until_exit` keeps nothing and nothing exits.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

__all__ = ["arm", "finish", "keep_until_exit", "silence_stdout"]

_kept: list[object] = []
_armed = False


def arm() -> None:
    """Make :func:`keep_until_exit` keep (the console entry point calls this first)."""
    global _armed
    _armed = True


def keep_until_exit(*objects: object) -> None:
    """Keep ``objects`` alive until the process ends (only once :func:`arm` was called)."""
    if _armed:
        _kept.extend(objects)


def finish(code: object) -> NoReturn:
    """Exit with ``code`` (as ``SystemExit`` takes it): at once when something is kept,
    else through ``sys.exit`` as usual."""
    if not _kept:
        sys.exit(code)  # type: ignore[arg-type]
    status = 0 if code is None else code if isinstance(code, int) else 1
    if not isinstance(code, int | None):
        print(code, file=sys.stderr)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said on it
            pass
    os._exit(status)


def silence_stdout() -> None:
    """Standard output pointed at /dev/null: it cannot be written (its reader went away, a
    full disk), and Python would otherwise try again to flush into it on its way out."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
