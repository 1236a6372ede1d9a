"""``bordermap geocode``: ranked gazetteer candidates for names."""

from __future__ import annotations

import click


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--near", metavar="PLACE", help="Rank candidates by distance to this place.")
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="Candidates shown per name.",
)
def geocode(names: tuple[str, ...], near: str | None, limit: int) -> None:
    """Show the gazetteer's ranked candidates for each NAME, with reasons.

    \b
    Example:
      bordermap geocode Donggang --near Dandong
    """
    from bordermap.gazetteer import load_gazetteer
    from bordermap.geocode import geocode as rank_name

    gaz = load_gazetteer()
    missing = 0
    for name in names:
        try:
            ranked = rank_name(gaz, name, near=near)
        except LookupError as exc:
            raise click.BadParameter(str(exc), param_hint="'--near'") from None
        if not ranked:
            click.echo(f"{name}: no place of that name in the gazetteer", err=True)
            missing += 1
            continue
        click.echo(f"{name}:")
        for i, r in enumerate(ranked[:limit], start=1):
            p = r.place
            click.echo(
                f"  {i}. {p.name} ({p.kind}, {p.country or '--'}) {p.lat:.4f}, {p.lon:.4f} "
                f"{p.ref}  score {r.score:.2f}: {'; '.join(r.reasons)}"
            )
    if missing:
        raise SystemExit(1)
