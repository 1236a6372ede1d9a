"""``bordermap extract``: place mentions of articles."""

from __future__ import annotations

import sys

import click

from bordermap.cli.options import FORMATS, jobs_option


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
    results = []
    for item in extract_files(paths, jobs=jobs or default_jobs()):
        if isinstance(item, ArticleError):
            click.echo(f"Error: {item}", err=True)
            failed += 1
        else:
            results.append(item)
    write_mentions(results, fmt, sys.stdout)
    if failed:
        sys.exit(1)
