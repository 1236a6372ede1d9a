"""A project's own lines (``[[lines]]``): reading and checking their GeoJSON files.

Import-light (json only): the project file is validated with it before any
geometry library is loaded.

>>> read_line_file(Path("lines/fence.geojson"), "bordermap.toml: lines[0].file")  # doctest: +SKIP
(((129.7, 42.4), (129.8, 42.5)),)
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bordermap.errors import ConfigError

__all__ = ["Parts", "read_line_file"]

#: Each LineString of a file as (lon, lat) pairs, in file order.
Parts = tuple[tuple[tuple[float, float], ...], ...]


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
