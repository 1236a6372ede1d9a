"""``bordermap init``: start a project of your own."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", type=click.Path(path_type=Path), default=".", required=False)
def init(folder: Path) -> None:
    """Start a project in FOLDER (default: here): a commented bordermap.toml,
    articles/example.md and a .gitignore for output/. Never overwrites a project file.

    \b
    Example:
      bordermap init my-project && cd my-project && bordermap build
    """
    from bordermap.starter import init as start

    started = start(folder)
    for path in started.written:
        click.echo(f"wrote {path}")
    here = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(f"next: put your articles in articles/, then {here}bordermap build", err=True)
