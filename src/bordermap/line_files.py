"""A project's own lines (``[[lines]]``): reading and checking their GeoJSON files;
and the keys of an annotation's stretch (``between``, ``from_km``, ``to_km``).

Import-light (json only): the project file is validated with it before any
geometry library is loaded.

>>> read_line_file(Path("lines/fence.geojson"), "bordermap.toml: lines[0].file")  # doctest: +SKIP
(((129.7, 42.4), (129.8, 42.5)),)
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bordermap.errors import ConfigError

__all__ = ["LineConfig", "Parts", "STRETCH_KEYS", "read_line_file", "stretch"]

#: Each LineString of a file as (lon, lat) pairs, in file order.
Parts = tuple[tuple[tuple[float, float], ...], ...]

#: The keys of an annotation that make it a stretch.
STRETCH_KEYS = ("between", "from_km", "to_km")


@dataclass(frozen=True)
class LineConfig:
    """A line of the project's own (``[[lines]]``), read from a GeoJSON file.

    ``parts`` holds each LineString of the file as (lon, lat) pairs, in file order.
    """

    id: str
    name: str
    kind: str
    file: Path
    parts: Parts


def read_line_file(path: Path, where: str) -> Parts:
    """The LineStrings of the GeoJSON file ``path``: a geometry, a Feature or a
    FeatureCollection of LineStrings and MultiLineStrings, in lon/lat (RFC 7946).

    Raises
    ------
    ConfigError
        One line starting with ``where`` (the project file, the key and the path as
        written): a missing file, not JSON, another geometry type, fewer than two
        positions, a position outside lon/lat range.
    """
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such file (paths are relative to the project file)"
                          ) from None  # fmt: skip
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{where}: not a GeoJSON file ({reason})") from None
    geoms: list[Any] = []
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        geoms = [f.get("geometry") if isinstance(f, dict) else None
                 for f in features] if isinstance(features, list) else [None]  # fmt: skip
    elif isinstance(data, dict) and data.get("type") == "Feature":
        geoms = [data.get("geometry")]
    elif isinstance(data, dict):
        geoms = [data]
    else:
        geoms = [None]
    if not geoms:
        raise ConfigError(f"{where}: holds no feature; expected a LineString or MultiLineString")
    parts: list[tuple[tuple[float, float], ...]] = []
    for g in geoms:
        kind = g.get("type") if isinstance(g, dict) else None
        if kind not in ("LineString", "MultiLineString"):
            got = kind if isinstance(kind, str) else "no geometry"
            raise ConfigError(f"{where}: holds {got}; expected a LineString or MultiLineString")
        coords = g.get("coordinates")
        lines = [coords] if kind == "LineString" else coords
        if not isinstance(lines, list):
            raise ConfigError(f"{where}: a {kind} without coordinates")
        if not lines:
            raise ConfigError(f"{where}: an empty {kind}; a line needs at least two positions")
        for line in lines:
            parts.append(_positions(where, line))
    return tuple(parts)


def _positions(where: str, line: Any) -> tuple[tuple[float, float], ...]:
    if not isinstance(line, list) or len(line) < 2:
        raise ConfigError(f"{where}: a line needs at least two positions [lon, lat]")
    out = []
    for pos in line:
        ok = isinstance(pos, list) and len(pos) >= 2
        ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos[:2])
        if not ok:
            raise ConfigError(f"{where}: expected positions [lon, lat], got {pos!r}")
        try:
            lon, lat = float(pos[0]), float(pos[1])
        except OverflowError:  # an integer too large for a float
            lon = lat = math.inf
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180
                and -90 <= lat <= 90):  # fmt: skip
            raise ConfigError(
                f"{where}: position {[pos[0], pos[1]]!r} is outside longitude -180..180 / "
                "latitude -90..90; GeoJSON is WGS 84 lon/lat (reproject the file)"
            )
        out.append((lon, lat))
    if len(set(out)) < 2:
        raise ConfigError(f"{where}: a line of zero length (all its positions are the same)")
    return tuple(out)


def _fail(where: str, key: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(f"{where}.{key}: expected {expected}, got {value!r}")


def _km(where: str, raw: dict[str, Any], key: str) -> float:
    if key not in raw:
        raise ConfigError(f"{where}.{key}: expected a value (from_km and to_km go together)")
    value = raw[key]
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise _fail(where, key, "a number of at least 0", value)
    return float(value)


def stretch(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """An annotation's stretch from its ``raw`` keys (:data:`STRETCH_KEYS` present):
    ``between`` two places or ``from_km``–``to_km`` (km from the ``count_from`` end);
    ``{}`` for the whole line. ``where`` is ``"<file>: annotations[i]"``.

    Distances beyond the line and places the gazetteer lacks are found when the
    annotation is made (:mod:`bordermap.lines`).

    Raises
    ------
    ConfigError
        Both forms at once, not two different places, distances not numbers, a
        stretch of zero length, ``to_km`` not beyond ``from_km``.
    """
    has_km = "from_km" in raw or "to_km" in raw
    if "between" in raw and has_km:
        raise ConfigError(f"{where}: give either between = [PLACE, PLACE] or from_km and "
                          "to_km, not both")  # fmt: skip
    if "between" in raw:
        between = raw["between"]
        if (not isinstance(between, list) or len(between) != 2
                or not all(isinstance(b, str) and b.strip() for b in between)):  # fmt: skip
            raise _fail(where, "between", "two place names", between)
        if between[0].casefold() == between[1].casefold():
            raise _fail(where, "between", "two different places (a stretch of zero length)",
                        between)  # fmt: skip
        return {"between": tuple(between)}
    if not has_km:
        return {}
    start, end = _km(where, raw, "from_km"), _km(where, raw, "to_km")
    if end == start:
        raise _fail(where, "to_km", f"a distance other than from_km ({start:g}): a stretch of "
                    "zero length", raw["to_km"])  # fmt: skip
    if end < start:
        raise _fail(where, "to_km", f"more than from_km ({start:g}); both are measured from "
                    "the count_from end", raw["to_km"])  # fmt: skip
    return {"from_km": start, "to_km": end}
