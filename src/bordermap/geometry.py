"""Geodesic geometry: the shipped border lines, lengths, points at a spacing, distances.

All lengths are geodesic on the WGS84 ellipsoid (pyproj ``Geod``), in metres
unless a name says ``_km``.

How distances are measured
--------------------------
All distances are geodesic, on the WGS84 ellipsoid, in km.

* Point to point: exact, ``pyproj.Geod.inv``.
* Anything involving a line or polygon: the geometries are densified (no
  segment longer than 0.01°, about 1 km) and projected into an azimuthal
  equidistant projection centred on the region (the middle of the bounding box
  of both layers and the border).  The pair of nearest points is found there
  with shapely, taken back to lon/lat, and the distance between those two
  points is measured with ``Geod.inv``.

Line segments are straight in lon/lat, as RFC 7946 defines them and as the
map draws them; densifying keeps them so in the projection to well under a
metre (a long segment along a parallel differs from the geodesic between its
ends: 120 m for 1° of longitude at 40°N).

The reported distance is therefore the true geodesic distance between two
points of the geometries, never shorter than the true minimum.  It is at most
a factor ``1 + ε`` too long, where ``ε = x / sin(x) − 1`` and ``x`` is the
largest distance from the projection centre to a corner of the region,
divided by a conservative Earth radius (6,356.7 km): the projection keeps
distances along rays from its centre, stretches them across by at most
``1 + ε`` and never shrinks them.  For the border's region (about 330 km from
centre to corner) ``ε`` is about 0.045 %, i.e. at most 22 m on 50 km.
:attr:`LocalMetric.max_relative_error` holds ``ε`` for a region.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from bordermap.errors import DataError
from bordermap.files import data_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GEOD",
    "border_lines",
    "lines_geojson",
    "cut",
    "locate",
    "countries",
    "country_shape",
    "length_km",
    "SpacedPoints",
    "points_along",
    "side_of",
    "share_inside",
    "geodesic_length_km",
    "LocalMetric",
    "local_plane",
    "bounds_of",
    "is_point",
    "distances",
    "nearest",
    "border_distances",
    "border_metric",
]

GEOD = Geod(ellps="WGS84")

#: Longest densified segment, in degrees (about 1.1 km of latitude).
_DENSIFY_DEG = 0.01

#: A conservative (small) radius for the distortion bound: the smallest radius of
#: Gaussian curvature on WGS84, sqrt(M·N) at the equator.
_BOUND_RADIUS_M = 6_356_700.0


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(data_text(name))
    return data


@cache
def border_geojson() -> dict[str, Any]:
    """The China–North Korea boundary: features ``yalu``, ``land`` and ``tumen``."""
    return _load("border.geojson")


@cache
def lines_geojson() -> dict[str, Any]:
    """The other shipped lines: ``tumen-ru`` (Russia–North Korea) and ``mdl`` (the MDL)."""
    return _load("lines.geojson")


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


def _vertex_m(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's azimuth (°) and each vertex's geodesic distance (m) from the first."""
    az, _back, seg = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    return np.asarray(az, dtype=float), np.concatenate([[0.0], np.cumsum(seg)])


def cut(line: LineString, start_m: float, end_m: float) -> LineString:
    """The part of ``line`` from ``start_m`` to ``end_m`` metres along it (geodesic).

    The cut points lie on the line's segments (found with ``Geod.fwd`` along
    each segment's azimuth); the vertices between them are kept.

    Raises
    ------
    ValueError
        Unless ``0 <= start_m < end_m <=`` the line's length (1 mm of slack).
    """
    coords = np.asarray(line.coords, dtype=float)[:, :2]
    az, at = _vertex_m(coords)
    if not 0 <= start_m < end_m <= at[-1] + 1e-3:
        raise ValueError(f"cannot cut {start_m:.1f}–{end_m:.1f} m from a {at[-1]:.1f} m line")

    def point(d: float) -> tuple[float, float]:
        i = int(np.clip(np.searchsorted(at, d, side="right") - 1, 0, len(az) - 1))
        lon, lat, _ = GEOD.fwd(coords[i, 0], coords[i, 1], az[i], min(d, at[-1]) - at[i])
        return float(lon), float(lat)

    inner = coords[(at > start_m) & (at < end_m)]
    return LineString([point(start_m), *map(tuple, inner), point(end_m)])


def locate(line: LineString, lon: float, lat: float) -> tuple[float, float]:
    """Where the point (``lon``, ``lat``) projects onto ``line``: the geodesic distance
    in metres along the line from its first vertex to the line's nearest point, and
    the distance in metres from the point to it.

    The nearest point is found with longitudes scaled by the cosine of the point's
    latitude (a plane true to scale around the point, enough to pick the nearest
    point of a line tens of km away); both distances are then measured on the
    ellipsoid (``Geod.inv``), the one along the line vertex by vertex.
    """
    k = math.cos(math.radians(lat))
    coords = np.asarray(line.coords, dtype=float)[:, :2]
    flat = coords * (k, 1.0)
    plane = LineString(flat)
    reach = plane.project(Point(lon * k, lat))
    near = plane.interpolate(reach)
    nlon, nlat = near.x / k, near.y
    _, at = _vertex_m(coords)
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(flat, axis=0).T))])
    i = int(np.clip(np.searchsorted(cum, reach, side="right") - 1, 0, len(coords) - 2))
    _, _, into = GEOD.inv(coords[i, 0], coords[i, 1], nlon, nlat)
    _, _, away = GEOD.inv(lon, lat, nlon, nlat)
    return float(min(at[i] + into, at[-1])), float(away)


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
    hits = shapely.contains_xy(area, points.lon, points.lat)
    return float(np.count_nonzero(hits)) / len(points)


def geodesic_length_km(geom: BaseGeometry) -> float:
    """Geodesic length in km of any geometry: 0 for points, perimeters for polygons."""
    if shapely.get_type_id(geom) in (0, 4):
        return 0.0
    return float(GEOD.geometry_length(geom)) / 1000.0


# ----------------------------------------------------------------- distances


class LocalMetric:
    """An azimuthal equidistant projection centred on a region, with its error bound.

    Parameters
    ----------
    bounds : (west, south, east, north)
        The region in degrees; the projection is centred on its middle.

    Attributes
    ----------
    bounds : (west, south, east, north)
    center : (lon, lat)
    max_relative_error : float
        ``ε``: a distance found through this projection is at most ``1 + ε``
        times the true minimum (see the module docstring).
    """

    def __init__(self, bounds: Sequence[float]) -> None:
        west, south, east, north = (float(v) for v in bounds)
        self.bounds = (west, south, east, north)
        lon0 = (west + east) / 2.0
        lat0 = (south + north) / 2.0
        self.center = (round(lon0, 6), round(lat0, 6))
        crs = CRS.from_proj4(
            f"+proj=aeqd +lat_0={self.center[1]} +lon_0={self.center[0]} "
            "+ellps=WGS84 +units=m +no_defs"
        )
        self._fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self._inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        corners_lon = np.array([west, east, east, west])
        corners_lat = np.array([south, south, north, north])
        _, _, reach = GEOD.inv(
            np.full(4, self.center[0]), np.full(4, self.center[1]), corners_lon, corners_lat
        )
        self.reach_m = float(np.max(reach))
        x = min(self.reach_m / _BOUND_RADIUS_M, math.pi - 1e-9)
        self.max_relative_error = x / math.sin(x) - 1.0 if x > 0 else 0.0

    def project(self, geoms: np.ndarray) -> np.ndarray:
        """Densify lon/lat geometries and project them to metres."""
        dense = shapely.segmentize(geoms, _DENSIFY_DEG)

        def fwd(coords: np.ndarray) -> np.ndarray:
            x, y = self._fwd.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return np.asarray(shapely.transform(dense, fwd))

    def unproject(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = self._inv.transform(x, y)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def local_plane(lon0: float, lat0: float) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Points (lon, lat arrays) to (n, 2) metres in the azimuthal equidistant plane
    centred on (``lon0``, ``lat0``), as :class:`LocalMetric` uses (same error bound),
    built as a PROJ pipeline: no look-up in PROJ's database, so it costs microseconds."""
    t = Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={float(lat0):.8f} +lon_0={float(lon0):.8f} +ellps=WGS84"
    )

    def forward(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        x, y = t.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])

    return forward


def bounds_of(*groups: np.ndarray) -> tuple[float, float, float, float]:
    """(west, south, east, north) around every geometry of ``groups`` (zeros when empty)."""
    boxes = [shapely.total_bounds(g) for g in groups if len(g)]
    boxes = [b for b in boxes if np.isfinite(b).all()]
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    arr = np.array(boxes)
    return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())


def is_point(geoms: np.ndarray) -> np.ndarray:
    """A boolean mask: which of ``geoms`` are single points."""
    return np.asarray(shapely.get_type_id(geoms) == 0)


def _pair_distances(
    a: np.ndarray,
    b: np.ndarray,
    ia: np.ndarray,
    ib: np.ndarray,
    a_proj: np.ndarray,
    b_proj: np.ndarray,
    metric: LocalMetric,
) -> np.ndarray:
    """Geodesic distances (m) between the pairs ``a[ia[k]]``, ``b[ib[k]]``."""
    out = np.empty(len(ia), dtype=float)
    if not len(ia):
        return out
    both_points = is_point(a[ia]) & is_point(b[ib])
    if both_points.any():
        pa = shapely.get_coordinates(a[ia[both_points]])
        pb = shapely.get_coordinates(b[ib[both_points]])
        _, _, d = GEOD.inv(pa[:, 0], pa[:, 1], pb[:, 0], pb[:, 1])
        out[both_points] = d
    other = ~both_points
    if other.any():
        lines = shapely.shortest_line(a_proj[ia[other]], b_proj[ib[other]])
        ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
        lon1, lat1 = metric.unproject(ends[:, 0, 0], ends[:, 0, 1])
        lon2, lat2 = metric.unproject(ends[:, 1, 0], ends[:, 1, 1])
        _, _, d = GEOD.inv(lon1, lat1, lon2, lat2)
        touching = shapely.intersects(a_proj[ia[other]], b_proj[ib[other]])
        out[other] = np.where(touching, 0.0, d)
    return out


def distances(
    a: Sequence[BaseGeometry] | np.ndarray,
    b: Sequence[BaseGeometry] | np.ndarray,
    metric: LocalMetric | None = None,
) -> np.ndarray:
    """Geodesic distance in km between every geometry of ``a`` and every one of ``b``.

    Returns an array of shape ``(len(a), len(b))``.  Meant for small inputs
    (the border's three stretches); use :func:`nearest` for large ones.
    """
    ga = np.asarray(a, dtype=object)
    gb = np.asarray(b, dtype=object)
    metric = metric or LocalMetric(bounds_of(ga, gb))
    ia, ib = np.meshgrid(np.arange(len(ga)), np.arange(len(gb)), indexing="ij")
    d = _pair_distances(
        ga, gb, ia.ravel(), ib.ravel(), metric.project(ga), metric.project(gb), metric
    )
    return d.reshape(len(ga), len(gb)) / 1000.0


def nearest(
    a: Sequence[BaseGeometry] | np.ndarray,
    b: Sequence[BaseGeometry] | np.ndarray,
    metric: LocalMetric | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For every geometry of ``a``, its nearest geometry of ``b`` and the distance.

    Parameters
    ----------
    a, b : sequence of shapely geometries in lon/lat
    metric : LocalMetric, optional
        Defaults to one centred on both inputs.

    Returns
    -------
    index : ndarray of int
        Position in ``b`` of the nearest geometry (-1 if ``b`` is empty); ties
        go to the first.
    km : ndarray of float
        Geodesic distance in km (NaN if ``b`` is empty).

    Candidates come from an STRtree in the projection: every geometry of ``b``
    within ``(1 + ε)`` times the smallest projected distance is measured
    geodesically, so the projection's distortion cannot pick the wrong one.
    """
    ga = np.asarray(a, dtype=object)
    gb = np.asarray(b, dtype=object)
    index = np.full(len(ga), -1, dtype=int)
    km = np.full(len(ga), np.nan)
    if not len(ga) or not len(gb):
        return index, km
    metric = metric or LocalMetric(bounds_of(ga, gb))
    a_proj, b_proj = metric.project(ga), metric.project(gb)
    tree = shapely.STRtree(b_proj)
    (_, _), dmin = tree.query_nearest(a_proj, return_distance=True, all_matches=False)
    reach = np.asarray(dmin) * (1.0 + 2.0 * metric.max_relative_error) + 1.0
    ia, ib = tree.query(a_proj, predicate="dwithin", distance=reach)
    d = _pair_distances(ga, gb, ia, ib, a_proj, b_proj, metric)
    # Smallest distance per geometry of a, first index of b among ties.
    order = np.lexsort((ib, d, ia))
    ia, ib, d = ia[order], ib[order], d[order]
    first = np.ones(len(ia), dtype=bool)
    first[1:] = ia[1:] != ia[:-1]
    index[ia[first]] = ib[first]
    km[ia[first]] = d[first] / 1000.0
    return index, km


#: Geometries within this many degrees of the border lines' bounding box have their
#: distance to the border measured in one projection centred there (error bound about
#: 0.09 % for the China–North Korea border), whatever else a comparison measures;
#: others in one around them and the lines.
BORDER_MARGIN_DEG = 1.0


def border_metric(lines: np.ndarray) -> LocalMetric:
    """The projection of distances to the border ``lines``: centred on their bounding box
    widened by :data:`BORDER_MARGIN_DEG` (its ``bounds``)."""
    w, s, e, n = bounds_of(lines)
    m = BORDER_MARGIN_DEG
    return LocalMetric((w - m, max(s - m, -90.0), e + m, min(n + m, 90.0)))


def border_distances(
    geoms: Sequence[BaseGeometry] | np.ndarray,
    metric: LocalMetric | None = None,
    lines: dict[str, BaseGeometry] | None = None,
) -> pd.DataFrame:
    """Each geometry's distance in km to each border line and to the border.

    ``lines`` are the lines that count as the border, by id (a project's
    ``border.lines``, see :func:`bordermap.lines.border_of`); by default the
    three China–North Korea stretches of :func:`border_lines`.  Returns a
    DataFrame with a ``<line>_km`` column per line (``yalu_km``, ``land_km``,
    ``tumen_km``), ``border_km`` (the smallest) and ``border_stretch`` (its id).
    Without ``metric``, what lies near the lines is measured in :func:`border_metric`'s
    projection and the rest in one around it and the lines, so that a geometry's
    distances do not depend on the others given with it.

    >>> border_distances([Point(128.18, 41.39)])  # Hyesan  # doctest: +SKIP
    """
    import pandas as pd

    lines = border_lines() if lines is None else lines
    ids = list(lines)
    ga = np.asarray(geoms, dtype=object)
    gl = np.asarray([lines[i] for i in ids], dtype=object)
    d = np.empty((len(ga), len(ids)))
    if metric is not None:
        groups = [(np.arange(len(ga)), metric)]
    else:  # what lies near the border in its own projection, whatever else is measured
        near_metric = border_metric(gl)
        w, s, e, n = near_metric.bounds
        boxes = shapely.bounds(ga) if len(ga) else np.empty((0, 4))
        near = (boxes[:, 0] >= w) & (boxes[:, 1] >= s) & (boxes[:, 2] <= e) & (boxes[:, 3] <= n)
        far = np.flatnonzero(~near)
        groups = [(np.flatnonzero(near), near_metric)]
        if len(far):
            groups.append((far, LocalMetric(bounds_of(ga[far], gl))))
    for rows, m in groups:
        if len(rows):
            d[rows] = distances(ga[rows], gl, m)
    frame = pd.DataFrame({f"{i}_km": d[:, k] for k, i in enumerate(ids)})
    frame["border_km"] = d.min(axis=1) if len(ga) else []
    frame["border_stretch"] = [ids[k] for k in d.argmin(axis=1)] if len(ga) else []
    return frame
