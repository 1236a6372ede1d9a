"""The map contract: what one map page shows.

The data side (layers, maps, the project) describes a page with these plain
data classes and nothing else; :mod:`bordermap.render.map_page` turns a
:class:`MapSpec` into HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CAMERA_MIN_ZOOM", "CameraAnnotation", "CoverageLayer", "MapLayer", "MapSpec"]

#: Zoom level from which individual cameras are drawn; below it, the river line
#: and its label stand for them.
CAMERA_MIN_ZOOM = 12


@dataclass(frozen=True)
class MapLayer:
    """One toggleable layer of features.

    Parameters
    ----------
    id : str
        Stable identifier, e.g. ``"checkpoints"``.
    title : str
        Shown in the legend and the layer control.
    color : str
        CSS colour such as ``"#d62728"``.
    geojson : dict
        RFC 7946 FeatureCollection of Points or LineStrings.  Each feature's
        properties carry ``name``, optional ``length_km``, ``kind`` and
        ``provenance`` (a list of ``{"article", "title", "outlet", "date",
        "claim"}`` dicts).
    shown : bool
        Whether the layer is switched on when the page opens.
    """

    id: str
    title: str
    color: str
    geojson: dict[str, Any]
    shown: bool = True


@dataclass(frozen=True)
class CameraAnnotation:
    """A claimed camera density drawn along a river.

    Parameters
    ----------
    layer_id : str
        Stable identifier, e.g. ``"cameras"``.
    title : str
        Shown in the legend and the layer control.
    label : str
        One-line summary shown on the river at low zoom and in the legend.
    color : str
        CSS colour.
    line : list of (lon, lat)
        The river line (if empty, the camera points stand in for it).
    points : list of (lon, lat, distance_from_mouth_m)
        Camera positions; camera number is index + 1.
    provenance : list of dict
        Same dicts as in :class:`MapLayer` feature properties.
    noun : str
        What each point is, capitalised, for its popup ("Camera 12 · …").
    measured_from : str
        Where the distances start ("the river mouth", "the river source").
    period : (str, str)
        The first and last day (ISO) of its claims' periods, else of its articles'
        dates, as the time filter and ``--as-of`` read them; ``("", "")`` unknown.
    """

    layer_id: str
    title: str
    label: str
    color: str
    line: list[tuple[float, float]]
    points: list[tuple[float, float, float]]
    provenance: list[dict[str, Any]] = field(default_factory=list)
    noun: str = "Camera"
    measured_from: str = "the river mouth"
    period: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class CoverageLayer:
    """What the corpus does not cover (issue 14): said in the legend and the text view,
    and the uncovered stretches drawn faintly under the features.

    Parameters
    ----------
    title : str
        The legend row and the layer switcher's entry ("Not covered by the corpus").
    summary : list of str
        One sentence per line checked, then one on the articles' dates (the text view,
        the alt text).
    label : str
        The legend's short form of it.
    stretches : list of dict
        ``{"name", "tooltip", "coords"}``: each uncovered stretch, its tooltip and its
        (lon, lat) line.
    color : str
        CSS colour of the stretches.
    id : str
        Its key in the page's layer registry.
    """

    title: str
    summary: list[str]
    stretches: list[dict[str, Any]]
    label: str = ""
    color: str = "#888888"
    id: str = "uncovered"


@dataclass(frozen=True)
class MapSpec:
    """Everything one map page shows.

    Parameters
    ----------
    title, subtitle : str
        Title box text (the subtitle, optional, is shown under the title).
    layers : list of MapLayer
    annotations : list of CameraAnnotation
    basemap : dict
        GeoJSON FeatureCollection of country polygons (properties ``iso_a3``,
        ``name``), always drawn beneath everything else.
    bounds : (west, south, east, north)
        Initial view.
    tiles : str or None
        ``None`` draws no tile layer (and the page makes no network request);
        otherwise a folium/xyzservices key such as ``"OpenStreetMap"`` or
        ``"CartoDB positron"``.
    attribution : str
        Plain text shown in the attribution control.  It replaces the tile
        provider's own attribution, so it must credit the tiles when
        ``tiles`` is set.
    sources : list of dict
        The articles the map draws on (``{"id", "title", "outlet", "date"}``,
        outlet and date optional), listed in the title box's "Sources (N)"
        panel.
    sources_line : str
        One line crediting them, which snapshots show instead of the panel.
    """

    title: str
    subtitle: str
    layers: list[MapLayer]
    annotations: list[CameraAnnotation]
    basemap: dict[str, Any]
    bounds: tuple[float, float, float, float]
    tiles: str | None
    attribution: str
    sources: list[dict[str, str]] = field(default_factory=list)
    sources_line: str = ""
    #: The claims the map draws, in file order (issue 14): what ``assets/claims.js``
    #: shows in popups, the time filter and the text view.
    claims: list[dict[str, Any]] = field(default_factory=list)
    #: What the corpus does not cover, or None (a compare page's panels draw none).
    coverage: CoverageLayer | None = None
