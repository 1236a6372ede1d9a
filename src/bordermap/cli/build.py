"""``bordermap build``: the project's maps and exports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bordermap.cli.options import cache_option, config_option, jobs_option, tiles_option
from bordermap.cli.progress import Bar


@click.command()
@config_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: the project's output, usually output/).",
)
@tiles_option
@click.option(
    "--snapshots",
    is_flag=True,
    help="Also render each map as a 1920x1080 PNG (scale 2) into OUT/snapshots/ "
    "(needs Chromium; see `bordermap snapshot`).",
)
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Leave out articles that cannot be read, with a warning each, instead of failing.",
)
@jobs_option
@cache_option
def build(
    config: Path,
    out: Path | None,
    tiles: str | None,
    snapshots: bool,
    skip_bad: bool,
    jobs: int | None,
    cache: bool,
) -> None:
    """Build every map of the project, with GeoJSON, GeoPackage, KML, CSV and a manifest.

    Writes are atomic: a failed build leaves the output folder as it was.

    \b
    Example:
      bordermap build --config bordermap.toml --out output/
    """
    from bordermap.build import KEPT
    from bordermap.build import build as build_maps
    from bordermap.cli.quick_exit import keep_until_exit
    from bordermap.config import load_config
    from bordermap.errors import counted
    from bordermap.pipeline import load
    from bordermap.workers import default_jobs

    show = sys.stderr.isatty()
    bar = Bar("bordermap: finding places")

    steps: list[str] = []

    def progress(step: str) -> None:
        bar.close()
        steps.append(step)
        if show and step != KEPT:
            click.echo(f"bordermap: {step} ...", err=True)

    project = load_config(config)
    store = None
    if cache:
        from bordermap.cache import MentionCache

        store = MentionCache.default(project.focus)
    parts = load(project, skip_bad=skip_bad, jobs=jobs or default_jobs(), cache=store,
                 tick=bar.update)  # fmt: skip
    target = out or project.output
    try:
        manifest = build_maps(parts, target, tiles=tiles, progress=progress, snapshots=snapshots)
    finally:
        bar.close()
    keep_until_exit(parts)  # freed by the process's end, not object by object
    maps = len(manifest["maps"])
    files = f"{counted(maps, 'map')} and {counted(len(manifest['files']) - maps + 1, 'data file')}"
    if steps[-1:] == [KEPT]:
        click.echo(f"kept {files} in {target}: nothing changed since the last build")
    else:
        click.echo(f"wrote {files} to {target}")
    if snapshots:
        click.echo(f"wrote {counted(maps, 'snapshot')} to {target / 'snapshots'}")
