"""Geocoding one name: the ranked candidates behind ``bordermap geocode``."""

from __future__ import annotations

from bordermap.gazetteer import Gazetteer
from bordermap.resolve import Ranked, rank

__all__ = ["geocode"]


def geocode(gaz: Gazetteer, name: str, near: str | None = None) -> list[Ranked]:
    """Candidates for ``name``, best first; ``near`` names a context place.

    Raises
    ------
    LookupError
        If ``near`` is not a known place.
    """
    context: list[tuple[str, float, float]] = []
    if near:
        found = gaz.lookup(near)
        anchors = rank([p for p, _ in found], primary={p.ref for p, m in found if m})
        if not anchors:
            raise LookupError(f"{near!r} is not a place the gazetteer knows")
        a = anchors[0].place
        context.append((a.name, a.lon, a.lat))
    found = gaz.lookup(name)
    # A place the user names replaces the focus region as the context.
    return rank([p for p, _ in found], context, {p.ref for p, m in found if m}, focus=not context)
