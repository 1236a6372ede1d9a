"""The one geometry wire format of bordermap's pages.

Coordinates travel as delta-encoded integers (:func:`_delta` of
:func:`_quantise`d degrees, or of :func:`_mercator` units for the basemap),
large arrays sit in JSON data blocks parsed only when first needed
(:class:`_DataBlocks`), and outlines and long lines come in levels of detail
(:func:`_levels`), so a country-scale view handles a few thousand vertices.
``assets/bordermap.js`` decodes it (``bordermap.geoJSON``, the documented
decoder, and ``decodeLatLngs``, ``levelAt``, ``Shape``, which ``basemap.js`` and
``cameras.js`` share); the map page and the compare page both use it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import pickle
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from branca.element import Element, Figure

from bordermap.render._html import _RawHeader, js_json
from bordermap.render._plain import _plain
from bordermap.render.spec import CAMERA_MIN_ZOOM, CameraAnnotation

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

    A block asked for ``packed`` (data the first draw does not read: sources,
    provenance) is its UTF-8 JSON compressed with zlib and written in base64
    (``type="application/octet-stream" data-encoding="zlib-base64"``, with its
    length in ``data-size``), a quarter to a sixth of the text for the HTML
    parser to scan at load; ``assets/packed.js`` inflates it when it is first
    read.  The same text asked for both ways is written plain once.  ``packed`` keeps
    each text's packed data for the next page that packs it (the pages of one build).
    """

    def __init__(self, packed: dict[str, str] | None = None) -> None:
        super().__init__()
        self._name = "DataBlocks"
        self._ids: dict[str, str] = {}  # JSON text -> element id
        self._packed: set[str] = set()  # texts only ever asked for packed
        self._made = {} if packed is None else packed

    def ref(self, value: Any, text: str | None = None, packed: bool = False) -> Any:
        """``value`` itself if small, else the id of the block that holds it.

        ``text``, when given, is ``js_json(value)`` made beforehand (:class:`_Ref`).
        """
        if text is None:
            text = js_json(value)
        if len(text) < _BLOCK_MIN_CHARS:
            return value
        if text not in self._ids:
            self._ids[text] = f"bm-{self._id[:8]}-{len(self._ids) + 1}"
            if packed:
                self._packed.add(text)
        elif not packed:
            self._packed.discard(text)
        return self._ids[text]

    def render(self, **kwargs: Any) -> str:
        markup = "".join(
            _packed_block(block_id, text, self._made)
            if text in self._packed
            else f'<script type="application/json" id="{block_id}">{text}</script>\n'
            for text, block_id in self._ids.items()
        )
        figure = self.get_root()
        assert isinstance(figure, Figure)
        figure.html.add_child(_RawHeader(markup), name=self.get_name())
        return ""


def _packed_block(block_id: str, text: str, made: dict[str, str]) -> str:
    """A packed data block: ``text`` as UTF-8, zlib level 9, base64 (see :class:`_DataBlocks`);
    ``made`` holds the data of texts packed before."""
    raw = text.encode()
    data = made.get(text)
    if data is None:
        data = made[text] = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    return (
        f'<script type="application/octet-stream" data-encoding="zlib-base64" '
        f'data-size="{len(raw)}" id="{block_id}">{data}</script>\n'
    )


class _Ref:
    """A payload that a page will put through :meth:`_DataBlocks.ref`, its JSON made once."""

    __slots__ = ("text", "value")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.text = js_json(value)


class _Later:
    """Stands in for a page's :class:`_DataBlocks` while a layer is prepared once for
    every page that draws it: :meth:`ref` gives a :class:`_Ref`, and
    :func:`_resolve` turns those into what a page's blocks give, in the same order."""

    def ref(self, value: Any) -> _Ref:
        return _Ref(value)


#: What the encoders put payloads through: a page's blocks, or a :class:`_Later`.
_Blocks = _DataBlocks | _Later


def _resolve(value: Any, blocks: _DataBlocks) -> Any:
    """``value`` with each :class:`_Ref` in it replaced by ``blocks.ref`` of it, in order."""
    t = type(value)
    if t is _Ref:
        return blocks.ref(value.value, value.text)
    if t is dict:
        return {k: _resolve(v, blocks) for k, v in value.items()}
    if t is list:
        return [_resolve(v, blocks) for v in value]
    return value


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


# Encoded levels (and their JSON) by geometry: a build draws the same basemap
# and border on every map, and simplifying them is most of a page's Python time.
_LEVEL_CACHE: dict[tuple[str, int, str], list[_Ref]] = {}
_LEVEL_CACHE_SIZE = 256


def content_digest(value: Any) -> str | None:
    """A SHA-256 of ``value``'s pickle (``None`` if it has none): the same for equal
    data of the same types, whatever objects it shares (no memo).  Several times
    faster than its JSON, and it tells ``1`` from ``1.0`` and a tuple from a list."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)
    pickler.fast = True
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - any value that does not pickle is just not cached
        return None
    return hashlib.sha256(buf.getbuffer()).hexdigest()


def _geometry_key(kind: str, which: int, geometry: Any) -> tuple[str, int, str] | None:
    digest = content_digest(geometry)
    return None if digest is None else (kind, which, digest)


def _levels(
    encode: Callable[[float | None], Any],
    blocks: _Blocks,
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
        data = [_Ref(encode(level[which])) for level in _LEVELS] + [_Ref(encode(None))]
        if key is not None:
            if len(_LEVEL_CACHE) >= _LEVEL_CACHE_SIZE:
                _LEVEL_CACHE.clear()
            _LEVEL_CACHE[key] = data
    refs = [d if isinstance(blocks, _Later) else blocks.ref(d.value, d.text) for d in data]
    out = [{"minZoom": level[0], "data": r} for level, r in zip(_LEVELS, refs[:-1], strict=True)]
    out.append({"minZoom": BASEMAP_DETAIL_ZOOM, "data": refs[-1]})
    return out


def _simplify_run(run: Sequence[Sequence[float]], tolerance: float | None) -> Any:
    if tolerance is None or len(run) < 3:
        return run
    from shapely.geometry import LineString

    return list(LineString(run).simplify(tolerance, preserve_topology=False).coords)


def _encode_line(
    run: Sequence[Sequence[float]], scale: int, blocks: _Blocks
) -> list[dict[str, Any]]:
    """One line as levels of detail (a single level if it is short)."""
    if len(run) < _LEVELS_MIN_VERTICES:
        return [{"minZoom": 0, "data": blocks.ref(_delta(_quantise(run, scale)))}]
    key = _geometry_key(f"line{scale}", 2, run)
    return _levels(lambda t: _delta(_quantise(_simplify_run(run, t), scale)), blocks, 2, key)


_GEOMETRY_DEPTH = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}


def _encode_geometry(geometry: dict[str, Any], blocks: _Blocks) -> dict[str, Any]:
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


def _encode_geometries(geometries: Sequence[dict[str, Any]], blocks: _Blocks) -> Any:
    """A layer's geometries, one per feature in order, in the wire format.

    A layer of points only travels as one ``{"type": "Points", "scale",
    "data"}``: each position delta-encoded after the previous feature's, in
    units of ``1 / scale`` degree (:func:`_line_scale`), about 8 bytes a point
    instead of ~45 as GeoJSON (a camera layer has thousands).  Any other layer
    is a list of :func:`_encode_geometry` results.  ``bordermap.geometries``
    (``assets/bordermap.js``) turns either into the list.
    """
    if geometries and all(g["type"] == "Point" and len(g["coordinates"]) == 2 for g in geometries):
        coords = [g["coordinates"] for g in geometries]
        scale = _line_scale(coords)
        flat = _delta(_quantise(coords, scale))
        return {"type": "Points", "scale": scale, "data": blocks.ref(flat)}
    return [_encode_geometry(g, blocks) for g in geometries]


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
    # What the points are and where their distances start travel only when they
    # differ from the page's defaults ("Camera", "the river mouth").
    extra = {k: v for k, v in (("noun", ann.noun), ("from", ann.measured_from))
             if v != {"noun": "Camera", "from": "the river mouth"}[k]}  # fmt: skip
    if ann.period[0]:  # when it was claimed, for the time filter and --as-of
        extra |= {"start": ann.period[0], "end": ann.period[1] or ann.period[0]}
    return extra | {
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
