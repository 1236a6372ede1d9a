"""``bordermap places``: review the places of a project's corpus."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bordermap.cli.options import cache_option, config_option, jobs_option
from bordermap.errors import first_few

if TYPE_CHECKING:
    from bordermap.places import PhraseRow, PlaceRow

SHOW = ("places", "unresolved", "low-confidence")


@click.command()
@config_option
@click.option("--show", type=click.Choice(SHOW), default="places", show_default=True,
              help="Every distinct place, the phrases that resolved to nothing or that read "
              "like places the gazetteer lacks, "
              "or the mentions resolved with low confidence.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table",
              show_default=True, help="Output format.")  # fmt: skip
@jobs_option
@cache_option
def places(config: Path, show: str, fmt: str, jobs: int | None, cache: bool) -> None:
    """List every distinct place of the corpus with its mentions, articles, kind,
    precision, lowest score, how it matched and the gazetteer's other
    candidates for its name (scored in isolation, without the article's
    context); or the unresolved phrases; or the low-confidence mentions.

    \b
    Example:
      bordermap places --format csv > places.csv
    """
    from bordermap.config import load_config
    from bordermap.gazetteer import load_gazetteer
    from bordermap.pipeline import load
    from bordermap.places import as_records, review
    from bordermap.workers import default_jobs

    project = load_config(config)
    store = None
    if cache:  # the mentions a build found are not found again
        from bordermap.cache import MentionCache

        store = MentionCache.default(project.focus)
    parts = load(project, jobs=jobs or default_jobs(), cache=store)
    result = review(parts.mentions, load_gazetteer(), parts.config.focus,
                    articles=parts.articles.values())  # fmt: skip
    rows: Sequence[PlaceRow | PhraseRow] = result.places
    if show == "unresolved":
        rows = result.unresolved
    elif show == "low-confidence":
        rows = result.low_confidence
    records = as_records(rows)
    if fmt == "jsonl":
        for r in records:
            click.echo(json.dumps(r, ensure_ascii=False))
    elif fmt == "csv":
        if records:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
    else:
        _table(show, rows, records)


def _table(
    show: str, rows: Sequence[PlaceRow | PhraseRow], records: list[dict[str, object]]
) -> None:
    if show == "places":
        cols = ["name", "kind", "precision", "country", "mentions", "articles", "score", "match",
                "runners_up"]  # fmt: skip
    elif show == "unresolved":
        cols = ["text", "mentions", "articles", "why"]
    else:
        cols = ["text", "name", "score", "mentions", "articles"]
    table = [cols] + [
        [_articles(row) if c == "articles" else _cell(r[c]) for c in cols]
        for row, r in zip(rows, records, strict=True)
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(cols))]
    for row in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    click.echo(f"{len(records)} {show.replace('-', ' ')}")


#: A table lists this many of a place's articles (CSV and JSON Lines list them all).
SHOWN_ARTICLES = 3


def _articles(row: PlaceRow | PhraseRow) -> str:
    return first_few(row.articles, SHOWN_ARTICLES, "; ")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
