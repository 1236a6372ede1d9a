"""Options and parameter types shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

FORMATS = ("table", "jsonl", "csv", "geojson")
TILE_CHOICES = ("OpenStreetMap", "CartoDB positron", "none")

config_option = click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("bordermap.toml"),
    show_default=True,
    help="The project file.",
)

tiles_option = click.option(
    "--tiles",
    type=click.Choice(TILE_CHOICES),
    default=None,
    help="Basemap tiles (default: the project's); 'none' makes maps that fetch nothing.",
)
