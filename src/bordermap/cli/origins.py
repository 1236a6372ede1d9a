"""``bordermap origins``: which articles retell one report, stated and proposed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bordermap.cli.options import config_option


@click.command()
@config_option
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.2, show_default=True,
              help="Least shingle similarity (Jaccard, 0-1) of a proposed pair.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True, help="Output format.")  # fmt: skip
def origins(config: Path, threshold: float, fmt: str) -> None:
    """List the origins of the corpus (articles joined by derived_from in their
    front matter) and propose near-duplicate pairs found by text similarity,
    each with the derived_from line that would join them. Nothing is merged:
    a pair counts as one origin only once that line is in the front matter.

    \b
    Example:
      bordermap origins --threshold 0.3
    """
    from bordermap.config import load_config
    from bordermap.origins import group, near_duplicates
    from bordermap.pipeline import load

    parts = load(load_config(config))
    articles = parts.articles
    found = group(articles)
    pairs = near_duplicates(articles, threshold, found)
    roots = sorted(set(found.origin.values()))
    if fmt == "jsonl":
        for root in roots:
            click.echo(json.dumps({"origin": root, "articles": found.members(root)}))
        for p in pairs:
            click.echo(json.dumps({"earlier": p.earlier, "later": p.later,
                                   "similarity": p.similarity, "stated": p.stated,
                                   "suggestion": "" if p.stated else p.suggestion}))  # fmt: skip
        return
    click.echo(f"{len(articles)} articles, {len(roots)} origins")
    for root in roots:
        members = found.members(root)
        if len(members) > 1:
            click.echo(f"  origin {root}: {', '.join(members)}")
    noun = "pair" if len(pairs) == 1 else "pairs"
    click.echo(f"{len(pairs)} similar {noun} (similarity >= {threshold:g})")
    for p in pairs:
        if p.stated:
            click.echo(f"  {p.later} ~ {p.earlier}  {p.similarity:.3f}  (already one origin)")
        else:
            path = articles[p.later].path or p.later
            click.echo(f"  {p.later} ~ {p.earlier}  {p.similarity:.3f}  add to {path}: "
                       f"{p.suggestion}")  # fmt: skip
