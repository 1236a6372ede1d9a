"""``bordermap extract``: place mentions of articles."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from bordermap.cli.options import FORMATS, jobs_option

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.geoparse import Mention


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)
@jobs_option
def extract(paths: tuple[str, ...], fmt: str, jobs: int | None) -> None:
    """Find and resolve the places named in articles.

    PATHS are article files (.md, .txt), directories (searched recursively)
    or - for standard input. Each bad file gets one line on stderr; the
    others are still processed, and the exit status is 1.

    \b
    Example:
      bordermap extract seeds/ --format jsonl > mentions.jsonl
    """
    from bordermap.errors import ArticleError
    from bordermap.formats import write_mentions
    from bordermap.pipeline import extract_files
    from bordermap.workers import default_jobs

    failed = 0

    def articles() -> Iterator[tuple[Article, list[Mention]]]:
        # Mentions are written as they come; bad files are reported on the way.
        nonlocal failed
        for item in extract_files(paths, jobs=jobs or default_jobs()):
            if isinstance(item, ArticleError):
                click.echo(f"Error: {item}", err=True)
                failed += 1
            else:
                yield item

    write_mentions(articles(), fmt, sys.stdout)
    if failed:
        sys.exit(1)
