"""The ``bordermap`` command line: a thin layer over the library.

This module holds the click group and its global options; each command lives
in its own module and imports the library lazily, so ``bordermap --help``
stays fast (no geopandas or folium on that path).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from bordermap.errors import BordermapError, ConfigError

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


class ProjectFileError(click.ClickException):
    """A bad project file is a usage problem: one line, exit status 2."""

    exit_code = 2


class _Group(click.Group):
    """Turns library errors into one-line click errors at the edge."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise ProjectFileError(str(exc)) from None
        except BordermapError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None


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
    handler.setFormatter(logging.Formatter("bordermap: %(message)s"))
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
    cli(prog_name="bordermap")
