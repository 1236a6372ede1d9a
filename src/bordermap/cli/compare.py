"""``bordermap compare``: two layers on one page, with distance statistics."""

from __future__ import annotations

from pathlib import Path

import click

from bordermap.cli.options import config_option, tiles_option
from bordermap.vocab import COMPARE_MODES


def _within(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, ...]:
    from bordermap.compare import parse_within

    try:
        return parse_within(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _page(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() == ".csv":
        raise click.BadParameter(
            f"{str(value)!r} ends in .csv: name the HTML page (the statistics are "
            "written beside it as .csv), e.g. -o compare.html",
            ctx=ctx,
            param=param,
        )
    return value


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--mode",
    type=click.Choice(COMPARE_MODES),
    default="side-by-side",
    show_default=True,
    help="Two synchronised maps, one map with a swipe divider, or both layers on one map.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_page,
    help="The HTML page to write; the statistics go beside it as .csv "
    "(default: <output>/compare-A-vs-B.html).",
)
@config_option
@click.option(
    "--within",
    default="10,25,50",
    show_default=True,
    callback=_within,
    metavar="KM,KM,...",
    help="Count features within these distances of the border.",
)
@tiles_option
def compare(
    a: str,
    b: str,
    mode: str,
    out: Path | None,
    config: Path,
    within: tuple[float, ...],
    tiles: str | None,
) -> None:
    """Compare layer A with layer B: a map page and distance statistics.

    A and B are layer ids of the project (upgrades), layers of another project
    (other.toml:cameras) or files: GeoJSON (places.geojson) or GeoPackage
    (places.gpkg for its first table, places.gpkg:table). The statistics
    (counts, extents, geodesic lengths, each feature's nearest feature of the
    other layer, distances to the border, counts within --within km of it) are
    printed as tables and written as CSV beside the page.

    \b
    Example:
      bordermap compare upgrades checkpoints --mode swipe -o output/compare.html
    """
    from bordermap.compare import compare_refs
    from bordermap.errors import UnknownLayerError

    try:
        run = compare_refs(a, b, config, mode, out, within, tiles)
    except UnknownLayerError as exc:
        hint = f"'{exc.argument}'" if exc.argument else None
        raise click.BadParameter(str(exc), param_hint=hint) from None
    click.echo(run.comparison.table(), nl=False)
    click.echo(f"wrote {run.html_path} and {run.csv_path}", err=True)
