"""Options and parameter types shared by several commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from bordermap.as_of import AsOf, parse_as_of
from bordermap.errors import SnapshotError
from bordermap.region import bbox_problem
from bordermap.vocab import MENTION_FORMATS, TILES

FORMATS = MENTION_FORMATS
TILE_CHOICES = TILES

config_option = click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("bordermap.toml"),
    show_default=True,
    help="The project file.",
)

jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that geoparse at once [default: every core]; "
    "the output is the same whatever the number.",
)

cache_option = click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse the mentions of articles parsed before (kept per article in the "
    "cache folder, $BORDERMAP_CACHE or ~/.cache/bordermap, under mentions/).",
)

tiles_option = click.option(
    "--tiles",
    type=click.Choice(TILE_CHOICES),
    default=None,
    help="Basemap tiles (default: the project's); 'none' makes maps that fetch nothing.",
)


class SizeType(click.ParamType):
    """``WIDTHxHEIGHT`` in CSS pixels, such as ``1920x1080``, as a ``(width, height)`` tuple."""

    name = "WIDTHxHEIGHT"

    #: Chromium refuses screenshots much beyond 16,384 device pixels a side.
    max_side = 8192

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", str(value))
        if match is None:
            self.fail(
                f"expected WIDTHxHEIGHT in pixels, such as 1920x1080, got {value!r}", param, ctx
            )
        width, height = int(match[1]), int(match[2])
        if not (1 <= width <= self.max_side and 1 <= height <= self.max_side):
            self.fail(
                f"width and height must be between 1 and {self.max_side} pixels, got {value!r}",
                param,
                ctx,
            )
        return width, height


class BboxType(click.ParamType):
    """``W,S,E,N`` in degrees (WGS 84) as a ``(west, south, east, north)`` tuple."""

    name = "W,S,E,N"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, float, float, float]:
        if isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        try:
            if len(parts) != 4:
                raise ValueError
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            self.fail(
                f"expected W,S,E,N (four numbers in degrees), such as 124.0,39.6,130.8,43.1, "
                f"got {value!r}",
                param,
                ctx,
            )
        problem = bbox_problem((west, south, east, north))
        if problem == "finite":
            self.fail(f"expected finite numbers, got {value!r}", param, ctx)
        if problem == "longitude":
            self.fail(
                f"expected -180 <= W < E <= 180 (degrees longitude), got {value!r}", param, ctx
            )
        if problem == "latitude":
            self.fail(f"expected -90 <= S < N <= 90 (degrees latitude), got {value!r}", param, ctx)
        return west, south, east, north


class AsOfType(click.ParamType):
    """A day, month or year (``2021-03-01``, ``2021-03``, ``2021``) as an
    :class:`~bordermap.as_of.AsOf`; see :func:`bordermap.as_of.parse_as_of`."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> AsOf:
        if isinstance(value, AsOf):
            return value
        try:
            return parse_as_of(str(value))
        except SnapshotError as exc:
            self.fail(str(exc), param, ctx)


SIZE = SizeType()
BBOX = BboxType()
AS_OF = AsOfType()
