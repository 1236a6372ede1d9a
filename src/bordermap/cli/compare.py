"""``bordermap compare``: two layers on one page, with distance statistics."""

from __future__ import annotations

from pathlib import Path

import click

from bordermap.cli.options import config_option, tiles_option
from bordermap.vocab import COMPARE_MODES

MODES = COMPARE_MODES


def _within(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, ...]:
    from bordermap.compare import parse_within

    try:
        return parse_within(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="side-by-side",
    show_default=True,
    help="Two synchronised maps, one map with a swipe divider, or both layers on one map.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
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
    from bordermap.compare import UnknownLayerError, compare, read_layer, resolve, slug
    from bordermap.project import Project
    from bordermap.render.compare_page import write

    needs_project = out is None or tiles is None or not all(_is_file_ref(r) for r in (a, b))
    project = Project.load(config) if needs_project or config.exists() else None
    others: dict[Path, Project] = {}
    refs = []
    for text, hint in ((a, "'A'"), (b, "'B'")):
        try:
            refs.append(resolve(text, project, others))
        except UnknownLayerError as exc:
            raise click.BadParameter(str(exc), param_hint=hint) from None
    layers = []
    for ref in refs:
        owner = others.get(ref.path.resolve(), project) if ref.kind == "project" else project
        layers.append(read_layer(ref, owner))
    result = compare(layers[0], layers[1], within)
    if out is None:
        assert project is not None
        out = project.config.output / f"compare-{slug(a)}-vs-{slug(b)}.html"
    tiles_value = tiles if tiles is not None else (project.config.tiles if project else "none")
    html_path, csv_path = write(result, out, mode, None if tiles_value == "none" else tiles_value)
    click.echo(result.table(), nl=False)
    click.echo(f"wrote {html_path} and {csv_path}", err=True)


def _is_file_ref(text: str) -> bool:
    head, sep, _ = text.rpartition(":")
    name = (head if sep else text).lower()
    return name.endswith((".geojson", ".json", ".gpkg"))
