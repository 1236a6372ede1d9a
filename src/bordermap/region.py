"""The region bordermap maps, named once: import-light, no geometry libraries.

Border stretch names, the countries of the border, the default focus box,
the attribution of the shipped data, and the one bounding-box type with its
check.  Everything that speaks of the region (the project file, the
geoparser, maps, snapshots, the CLI) reads it from here.

>>> check_bbox((124.0, 39.6, 130.8, 43.1))
(124.0, 39.6, 130.8, 43.1)
>>> bbox_problem((125.0, 39.0, 124.0, 40.0))
'longitude'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

__all__ = [
    "Bbox",
    "BORDER_LINES",
    "SHIPPED_LINES",
    "LINE_NAMES",
    "RIVER_MOUTH",
    "DOWNSTREAM",
    "COUNT_FROM",
    "count_choices",
    "ISO3",
    "SIDES",
    "DEFAULT_FOCUS",
    "ATTRIBUTION",
    "bbox_problem",
    "check_bbox",
]

#: ``(west, south, east, north)`` in degrees (WGS 84).
Bbox = tuple[float, float, float, float]

#: The three stretches of the China–North Korea border, west to east: what counts
#: as "the border" unless a project says otherwise (``border.lines``).
BORDER_LINES = ("yalu", "land", "tumen")

#: Every shipped line: the border stretches (``border.geojson``), then the
#: Russia–North Korea stretch of the Tumen and the Military Demarcation Line
#: (``lines.geojson``).
SHIPPED_LINES = (*BORDER_LINES, "tumen-ru", "mdl")

#: How a label names each shipped line ("… over 5.2 km of the Tumen").
LINE_NAMES = {
    "yalu": "the Yalu",
    "land": "the land border",
    "tumen": "the Tumen",
    "tumen-ru": "the Tumen (Russia–North Korea)",
    "mdl": "the Military Demarcation Line",
}

#: Where each river line meets the sea: at its first vertex ("first") or its
#: last ("last"). The Yalu runs from its mouth upstream, the Tumen's two
#: stretches run downstream; the land stretch and the MDL run west to east.
RIVER_MOUTH = {"yalu": "first", "tumen": "last", "tumen-ru": "last"}

#: A river line that reaches the sea through another: the China stretch of the
#: Tumen ends at the tripoint and the river runs on as ``tumen-ru``, so its
#: distances "from the river mouth" add that stretch's length.
DOWNSTREAM = {"tumen": "tumen-ru"}

#: Which end an annotation counts from (``annotations.count_from``): a river's
#: mouth or source; any line's start (first vertex) or end.
COUNT_FROM = ("mouth", "source", "start", "end")

#: ISO 3166-1 alpha-2 → alpha-3 for the countries whose outlines ship.
ISO3 = {"KP": "PRK", "CN": "CHN", "KR": "KOR", "RU": "RUS"}

#: The sides an annotation can stand on: a country (found by testing its
#: outline), or left / right of the line's direction.
SIDES = (*ISO3, "left", "right")


def count_choices(line: str) -> tuple[str, ...]:
    """The ``count_from`` values of ``line``: a river's mouth/source, else start/end."""
    return COUNT_FROM[:2] if line in RIVER_MOUTH else COUNT_FROM[2:]


#: The default focus region: north-east China, North Korea and the border.
DEFAULT_FOCUS: Bbox = (119.0, 37.5, 131.5, 46.0)

#: Credits for the shipped boundary, outlines and gazetteer.
ATTRIBUTION = (
    "Boundary and outlines © OpenStreetMap contributors (ODbL) · Other areas: Natural Earth"
    " · Places: GeoNames (CC BY 4.0)"
)

Problem = Literal["shape", "finite", "longitude", "latitude"]


def bbox_problem(values: Sequence[object]) -> Problem | None:
    """What is wrong with a bounding box, or ``None`` when it is valid.

    ``"shape"``: not four numbers; ``"finite"``: a NaN or infinity;
    ``"longitude"``: not ``-180 <= west < east <= 180``; ``"latitude"``:
    not ``-90 <= south < north <= 90``.  Callers phrase the message in the
    words of their input (a TOML array, a ``W,S,E,N`` option, a Python tuple).
    """
    if len(values) != 4 or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    ):
        return "shape"
    w, s, e, n = (float(v) for v in values)  # type: ignore[arg-type]
    if not all(map(math.isfinite, (w, s, e, n))):
        return "finite"
    if not -180 <= w < e <= 180:
        return "longitude"
    if not -90 <= s < n <= 90:
        return "latitude"
    return None


def check_bbox(values: Sequence[object]) -> Bbox:
    """``values`` as a :data:`Bbox`; raises ``ValueError`` naming the problem."""
    problem = bbox_problem(values)
    if problem is not None:
        raise ValueError(
            f"a bounding box must be (west, south, east, north) in degrees with "
            f"-180 <= west < east <= 180 and -90 <= south < north <= 90 ({problem}): "
            f"got {tuple(values)!r}"
        )
    w, s, e, n = (float(v) for v in values)  # type: ignore[arg-type]
    return w, s, e, n
