"""The ``bordermap`` command line: a thin layer over the library.

This module holds the click group and its global options; each command lives
in its own module and imports the library lazily, so ``bordermap --help``
stays fast (no geopandas or folium on that path).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from types import FrameType
from typing import Any

import click

from bordermap.cli import quick_exit
from bordermap.errors import BadArticles, BordermapError, ConfigError, one_line

__all__ = ["cli", "main"]


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is logged (not when configured)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


class _OneLineFormatter(logging.Formatter):
    """Log records on one line each, whatever the file names in them hold."""

    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


class ProjectFileError(click.ClickException):
    """A bad project file is a usage problem: one line, exit status 2."""

    exit_code = 2


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that staged outputs are discarded on the way out."""


_MAIN_PID = os.getpid()


def _on_sigterm(signum: int, _frame: FrameType | None) -> None:
    if os.getpid() != _MAIN_PID:  # a forked worker: die as the signal means
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Terminated()


#: The commands whose outputs change all at once or not at all (a stop leaves them as they were).
_STAGED = frozenset({"build"})


class _Group(click.Group):
    """Turns library errors into one-line click errors at the edge."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise ProjectFileError(one_line(str(exc))) from None
        except BadArticles as exc:  # one line per article, each kept to one line
            raise click.ClickException(str(exc)) from None
        except BordermapError as exc:
            raise click.ClickException(one_line(str(exc))) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated)
            how = "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C"
            # Only a build stages all it writes; others may have written some already.
            kept = "; every output is as it was before this run" if _STAGED & {
                ctx.invoked_subcommand} else ""  # fmt: skip
            raise click.ClickException(f"stopped by {how}{kept}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log messages on stderr (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(package_name="bordermap")
def cli(verbose: int, quiet: bool) -> None:
    """Maps of the China–North Korea border from news articles.

    \b
    Example:
      bordermap extract seeds/ --format jsonl
    """
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    handler = _StderrHandler()
    handler.setFormatter(_OneLineFormatter("bordermap: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)


def _register() -> None:
    # Every command, named here: a missing or broken module fails loudly.
    # The command modules import the library lazily, inside each command.
    from bordermap.cli import build, compare, extract, geocode, init, origins, places, snapshot

    for command in (
        init.init,
        extract.extract,
        geocode.geocode,
        places.places,
        origins.origins,
        build.build,
        snapshot.snapshot,
        compare.compare,
    ):
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    signal.signal(signal.SIGTERM, _on_sigterm)
    quick_exit.arm()
    try:
        cli(prog_name="bordermap")
    except SystemExit as done:  # click's standalone mode always ends with one
        quick_exit.finish(done.code)
    except OSError as exc:  # standard output cannot be written (a full disk, /dev/full)
        # Nothing more for Python to flush into it on the way out; one line, status 1.
        quick_exit.silence_stdout()
        print(f"Error: cannot write the output ({exc.strerror or exc})", file=sys.stderr)
        quick_exit.finish(1)
