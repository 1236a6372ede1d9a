"""Render map data as one self-contained Leaflet HTML page.

The page is built with folium (map, feature groups, layer control, macro
elements) and then made independent of the network: Leaflet's JavaScript and
CSS come from the installed ``xstatic-leaflet`` package and are inlined, its
icons become ``data:`` URIs, and folium's CDN links (jQuery, Bootstrap,
awesome-markers, Font Awesome) are never emitted.  Only tile images, when a
tile layer is requested, are fetched from the network.

Three properties are designed in rather than bolted on:

* **Safety.**  Article text never reaches folium's ``Popup``/``Tooltip`` (which
  insert HTML raw).  Every data string travels as JSON in which ``<``, ``>``,
  ``&``, quotes, backticks, ``$`` and U+2028/9 are ``\\u`` escapes, and the
  runtime (``assets/bordermap.js``) builds popups, legend and title with
  ``textContent``.  The two Leaflet sinks that use ``innerHTML`` (layer control
  names and attribution) are fed HTML-escaped text.  A Content-Security-Policy
  that allows only the page's own scripts (by hash) backs this up.
* **Determinism.**  branca draws element ids from ``os.urandom``;
  :func:`deterministic_ids` replaces them with a counter for one build, and all
  JSON is written with sorted keys, so one :class:`MapSpec` gives
  byte-identical HTML in any process.
* **Speed.**  The page is ASCII (one-byte text for the browser's parsers).
  Coordinates travel as delta-encoded integers; large arrays sit in JSON data
  blocks that are parsed only when first needed (see :class:`_DataBlocks`).
  Outlines and long lines come in levels of detail, so a country-scale view
  handles a few thousand vertices, and the basemap is drawn from typed arrays
  on the overlays' canvas.  Thousands of claimed camera positions are decoded
  and drawn only when zoomed in, and then only inside the view.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import html
import itertools
import json
import math
import numbers
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from bordermap.files import shipped_bytes, shipped_text
from bordermap.vocab import TILE_TIMEOUT_MS

__all__ = [
    "CAMERA_MIN_ZOOM",
    "CameraAnnotation",
    "MapLayer",
    "MapSpec",
    "Panel",
    "build_map",
    "build_panels",
    "finish_page",
    "deterministic_ids",
    "js_json",
    "render",
]

#: Zoom level from which individual cameras are drawn; below it, the river line
#: and its label stand for them.
CAMERA_MIN_ZOOM = 12

#: Decimal places kept for coordinates: 5 ≈ 1 m (cameras), 6 ≈ 0.1 m (layers).
_CAMERA_DECIMALS = 5
_LAYER_DECIMALS = 6
#: Camera positions and lines travel as delta-encoded integers in these units
#: (1e-5 degree for cameras; lines use 1e-5 when that loses nothing, else 1e-6).
_CAMERA_SCALE = 10**_CAMERA_DECIMALS
_LAYER_SCALE = 10**_LAYER_DECIMALS
#: Payloads whose JSON is at least this long go into their own data block.
_BLOCK_MIN_CHARS = 2_000
#: Basemap vertices are shipped already projected (EPSG:3857, the map's CRS, so
#: the page does no trigonometry per vertex) as integers in units of this many
#: metres: under 10 m on the ground, far finer than a country-outline dataset's
#: own accuracy.
_BASEMAP_UNIT_M = 10
#: Spherical Mercator as Leaflet computes it (L.Projection.SphericalMercator).
_MERCATOR_R = 6378137.0
_MERCATOR_MAX_LAT = 85.0511287798
#: From this zoom on, basemap outlines and long lines are drawn at full detail.
BASEMAP_DETAIL_ZOOM = 9
#: Coarser levels of detail below it: (first zoom, simplification tolerance in
#: degrees for basemap polygons, for lines).  A pixel spans 360 / 2**(z + 8)
#: degrees of longitude at zoom z (0.022 at zoom 6, 0.0055 at zoom 8), and
#: Leaflet itself simplifies every path to 1 pixel, so these shapes look the
#: same as the full ones where they are used, at a fraction of the vertices.
_LEVELS = ((0, 0.02, 0.01), (7, 0.01, 0.0025))
#: Lines with fewer vertices are shipped at one level of detail.
_LEVELS_MIN_VERTICES = 200

#: Tiles that have not finished after this long no longer hold back readiness.

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

# Hex, functional rgb()/hsl() or a bare colour keyword: nothing that could
# close a string or carry markup.
_COLOR_RE = re.compile(
    r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(?:rgb|rgba|hsl|hsla)\([0-9.,%\s/deg]{3,60}\)"
)

_SEED_RE = re.compile(r"[A-Za-z0-9_]{1,32}")


# --------------------------------------------------------------------- data


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
    """

    layer_id: str
    title: str
    label: str
    color: str
    line: list[tuple[float, float]]
    points: list[tuple[float, float, float]]
    provenance: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class MapSpec:
    """Everything one map page shows.

    Parameters
    ----------
    title, subtitle : str
        Title box text (subtitle is typically the source line).
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
    """

    title: str
    subtitle: str
    layers: list[MapLayer]
    annotations: list[CameraAnnotation]
    basemap: dict[str, Any]
    bounds: tuple[float, float, float, float]
    tiles: str | None
    attribution: str


# ------------------------------------------------------ deterministic ids


class _IdCounter:
    """Hands out ids for one build: ``sha256(seed:n)`` truncated, like branca's hex ids."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._counter = itertools.count(1)

    def next_id(self) -> str:
        n = next(self._counter)
        return hashlib.sha256(f"{self._seed}:{n}".encode()).hexdigest()[:32]


# A ContextVar rather than a global: each thread (and asyncio task) sees only
# its own build, and threads outside any build keep branca's random ids.
_ACTIVE_IDS: contextvars.ContextVar[_IdCounter | None] = contextvars.ContextVar(
    "bordermap_active_ids", default=None
)
_PATCH_LOCK = threading.Lock()
_patch_users = 0
_ORIGINAL_GENERATE_ID = Element.__dict__["_generate_id"]


def _generate_id(cls: type[Element]) -> str:
    counter = _ACTIVE_IDS.get()
    if counter is None:
        return str(_ORIGINAL_GENERATE_ID.__func__(cls))
    return counter.next_id()


@contextmanager
def deterministic_ids(seed: str = "bordermap") -> Iterator[None]:
    """Give every branca/folium element created inside the block a reproducible id.

    Inside the block, ``Element._generate_id`` returns ids derived from ``seed``
    and a counter that starts afresh for each outermost block, so building the
    same map twice yields the same ids.  The override is installed only while
    at least one block is active (reference-counted under a lock) and consults
    a context variable, so other threads keep branca's random ids and nothing
    leaks after the last block exits.  Nested blocks continue the outer
    counter.  Use a distinct ``seed`` per map when several maps share one page.

    Parameters
    ----------
    seed : str
        Letters, digits and underscores; mixed into every id.

    Yields
    ------
    None
    """
    if not _SEED_RE.fullmatch(seed):
        raise ValueError(f"seed must match {_SEED_RE.pattern}, got {seed!r}")
    if _ACTIVE_IDS.get() is not None:
        yield
        return
    global _patch_users
    with _PATCH_LOCK:
        if _patch_users == 0:
            Element._generate_id = classmethod(_generate_id)  # type: ignore[method-assign,assignment]
        _patch_users += 1
    token = _ACTIVE_IDS.set(_IdCounter(seed))
    try:
        yield
    finally:
        _ACTIVE_IDS.reset(token)
        with _PATCH_LOCK:
            _patch_users -= 1
            if _patch_users == 0:
                Element._generate_id = _ORIGINAL_GENERATE_ID  # type: ignore[method-assign]


# ------------------------------------------------------------ escaping


# Characters that are legal inside JSON strings but dangerous in a page:
# `<`/`>` could close the <script> element, `&` and quotes matter in HTML
# attributes, U+2028/9 end lines in pre-2019 JS, and backtick/`$`/backslash
# matter if a value is ever pasted into a template literal.  JSON already
# escapes backslashes inside strings; these structural-free characters only
# ever occur inside strings, so replacing them keeps the JSON valid.
_JS_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "`": "\\u0060",
        "$": "\\u0024",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


# folium renders every macro's output as a Jinja template a second time, so a
# "{{", "{%" or "{#" in article text would be evaluated at build time.  In
# compact JSON a "{" followed by one of those characters can only sit inside a
# string, where "\u007b" means the same.
_JINJA_OPEN_RE = re.compile(r"\{(?=[{%#])")


def js_json(value: Any) -> str:
    """Serialise ``value`` as compact, key-sorted JSON safe to inline in ``<script>``.

    Parameters
    ----------
    value : Any
        JSON-serialisable data; NaN and infinities are rejected.

    Returns
    -------
    str
        A JavaScript expression (and a JSON text) equal to ``value``, in
        ASCII: non-ASCII characters are ``\\u`` escapes, which keeps the page
        a one-byte string for the browser's parsers.
    """
    text = json.dumps(
        value, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False
    )
    return _JINJA_OPEN_RE.sub(r"\\u007b", text.translate(_JS_ESCAPES))


# Beyond html.escape: backtick, dollar and backslash become character
# references too, so escaped text is inert even if a later step (folium's own
# JSON filter, which leaves them alone) put it into a JS template literal.
# Braces too: folium re-renders macro output as a Jinja template.
_HTML_EXTRA = str.maketrans(
    {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"}
)


def _html_text(value: str) -> str:
    """Escape plain text for HTML, including Leaflet sinks that assign ``innerHTML``.

    Non-ASCII characters become character references, so the page stays ASCII.
    """
    escaped = html.escape(str(value), quote=True).translate(_HTML_EXTRA)
    return escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _check_color(color: str, where: str) -> str:
    if not isinstance(color, str) or not _COLOR_RE.fullmatch(color.strip()):
        raise ValueError(f"{where}: not a CSS colour: {color!r}")
    return color.strip()


# ------------------------------------------------------------- assets


def _script_safe(code: str) -> str:
    # Inlined code must not contain "</script" (it would end the element early);
    # "<\/script" means the same thing inside JS strings and regexes.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def _inline_css() -> str:
    """Leaflet's CSS with its images as data: URIs, followed by bordermap.css."""
    css = shipped_text("xstatic.pkg.leaflet", "data", "leaflet.css").replace("\r\n", "\n")

    def to_data_uri(match: re.Match[str]) -> str:
        data = shipped_bytes("xstatic.pkg.leaflet", "data", "images", match.group(1))
        return f'url("data:image/png;base64,{base64.b64encode(data).decode("ascii")}")'

    css = re.sub(r"url\(\s*['\"]?images/([A-Za-z0-9_.-]+\.png)['\"]?\s*\)", to_data_uri, css)
    # IE-only VML behaviour; drop it so the page holds no url() at all but data: ones.
    css = css.replace("behavior: url(#default#VML);", "")
    own = shipped_text("bordermap", "assets", "bordermap.css")
    return (css + "\n" + own).replace("</", "<\\/")


@lru_cache(maxsize=1)
def _inline_js() -> str:
    """Leaflet (without its source-map comment) followed by bordermap.js."""
    leaflet = shipped_text("xstatic.pkg.leaflet", "data", "leaflet.js")
    leaflet = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", leaflet)
    own = shipped_text("bordermap", "assets", "bordermap.js")
    return _script_safe(leaflet) + "\n" + _script_safe(own)


class _RawHeader(Element):
    """Inserts pre-built, trusted markup (the inlined assets) verbatim."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "RawHeader"
        self._markup = markup

    def render(self, **kwargs: Any) -> str:
        return self._markup


class _DataBlocks(Element):
    """Large payloads as ``<script type="application/json">`` blocks in the body.

    A script's object literals must all be parsed before any of it runs, and
    V8 builds big array literals slowly; a JSON block costs the HTML parser a
    scan and is parsed (``JSON.parse``) only when the runtime first needs it,
    so data that is not shown yet (detailed outlines, individual cameras) costs
    nothing at load.  Identical payloads share one block (the camera river is
    usually also a border line).  The text is :func:`js_json` output, so it
    holds no ``<`` that could end the element; the blocks are data, not
    scripts, and need no CSP hash.
    """

    def __init__(self) -> None:
        super().__init__()
        self._name = "DataBlocks"
        self._ids: dict[str, str] = {}  # JSON text -> element id

    def ref(self, value: Any) -> Any:
        """``value`` itself if small, else the id of the block that holds it."""
        text = js_json(value)
        if len(text) < _BLOCK_MIN_CHARS:
            return value
        if text not in self._ids:
            self._ids[text] = f"bm-{self._id[:8]}-{len(self._ids) + 1}"
        return self._ids[text]

    def render(self, **kwargs: Any) -> str:
        markup = "".join(
            f'<script type="application/json" id="{block_id}">{text}</script>\n'
            for text, block_id in self._ids.items()
        )
        figure = self.get_root()
        assert isinstance(figure, Figure)
        figure.html.add_child(_RawHeader(markup), name=self.get_name())
        return ""


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


# ---------------------------------------------------------- geometry prep


def _plain(value: Any) -> Any:
    """Property values as plain JSON data.

    Layer tables usually come from geopandas: missing numbers are NaN (shown as
    absent, not rejected), numbers may be numpy scalars, dates may be objects.
    """
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar -> Python scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _round_coords(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, numbers.Real):  # includes numpy scalars
        return round(float(coords), ndigits)
    return [_round_coords(c, ndigits) for c in coords]


def _clean_collection(fc: dict[str, Any], ndigits: int, where: str) -> dict[str, Any]:
    """Copy a FeatureCollection keeping geometry (rounded) and properties."""
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        raise ValueError(f"{where}: expected a GeoJSON FeatureCollection")
    features = []
    for i, feature in enumerate(fc.get("features") or []):
        geometry = feature.get("geometry")
        if not geometry or "type" not in geometry:
            raise ValueError(f"{where}: feature {i} has no geometry")
        if geometry["type"] == "GeometryCollection":
            raise ValueError(f"{where}: feature {i}: GeometryCollection is not supported")
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round_coords(geometry["coordinates"], ndigits),
                },
                "properties": _plain(feature.get("properties") or {}),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _delta(pts: Sequence[tuple[int, int]]) -> list[int]:
    """``[x0, y0, x1 - x0, y1 - y0, ...]``: the flat delta encoding every payload uses."""
    flat: list[int] = []
    px = py = 0
    for x, y in pts:
        flat += [x - px, y - py]
        px, py = x, y
    return flat


def _quantise(coords: Sequence[Sequence[float]], scale: int) -> list[tuple[int, int]]:
    return [(round(float(c[0]) * scale), round(float(c[1]) * scale)) for c in coords]


def _mercator(lon: float, lat: float) -> tuple[int, int]:
    """(lon, lat) in degrees as Spherical Mercator metres / :data:`_BASEMAP_UNIT_M`."""
    d = math.pi / 180
    s = math.sin(max(min(_MERCATOR_MAX_LAT, lat), -_MERCATOR_MAX_LAT) * d)
    x = _MERCATOR_R * lon * d
    y = _MERCATOR_R * math.log((1 + s) / (1 - s)) / 2
    return round(x / _BASEMAP_UNIT_M), round(y / _BASEMAP_UNIT_M)


def _encode_ring(ring: Sequence[Sequence[float]]) -> list[int]:
    """Project a ring (:func:`_mercator`) and delta-encode it as a flat int list.

    The first vertex is absolute, each later one is the difference to its
    predecessor: along a coastline that is a few digits per number instead of
    ~9 for a plain coordinate, which shrinks a country basemap about threefold.
    GeoJSON's repeated closing vertex and vertices that collapse after
    quantisation are dropped (Leaflet closes polygons itself).
    """
    pts = [_mercator(float(v[0]), float(v[1])) for v in ring]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return _delta([p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]])


def _line_scale(coords: Sequence[Sequence[float]]) -> int:
    """1e5 if every coordinate has at most 5 decimals (one digit less per number), else 1e6."""
    for c in coords:
        for v in (float(c[0]), float(c[1])):
            if round(v * _CAMERA_SCALE) != round(v * _LAYER_SCALE) / 10:
                return _LAYER_SCALE
    return _CAMERA_SCALE


_GEOMETRY_DEPTH = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}


# Encoded levels by geometry: a build draws the same basemap and border on
# every map, and simplifying them is most of a page's Python time.
_LEVEL_CACHE: dict[tuple[str, int, str], list[Any]] = {}
_LEVEL_CACHE_SIZE = 256


def _geometry_key(kind: str, which: int, geometry: Any) -> tuple[str, int, str]:
    digest = hashlib.sha256(json.dumps(geometry, separators=(",", ":")).encode()).hexdigest()
    return (kind, which, digest)


def _levels(
    encode: Callable[[float | None], Any],
    blocks: _DataBlocks,
    which: int,
    key: tuple[str, int, str] | None = None,
) -> Any:
    """``[{"minZoom", "data"}, ...]``, coarsest first: ``encode(tolerance)`` per level.

    ``which`` picks the tolerance column of :data:`_LEVELS` (1 polygons, 2 lines);
    the last level (``tolerance=None``) is the full detail. With a ``key``
    (see :func:`_geometry_key`) the encoded levels are computed once per process.
    """
    data = _LEVEL_CACHE.get(key) if key is not None else None
    if data is None:
        data = [encode(level[which]) for level in _LEVELS] + [encode(None)]
        if key is not None:
            if len(_LEVEL_CACHE) >= _LEVEL_CACHE_SIZE:
                _LEVEL_CACHE.clear()
            _LEVEL_CACHE[key] = data
    pairs = zip(_LEVELS, data[:-1], strict=True)
    out = [{"minZoom": level[0], "data": blocks.ref(d)} for level, d in pairs]
    out.append({"minZoom": BASEMAP_DETAIL_ZOOM, "data": blocks.ref(data[-1])})
    return out


def _simplify_run(run: Sequence[Sequence[float]], tolerance: float | None) -> Any:
    if tolerance is None or len(run) < 3:
        return run
    from shapely.geometry import LineString

    return list(LineString(run).simplify(tolerance, preserve_topology=False).coords)


def _encode_line(
    run: Sequence[Sequence[float]], scale: int, blocks: _DataBlocks
) -> list[dict[str, Any]]:
    """One line as levels of detail (a single level if it is short)."""
    if len(run) < _LEVELS_MIN_VERTICES:
        return [{"minZoom": 0, "data": blocks.ref(_delta(_quantise(run, scale)))}]
    key = _geometry_key(f"line{scale}", 2, run)
    return _levels(lambda t: _delta(_quantise(_simplify_run(run, t), scale)), blocks, 2, key)


_GEOMETRY_DEPTH = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}


def _encode_geometry(geometry: dict[str, Any], blocks: _DataBlocks) -> dict[str, Any]:
    """Lines and polygons as delta-encoded integers, in levels of detail.

    Points stay plain GeoJSON.  Otherwise ``levels`` lists ``{"minZoom",
    "data"}``, where ``data`` (or the data block it names) is the geometry's
    coordinate nesting with each innermost coordinate list replaced by one
    flat :func:`_delta` list in units of ``1 / scale`` degree.
    """
    depth = _GEOMETRY_DEPTH.get(geometry["type"])
    if depth is None:
        return geometry

    def runs(value: Any, level: int) -> Iterator[Any]:
        if level == 0:
            yield value
        else:
            for v in value:
                yield from runs(v, level - 1)

    coords = geometry["coordinates"]
    scale = _line_scale([c for run in runs(coords, depth) for c in run])
    if depth == 0:
        levels = _encode_line(coords, scale, blocks)
    else:

        def encode(value: Any, level: int, tolerance: float | None) -> Any:
            if level == 0:
                return _delta(_quantise(_simplify_run(value, tolerance), scale))
            return [encode(v, level - 1, tolerance) for v in value]

        if sum(len(run) for run in runs(coords, depth)) < _LEVELS_MIN_VERTICES:
            levels = [{"minZoom": 0, "data": blocks.ref(encode(coords, depth, None))}]
        else:
            key = _geometry_key(f"{geometry['type']}{scale}", depth, coords)
            levels = _levels(lambda t: encode(coords, depth, t), blocks, 2, key)
    return {"type": geometry["type"], "scale": scale, "levels": levels}


def _basemap_payload(fc: dict[str, Any], blocks: _DataBlocks) -> dict[str, Any]:
    """Country polygons as ``{"unit", "features", "levels"}``.

    ``features`` holds each country's ``iso_a3`` and ``name``; each level's
    ``data`` (a data block) holds, per feature, a list of polygons, each a
    list of encoded rings (outer first).
    """
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        raise ValueError("basemap: expected a GeoJSON FeatureCollection")
    features, shapes = [], []
    for i, feature in enumerate(fc.get("features") or []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise ValueError(f"basemap: feature {i} is not a Polygon or MultiPolygon")
        props = feature.get("properties") or {}
        features.append(
            {"iso_a3": str(props.get("iso_a3", "")), "name": str(props.get("name", ""))}
        )
        shapes.append(polygons)

    def encode(tolerance: float | None) -> list[Any]:
        if tolerance is None:
            return [[[_encode_ring(r) for r in polygon] for polygon in ps] for ps in shapes]
        return [_simplified_polygons(ps, tolerance) for ps in shapes]

    key = _geometry_key("basemap", 1, shapes)
    return {
        "unit": _BASEMAP_UNIT_M,
        "features": features,
        "levels": _levels(encode, blocks, 1, key),
    }


def _simplified_polygons(polygons: Sequence[Any], tolerance: float) -> list[list[list[int]]]:
    """The polygons simplified by ``tolerance`` degrees (encoded like the full ones).

    Projecting tens of thousands of coastline vertices is most of a page's
    start-up time, and at country scale a pixel is over a kilometre.
    Polygons smaller than the tolerance vanish.
    """
    from shapely.geometry import Polygon

    out = []
    for polygon in polygons:
        shell, *holes = polygon
        simple = Polygon(shell, holes).simplify(tolerance, preserve_topology=True)
        if simple.is_empty or simple.area < tolerance**2:
            continue
        parts = getattr(simple, "geoms", [simple])
        for part in parts:
            rings = [part.exterior.coords, *(r.coords for r in part.interiors)]
            out.append([_encode_ring(list(r)) for r in rings])
    return out


def _swatch(fc: dict[str, Any]) -> str:
    kinds = {f["geometry"]["type"].removeprefix("Multi") for f in fc["features"]}
    if kinds == {"Point"}:
        return "point"
    if kinds == {"LineString"}:
        return "line"
    return "mixed"


def _unique_names(titles: Sequence[str]) -> list[str]:
    """HTML-escaped layer-control names, de-duplicated (folium keys overlays by name)."""
    seen: dict[str, int] = {}
    names = []
    for title in titles:
        name = _html_text(title)
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _encode_distances(metres: Sequence[float]) -> list[int] | dict[str, float]:
    """Distances from the river mouth: ``{"start", "step"}`` if evenly spaced, else metres.

    Claimed cameras are usually placed at a fixed spacing, and then two numbers
    reproduce every distance to the metre instead of ~100 KB for 16,000 points.
    """
    if len(metres) >= 2:
        start = metres[0]
        step = (metres[-1] - start) / (len(metres) - 1)
        if all(abs(d - (start + i * step)) < 0.5 for i, d in enumerate(metres)):
            return {"start": round(start, 3), "step": round(step, 6)}
    return [int(round(d)) for d in metres]


def _camera_payload(ann: CameraAnnotation, color: str, blocks: _DataBlocks) -> dict[str, Any]:
    """The annotation with its line and points delta-encoded in 1e-5 degree units.

    The points (about 8 bytes per camera) are decoded only once a view is
    zoomed in far enough to show them.
    """
    # Without a river line, a thinned run of the cameras themselves carries the label.
    line = ann.line or [(p[0], p[1]) for p in ann.points[:: max(1, len(ann.points) // 1000)]]
    return {
        "id": ann.layer_id,
        "title": ann.title,
        "label": ann.label,
        "color": color,
        "scale": _CAMERA_SCALE,
        "line": _encode_line(line, _CAMERA_SCALE, blocks),
        "points": blocks.ref(_delta(_quantise(ann.points, _CAMERA_SCALE))),
        "count": len(ann.points),
        "dist": _encode_distances([float(p[2]) for p in ann.points]),
        "minZoom": CAMERA_MIN_ZOOM,
        "provenance": _plain(list(ann.provenance)),
    }


# ---------------------------------------------------------------- build


def _build(
    spec: MapSpec, blocks: _DataBlocks | None = None, standalone: bool = True
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
        _RawHeader(f"<style>\n{_inline_css()}\n</style>\n<script>\n{_inline_js()}\n</script>"),
        name="bordermap_assets",
    )

    _Call(
        "Setup",
        "setup",
        m,
        {
            "attribution": _html_text(spec.attribution),
            "bounds": [west, south, east, north],
            "maxZoom": _MAX_ZOOM,
            "minZoom": _MIN_ZOOM,
            "subtitle": spec.subtitle,
            "title": spec.title,
        },
    ).add_to(m)
    if blocks is None:
        blocks = _DataBlocks()
        blocks.add_to(m)
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

    for layer, name in zip(spec.layers, names, strict=False):
        color = _check_color(layer.color, f"layer {layer.id!r}")
        fc = _clean_collection(layer.geojson, _LAYER_DECIMALS, f"layer {layer.id!r}")
        group = folium.FeatureGroup(name=name, show=layer.shown).add_to(m)
        features = [
            {**f, "geometry": _encode_geometry(f["geometry"], blocks)} for f in fc["features"]
        ]
        _Call(
            "Features",
            "addFeatures",
            m,
            group,
            {"id": layer.id, "color": color, "features": features},
        ).add_to(group)
        legend_rows.append({"title": layer.title, "color": color, "swatch": _swatch(fc)})

    for ann, name in zip(spec.annotations, names[len(spec.layers) :], strict=True):
        color = _check_color(ann.color, f"annotation {ann.layer_id!r}")
        group = folium.FeatureGroup(name=name, show=True).add_to(m)
        _Call("Cameras", "addCameras", m, group, _camera_payload(ann, color, blocks)).add_to(group)
        legend_rows.append(
            {"title": ann.title, "color": color, "swatch": "dashed", "label": ann.label}
        )

    if standalone:
        Legend(m, legend_rows).add_to(m)
        folium.LayerControl(position="topright", collapsed=False).add_to(m)
        # Last, so readiness is signalled only after every layer has been added.
        _Call("Finish", "finish", m, tile_layer, {"tileTimeoutMs": TILE_TIMEOUT_MS}).add_to(m)
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
    blocks = _DataBlocks()
    panels = []
    for spec in specs:
        m, tiles = _build(spec, blocks, standalone=False)
        panels.append(Panel(m, tiles))
    if panels:
        blocks.add_to(panels[0].map)
    return panels


# -------------------------------------------------------- post-processing

_EXTERNAL_RE = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*['\"]?(?:https?:)?//", re.IGNORECASE
)
_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _content_security_policy(page: str, tiles: bool) -> str:
    """A CSP allowing exactly this page's inline scripts (by hash) and, if needed, tiles.

    Inline event handlers (``onerror=``) and injected scripts are refused even
    if some escaping were ever missed; with no tiles, nothing may be fetched.
    """
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in _SCRIPT_RE.findall(page)
        }
    )
    images = "data: https:" if tiles else "data:"
    return (
        f"default-src 'none'; script-src {' '.join(hashes)}; style-src 'unsafe-inline'; "
        f"img-src {images}; base-uri 'none'; form-action 'none'"
    )


def render(spec: MapSpec) -> str:
    """Render ``spec`` as one self-contained HTML page.

    Parameters
    ----------
    spec : MapSpec
        What to draw.

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
    with deterministic_ids():
        page = _build(spec)[0].get_root().render()
    return finish_page(page, tiles=spec.tiles is not None)


def finish_page(page: str, tiles: bool) -> str:
    """A rendered figure made final: checked offline, ``lang`` set, CSP added.

    Raises
    ------
    RuntimeError
        If the page would still reference an external script or stylesheet.
    """
    if _EXTERNAL_RE.search(page):
        raise RuntimeError("rendered page still references an external resource")
    csp = _content_security_policy(page, tiles=tiles)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}" />'
    return page.replace("<html>", '<html lang="en">', 1).replace("<head>", "<head>\n" + meta, 1)
