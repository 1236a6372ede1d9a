"""``bordermap snapshot``: PNG, JPEG or PDF pictures of built maps for slides."""

from __future__ import annotations

import os
from pathlib import Path

import click

from bordermap.as_of import AsOf
from bordermap.cli.options import AS_OF, BBOX, SIZE, config_option
from bordermap.vocab import SNAPSHOT_SUFFIXES

#: File suffixes that name a format when --format is not given.


def _targets(
    maps: tuple[Path, ...], out: str | None, fmt: str, as_of: AsOf | None = None
) -> list[tuple[Path, Path]]:
    """Pair each map with the file its snapshot goes to (see the command's help)."""

    def named(html: Path, folder: Path) -> Path:
        name = f"{html.stem}.{fmt}"
        return folder / (as_of.name(name) if as_of else name)

    if out is None:
        pairs = [(m, named(m, m.parent)) for m in maps]
    elif len(maps) == 1 and not _is_folder(out):
        pairs = [(maps[0], Path(out))]
    else:
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise click.BadParameter(
                f"{out} is a file; with several maps -o must be a directory",
                param_hint="'-o' / '--out'",
            )
        pairs = [(m, named(m, folder)) for m in maps]
    seen: dict[Path, Path] = {}
    for html, target in pairs:
        key = target.resolve()
        if key in seen:
            raise click.UsageError(
                f"{seen[key]} and {html} would both be written to {target}; "
                "snapshot them into different directories"
            )
        seen[key] = html
    return pairs


def _format(fmt: str | None, out: str | None) -> str:
    """The picture format: ``--format``, else the suffix of a one-file ``-o``, else png."""
    suffix = Path(out).suffix.lower() if out is not None else ""
    known = ", ".join(SNAPSHOT_SUFFIXES)
    if suffix and suffix not in SNAPSHOT_SUFFIXES:
        raise click.BadParameter(
            f"{out}: bordermap writes {known} pictures, not {suffix}; name the file "
            "with one of those suffixes",
            param_hint="'-o' / '--out'",
        )
    by_suffix = SNAPSHOT_SUFFIXES.get(suffix)
    if fmt is None:
        return by_suffix or "png"
    fmt = fmt.lower()
    if by_suffix is not None and by_suffix != fmt:
        raise click.UsageError(
            f"-o {out} is a {by_suffix.upper()} name but --format is {fmt}: "
            "make them agree, or leave --format out"
        )
    return fmt


def _is_folder(out: str) -> bool:
    # A trailing slash says "directory" even before the directory exists.
    return out.endswith(("/", os.sep)) or Path(out).is_dir()


@click.command()
@click.argument(
    "maps",
    metavar="MAP.html...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--out",
    type=click.Path(),
    help="Output file (one map) or directory (several maps; created if missing). "
    "Default: beside each map, MAP.FORMAT.",
)
@click.option(
    "--size",
    type=SIZE,
    metavar="WIDTHxHEIGHT",
    default="1920x1080",
    show_default=True,
    help="Frame size in CSS pixels.",
)
@click.option(
    "--scale",
    type=click.FloatRange(0.5, 4),
    default=2,
    show_default=True,
    help="Device pixels per CSS pixel: a PNG is SIZE × SCALE pixels.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "jpeg", "pdf"], case_sensitive=False),
    default=None,
    help="Output format [default: from the -o suffix, else png].",
)
@click.option("--bbox", type=BBOX, help="Fit the view to this box (degrees) instead of the map's.")
@click.option("--extent", metavar="NAME", help="Fit the view to a named [extents] box of --config.")
@click.option(
    "--as-of",
    "as_of",
    type=AS_OF,
    help="Show each map as it stood on DATE (a day, month or year: 2021-03-01, 2021-03, "
    "2021): only the claims and places whose period had begun by then, as the page's time "
    "filter shows them. Default names get -as-of-DATE (MAP-as-of-2021-03.png).",
)
@config_option
@click.option(
    "--browser",
    metavar="PATH",
    help="Chromium executable [default: $BORDERMAP_CHROMIUM, then chromium on PATH].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=30,
    show_default=True,
    help="Seconds each map may take to become ready.",
)
def snapshot(
    maps: tuple[Path, ...],
    out: str | None,
    size: tuple[int, int],
    scale: float,
    fmt: str | None,
    bbox: tuple[float, float, float, float] | None,
    extent: str | None,
    as_of: AsOf | None,
    config: Path,
    browser: str | None,
    timeout: float,
) -> None:
    """Render each MAP.html (from `bordermap build`) as a PNG, JPEG or PDF for slides.

    The picture keeps the title with its sources line, the legend, the scale
    bar and the attribution, enlarged to be legible at the frame size; zoom
    buttons, the layer switcher, the time filter and the text view are left
    out. One browser renders the whole batch. Writes are atomic. Prints each written path.

    \b
    Example:
      bordermap snapshot output/index.html -o slides/index.png --extent yalu-mouth
      bordermap snapshot output/index.html --as-of 2021-03
    """
    if bbox is not None and extent is not None:
        raise click.UsageError("--bbox and --extent cannot be used together: give one of them")
    if extent is not None:
        from bordermap.config import load_config

        extents = load_config(config).extents
        if extent not in extents:
            known = ", ".join(sorted(extents)) or f"none; add an [extents] table to {config}"
            raise click.BadParameter(
                f"unknown extent {extent!r} (known: {known})", param_hint="'--extent'"
            )
        bbox = extents[extent]
    fmt = _format(fmt, out if out is not None and len(maps) == 1 and not _is_folder(out) else None)

    from bordermap.snapshot import snapshot_many

    snapshot_many(
        _targets(maps, out, fmt, as_of),
        size=size,
        scale=scale,
        fmt=fmt,
        bbox=bbox,
        timeout_s=timeout,
        browser=browser,
        progress=lambda shot: click.echo(str(shot.path)),
        as_of=as_of,
    )
