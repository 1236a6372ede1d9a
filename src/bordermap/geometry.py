"""Geodesic geometry: the shipped border lines, lengths, and points at a spacing.

All lengths are geodesic on the WGS84 ellipsoid (pyproj ``Geod``), in metres
unless a name says ``_km``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from pyproj import Geod
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

from bordermap.errors import DataError
from bordermap.files import data_text

__all__ = [
    "GEOD",
    "border_lines",
    "countries",
    "country_shape",
    "length_km",
    "SpacedPoints",
    "points_along",
    "side_of",
    "share_inside",
]

GEOD = Geod(ellps="WGS84")


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(data_text(name))
    return data


@cache
def border_geojson() -> dict[str, Any]:
    """The China–North Korea boundary: features ``yalu``, ``land`` and ``tumen``."""
    return _load("border.geojson")


@cache
def countries() -> dict[str, Any]:
    """Simplified country outlines of the region (properties ``iso_a3``, ``name``)."""
    return _load("countries.geojson")


def border_lines() -> dict[str, LineString]:
    """Each border stretch as a shapely LineString in lon/lat, keyed by id."""
    out: dict[str, LineString] = {}
    for feature in border_geojson()["features"]:
        geom = shape(feature["geometry"])
        if not isinstance(geom, LineString):
            raise DataError(f"border stretch {feature['properties']['id']} is not one line")
        out[feature["properties"]["id"]] = geom
    return out


@cache
def country_shape(iso_a3: str) -> BaseGeometry:
    """A country's outline from :func:`countries` (``PRK``, ``CHN``, ``KOR``, ``RUS``, ``JPN``)."""
    for feature in countries()["features"]:
        if feature["properties"].get("iso_a3") == iso_a3:
            return shape(feature["geometry"])
    raise DataError(f"no outline for {iso_a3} in countries.geojson")


def length_km(line: LineString) -> float:
    """Geodesic length of a lon/lat line in km."""
    return float(GEOD.geometry_length(line)) / 1000.0


@dataclass(frozen=True)
class SpacedPoints:
    """Points every ``spacing_m`` along a line, offset sideways.

    ``lon``, ``lat`` and ``distance_m`` (along the line from its first
    vertex) are numpy arrays of equal length.
    """

    lon: np.ndarray
    lat: np.ndarray
    distance_m: np.ndarray
    spacing_m: float
    offset_m: float
    length_m: float

    def __len__(self) -> int:
        return int(self.lon.size)


def points_along(
    line: LineString, spacing_m: float, offset_m: float = 0.0, side: str = "left"
) -> SpacedPoints:
    """Points every ``spacing_m`` metres along ``line`` (geodesic), starting at its
    first vertex, each moved ``offset_m`` metres perpendicular to the line on
    ``side`` ("left" or "right" of the direction of travel).

    Raises
    ------
    ValueError
        If ``spacing_m`` is not positive or ``side`` is not left/right.
    """
    if spacing_m <= 0:
        raise ValueError("spacing_m must be positive")
    if side not in ("left", "right"):
        raise ValueError("side must be 'left' or 'right'")
    coords = np.asarray(line.coords, dtype=float)
    lon1, lat1, lon2, lat2 = coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1]
    az, _back, seg = GEOD.inv(lon1, lat1, lon2, lat2)
    az, seg = np.asarray(az, dtype=float), np.asarray(seg, dtype=float)
    starts = np.concatenate([[0.0], np.cumsum(seg)])
    total = float(starts[-1])
    dist = np.arange(0.0, total + 1e-6, spacing_m)
    # The segment each point falls on, and how far into it.
    idx = np.clip(np.searchsorted(starts, dist, side="right") - 1, 0, len(seg) - 1)
    along = dist - starts[idx]
    lon, lat, _ = GEOD.fwd(lon1[idx], lat1[idx], az[idx], along)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if offset_m:
        turn = -90.0 if side == "left" else 90.0
        lon, lat, _ = GEOD.fwd(lon, lat, az[idx] + turn, np.full(lon.shape, offset_m))
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return SpacedPoints(lon, lat, dist, spacing_m, offset_m, total)


def side_of(line: LineString, area: BaseGeometry, probe_m: float = 150.0) -> str:
    """Which side of ``line`` ("left" or "right") lies mostly inside ``area``."""
    probe_spacing = max(length_km(line) * 1000.0 / 400.0, 100.0)
    inside = {}
    for side in ("left", "right"):
        pts = points_along(line, probe_spacing, probe_m, side)
        inside[side] = share_inside(pts, area)
    return "left" if inside["left"] >= inside["right"] else "right"


def share_inside(points: SpacedPoints, area: BaseGeometry) -> float:
    """The fraction of ``points`` that lie inside ``area``."""
    if not len(points):
        return 0.0
    prepared = prep(area)
    hits = sum(
        1 for x, y in zip(points.lon, points.lat, strict=True) if prepared.contains(Point(x, y))
    )
    return hits / len(points)
