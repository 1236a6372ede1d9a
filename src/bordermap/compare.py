"""Compare two layers: load them from layer references and measure them.

A *layer reference* names a layer three ways:

* ``upgrades``: a layer or annotation id of the current project;
* ``other.toml:cameras``: a layer of another project file;
* ``places.geojson``, ``places.gpkg`` (its first table) or ``places.gpkg:table``:
  a GeoJSON or GeoPackage file (any CRS; reprojected to WGS84 lon/lat).

:func:`compare` measures layer A against layer B and against the China–North
Korea border (the ``yalu``, ``land`` and ``tumen`` stretches of
:func:`bordermap.geometry.border_lines`): feature counts, extents, geodesic
lengths, each feature's nearest feature in the other layer, each feature's
distance to the border and how many features lie within 10, 25 and 50 km of it.

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
:attr:`Comparison.max_relative_error` holds ``ε`` for each comparison.

>>> from bordermap.compare import compare, load_layer
>>> from bordermap.project import Project
>>> p = Project.load("bordermap.toml")                            # doctest: +SKIP
>>> c = compare(load_layer("upgrades", p), load_layer("checkpoints", p))  # doctest: +SKIP
>>> c.features[["name", "nearest_name", "nearest_km", "border_km"]]  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from bordermap.errors import LayerError, UnknownLayerError
from bordermap.geometry import GEOD, border_lines

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from bordermap.project import Project

__all__ = [
    "DEFAULT_WITHIN_KM",
    "Comparison",
    "CompareLayer",
    "LayerRef",
    "LayerSummary",
    "LocalMetric",
    "UnknownLayerError",
    "border_distances",
    "compare",
    "distances",
    "load_layer",
    "nearest",
    "parse_within",
    "read_layer",
    "resolve",
]

#: Distances from the border (km) for the "within" counts.
DEFAULT_WITHIN_KM: tuple[float, ...] = (10.0, 25.0, 50.0)

#: Longest densified segment, in degrees (about 1.1 km of latitude).
_DENSIFY_DEG = 0.01

#: A conservative (small) radius for the distortion bound: the smallest radius of
#: Gaussian curvature on WGS84, sqrt(M·N) at the equator.
_BOUND_RADIUS_M = 6_356_700.0

_FILE_SUFFIXES = (".geojson", ".json", ".gpkg")
_NAME_COLUMNS = ("name", "title", "label", "id")


# ----------------------------------------------------------------- references


@dataclass(frozen=True)
class LayerRef:
    """A resolved layer reference.

    ``kind`` is ``"project"`` (``path`` is the project file, ``layer`` a layer or
    annotation id) or ``"file"`` (``path`` is a GeoJSON/GeoPackage file,
    ``layer`` the GeoPackage table or ``None``).  ``text`` is the reference as
    written.
    """

    text: str
    kind: Literal["project", "file"]
    path: Path
    layer: str | None


def _known(project: Project) -> str:
    return ", ".join(sorted(project.config.layer_ids))


def _check_layer(text: str, project: Project, layer_id: str) -> LayerRef:
    if layer_id not in project.config.layer_ids:
        raise UnknownLayerError(
            f"unknown layer {layer_id!r} in {project.config.path.name} (known: {_known(project)})"
        )
    return LayerRef(text, "project", project.config.path, layer_id)


def _check_file(text: str, path: Path, table: str | None) -> LayerRef:
    if not path.exists():
        raise UnknownLayerError(f"no such file: '{path}'")
    if path.is_dir():
        raise UnknownLayerError(f"'{path}' is a folder, not a GeoJSON or GeoPackage file")
    return LayerRef(text, "file", path, table)


def resolve(
    text: str, project: Project | None = None, projects: dict[Path, Project] | None = None
) -> LayerRef:
    """Resolve a layer reference, checking that what it names exists.

    Parameters
    ----------
    text : str
        ``layer``, ``other.toml:layer``, ``file.geojson``, ``file.gpkg`` or
        ``file.gpkg:table``.
    project : Project, optional
        The current project, for bare layer ids.
    projects : dict, optional
        A cache of other projects already loaded, by resolved path; filled in.

    Raises
    ------
    UnknownLayerError
        If the layer id is not in the project, or a file does not exist.
    ConfigError
        If another project file named by the reference is malformed.
    """
    from bordermap.project import Project

    if not text:
        raise UnknownLayerError("empty layer reference")
    head, sep, tail = text.rpartition(":")
    if sep and head.lower().endswith(".toml"):
        path = Path(head)
        if not path.exists():
            raise UnknownLayerError(f"no such file: '{path}'")
        key = path.resolve()
        cache = projects if projects is not None else {}
        if key not in cache:
            cache[key] = Project.load(path)
        return _check_layer(text, cache[key], tail)
    if sep and head.lower().endswith(".gpkg"):
        return _check_file(text, Path(head), tail or None)
    if text.lower().endswith(_FILE_SUFFIXES):
        return _check_file(text, Path(text), None)
    if text.lower().endswith(".toml"):
        raise UnknownLayerError(f"{text!r} is a project file: name a layer, e.g. '{text}:border'")
    if project is None:
        raise UnknownLayerError(f"layer {text!r} needs a project file (--config)")
    return _check_layer(text, project, text)


# --------------------------------------------------------------------- layers


@dataclass
class CompareLayer:
    """A layer to compare: its features as a GeoDataFrame in EPSG:4326.

    Attributes
    ----------
    ref : str
        The reference it was loaded from, e.g. ``"upgrades"``.
    title : str
        Human title (the project's layer title, or the file name).
    frame : geopandas.GeoDataFrame
        One row per feature, non-empty geometries only, index 0..n-1.
    names : list of str
        A display name per feature (``name``/``title``/``label``/``id``
        column, ``#number`` for numbered points, else ``#i``).
    articles : list of str
        Article ids the features cite (project layers only), sorted.
    project : Project or None
        The project the layer came from.
    """

    ref: str
    title: str
    frame: gpd.GeoDataFrame
    names: list[str]
    articles: list[str] = field(default_factory=list)
    project: Project | None = None

    def __len__(self) -> int:
        return len(self.frame)


def _names(frame: gpd.GeoDataFrame) -> list[str]:
    import pandas as pd

    for column in _NAME_COLUMNS:
        if column in frame.columns:
            values = frame[column]
            return [
                str(v) if not pd.isna(v) and str(v) != "" else f"#{i + 1}"
                for i, v in enumerate(values)
            ]
    if "number" in frame.columns:
        return [f"#{v}" for v in frame["number"]]
    return [f"#{i + 1}" for i in range(len(frame))]


def _articles(frame: gpd.GeoDataFrame) -> list[str]:
    if "provenance" not in frame.columns:
        return []
    ids: set[str] = set()
    for entries in frame["provenance"]:
        if isinstance(entries, list):
            ids |= {str(e["article"]) for e in entries if isinstance(e, dict) and e.get("article")}
    return sorted(ids)


def _clean(frame: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Keep non-empty geometries in EPSG:4326, reindexed 0..n-1."""
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif not frame.crs.equals(CRS.from_epsg(4326)):
        frame = frame.to_crs("EPSG:4326")
    keep = ~(frame.geometry.isna() | frame.geometry.is_empty)
    frame = frame[keep].reset_index(drop=True)
    coords = shapely.get_coordinates(frame.geometry.values)
    if coords.size and not np.isfinite(coords).all():
        raise LayerError(f"{where}: a geometry has non-finite coordinates")
    return frame


def read_layer(ref: LayerRef, project: Project | None = None) -> CompareLayer:
    """Load what ``ref`` names.

    Parameters
    ----------
    ref : LayerRef
        From :func:`resolve`.
    project : Project, optional
        The project a ``"project"`` reference belongs to (loaded from
        ``ref.path`` if not given or a different file).

    Raises
    ------
    LayerError
        If a file cannot be read (the message names it) or a GeoPackage has
        no such table (:class:`UnknownLayerError`).
    """
    import geopandas as gpd
    import pyogrio

    from bordermap.project import Project

    if ref.kind == "project":
        assert ref.layer is not None
        if project is None or project.config.path.resolve() != ref.path.resolve():
            project = Project.load(ref.path)
        frame = _clean(project.layers()[ref.layer], ref.text)
        return CompareLayer(
            ref=ref.text,
            title=project.config.title_of(ref.layer),
            frame=frame,
            names=_names(frame),
            articles=_articles(frame),
            project=project,
        )
    path = ref.path
    try:
        tables = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError, OSError, ...
        raise LayerError(f"cannot read {path}: {_reason(exc)}") from None
    if not tables:
        raise LayerError(f"cannot read {path}: it holds no layer")
    table = ref.layer
    if table is not None and table not in tables:
        raise UnknownLayerError(
            f"unknown table {table!r} in {path.name} (tables: {', '.join(tables)})"
        )
    try:
        frame = gpd.read_file(path, layer=table or tables[0], engine="pyogrio")
    except Exception as exc:
        raise LayerError(f"cannot read {path}: {_reason(exc)}") from None
    frame = _clean(frame, str(path))
    title = path.name if table is None else f"{path.name}:{table}"
    return CompareLayer(ref=ref.text, title=title, frame=frame, names=_names(frame))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def load_layer(
    text: str, project: Project | None = None, projects: dict[Path, Project] | None = None
) -> CompareLayer:
    """:func:`resolve` then :func:`read_layer`: a layer from its reference text."""
    ref = resolve(text, project, projects)
    owner = project
    if ref.kind == "project" and projects:
        owner = projects.get(ref.path.resolve(), project)
    return read_layer(ref, owner)


# ----------------------------------------------------------------- distances


class LocalMetric:
    """An azimuthal equidistant projection centred on a region, with its error bound.

    Parameters
    ----------
    bounds : (west, south, east, north)
        The region in degrees; the projection is centred on its middle.

    Attributes
    ----------
    center : (lon, lat)
    max_relative_error : float
        ``ε``: a distance found through this projection is at most ``1 + ε``
        times the true minimum (see the module docstring).
    """

    def __init__(self, bounds: Sequence[float]) -> None:
        west, south, east, north = (float(v) for v in bounds)
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


def _region(*groups: np.ndarray) -> tuple[float, float, float, float]:
    boxes = [shapely.total_bounds(g) for g in groups if len(g)]
    boxes = [b for b in boxes if np.isfinite(b).all()]
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    arr = np.array(boxes)
    return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())


def _is_point(geoms: np.ndarray) -> np.ndarray:
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
    both_points = _is_point(a[ia]) & _is_point(b[ib])
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
    metric = metric or LocalMetric(_region(ga, gb))
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
    metric = metric or LocalMetric(_region(ga, gb))
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


def border_distances(
    geoms: Sequence[BaseGeometry] | np.ndarray, metric: LocalMetric | None = None
) -> pd.DataFrame:
    """Each geometry's distance in km to each border stretch and to the border.

    Returns a DataFrame with a ``<stretch>_km`` column per stretch of
    :func:`bordermap.geometry.border_lines` (``yalu_km``, ``land_km``,
    ``tumen_km``), ``border_km`` (the smallest) and ``border_stretch`` (its id).

    >>>     >>> border_distances([Point(128.18, 41.39)])  # Hyesan           # doctest: +SKIP
    """
    import pandas as pd

    lines = border_lines()
    ids = list(lines)
    ga = np.asarray(geoms, dtype=object)
    gl = np.asarray([lines[i] for i in ids], dtype=object)
    metric = metric or LocalMetric(_region(ga, gl))
    if len(ga):
        d = distances(ga, gl, metric)
    else:
        d = np.empty((0, len(ids)))
    frame = pd.DataFrame({f"{i}_km": d[:, k] for k, i in enumerate(ids)})
    frame["border_km"] = d.min(axis=1) if len(ga) else []
    frame["border_stretch"] = [ids[k] for k in d.argmin(axis=1)] if len(ga) else []
    return frame


# ---------------------------------------------------------------- comparison


@dataclass(frozen=True)
class LayerSummary:
    """One layer's totals.

    ``extent`` is (west, south, east, north) in degrees or ``None`` when empty;
    ``length_km`` the geodesic length of its lines (perimeters of polygons);
    ``within`` maps each distance (km) to how many features lie that close to
    the border; ``border_km`` is the closest approach to the border.
    """

    side: str
    ref: str
    title: str
    features: int
    points: int
    lines: int
    polygons: int
    extent: tuple[float, float, float, float] | None
    length_km: float
    border_km: float | None
    within: dict[float, int]


@dataclass
class Comparison:
    """Layer A measured against layer B and the border.

    Attributes
    ----------
    a, b : CompareLayer
    summaries : (LayerSummary, LayerSummary)
    features : pandas.DataFrame
        One row per feature of A then of B: ``side``, ``layer``, ``index``,
        ``name``, ``geometry``, ``lon``, ``lat`` (points), ``length_km``,
        ``nearest_index``/``nearest_name``/``nearest_km`` (its nearest feature
        of the *other* layer), ``border_km``, ``border_stretch``, one
        ``<stretch>_km`` column per border stretch and one
        ``within_<d>km`` (0/1) column per distance.
    within_km : tuple of float
    metric : LocalMetric
        The projection used, with ``center`` and ``max_relative_error``.
    """

    a: CompareLayer
    b: CompareLayer
    summaries: tuple[LayerSummary, LayerSummary]
    features: pd.DataFrame
    within_km: tuple[float, ...]
    metric: LocalMetric

    @property
    def max_relative_error(self) -> float:
        return self.metric.max_relative_error

    def method(self) -> str:
        """One paragraph on how distances were measured, with the error bound."""
        lon, lat = self.metric.center
        return (
            "Distances are geodesic on WGS84 (pyproj Geod). Point to point: exact. "
            "With lines or polygons: nearest points found in an azimuthal equidistant "
            f"projection centred on {lon:.3f}°E {lat:.3f}°N (lines densified to 0.01°), "
            "then measured geodesically; such a distance is never too short and at most "
            f"{self.max_relative_error * 100:.3f}% too long."
        )

    def table(self, max_rows: int = 20) -> str:
        """The statistics as plain-text tables (at most ``max_rows`` features per layer)."""
        return format_table(self, max_rows)

    def csv_text(self) -> str:
        """The statistics as CSV: one ``layer`` row per layer, then one ``feature`` row each."""
        return format_csv(self)


def _within_label(d: float) -> str:
    return f"within_{_num(d)}km"


def _num(value: float) -> str:
    return f"{value:g}"


def _geometry_kind(type_id: int) -> str:
    return {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}[
        int(type_id)
    ]


def _summary(
    side: str, layer: CompareLayer, rows: pd.DataFrame, within_km: tuple[float, ...]
) -> LayerSummary:
    geoms = layer.frame.geometry.values
    kinds = [_geometry_kind(t) for t in shapely.get_type_id(geoms)] if len(geoms) else []
    extent: tuple[float, float, float, float] | None = None
    if len(geoms):
        w, s, e, n = (round(float(v), 6) for v in shapely.total_bounds(geoms))
        extent = (w, s, e, n)
    return LayerSummary(
        side=side,
        ref=layer.ref,
        title=layer.title,
        features=len(layer),
        points=kinds.count("point"),
        lines=kinds.count("line"),
        polygons=kinds.count("polygon"),
        extent=extent,
        length_km=float(rows["length_km"].sum()) if len(rows) else 0.0,
        border_km=float(rows["border_km"].min()) if len(rows) else None,
        within={d: int((rows["border_km"] <= d).sum()) for d in within_km},
    )


def _length_km(geom: BaseGeometry) -> float:
    if shapely.get_type_id(geom) in (0, 4):
        return 0.0
    return float(GEOD.geometry_length(geom)) / 1000.0


def _rows(
    side: str,
    layer: CompareLayer,
    other: CompareLayer,
    metric: LocalMetric,
    within_km: tuple[float, ...],
) -> pd.DataFrame:
    import pandas as pd

    geoms = layer.frame.geometry.values
    garr = np.asarray(geoms, dtype=object)
    is_point = _is_point(garr) if len(garr) else np.zeros(0, dtype=bool)
    idx, km = nearest(garr, np.asarray(other.frame.geometry.values, dtype=object), metric)
    coords = [
        (g.x, g.y) if p else (math.nan, math.nan) for g, p in zip(garr, is_point, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "side": side,
            "layer": layer.ref,
            "index": np.arange(len(garr), dtype=int),
            "name": layer.names,
            "geometry": [g.geom_type for g in garr],
            "lon": [c[0] for c in coords],
            "lat": [c[1] for c in coords],
            "length_km": [_length_km(g) for g in garr],
            "nearest_index": idx,
            "nearest_name": [other.names[i] if i >= 0 else "" for i in idx],
            "nearest_km": km,
        }
    )
    border = border_distances(garr, metric)
    frame = pd.concat([frame, border], axis=1)
    for d in within_km:
        frame[_within_label(d)] = (frame["border_km"] <= d).astype(int)
    return frame


def compare(
    a: CompareLayer, b: CompareLayer, within_km: Sequence[float] = DEFAULT_WITHIN_KM
) -> Comparison:
    """Measure layer ``a`` against layer ``b`` and both against the border.

    Parameters
    ----------
    a, b : CompareLayer
        From :func:`load_layer`.
    within_km : sequence of float
        Distances from the border (km) to count features within.

    Returns
    -------
    Comparison
    """
    import pandas as pd

    within = tuple(sorted({float(d) for d in within_km}))
    if any(not math.isfinite(d) or d <= 0 for d in within):
        raise ValueError(f"within_km must be positive distances, got {list(within_km)!r}")
    lines = np.asarray(list(border_lines().values()), dtype=object)
    metric = LocalMetric(
        _region(
            np.asarray(a.frame.geometry.values, dtype=object),
            np.asarray(b.frame.geometry.values, dtype=object),
            lines,
        )
    )
    rows_a = _rows("A", a, b, metric, within)
    rows_b = _rows("B", b, a, metric, within)
    features = pd.concat([rows_a, rows_b], ignore_index=True)
    summaries = (_summary("A", a, rows_a, within), _summary("B", b, rows_b, within))
    return Comparison(a, b, summaries, features, within, metric)


# ------------------------------------------------------------------ formats


def _km(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):,.{digits}f}"


def _columns(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def format_table(c: Comparison, max_rows: int = 20) -> str:
    """Plain-text tables: layer totals, then each layer's features (:meth:`Comparison.table`)."""
    sa, sb = c.summaries

    def extent(s: LayerSummary) -> str:
        return "–" if s.extent is None else ", ".join(f"{v:.3f}" for v in s.extent)

    rows = [
        ["", f"A: {sa.ref}", f"B: {sb.ref}"],
        ["title", sa.title, sb.title],
        ["features", str(sa.features), str(sb.features)],
        ["points / lines / polygons"]
        + [f"{s.points} / {s.lines} / {s.polygons}" for s in (sa, sb)],
        ["extent W, S, E, N (°)", extent(sa), extent(sb)],
        ["length (km)", _km(sa.length_km), _km(sb.length_km)],
        ["closest to border (km)", _km(sa.border_km), _km(sb.border_km)],
    ]
    for d in c.within_km:
        rows.append([f"within {_num(d)} km of border", str(sa.within[d]), str(sb.within[d])])
    out = _columns(rows, set())
    stretches = [col for col in c.features.columns if col.endswith("_km") and col not in
                 ("length_km", "nearest_km", "border_km")]  # fmt: skip
    for side, other in (("A", "B"), ("B", "A")):
        part = c.features[c.features["side"] == side]
        layer = c.a if side == "A" else c.b
        out.append("")
        head = [f"{side}: {layer.ref}", f"nearest in {other}", "km", "border km", "stretch"]
        head += [s.removesuffix("_km") + " km" for s in stretches]
        body = [head]
        for _, r in part.head(max_rows).iterrows():
            body.append(
                [r["name"], r["nearest_name"], _km(r["nearest_km"]), _km(r["border_km"]),
                 r["border_stretch"]] + [_km(r[s]) for s in stretches]
            )  # fmt: skip
        out += _columns(body, {2, 3} | set(range(5, 5 + len(stretches))))
        if len(part) > max_rows:
            out.append(f"… {len(part) - max_rows} more (all in the CSV)")
        if not len(part):
            out.append("(no features)")
    out += ["", c.method()]
    return "\n".join(out) + "\n"


_CSV_HEAD = [
    "record", "side", "layer", "index", "name", "geometry", "features",
    "west", "south", "east", "north", "lon", "lat", "length_km",
    "nearest_index", "nearest_name", "nearest_km", "border_km", "border_stretch",
]  # fmt: skip


def _fmt(value: Any, digits: int) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return "" if math.isnan(value) else f"{float(value):.{digits}f}"
    return str(value)


def format_csv(c: Comparison) -> str:
    """The statistics as CSV text (see :meth:`Comparison.csv_text`).

    Columns: ``record`` (``layer`` or ``feature``), ``side``, ``layer``,
    ``index``, ``name``, ``geometry``, ``features``, ``west``/``south``/
    ``east``/``north`` (layer extent), ``lon``/``lat`` (points), ``length_km``,
    ``nearest_index``/``nearest_name``/``nearest_km``, ``border_km``,
    ``border_stretch``, ``<stretch>_km`` per border stretch and
    ``within_<d>km`` per distance (a count on layer rows, 0/1 on feature rows).
    Distances in km to 3 decimals (metres), coordinates to 6.
    """
    stretches = [f"{s}_km" for s in border_lines()]
    within = [_within_label(d) for d in c.within_km]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_CSV_HEAD + stretches + within)
    for s in c.summaries:
        layer_rows = c.features[c.features["side"] == s.side]
        ext = s.extent or (None, None, None, None)
        kinds = ", ".join(sorted(set(layer_rows["geometry"])))
        row: list[Any] = ["layer", s.side, s.ref, "", s.title, kinds, s.features]
        row += [_fmt(v, 6) for v in ext] + ["", "", _fmt(s.length_km, 3)]
        row += ["", "", "", _fmt(s.border_km, 3), ""]
        row += [_fmt(layer_rows[col].min(), 3) if len(layer_rows) else "" for col in stretches]
        row += [s.within[d] for d in c.within_km]
        writer.writerow(row)
    for _, r in c.features.iterrows():
        idx = int(r["nearest_index"])
        row = ["feature", r["side"], r["layer"], int(r["index"]), r["name"], r["geometry"], ""]
        row += ["", "", "", "", _fmt(r["lon"], 6), _fmt(r["lat"], 6), _fmt(r["length_km"], 3)]
        row += [idx if idx >= 0 else "", r["nearest_name"], _fmt(r["nearest_km"], 3)]
        row += [_fmt(r["border_km"], 3), r["border_stretch"]]
        row += [_fmt(r[col], 3) for col in stretches]
        row += [int(r[col]) for col in within]
        writer.writerow(row)
    return buf.getvalue()


def parse_within(text: str) -> tuple[float, ...]:
    """``"10,25,50"`` → ``(10.0, 25.0, 50.0)``.

    Raises
    ------
    ValueError
        Unless every item is a positive number of km.
    """
    values = []
    for item in text.split(","):
        item = item.strip()
        try:
            value = float(item)
        except ValueError:
            raise ValueError(f"expected comma-separated distances in km, got {text!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"distances must be positive km, got {item!r}")
        values.append(value)
    return tuple(sorted(set(values)))


def slug(ref: str) -> str:
    """A file-name-safe short form of a layer reference (``a.gpkg:roads`` → ``a-roads``)."""
    head, sep, tail = ref.rpartition(":")
    parts = [Path(head).stem, tail] if sep else [Path(ref).stem if "." in ref else ref]
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "layer"
