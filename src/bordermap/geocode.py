"""Geocoding one name: the ranked candidates behind ``bordermap geocode``."""

from __future__ import annotations

from bordermap.gazetteer import FOCUS_BBOX, BBox, Gazetteer
from bordermap.resolve import Ranked, rank
from bordermap.text import fold

__all__ = ["geocode"]


def geocode(
    gaz: Gazetteer, name: str, near: str | None = None, focus: BBox | None = FOCUS_BBOX
) -> list[Ranked]:
    """Candidates for ``name``, best first; ``near`` names a context place.

    ``focus`` is the focus region ``(west, south, east, north)``, None for a
    neutral prior; a place named with ``near`` replaces it as the context.

    Raises
    ------
    LookupError
        If ``near`` is not a known place.
    """
    context: list[tuple[str, float, float]] = []
    if near:
        found = gaz.lookup(near)
        anchors = rank([p for p, _ in found], primary={p.ref for p, m in found if m}, focus=focus)
        if not anchors:
            raise LookupError(f"{near!r} is not a place the gazetteer knows")
        a = anchors[0].place
        context.append((a.name, a.lon, a.lat))
    found = gaz.lookup(name)
    return rank(
        [p for p, _ in found],
        context,
        {p.ref for p, m in found if m},
        focus=None if context else focus,
        capitals={p.ref for p, _ in found if gaz.capitals.get(p.ref) == fold(name)},
    )
