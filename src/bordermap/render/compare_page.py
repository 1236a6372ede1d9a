"""The compare page: two layers side by side, behind a swipe divider, or overlaid.

The page is built like every bordermap map: :func:`bordermap.render.build_panels`
makes each Leaflet map (inlined Leaflet, title box, offline basemap, tiles)
without the single-map furniture (legend, layer control, readiness), sharing
one copy of the basemap data, and ``assets/compare.js`` adds its own:

* ``side-by-side``: two maps in one page, each half as wide, kept on the same
  centre and zoom by a few lines of sync code (folium's ``DualMap`` would draw
  random ids);
* ``swipe``: one map; A and B live in their own Leaflet panes, and a draggable
  divider clips pane A to its left and pane B to its right with CSS
  ``clip-path`` (folium's ``SideBySideLayers`` only swipes tile layers);
* ``overlay``: one map, A as filled dots and solid lines, B as rings and
  dashed lines on top.

Geometry (both layers and the border) travels in the map page's one wire
format (:mod:`bordermap.render._encode`: a layer of points delta-encoded as
one, delta-encoded lines and polygons in levels of detail, large arrays in
data blocks shared with the basemap), and ``compare.js`` decodes it with ``bordermap.geoJSON``, the
runtime's documented decoder.

Every data string (feature names, titles, article titles) travels as JSON with
``<``, ``>`` and ``&`` escaped (:func:`bordermap.render.js_json`) and reaches
the DOM only through ``textContent``.  The page carries a Content-Security-
Policy allowing exactly its own scripts, loads nothing but tiles (and nothing at
all with ``tiles="none"``), sets ``window.bordermapReady`` once drawn, exposes
the maps as ``window.bordermapMaps`` and renders to identical bytes for
identical input.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from bordermap.render._encode import (
    _LAYER_DECIMALS,
    _DataBlocks,
    _encode_geometries,
    _encode_geometry,
)
from bordermap.render._html import (
    _inline_asset,
    _swatch,
    deterministic_ids,
    finish_options,
    finish_page,
    js_json,
)
from bordermap.render._plain import _round_coords
from bordermap.render.map_page import _panels
from bordermap.render.spec import MapSpec
from bordermap.vocab import COMPARE_MODES

if TYPE_CHECKING:
    from bordermap.compare import Comparison
    from bordermap.layer_refs import CompareLayer

__all__ = ["MODES", "page", "write"]

#: The page layouts, in the order the CLI lists them.
MODES = COMPARE_MODES

#: Decimal places of distances in km (1 m).
_KM_DECIMALS = 3

#: The border is context, not data: simplified to ~100 m for drawing.
_BORDER_SIMPLIFY_DEG = 0.001


# ------------------------------------------------------------------ elements


class _Assets(Element):
    """compare.css and compare.js, inlined after Leaflet and the runtime (dom.js first)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "CompareAssets"

    def render(self, **kwargs: Any) -> str:
        css, js = _assets()
        return f"<style>\n{css}\n</style>\n<script>\n{js}\n</script>"


class _Init(MacroElement):
    """Emits ``bordermapCompare.init([maps], [tiles], payload);``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            bordermapCompare.init({{ this.maps() }}, {{ this.tiles() }}, {{ this.payload }});
        {% endmacro %}
        """
    )

    def __init__(
        self, maps: list[folium.Map], tiles: list[folium.TileLayer | None], payload: Any
    ) -> None:
        super().__init__()
        self._name = "CompareInit"
        self._maps = maps
        self._tiles = tiles
        self.payload = js_json(payload)

    def maps(self) -> str:
        return "[" + ", ".join(m.get_name() for m in self._maps) + "]"

    def tiles(self) -> str:
        return "[" + ", ".join("null" if t is None else t.get_name() for t in self._tiles) + "]"


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    return _inline_asset("compare.css"), _inline_asset("compare.js")


# ------------------------------------------------------------------ payloads


def _rounded(value: float, digits: int) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def _plain(geom: Any) -> dict[str, Any]:
    """A shapely geometry as 2-D GeoJSON with coordinates rounded like a map page's."""
    mapping = shapely.geometry.mapping(shapely.force_2d(geom))
    coords = _round_coords(mapping["coordinates"], _LAYER_DECIMALS)
    return {"type": mapping["type"], "coordinates": coords}


def _geometry(geom: Any, blocks: _DataBlocks) -> Any:
    """One feature's geometry in the map page's wire format (see :mod:`._encode`)."""
    return _encode_geometry(_plain(geom), blocks)


def _geometries(geoms: Any, blocks: _DataBlocks) -> Any:
    """A layer's geometries in the wire format (a layer of points delta-encoded as one)."""
    return _encode_geometries([_plain(g) for g in geoms], blocks)


def _layer_payload(c: Comparison, side: str, blocks: _DataBlocks) -> dict[str, Any]:
    layer: CompareLayer = c.a if side == "A" else c.b
    rows = c.features[c.features["side"] == side]
    summary = c.summaries[0 if side == "A" else 1]
    stretches = list(dict.fromkeys(rows["border_stretch"])) if len(rows) else []
    frame = layer.frame
    articles: list[list[str]] = []
    if "provenance" in frame.columns:
        for entries in frame["provenance"]:
            ids = []
            if isinstance(entries, list):
                ids = sorted({str(e["article"]) for e in entries if e.get("article")})
            articles.append(ids)
    titles = dict(layer.article_titles)
    kinds = (
        [str(k) if isinstance(k, str) else "" for k in frame["kind"]]
        if "kind" in frame.columns
        else []
    )
    return {
        "side": side,
        "ref": layer.ref,
        "title": layer.title,
        "count": len(layer),
        "swatch": _swatch({g.geom_type for g in frame.geometry.values}),
        "geoms": _geometries(frame.geometry.values, blocks),
        "names": list(layer.names),
        "kinds": kinds,
        "lengthKm": [_rounded(v, _KM_DECIMALS) for v in rows["length_km"]],
        "nearest": [int(i) for i in rows["nearest_index"]],
        "nearestKm": [_rounded(v, _KM_DECIMALS) for v in rows["nearest_km"]],
        "borderKm": [_rounded(v, _KM_DECIMALS) for v in rows["border_km"]],
        "stretches": stretches,
        "stretch": [stretches.index(s) for s in rows["border_stretch"]],
        "articles": articles,
        "articleTitles": titles,
        "within": [[d, summary.within[d]] for d in c.within_km],
        "lengthTotalKm": _rounded(summary.length_km, _KM_DECIMALS),
    }


def _border_payload(c: Comparison, blocks: _DataBlocks) -> list[Any]:
    """The lines the comparison measured against (``Comparison.border_shapes``)."""
    from bordermap.geometry import border_lines

    lines = c.border_shapes or border_lines()
    return [_geometry(line.simplify(_BORDER_SIMPLIFY_DEG), blocks) for line in lines.values()]


def _bounds(c: Comparison) -> tuple[float, float, float, float]:
    """The data's extent with a margin (at least 1° across); the project's focus if empty."""
    boxes = [s.extent for s in c.summaries if s.extent is not None]
    if not boxes:
        focus = c.a.focus or c.b.focus
        return focus if focus is not None else (121.5, 37.0, 131.0, 44.0)
    west = min(b[0] for b in boxes)
    south = min(b[1] for b in boxes)
    east = max(b[2] for b in boxes)
    north = max(b[3] for b in boxes)
    dx = max(east - west, 1.0) * 0.15 + max(0.0, 1.0 - (east - west)) / 2
    dy = max(north - south, 1.0) * 0.15 + max(0.0, 1.0 - (north - south)) / 2
    return (
        round(max(west - dx, -180.0), 6),
        round(max(south - dy, -85.0), 6),
        round(min(east + dx, 180.0), 6),
        round(min(north + dy, 85.0), 6),
    )


def _sources(layers: list[CompareLayer]) -> str:
    parts = []
    for layer in layers:
        if layer.sources:
            parts.append(layer.sources)
    line = "; ".join(dict.fromkeys(p.removeprefix("Sources: ") for p in parts))
    return f"Sources: {line}" if line else ""


def _source_list(layers: list[CompareLayer]) -> list[dict[str, str]]:
    """The articles of ``layers`` for the title box's sources panel, each once."""
    seen: dict[str, dict[str, str]] = {}
    for layer in layers:
        for entry in layer.source_list:
            seen.setdefault(entry["id"], entry)
    return list(seen.values())


def _titles(c: Comparison, mode: str) -> list[tuple[str, str, list[CompareLayer]]]:
    """(title, subtitle, the layers it cites) per map of the page."""
    a, b = c.a, c.b
    if mode == "side-by-side":
        return [
            (f"A · {a.title}", f"{a.ref} · {_count(a)}.", [a]),
            (f"B · {b.title}", f"{b.ref} · {_count(b)}.", [b]),
        ]
    how = (
        "Drag the divider: A on the left, B on the right"
        if mode == "swipe"
        else "A: dots and solid lines; B: rings and dashed lines"
    )
    return [(f"{a.title} vs {b.title}", f"{how}.", [a, b])]


def _count(layer: CompareLayer) -> str:
    return f"{len(layer)} feature" + ("" if len(layer) == 1 else "s")


# ---------------------------------------------------------------- the page


def _build(c: Comparison, mode: str, tiles: str | None, attribution: str) -> Figure:
    from bordermap.geometry import countries

    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    bounds = _bounds(c)
    specs = [
        MapSpec(
            title=title,
            subtitle=subtitle,
            layers=[],
            annotations=[],
            basemap=countries(),
            bounds=bounds,
            tiles=tiles,
            attribution=attribution,
            sources=_source_list(cited),
            sources_line=_sources(cited),
        )
        for title, subtitle, cited in _titles(c, mode)
    ]
    panels, blocks = _panels(specs)
    maps = [p.map for p in panels]
    tile_layers = [p.tiles for p in panels]
    figure = maps[0].get_root()
    assert isinstance(figure, Figure)
    figure.title = _html_title(c, mode)
    figure.header.add_child(_Assets(), name="bordermap_compare_assets")
    if mode == "side-by-side":
        left, right = maps
        for m, x in ((left, 0.0), (right, 50.0)):
            m.position = "absolute"
            m.width = (50.0, "%")
            m.left = (x, "%")
        figure.add_child(right)  # both maps in one page
    payload = {
        "mode": mode,
        "layers": {"A": _layer_payload(c, "A", blocks), "B": _layer_payload(c, "B", blocks)},
        "border": _border_payload(c, blocks),
        "method": c.method(),
        "finish": finish_options(),
    }
    _Init(maps, tile_layers, payload).add_to(maps[-1])
    return figure


def _html_title(c: Comparison, mode: str) -> str:
    import html

    return html.escape(f"Compare {c.a.ref} and {c.b.ref} ({mode})", quote=True)


def page(
    comparison: Comparison,
    mode: str = "side-by-side",
    tiles: str | None = None,
    attribution: str | None = None,
) -> str:
    """The compare page for ``comparison`` as one self-contained HTML string.

    Parameters
    ----------
    comparison : Comparison
        From :func:`bordermap.compare.compare`.
    mode : {"side-by-side", "swipe", "overlay"}
    tiles : str or None
        A folium tile name such as ``"OpenStreetMap"``; ``None`` draws only
        the offline basemap and makes the page fetch nothing.
    attribution : str, optional
        Plain text for the attribution control (default: the project's).

    Raises
    ------
    ValueError
        For an unknown mode.
    """
    from bordermap.region import ATTRIBUTION

    with deterministic_ids("compare"):
        text = _build(comparison, mode, tiles, attribution or ATTRIBUTION).render()
    return finish_page(text, tiles=tiles is not None)


def write(
    comparison: Comparison,
    out: Path,
    mode: str = "side-by-side",
    tiles: str | None = None,
) -> tuple[Path, Path]:
    """Write the page to ``out`` and the statistics to ``out`` with suffix ``.csv``.

    Both files are written atomically together (staged, then moved in).

    Returns
    -------
    (html_path, csv_path)
    """
    from bordermap.files import staged

    html_text = page(comparison, mode, tiles)
    csv_path = out.with_suffix(".csv")
    if csv_path == out:
        raise ValueError(f"{out}: the map needs a name other than .csv")
    with staged(out.parent) as stage:
        stage.write(out.name, html_text.encode("utf-8"))
        stage.write(csv_path.name, comparison.csv_text().encode("utf-8"))
    return out, csv_path


def iframe(html_text: str, height: int = 520) -> str:
    """The page inside an ``<iframe srcdoc>``, for showing it in a notebook cell."""
    import html

    return (
        f'<iframe srcdoc="{html.escape(html_text, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ccc" '
        'sandbox="allow-scripts"></iframe>'
    )
