"""Layer references: parse ``upgrades`` / ``other.toml:cameras`` / ``x.geojson`` /
``x.gpkg:table`` and load what they name as a :class:`CompareLayer`.

A *layer reference* names a layer three ways:

* ``upgrades``: a layer or annotation id of the current project;
* ``other.toml:cameras``: a layer of another project file;
* ``places.geojson``, ``places.gpkg`` (its first table) or ``places.gpkg:table``:
  a GeoJSON or GeoPackage file (any CRS; reprojected to WGS84 lon/lat).

A project is given as a :class:`bordermap.pipeline.Parts` (what
:func:`bordermap.pipeline.load` returns) or anything holding one as
``.parts`` (the :class:`bordermap.Project` façade).

>>> from bordermap.layer_refs import load_layer
>>> load_layer("places.gpkg:towns")                                 # doctest: +SKIP
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
from pyproj import CRS

from bordermap.errors import LayerError, UnknownLayerError
from bordermap.region import Bbox

if TYPE_CHECKING:
    import geopandas as gpd

    from bordermap.pipeline import Parts

__all__ = [
    "CompareLayer",
    "LayerRef",
    "is_file_ref",
    "load_layer",
    "load_parts",
    "read_layer",
    "resolve",
    "slug",
]

_FILE_SUFFIXES = (".geojson", ".json", ".gpkg")
_NAME_COLUMNS = ("name", "title", "label", "id")


def _parts(project: Any) -> Parts | None:
    """The :class:`Parts` of ``project`` (a Parts, or a façade with ``.parts``)."""
    if project is None:
        return None
    parts: Parts = getattr(project, "parts", project)
    return parts


def load_parts(path: Path) -> Parts:
    """The parts of the project file at ``path``, its mentions geoparsed as ``bordermap
    build`` does: from the mention cache (:meth:`MentionCache.default`), the rest on every
    core (raises ConfigError when the file is bad)."""
    from bordermap.cache import MentionCache
    from bordermap.config import load_config
    from bordermap.pipeline import load
    from bordermap.workers import default_jobs

    config = load_config(path)
    return load(config, jobs=default_jobs(), cache=MentionCache.default(config.focus))


def is_file_ref(text: str) -> bool:
    """Whether ``text`` names a GeoJSON or GeoPackage file rather than a project layer."""
    head, sep, _ = text.rpartition(":")
    name = (head if sep else text).lower()
    return name.endswith(_FILE_SUFFIXES)


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


def _check_layer(text: str, parts: Parts, layer_id: str) -> LayerRef:
    config = parts.config
    if layer_id not in config.layer_ids:
        known = ", ".join(sorted(config.layer_ids))
        raise UnknownLayerError(
            f"unknown layer {layer_id!r} in {config.path.name} (known: {known})"
        )
    return LayerRef(text, "project", config.path, layer_id)


def _check_file(text: str, path: Path, table: str | None) -> LayerRef:
    if not path.exists():
        raise UnknownLayerError(f"no such file: '{path}'")
    if path.is_dir():
        raise UnknownLayerError(f"'{path}' is a folder, not a GeoJSON or GeoPackage file")
    return LayerRef(text, "file", path, table)


def resolve(text: str, project: Any = None, projects: dict[Path, Parts] | None = None) -> LayerRef:
    """Resolve a layer reference, checking that what it names exists.

    Parameters
    ----------
    text : str
        ``layer``, ``other.toml:layer``, ``file.geojson``, ``file.gpkg`` or
        ``file.gpkg:table``.
    project : Parts or Project, optional
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
            cache[key] = load_parts(path)
        return _check_layer(text, cache[key], tail)
    if sep and head.lower().endswith(".gpkg"):
        return _check_file(text, Path(head), tail or None)
    if text.lower().endswith(_FILE_SUFFIXES):
        return _check_file(text, Path(text), None)
    if text.lower().endswith(".toml"):
        raise UnknownLayerError(f"{text!r} is a project file: name a layer, e.g. '{text}:border'")
    parts = _parts(project)
    if parts is None:
        raise UnknownLayerError(f"layer {text!r} needs a project file (--config)")
    return _check_layer(text, parts, text)


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
    sources : str
        "Sources: 000 Title (Outlet, date); …" for those articles ("" for files).
    source_list : list of dict
        Those articles as a map's sources panel lists them (``{"id", "title",
        "outlet", "date"}``, see :func:`bordermap.maps.sources`).
    article_titles : dict
        Title of each of those articles, by id.
    focus : (west, south, east, north) or None
        The focus region of the project the layer came from.
    border : dict of str to shapely geometry
        The lines that count as the border in that project (its ``border.lines``),
        by id; empty for files.
    """

    ref: str
    title: str
    frame: gpd.GeoDataFrame
    names: list[str]
    articles: list[str] = field(default_factory=list)
    sources: str = ""
    source_list: list[dict[str, str]] = field(default_factory=list)
    article_titles: dict[str, str] = field(default_factory=dict)
    focus: Bbox | None = None
    border: dict[str, Any] = field(default_factory=dict)

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
    if coords.size and (np.abs(coords[:, 0]).max() > 180 or np.abs(coords[:, 1]).max() > 90):
        raise LayerError(
            f"{where}: coordinates outside longitude -180..180 / latitude -90..90; "
            "if the file is in a projected CRS, say which (GeoJSON must be WGS 84 lon/lat)"
        )
    return frame


def read_layer(ref: LayerRef, project: Any = None) -> CompareLayer:
    """Load what ``ref`` names.

    Parameters
    ----------
    ref : LayerRef
        From :func:`resolve`.
    project : Parts or Project, optional
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

    from bordermap.lines import border_of
    from bordermap.maps import source_line, sources

    if ref.kind == "project":
        assert ref.layer is not None
        parts = _parts(project)
        if parts is None or parts.config.path.resolve() != ref.path.resolve():
            parts = load_parts(ref.path)
        frame = _clean(parts.layer(ref.layer).frame(), ref.text)
        articles = _articles(frame)
        return CompareLayer(
            ref=ref.text,
            title=parts.config.title_of(ref.layer),
            frame=frame,
            names=_names(frame),
            articles=articles,
            sources=source_line(parts.articles, articles) if articles else "",
            source_list=sources(parts.articles, articles),
            article_titles={
                aid: parts.articles[aid].title for aid in articles if aid in parts.articles
            },
            focus=parts.config.focus,
            border=border_of(parts.config),
        )
    path = ref.path
    try:
        listed = [(str(row[0]), row[1]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError, OSError, ...
        raise LayerError(f"cannot read {path}: {_reason(exc)}") from None
    # Attribute tables (a build's provenance, articles, sentences, layer_styles)
    # have no geometry: there is nothing in them to compare or draw.
    tables = [name for name, geometry in listed if geometry is not None]
    if not tables:
        raise LayerError(f"cannot read {path}: it holds no table with geometries")
    table = ref.layer
    if table is not None and table not in tables:
        if any(name == table for name, _ in listed):
            raise UnknownLayerError(
                f"table {table!r} of {path.name} has no geometries, nothing to compare "
                f"(tables with geometries: {', '.join(tables)})"
            )
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
    text: str, project: Any = None, projects: dict[Path, Parts] | None = None
) -> CompareLayer:
    """:func:`resolve` then :func:`read_layer`: a layer from its reference text."""
    ref = resolve(text, project, projects)
    owner = project
    if ref.kind == "project" and projects:
        owner = projects.get(ref.path.resolve(), project)
    return read_layer(ref, owner)


# ----------------------------------------------------------------- distances


def slug(ref: str) -> str:
    """A file-name-safe short form of a layer reference (``a.gpkg:roads`` → ``a-roads``)."""
    head, sep, tail = ref.rpartition(":")
    parts = [Path(head).stem, tail] if sep else [Path(ref).stem if "." in ref else ref]
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "layer"
