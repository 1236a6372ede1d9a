"""The lines a project can draw, annotate and measure against: shipped and its own.

The shipped lines are the three China–North Korea stretches (``yalu``,
``land``, ``tumen`` in ``border.geojson``), the Russia–North Korea stretch of
the Tumen (``tumen-ru``) and the Military Demarcation Line (``mdl``), both in
``lines.geojson``; a project adds its own with ``[[lines]]`` (GeoJSON files,
checked by :mod:`bordermap.line_files`).  Every one is a :class:`Line`; border
layers, annotations and compare's distances all take them from
:func:`project_lines`.

>>> lines = project_lines(config)                   # doctest: +SKIP
>>> lines["mdl"].length_km                          # doctest: +SKIP
220.1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

import shapely
from shapely.geometry import LineString, MultiLineString, shape
from shapely.geometry.base import BaseGeometry

from bordermap.config import AnnotationConfig, ProjectConfig
from bordermap.geometry import GEOD, border_geojson, length_km, lines_geojson, locate
from bordermap.region import DOWNSTREAM, LINE_NAMES, RIVER_MOUTH
from bordermap.text import fold

__all__ = [
    "Line",
    "Locator",
    "StretchError",
    "shipped",
    "project_lines",
    "border_of",
    "stretch_of",
    "place_finder",
]

_OSM = "OpenStreetMap contributors (ODbL), via @geo-maps"


@dataclass(frozen=True)
class Line:
    """One line: its id, names, kind, geometry (one or more parts) and where it came from.

    ``lead_m`` is how far the river runs on from the line's mouth end to the sea
    (the Tumen's Russian stretch, for its China stretch): distances from the mouth
    include it.
    ``label`` is how a sentence names it ("the Tumen"); ``mouth`` is ``"first"``
    or ``"last"`` for a river (the end that meets the sea), else ``None``;
    ``source`` and ``outlet`` go into the provenance of a border layer's features.
    """

    id: str
    name: str
    label: str
    kind: str
    parts: tuple[LineString, ...]
    source: str
    outlet: str
    mouth: str | None = None
    lead_m: float = 0.0

    @property
    def geometry(self) -> BaseGeometry:
        """A LineString, or a MultiLineString for a line of several parts."""
        return self.parts[0] if len(self.parts) == 1 else MultiLineString(list(self.parts))

    @property
    def length_km(self) -> float:
        """Geodesic length in km, all parts together."""
        return sum(float(GEOD.geometry_length(p)) for p in self.parts) / 1000.0

    def single(self) -> LineString:
        """The line as one LineString (parts that join end to end are merged).

        Raises
        ------
        ValueError
            If the parts do not join into one line.
        """
        if len(self.parts) == 1:
            return self.parts[0]
        merged = shapely.line_merge(MultiLineString(list(self.parts)))
        if not isinstance(merged, LineString):
            count = len(shapely.get_parts(merged))
            raise ValueError(
                f"line {self.id!r} has {count} separate parts; an annotation needs one "
                "connected line (join them, or give each part its own [[lines]] file)"
            )
        return merged

    def oriented(self, count_from: str) -> LineString:
        """:meth:`single`, running from the ``count_from`` end (mouth, source, start, end).

        Raises
        ------
        StretchError
            (key ``line``) if the parts do not join into one line.
        """
        try:
            line = self.single()
        except ValueError as exc:
            raise StretchError("line", str(exc)) from None
        first = "first" if count_from in ("mouth", "start") else "last"
        if self.mouth is not None and count_from in ("mouth", "source"):
            other = "last" if self.mouth == "first" else "first"
            first = self.mouth if count_from == "mouth" else other
        return line if first == "first" else LineString(list(line.coords)[::-1])

    def lead(self, count_from: str) -> float:
        """Metres from where counting starts to the line's counted end (``lead_m`` from
        the mouth, else 0)."""
        return self.lead_m if count_from == "mouth" else 0.0

    def measured_from(self, count_from: str) -> str:
        """Where distances start for ``count_from`` ("the river mouth", "the western end")."""
        if self.mouth is not None:
            return f"the river {count_from}"
        if self.id in LINE_NAMES:  # the land stretch and the MDL run west to east
            return "the western end" if count_from == "start" else "the eastern end"
        return f"the {count_from} of {self.name}"


@cache
def shipped() -> dict[str, Line]:
    """The five shipped lines by id: border stretches first, then ``tumen-ru`` and ``mdl``."""
    out: dict[str, Line] = {}
    for data, title in ((border_geojson(), "geo/border.geojson"),
                        (lines_geojson(), "geo/lines.geojson")):  # fmt: skip
        for feature in data["features"]:
            props = feature["properties"]
            lid = props["id"]
            geom = shape(feature["geometry"])
            assert isinstance(geom, LineString)
            out[lid] = Line(
                id=lid,
                name=props.get("name", lid),
                label=LINE_NAMES.get(lid, lid),
                kind=props.get("kind", "border"),
                parts=(geom,),
                source=title,
                outlet=_OSM,
                mouth=RIVER_MOUTH.get(lid),
            )
    for lid, lower in DOWNSTREAM.items():
        lead = float(GEOD.geometry_length(out[lower].parts[0]))
        out[lid] = replace(out[lid], lead_m=lead)
    return out


def project_lines(config: ProjectConfig) -> dict[str, Line]:
    """Every line of ``config``: the shipped ones, then the project's ``[[lines]]``."""
    out = dict(shipped())
    for x in config.lines:
        try:
            shown = str(x.file.relative_to(config.path.parent))
        except ValueError:
            shown = str(x.file)
        out[x.id] = Line(
            id=x.id,
            name=x.name,
            label=x.name,
            kind=x.kind,
            parts=tuple(LineString(p) for p in x.parts),
            source=shown,
            outlet="the project's own line",
        )
    return out


def border_of(config: ProjectConfig) -> dict[str, BaseGeometry]:
    """The lines that count as the border of ``config`` (``border.lines``), by id."""
    lines = project_lines(config)
    return {lid: lines[lid].geometry for lid in config.border}


# ---------------------------------------------------------------- stretches


class StretchError(ValueError):
    """An annotation's stretch cannot be made; ``key`` is the key at fault (``to_km``)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


#: How far (km) a ``between`` place may lie from its line.
MAX_PLACE_KM = 30.0

#: Finds a place by name: (lon, lat, name as found), or None when unknown.
Locator = Callable[[str], "tuple[float, float, str] | None"]


def stretch_of(
    config: AnnotationConfig, whole: LineString, item: Line, find_place: Locator | None
) -> tuple[float, float, str]:
    """(start m, end m, words) of an annotation's stretch along ``whole`` (``item``'s line,
    oriented from the ``count_from`` end); (0, length, "") for the whole line.

    Start and end are metres along ``whole``; the words give them from where counting
    starts (adding ``item.lead``: ``from_km = 30`` on the Tumen's China stretch is
    30 km from the sea, 9.2 km from the tripoint).

    ``between`` places are found with ``find_place`` and projected onto the line;
    ``from_km``/``to_km`` are taken as they are.

    Raises
    ------
    StretchError
        A place unknown or farther than :data:`MAX_PLACE_KM` from the line, two places
        on the same point, a ``to_km`` beyond the line's end.
    """
    measured_from = item.measured_from(config.count_from)
    total = length_km(whole) * 1000.0
    lead = item.lead(config.count_from)
    if config.between:
        at = []
        for k, name in enumerate(config.between):
            found = find_place(name) if find_place is not None else None
            if found is None:
                raise StretchError(f"between[{k}]", f"no place {name!r} in the gazetteer or "
                                   "the project's [[places]]; `bordermap geocode NAME` "
                                   "shows what it knows")  # fmt: skip
            along, away = locate(whole, found[0], found[1])
            if away > MAX_PLACE_KM * 1000:
                raise StretchError(f"between[{k}]", f"{name!r} lies {away / 1000:,.1f} km from "
                                   f"{item.label}; name places within {MAX_PLACE_KM:g} km of "
                                   "the line")  # fmt: skip
            at.append(along)
        start_m, end_m = sorted(at)
        if end_m - start_m < 1.0:
            raise StretchError("between", f"{config.between[0]!r} and {config.between[1]!r} "
                               f"project onto the same point of {item.label}: a stretch of "
                               "zero length")  # fmt: skip
        names = " and ".join(config.between if at[0] <= at[1] else config.between[::-1])
        where = f"between {names}, "
    elif config.from_km is not None and config.to_km is not None:
        if config.from_km * 1000 < lead - 1e-3:
            lower = DOWNSTREAM[item.id]
            raise StretchError("from_km", f"at least {lead / 1000:,.1f} km: line {item.id!r} "
                               f"starts that far from {measured_from} (the river runs on to "
                               f"the sea as {lower!r}), got {config.from_km:g}")  # fmt: skip
        if config.to_km * 1000 > lead + total + 1e-3:
            raise StretchError("to_km", f"at most {(lead + total) / 1000:,.1f} km (the length "
                               f"of {item.label}"
                               + (f" from {measured_from}" if lead else "")
                               + f"), got {config.to_km:g}")  # fmt: skip
        start_m, end_m, where = config.from_km * 1000 - lead, config.to_km * 1000 - lead, ""
    else:
        return 0.0, total, ""
    end_m = min(max(end_m, 0.0), total)
    start_m = max(start_m, 0.0)
    if end_m - start_m < 0.01:  # within the slack at the line's far end
        raise StretchError("from_km", f"less than {(lead + total) / 1000:,.1f} km (a stretch of "
                           f"zero length at the end of {item.label})")  # fmt: skip
    span = f"{(start_m + lead) / 1000:,.1f}–{(end_m + lead) / 1000:,.1f} km from {measured_from}"
    return start_m, end_m, where + span


def place_finder(config: ProjectConfig) -> Locator:
    """Names to points: the project's ``[[places]]`` (names and aliases) first, then the
    gazetteer's best candidate in the project's focus."""
    from bordermap.gazetteer import load_gazetteer
    from bordermap.geocode import geocode

    own = {fold(n): p for p in config.places for n in (p.name, *p.aliases)}
    gaz = load_gazetteer()

    def find(name: str) -> tuple[float, float, str] | None:
        if fold(name) in own:
            p = own[fold(name)]
            return p.lon, p.lat, p.name
        ranked = geocode(gaz, name, focus=config.focus)
        if not ranked:
            return None
        best = ranked[0].place
        return best.lon, best.lat, best.name

    return find
