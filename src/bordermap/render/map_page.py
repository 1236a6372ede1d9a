"""Render map data as one self-contained Leaflet HTML page.

The page is built with folium (map, feature groups, layer control, macro
elements) and then made independent of the network: Leaflet's JavaScript and
CSS come from the installed ``xstatic-leaflet`` package and are inlined, its
icons become ``data:`` URIs, and folium's CDN links (jQuery, Bootstrap,
awesome-markers, Font Awesome) are never emitted.  Only tile images, when a
tile layer is requested, are fetched from the network.

Article text never reaches folium's ``Popup``/``Tooltip`` (which insert HTML
raw): every payload goes through :class:`_Call` as :func:`js_json`, and the
runtime (``assets/bordermap.js``) builds popups, legend and title with
``textContent`` (see :mod:`bordermap.render._html`).  Geometry travels in the
wire format of :mod:`bordermap.render._encode`.  One :class:`MapSpec` gives
byte-identical HTML in any process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from bordermap.collector import paused_gc
from bordermap.render._coverage import coverage_payload, coverage_row
from bordermap.render._encode import (
    _basemap_payload,
    _camera_payload,
    _DataBlocks,
    _resolve,
)
from bordermap.render._html import (
    _check_color,
    _html_text,
    _RawHeader,
    _swatch,
    deterministic_ids,
    finish_options,
    finish_page,
    inline_assets,
    js_json,
)
from bordermap.render._layer import Pages, PreparedLayer, prepare
from bordermap.render._plain import _records
from bordermap.render._sources import PageSources
from bordermap.render.spec import MapSpec

__all__ = ["Legend", "Pages", "Panel", "build_map", "build_panels", "render"]

_MIN_ZOOM = 2
_MAX_ZOOM = 18

#: Light, neutral land colours; the two countries the maps are about are tinted.
_BASEMAP_STYLE: dict[str, Any] = {
    "border": "#8c8c8c",
    "weight": 0.8,
    "fill": "#f3f1ec",
    "fills": {
        "CHN": "#f6f1e4",
        "PRK": "#eef2e6",
        "KOR": "#f1f1f1",
        "RUS": "#f1f1f1",
        "MNG": "#f1f1f1",
    },
}


# ------------------------------------------------------------- elements


class _OfflineMap(folium.Map):
    """A folium Map that emits no CDN links; render() inlines Leaflet instead."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []


class _Call(MacroElement):
    """Emits ``bordermap.<function>(arg, ...);`` in the page script.

    Each argument is a folium element (rendered as its JS variable name),
    ``None`` (``null``) or plain data (escaped with :func:`js_json`).  All
    article data enters the page through this one path (data blocks carry
    only coordinate arrays, escaped the same way).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            bordermap.{{ this.function }}({{ this.arguments() }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str, function: str, *args: Any) -> None:
        super().__init__()
        self._name = name
        self.function = function
        # Serialise now: the payload is fixed at build time, not at render time.
        self._args = [a if isinstance(a, Element) or a is None else js_json(a) for a in args]

    def arguments(self) -> str:
        return ", ".join(
            "null" if a is None else a.get_name() if isinstance(a, Element) else a
            for a in self._args
        )


class Legend(_Call):
    """The legend: one row per layer and annotation (swatch, title, label).

    A branca MacroElement whose script builds a Leaflet control from JSON with
    ``textContent``, so titles and labels cannot inject markup.
    """

    def __init__(self, map_: folium.Map, rows: list[dict[str, str]]) -> None:
        super().__init__("Legend", "addLegend", map_, {"heading": "Legend", "rows": rows})


def _title_payload(spec: MapSpec, blocks: _DataBlocks) -> dict[str, Any]:
    """The title box's part of the setup payload: title, subtitle and sources.

    The sources list grows with the corpus; it is shown only when its panel is
    opened, so a long one travels in a data block parsed on first open.
    """
    return {
        "title": spec.title,
        "subtitle": spec.subtitle,
        "sources": blocks.ref(_records(list(spec.sources)), packed=True),
        "sourcesCount": len(spec.sources),
        "sourcesLine": spec.sources_line,
    }


def _unique_names(titles: Sequence[str]) -> list[str]:
    """HTML-escaped layer-control names, de-duplicated (folium keys overlays by name)."""
    seen: dict[str, int] = {}
    names = []
    for title in titles:
        name = _html_text(title)
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _layer_payload(
    layer: PreparedLayer, index: int, color: str, sources: PageSources, blocks: _DataBlocks
) -> dict[str, Any]:
    """A layer's features as ``addFeatures`` reads them (the page's layer ``index``).

    ``geoms`` is the wire format (a layer of points as one delta-encoded run),
    ``props`` each feature's properties without its provenance, and
    ``sources`` each feature's references into the page's provenance tables
    (:mod:`._sources`; ``null`` for a feature without provenance), both as
    columns when they share their keys (:func:`._records`), parsed
    only when a popup or a filter first needs them, and ``weights`` the
    number of articles of each.  The
    ``layer`` property (the layer's id) and ``articles`` (the provenance's
    article ids, sorted and comma-joined) are left out when they say only
    that; the page puts them back.  Large parts travel as data blocks.  All
    but ``sources`` is the same on every page (:mod:`._layer`).
    """
    geoms = _resolve(layer.geoms, blocks)
    props = blocks.ref(layer.props.value, layer.props.text)
    refs = sources.features(index)
    return {
        "id": layer.id,
        "color": color,
        "geoms": geoms,
        "props": props,
        "sources": blocks.ref(_records(refs), packed=True),
        # How many articles name each feature (points.js draws the most-named first).
        "weights": blocks.ref(layer.weights.value, layer.weights.text),
    }


# ---------------------------------------------------------------- build


def _build(
    spec: MapSpec,
    blocks: _DataBlocks | None = None,
    standalone: bool = True,
    pages: Pages | None = None,
) -> tuple[folium.Map, folium.TileLayer | None]:
    """The map and its tile layer; see :func:`build_map` and :func:`build_panels`."""
    west, south, east, north = (float(v) for v in spec.bounds)
    if not (west < east and south < north):
        raise ValueError(f"bounds must be (west, south, east, north), got {spec.bounds!r}")

    # tiles=None here: the tile layer is added later, after the initial view is
    # set, so Leaflet never requests tiles for folium's placeholder view.
    m = _OfflineMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        prefer_canvas=True,
        zoom_control=False,
        control_scale=False,
    )
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.title = _html_text(spec.title)  # branca puts it into <title> verbatim
    figure.header.add_child(
        _RawHeader(inline_assets()),
        name="bordermap_assets",
    )

    if blocks is None:
        blocks = _DataBlocks(None if pages is None else pages.packed)
        blocks.add_to(m)
    _Call(
        "Setup",
        "setup",
        m,
        {
            "attribution": _html_text(spec.attribution),
            "bounds": [west, south, east, north],
            "maxZoom": _MAX_ZOOM,
            "minZoom": _MIN_ZOOM,
            **_title_payload(spec, blocks),
        },
    ).add_to(m)
    _Call(
        "Basemap",
        "addBasemap",
        m,
        {**_basemap_payload(spec.basemap, blocks), "ownPane": spec.tiles is not None},
        _BASEMAP_STYLE,
    ).add_to(m)

    tile_layer: folium.TileLayer | None = None
    if spec.tiles is not None:
        tile_layer = folium.TileLayer(
            tiles=spec.tiles,
            attr=_html_text(spec.attribution),
            name="tiles",
            control=False,
            max_zoom=_MAX_ZOOM,
        )
        tile_layer.add_to(m)

    ids = [layer.id for layer in spec.layers] + [ann.layer_id for ann in spec.annotations]
    if len(set(ids)) != len(ids):
        raise ValueError(f"layer ids must be unique, got {ids!r}")
    names = _unique_names(
        [layer.title for layer in spec.layers] + [ann.title for ann in spec.annotations]
    )
    legend_rows: list[dict[str, str]] = []

    prepared = [prepare(layer, pages) for layer in spec.layers]
    sources = PageSources([p.sources for p in prepared])
    payloads = [
        _layer_payload(p, i, _check_color(layer.color, f"layer {layer.id!r}"), sources, blocks)
        for i, (layer, p) in enumerate(zip(spec.layers, prepared, strict=True))
    ]
    if spec.layers:
        _Call("Sources", "addSources", m, blocks.ref(sources.tables(), packed=True)).add_to(m)
    for layer, name, p, payload in zip(spec.layers, names, prepared, payloads, strict=False):
        group = folium.FeatureGroup(name=name, show=layer.shown).add_to(m)
        _Call("Features", "addFeatures", m, group, payload).add_to(group)
        legend_rows.append(
            {
                "title": layer.title,
                "color": payload["color"],
                "swatch": _swatch(set(p.types)),
            }
        )

    for ann, name in zip(spec.annotations, names[len(spec.layers) :], strict=True):
        color = _check_color(ann.color, f"annotation {ann.layer_id!r}")
        group = folium.FeatureGroup(name=name, show=True).add_to(m)
        _Call("Cameras", "addCameras", m, group, _camera_payload(ann, color, blocks)).add_to(group)
        legend_rows.append(
            {"title": ann.title, "color": color, "swatch": "dashed", "label": ann.label}
        )

    if standalone and spec.coverage is not None:  # what the corpus does not cover
        cov = spec.coverage
        group = folium.FeatureGroup(name=_html_text(cov.title), show=True).add_to(m)
        _Call("Coverage", "addCoverage", m, group, coverage_payload(cov, blocks)).add_to(group)
        legend_rows.append(coverage_row(cov))

    if standalone:
        Legend(m, legend_rows).add_to(m)
        # After the legend: claims.js adds each layer's sources count under its row.
        titles = [[x.id, x.title] for x in spec.layers]
        titles += [[a.layer_id, a.title] for a in spec.annotations]
        _Call("Claims", "addClaims", m, {"claims": spec.claims, "titles": titles}).add_to(m)
        folium.LayerControl(position="topright", collapsed=False).add_to(m)
        _Call("Arrange", "arrangeControls", m).add_to(m)
        # Last, so readiness is signalled only after every layer has been added.
        _Call("Finish", "finish", m, tile_layer, finish_options()).add_to(m)
    return m, tile_layer


def build_map(spec: MapSpec) -> folium.Map:
    """Build the folium map for ``spec`` with deterministic element ids.

    Parameters
    ----------
    spec : MapSpec
        What to draw.

    Returns
    -------
    folium.Map
        A map whose figure renders without any CDN link; use :func:`render`
        for the final, post-processed page.
    """
    with deterministic_ids():
        return _build(spec)[0]


@dataclass(frozen=True)
class Panel:
    """One map of a multi-map page: the map and its tile layer (``None`` without tiles)."""

    map: folium.Map
    tiles: folium.TileLayer | None


def build_panels(specs: Sequence[MapSpec]) -> list[Panel]:
    """Maps for a page of its own (such as the compare page) to combine and finish.

    Each map gets its title box, offline basemap, layers and tiles but no
    legend, layer control or readiness signal: the page adds its own.  The
    maps share one set of data blocks, attached to the first map, so a
    payload used by several maps (the basemap) is in the page once; the
    other maps must end up in the first map's figure.  Call inside
    :func:`deterministic_ids` for reproducible ids.
    """
    return _panels(specs)[0]


def _panels(specs: Sequence[MapSpec]) -> tuple[list[Panel], _DataBlocks]:
    """:func:`build_panels`, and the data blocks that the page's own payloads share."""
    blocks = _DataBlocks()
    panels = []
    for spec in specs:
        m, tiles = _build(spec, blocks, standalone=False)
        panels.append(Panel(m, tiles))
    if panels:
        blocks.add_to(panels[0].map)
    return panels, blocks


def render(spec: MapSpec, pages: Pages | None = None) -> str:
    """Render ``spec`` as one self-contained HTML page.

    Parameters
    ----------
    spec : MapSpec
        What to draw.
    pages : Pages, optional
        What the pages of one build share (:class:`._layer.Pages`): a layer that
        several pages draw is prepared once.  The page is the same without it.

    Returns
    -------
    str
        The page.  Identical input gives identical output in every process.  It
        loads nothing from the network except tile images when ``spec.tiles``
        is set, and sets ``window.bordermapReady`` / ``<html data-ready="1">``
        once drawn.

    Raises
    ------
    ValueError
        On malformed GeoJSON, bounds or colours, or NaN coordinates.
    RuntimeError
        If the page would still reference an external script or stylesheet.
    """
    with deterministic_ids(), paused_gc():
        page = _build(spec, pages=pages)[0].get_root().render()
    return finish_page(page, tiles=spec.tiles is not None)
