"""``bordermap extract``: place mentions of articles."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from bordermap.cli import quick_exit
from bordermap.cli.options import FORMATS, cache_option, jobs_option
from bordermap.cli.progress import Bar
from bordermap.errors import counted, one_line

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.geoparse import Mention

log = logging.getLogger("bordermap")


def _total(paths: tuple[str, ...]) -> int:
    """How many article files the paths hold (for the progress bar; 0 if unknown)."""
    from bordermap.articles import article_paths
    from bordermap.errors import ArticleError

    total = 0
    for path in paths:
        try:
            total += 1 if path == "-" else len(article_paths(path))
        except ArticleError:
            total += 1  # reported as one error line
    return total


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format (parquet needs --output and the parquet extra).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (replaced when complete) instead of standard output.",
)
@jobs_option
@cache_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Geoparse on the Dask cluster of this scheduler (tcp://host:8786); "
    "needs the dask extra and the corpus at the same paths on the workers.",
)
@click.option(
    "--dask-local",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Geoparse on a Dask LocalCluster of N worker processes started for the run.",
)
def extract(
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    jobs: int | None,
    cache: bool,
    scheduler: str | None,
    dask_local: int | None,
) -> None:
    """Find and resolve the places named in articles.

    PATHS are article files (.md, .txt), directories (searched recursively)
    or - for standard input. Each bad file gets one line on stderr; the
    others are still processed, and the exit status is 1. Mentions are
    written as they are found (JSON Lines, CSV, Parquet); a progress bar
    shows on a terminal.

    \b
    Example:
      bordermap extract seeds/ --format jsonl > mentions.jsonl
      bordermap extract corpus/ --format parquet -o mentions.parquet
      bordermap extract corpus/ --format jsonl --scheduler tcp://10.0.0.5:8786
    """
    from bordermap.errors import ArticleError

    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet writes a binary file: give --output FILE")
    if scheduler and dask_local:
        raise click.UsageError("give either --scheduler or --dask-local, not both")
    if (scheduler or dask_local) and "-" in paths:
        raise click.UsageError("standard input (-) cannot go to a Dask cluster: give files")
    if (scheduler or dask_local) and jobs:
        raise click.UsageError("--jobs is for this machine; a Dask cluster has its own workers")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ModuleNotFoundError:
            raise click.ClickException(
                "Parquet needs pyarrow: pip install 'bordermap[parquet]'"
            ) from None

    failed = 0
    bar = Bar("extract")
    total = _total(paths) if bar.shown else 0
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        bar.update(done, total)

    def results() -> Iterator[tuple[Article, list[Mention]] | ArticleError]:
        if scheduler or dask_local:
            from bordermap.distributed import extract_dask
            from bordermap.region import DEFAULT_FOCUS

            for item in extract_dask(paths, DEFAULT_FOCUS, scheduler, dask_local):
                tick()
                yield item
            return
        from bordermap.cache import MentionCache
        from bordermap.pipeline import extract_files
        from bordermap.region import DEFAULT_FOCUS
        from bordermap.workers import default_jobs

        store = MentionCache.default(DEFAULT_FOCUS) if cache else None
        yield from extract_files(paths, DEFAULT_FOCUS, jobs or default_jobs(), store, tick)
        if store is not None:
            log.info("geoparsed %s, %s more from the cache", counted(store.misses, "article"),
                 f"{store.hits:,}")  # fmt: skip

    def articles() -> Iterator[tuple[Article, list[Mention]]]:
        # Mentions are written as they come; bad files are reported on the way.
        nonlocal failed
        for item in results():
            if isinstance(item, ArticleError):
                bar.close()
                click.echo(f"Error: {one_line(str(item))}", err=True)
                failed += 1
            else:
                yield item

    try:
        if output is None:
            _write(articles(), fmt, sys.stdout)
        else:
            with _replaced(output, binary=fmt == "parquet") as fh:
                _write(articles(), fmt, fh)
    except BrokenPipeError as exc:
        if output is not None or not _closed(sys.stdout):
            raise click.ClickException(f"{output or 'standard output'}: cannot be written "
                                       f"({exc.strerror or exc})") from None  # fmt: skip
        # The reader went away (``| head``): stop quietly, as other command-line tools do,
        # with nothing more for Python to flush into the closed pipe on its way out.
        bar.close()
        quick_exit.silence_stdout()
        sys.exit(1)
    except OSError as exc:
        where = output if output is not None else "standard output"
        raise click.ClickException(f"{where}: cannot be written ({exc.strerror or exc})") from None
    finally:
        bar.close()
    if failed:
        sys.exit(1)


def _closed(stream: IO[Any]) -> bool:
    """Whether ``stream`` is a pipe whose reader has gone (its write end then polls as an
    error), rather than something else that failed to write."""
    import select

    try:
        poll = select.poll()
        poll.register(stream.fileno(), select.POLLOUT)
        return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in poll.poll(0))
    except (OSError, ValueError):
        return True  # no longer usable at all: it is the one that failed


@contextlib.contextmanager
def _replaced(path: Path, binary: bool) -> Iterator[IO[Any]]:
    """A file written beside ``path`` and moved onto it only once complete."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "xb") if binary else open(tmp, "x", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write(results: Iterator[tuple[Article, list[Mention]]], fmt: str, out: IO[Any]) -> None:
    from bordermap.formats import write_mentions, write_parquet

    if fmt == "parquet":
        write_parquet(results, out)
    else:
        write_mentions(results, fmt, out)
