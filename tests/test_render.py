"""Tests for bordermap.render: the self-contained Leaflet page.

Unit tests inspect the HTML; tests marked ``browser`` load it in headless
Chromium.  All fixtures are small and synthetic (a couple of polygons, a few
features, a fake river carrying up to 16,000 camera points).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from branca.element import Element
from playwright.sync_api import expect

from bordermap.render import (
    BASEMAP_DETAIL_ZOOM,
    CAMERA_MIN_ZOOM,
    CameraAnnotation,
    MapLayer,
    MapSpec,
    build_map,
    deterministic_ids,
    js_json,
    render,
)

ROOT = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------ fixtures

PROVENANCE = [
    {
        "article": "a001",
        "title": "Border fence extended",
        "outlet": "Daily NK",
        "date": "2023-05-02",
        "claim": "A new double fence runs along the river.",
    },
    {
        "article": "a002",
        "title": "Cameras every 100 metres",
        "outlet": "RFA",
        "date": "2023-06-10",
        "claim": "Cameras were installed at 100 m intervals.",
    },
]

MOUTH = (124.33, 39.85)  # near the Yalu's mouth
SOURCE = (128.10, 41.98)  # roughly its source


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def fake_river(n_points: int) -> tuple[list[tuple[float, float]], list[tuple[float, float, float]]]:
    """A meandering line from MOUTH to SOURCE and ``n_points`` evenly spaced along it.

    Returns the (lon, lat) line (600 vertices) and (lon, lat, metres from mouth) points.
    """
    line = []
    for i in range(600):
        t = i / 599
        lon = MOUTH[0] + (SOURCE[0] - MOUTH[0]) * t
        lat = MOUTH[1] + (SOURCE[1] - MOUTH[1]) * t + 0.12 * math.sin(t * 40)
        line.append((lon, lat))
    cumulative = [0.0]
    for a, b in zip(line, line[1:], strict=False):
        cumulative.append(cumulative[-1] + _haversine_m(a, b))
    spacing = cumulative[-1] / n_points
    points = []
    seg = 0
    for k in range(n_points):
        d = (k + 0.5) * spacing
        while cumulative[seg + 1] < d:
            seg += 1
        f = (d - cumulative[seg]) / (cumulative[seg + 1] - cumulative[seg])
        (x0, y0), (x1, y1) = line[seg], line[seg + 1]
        points.append((x0 + (x1 - x0) * f, y0 + (y1 - y0) * f, d))
    return line, points


def _fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


BASEMAP = _fc(
    [
        _feature(
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [118, 39.9],
                        [124.3, 39.8],
                        [128.2, 42],
                        [131, 43],
                        [131, 48],
                        [118, 48],
                        [118, 39.9],
                    ]
                ],
            },
            iso_a3="CHN",
            name="China",
        ),
        _feature(
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [124.3, 39.8],
                        [128.2, 42],
                        [130.7, 42.3],
                        [129.5, 38.5],
                        [124.5, 37.7],
                        [124.3, 39.8],
                    ]
                ],
            },
            iso_a3="PRK",
            name="North Korea",
        ),
    ]
)


def make_spec(
    *,
    n_cameras: int = 2_000,
    tiles: str | None = None,
    title: str = "Watching the Yalu",
    subtitle: str = "Sources: Daily NK, RFA (2023)",
    attribution: str = "© OpenStreetMap contributors (ODbL) · GeoNames (CC BY 4.0)",
    text: str | None = None,
) -> MapSpec:
    """A small but complete spec; ``text`` (if given) replaces every data string."""

    def s(default: str) -> str:
        return default if text is None else text

    prov = [{k: s(v) for k, v in p.items()} for p in PROVENANCE]
    checkpoints = _fc(
        [
            _feature(
                {"type": "Point", "coordinates": [124.39, 40.12]},
                name=s("Sinuiju–Dandong bridge"),
                kind=s("crossing"),
                provenance=prov,
            ),
            _feature(
                {"type": "Point", "coordinates": [126.2, 41.1]},
                name=s("Manpo"),
                kind=s("crossing"),
                provenance=prov[:1],
            ),
        ]
    )
    fences = _fc(
        [
            _feature(
                {
                    "type": "LineString",
                    "coordinates": [[124.6, 40.3], [125.2, 40.6], [125.9, 40.9]],
                },
                name=s("Double fence, Sakju section"),
                kind=s("fence"),
                length_km=142.25,
                provenance=prov,
            )
        ]
    )
    line, points = fake_river(n_cameras)
    return MapSpec(
        title=s(title),
        subtitle=s(subtitle),
        layers=[
            MapLayer("checkpoints", s("Checkpoints"), "#d62728", checkpoints),
            MapLayer("fences", s("Fences"), "#2ca02c", fences),
        ],
        annotations=[
            CameraAnnotation(
                layer_id="cameras",
                title=s("Claimed cameras"),
                label=s(f"≈ {n_cameras:,} cameras claimed at 100 m spacing"),
                color="#1f77b4",
                line=line,
                points=points,
                provenance=prov[1:],
            )
        ],
        basemap=BASEMAP,
        bounds=(123.5, 39.3, 129.0, 42.5),
        tiles=tiles,
        attribution=s(attribution),
    )


HOSTILE = (
    '<img src=x onerror="window.__pwned=1;alert(1)">'
    "</script><script>window.__pwned=2;alert(2)</script>"
    "${window.__pwned=3}${alert(3)}"
    "`+(window.__pwned=4)+`"
    "\\\" \\' ' \" \\u003c \u2028 \u2029 &amp; <!-- "
    '<svg onload="window.__pwned=5"></svg>'
    "{{ 7 * 7 }}{% if true %}{# #}{% endif %}"
)


@pytest.fixture(scope="module")
def spec() -> MapSpec:
    return make_spec()


@pytest.fixture(scope="module")
def map_file(tmp_path_factory: pytest.TempPathFactory, spec: MapSpec) -> Path:
    path = tmp_path_factory.mktemp("maps") / "map.html"
    path.write_text(render(spec), encoding="utf-8")
    return path


def _page_specific(page: str) -> str:
    """The part of the page that carries data: everything after the inlined assets."""
    return page.split("</head>", 1)[1]


# ------------------------------------------------------------- unit tests


def test_self_contained(spec: MapSpec) -> None:
    page = render(spec)
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?https?:", _page_specific(page), re.I)
    for library in ("jquery", "bootstrap", "awesome-markers", "awesome_markers", "fontawesome"):
        assert library not in page.lower()
    # Leaflet and its CSS are inline; every CSS url() is a data: URI.
    assert "Leaflet 1.9.3" in page
    assert ".leaflet-control-layers-toggle" in page
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.DOTALL))
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", styles)
    assert urls and all(u.startswith("data:image/png;base64,") for u in urls)
    assert "sourceMappingURL" not in page
    # Defence in depth: a CSP that forbids every fetch but inline images.
    assert "img-src data:;" in page and "default-src 'none'" in page


@pytest.mark.filterwarnings("ignore:CartoDB tiles now require an API key")
def test_tiles_only_when_requested(spec: MapSpec) -> None:
    assert "tile.openstreetmap.org" not in render(spec)
    with_tiles = render(make_spec(tiles="OpenStreetMap"))
    assert "tile.openstreetmap.org" in with_tiles
    assert "img-src data: https:;" in with_tiles
    assert "cartocdn" in render(make_spec(tiles="CartoDB positron"))


_DETERMINISM_SCRIPT = """
import hashlib, sys
sys.path[:0] = [{src!r}, {tests!r}]
from test_render import make_spec
from bordermap.render import render
sys.stdout.write(hashlib.sha256(render(make_spec(n_cameras=3000)).encode()).hexdigest())
"""


def test_deterministic_across_processes() -> None:
    code = _DETERMINISM_SCRIPT.format(src=str(ROOT / "src"), tests=str(ROOT / "tests"))
    digests = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        digests.append(result.stdout.strip())
    local = hashlib.sha256(render(make_spec(n_cameras=3000)).encode()).hexdigest()
    assert digests[0] == digests[1] == local


def test_build_map_ids_are_deterministic(spec: MapSpec) -> None:
    a = build_map(spec).get_name()
    b = build_map(spec).get_name()
    assert a == b


def test_deterministic_ids_are_scoped() -> None:
    outside = {Element()._id for _ in range(3)}
    assert len(outside) == 3  # random, as branca intends
    with deterministic_ids():
        first = [Element()._id for _ in range(3)]
        with deterministic_ids():  # nested blocks continue the count
            nested = Element()._id
    with deterministic_ids():
        again = [Element()._id for _ in range(4)]
    assert first + [nested] == again
    with deterministic_ids(seed="other"):
        assert Element()._id != first[0]
    # Nothing leaks: branca's own generator is back.
    assert "_generate_id" in Element.__dict__
    assert Element()._id not in again
    with pytest.raises(ValueError):
        with deterministic_ids(seed="no spaces"):
            pass


def test_deterministic_ids_thread_safe() -> None:
    spec = make_spec(n_cameras=500)
    expected = render(spec)
    results: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        page = render(spec)
        with lock:
            results.append(page)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 6


def test_js_json_escapes_breakout_characters() -> None:
    text = js_json({"k": HOSTILE, "{{": "{%{#{{{"})
    for raw in ("<", ">", "&", "'", "`", "$", "\u2028", "\u2029", "{{", "{%", "{#"):
        assert raw not in text
    assert text.isascii()
    assert json.loads(text) == {"k": HOSTILE, "{{": "{%{#{{{"}
    with pytest.raises(ValueError):
        js_json(float("nan"))


def test_hostile_strings_escaped_in_raw_html() -> None:
    page = render(make_spec(text=HOSTILE, n_cameras=50))
    body = _page_specific(page)
    for fragment in ("<img", "<svg", 'onerror="', "${", "`", "\u2028", "\u2029", "<!--"):
        assert fragment not in body, fragment
    # Exactly the page's own script elements and data blocks, nothing injected.
    opening = re.findall(r"<script\b[^>]*>", page, re.IGNORECASE)
    data_blocks = re.findall(
        r'<script type="application/(?:json|octet-stream)"[^>]* id="bm-[0-9a-f]{8}-\d+">', page
    )
    assert page.count("<script>") == 3 and body.count("<script>") == 1
    assert len(opening) == page.count("</script>") == 3 + len(data_blocks)
    # Template syntax in article text is not evaluated at build time (folium
    # renders macro output as a Jinja template a second time).
    assert "49" not in page.split("bordermap.setup(", 1)[1].split(");", 1)[0]
    # The <title> is HTML-escaped.
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title is not None
    assert "<" not in title.group(1) and "&lt;img src=x" in title.group(1)


def test_invalid_input_rejected(spec: MapSpec) -> None:
    bad_color = MapLayer("x", "X", "red;}</style><script>", spec.layers[0].geojson)
    with pytest.raises(ValueError, match="colour"):
        render(dataclasses.replace(spec, layers=[bad_color]))
    with pytest.raises(ValueError, match="bounds"):
        render(dataclasses.replace(spec, bounds=(130.0, 39.0, 120.0, 42.0)))
    with pytest.raises(ValueError):
        render(dataclasses.replace(spec, layers=[MapLayer("x", "X", "#fff", {"a": 1})]))
    with pytest.raises(ValueError, match="unique"):
        render(dataclasses.replace(spec, layers=[spec.layers[0], spec.layers[0]]))


def test_geopandas_style_properties(spec: MapSpec) -> None:
    """NaN, numpy scalars and dates in properties become null, numbers and ISO strings."""
    import datetime

    import numpy as np

    feature = _feature(
        {"type": "Point", "coordinates": [np.float64(125.1), np.int64(40)]},
        name="x",
        length_km=float("nan"),
        count=np.int64(3),
        seen=datetime.date(2023, 5, 2),
    )
    layer = MapLayer("pts", "Points", "#123456", _fc([feature]))
    page = render(dataclasses.replace(spec, layers=[layer]))
    assert '"keys":["name","length_km","count","seen"],"rows":[["x",null,3,"2023-05-02"]]' in page


def test_basemap_accepts_multipolygons_only(spec: MapSpec) -> None:
    square = [[[125, 40], [126, 40], [126, 41], [125, 40]]]
    multi = _fc([_feature({"type": "MultiPolygon", "coordinates": [square, square]}, iso_a3="X")])
    assert "bordermap.addBasemap(" in render(dataclasses.replace(spec, basemap=multi))
    line = _fc([_feature({"type": "LineString", "coordinates": [[125, 40], [126, 41]]})])
    with pytest.raises(ValueError, match="basemap"):
        render(dataclasses.replace(spec, basemap=line))


def test_hidden_layer_not_added(spec: MapSpec) -> None:
    hidden = dataclasses.replace(spec.layers[1], shown=False)
    page = render(dataclasses.replace(spec, layers=[spec.layers[0], hidden]))
    groups = re.findall(r"var (feature_group_\w+) = L\.featureGroup", page)
    assert len(groups) == 3
    added = [g for g in groups if f"{g}.addTo(" in page]
    assert added == [groups[0], groups[2]]


def test_size_with_16000_cameras() -> None:
    page = render(make_spec(n_cameras=16_000)).encode()
    plain = render(dataclasses.replace(make_spec(), annotations=[])).encode()
    print(f"\noverview with 16,000 cameras: {len(page):,} bytes; plain map: {len(plain):,} bytes")
    assert len(page) < 1_000_000
    # The camera payload is compact: delta-encoded 1e-5 degree integers, about
    # 8 bytes per camera (~100 m apart), plus the river line.
    assert (len(page) - len(plain)) / 16_000 < 12


def test_large_payloads_travel_as_json_blocks() -> None:
    spec = make_spec(n_cameras=3_000)
    river = [(round(lon, 5), round(lat, 5)) for lon, lat in spec.annotations[0].line]
    ann = dataclasses.replace(spec.annotations[0], line=river)
    # A layer drawn along the same river as the cameras (as the Yalu border is).
    same_river = MapLayer(
        "river",
        "River",
        "#333333",
        _fc([_feature({"type": "LineString", "coordinates": [list(c) for c in river]})]),
    )
    page = render(dataclasses.replace(spec, layers=[*spec.layers, same_river], annotations=[ann]))
    assert page.isascii()  # one-byte text for the browser's parsers
    blocks = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page)
    assert blocks
    ids = [block_id for block_id, _ in blocks]
    texts = [text for _, text in blocks]
    assert len(set(ids)) == len(ids) and len(set(texts)) == len(texts)  # shared, not repeated
    for _, text in blocks:
        assert "<" not in text and isinstance(json.loads(text), list)
    # The camera river and the layer's line are one block, referenced twice.
    script = page.rsplit("<script>", 1)[1]
    shared = [i for i in ids if script.count(f'"{i}"') >= 2]
    assert shared
    # Not scripts: the CSP hashes only the page's three executable ones.
    assert page.split("script-src ", 1)[1].split(";", 1)[0].count("sha256-") == 3


def test_geometry_round_trips_through_the_encoding() -> None:
    spec = make_spec(n_cameras=500)
    line = [[124.123456, 40.5], [124.2, 40.654321], [124.25, 40.7]]
    layer = MapLayer(
        "l", "L", "#123456", _fc([_feature({"type": "LineString", "coordinates": line})])
    )
    page = render(dataclasses.replace(spec, layers=[layer]))
    call = page.split("bordermap.addFeatures(", 1)[1].split(");\n", 1)[0]
    payload = json.loads(call.split(", ", 2)[2])
    geometry = payload["geoms"][0]
    assert geometry["scale"] == 1_000_000  # 6 decimals need 1e-6 degree units
    (level,) = geometry["levels"]
    flat, x, y, decoded = level["data"], 0, 0, []
    for dx, dy in zip(flat[::2], flat[1::2], strict=True):
        x, y = x + dx, y + dy
        decoded.append([x / geometry["scale"], y / geometry["scale"]])
    assert decoded == line


# ----------------------------------------------------------- browser tests

COUNT_CIRCLES = """() => {
    let n = 0;
    window.bordermapMap.eachLayer(l => { if (l instanceof L.CircleMarker) n++; });
    return n;
}"""


@pytest.mark.browser
def test_map_furniture(open_map: Any, map_file: Path, spec: MapSpec) -> None:
    page, errors, requests = open_map(map_file)
    assert page.locator(".leaflet-container").count() == 1
    assert page.evaluate("document.documentElement.dataset.ready") == "1"
    assert page.evaluate("window.bordermapMap instanceof L.Map")
    title = page.locator(".leaflet-top.leaflet-left .bm-title")
    assert title.locator(".bm-title-main").inner_text() == spec.title
    assert title.locator(".bm-title-sub").inner_text() == spec.subtitle
    assert title.is_visible()

    legend = page.locator(".leaflet-bottom.leaflet-right .bm-legend")
    assert legend.is_visible()
    rows = legend.locator(".bm-legend-row")
    assert rows.count() == len(spec.layers) + len(spec.annotations)
    titles = [t.title for t in spec.layers] + [a.title for a in spec.annotations]
    assert rows.locator(".bm-legend-title").all_inner_texts() == titles
    assert legend.locator(".bm-legend-label").inner_text() == spec.annotations[0].label

    overlays = page.locator(".leaflet-control-layers-overlays label")
    assert overlays.count() == len(titles)
    assert [t.strip() for t in overlays.all_inner_texts()] == titles
    assert page.locator(".leaflet-control-layers-base label").count() == 0

    scale = page.locator(".leaflet-control-scale-line")
    assert scale.count() == 1  # metric only
    assert re.fullmatch(r"\d+ k?m", scale.inner_text().strip())
    assert spec.attribution in page.locator(".leaflet-control-attribution").inner_text()
    assert errors == []
    assert requests == [map_file.resolve().as_uri()]


@pytest.mark.browser
def test_camera_label_at_low_zoom(open_map: Any, map_file: Path, spec: MapSpec) -> None:
    page, errors, _ = open_map(map_file)
    assert page.evaluate("window.bordermapMap.getZoom()") < CAMERA_MIN_ZOOM
    label = page.locator(".leaflet-tooltip.bm-camera-label")
    assert label.count() == 1 and label.is_visible()
    assert label.inner_text() == spec.annotations[0].label
    assert page.evaluate("window.bordermapLayers.cameras.drawn().length") == 0
    n_points = sum(len(layer.geojson["features"]) for layer in spec.layers[:1])
    assert page.evaluate(COUNT_CIRCLES) == n_points  # only the checkpoints
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("spacing", ["even", "uneven"])
def test_cameras_at_high_zoom(open_map: Any, tmp_path: Path, spacing: str) -> None:
    spec = make_spec()
    if spacing == "uneven":
        # Irregular distances are shipped per camera rather than as start + step.
        ann = spec.annotations[0]
        jittered = [(lon, lat, d + (i % 7) * 3.3) for i, (lon, lat, d) in enumerate(ann.points)]
        spec = dataclasses.replace(spec, annotations=[dataclasses.replace(ann, points=jittered)])
    html_text = render(spec)
    assert ('"dist":{"start"' in html_text) == (spacing == "even")
    path = tmp_path / "map.html"
    path.write_text(html_text, encoding="utf-8")
    page, errors, _ = open_map(path)

    points = spec.annotations[0].points
    k = len(points) // 2
    lon, lat, metres = points[k]
    page.evaluate(f"void window.bordermapMap.setView([{lat}, {lon}], 14, {{animate: false}})")
    drawn = page.evaluate("window.bordermapLayers.cameras.drawn()")
    assert 0 < len(drawn) < len(points)  # only the ones in view
    # Exactly the cameras inside the drawn area (the view and a margin of 30 %
    # of its size around it), found through the index, not a scan.
    b = page.evaluate(
        """() => { const m = window.bordermapMap, s = m.getSize();
                   const sw = m.containerPointToLatLng([-0.3 * s.x, 1.3 * s.y]);
                   const ne = m.containerPointToLatLng([1.3 * s.x, -0.3 * s.y]);
                   return [sw.lng, sw.lat, ne.lng, ne.lat]; }"""
    )
    inside = {
        i + 1 for i, (x, y, _) in enumerate(points) if b[0] <= x <= b[2] and b[1] <= y <= b[3]
    }
    assert {d["number"] for d in drawn} == inside
    expect(page.locator(".leaflet-tooltip.bm-camera-label")).to_have_count(0)

    # Click camera k+1 (the one at the view's centre) where it is drawn.
    here = next(d for d in drawn if d["number"] == k + 1)
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + here["x"], box["y"] + here["y"])
    popup = page.locator(".leaflet-popup-content .bm-popup-title")
    assert popup.inner_text() == f"Camera {k + 1} · {metres / 1000:.1f} km from the river mouth"
    # The popup survives its own auto-pan and the redraw after it.
    page.wait_for_timeout(400)
    assert popup.count() == 1

    # Zooming back out removes them and restores the label.
    page.evaluate("void window.bordermapMap.setZoom(8, {animate: false})")
    assert page.evaluate("window.bordermapLayers.cameras.drawn().length") == 0
    expect(page.locator(".leaflet-tooltip.bm-camera-label")).to_be_visible()
    assert errors == []


@pytest.mark.browser
def test_long_lines_follow_the_zoom(open_map: Any, map_file: Path, spec: MapSpec) -> None:
    page, errors, _ = open_map(map_file)
    vertices = """() => window.bordermapLayers.cameras.line.getLatLngs().length"""
    zoom = page.evaluate("window.bordermapMap.getZoom()")
    counts = {}
    for z in (zoom, 5, BASEMAP_DETAIL_ZOOM, zoom):
        page.evaluate(f"void window.bordermapMap.setZoom({z}, {{animate: false}})")
        counts.setdefault(z, []).append(page.evaluate(vertices))
    full = len(spec.annotations[0].line)
    assert counts[BASEMAP_DETAIL_ZOOM] == [full]
    assert 2 <= counts[5][0] <= counts[zoom][0] < full  # simplified at country scale
    assert counts[zoom][0] == counts[zoom][1]
    assert errors == []


@pytest.mark.browser
def test_degenerate_annotations_still_render(open_map: Any, tmp_path: Path) -> None:
    base = make_spec(n_cameras=100)
    ann = base.annotations[0]
    spec = dataclasses.replace(
        base,
        layers=[],
        annotations=[
            dataclasses.replace(ann, line=[]),  # the points stand in for the line
            dataclasses.replace(ann, layer_id="empty", title="Empty", label="", points=[]),
        ],
    )
    path = tmp_path / "edge.html"
    path.write_text(render(spec), encoding="utf-8")
    page, errors, _ = open_map(path)
    expect(page.locator(".leaflet-tooltip.bm-camera-label")).to_have_count(1)
    assert page.locator(".leaflet-control-layers-overlays label").count() == 2
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("tiles", [None, "OpenStreetMap"], ids=["no-tiles", "tiles"])
def test_basemap_decoded(open_map: Any, tmp_path: Path, tiles: str | None) -> None:
    path = tmp_path / "map.html"
    path.write_text(render(make_spec(tiles=tiles, n_cameras=100)), encoding="utf-8")
    page, _, _ = open_map(path)  # with tiles, the aborted tile requests log errors
    # Zoomed in, the full-detail outlines are drawn (country scale uses simplified ones).
    layers = page.evaluate(
        """(zoom) => { window.bordermapMap.setZoom(zoom, {animate: false});
            return window.bordermap.basemap.getLayers()[0].getLayers().map(l => ({
            pane: l.options.pane, interactive: l.options.interactive,
            first: l.getLatLngs().flat(Infinity)[0]})); }""",
        BASEMAP_DETAIL_ZOOM,
    )
    assert len(layers) == len(BASEMAP["features"])
    for layer, feature in zip(layers, BASEMAP["features"], strict=True):
        assert layer["interactive"] is False
        lon, lat = feature["geometry"]["coordinates"][0][0]
        # Projected and quantised to under 10 m: about 1e-4 degree.
        assert (layer["first"]["lng"], layer["first"]["lat"]) == pytest.approx((lon, lat), abs=1e-4)
    if tiles is None:
        # Nothing lies between basemap and overlays: they share one canvas, on
        # which the outlines stay first (beneath) after every change of detail.
        assert {layer["pane"] for layer in layers} == {"overlayPane"}
        assert page.evaluate(
            """() => { const map = window.bordermapMap;
                const outlines = new Set(window.bordermap.basemap.getLayers()[0].getLayers());
                let order = map.options.renderer._drawFirst, n = 0;
                while (order && outlines.has(order.layer)) { n++; order = order.next; }
                const rest = [];
                for (; order; order = order.next) rest.push(outlines.has(order.layer));
                return n === outlines.size && rest.length > 0 && !rest.includes(true); }"""
        )
    else:
        # Beneath the tiles and every overlay; never catches the mouse.
        assert {layer["pane"] for layer in layers} == {"bmBasemap"}
        assert page.evaluate(
            """() => { const p = window.bordermapMap.getPane("bmBasemap");
                       return [p.style.zIndex, getComputedStyle(p).pointerEvents,
                               p.querySelectorAll("canvas").length]; }"""
        ) == ["150", "none", 1]


@pytest.mark.browser
def test_layer_toggle(open_map: Any, map_file: Path) -> None:
    page, errors, _ = open_map(map_file)
    toggle = page.locator(".leaflet-control-layers-overlays label", has_text="Claimed cameras")
    label = page.locator(".leaflet-tooltip.bm-camera-label")
    toggle.locator("input").uncheck()
    expect(label).to_have_count(0)  # Leaflet fades tooltips out over 200 ms
    toggle.locator("input").check()
    expect(label).to_be_visible()
    assert errors == []


@pytest.mark.browser
def test_feature_popup_shows_provenance(open_map: Any, map_file: Path, spec: MapSpec) -> None:
    page, errors, _ = open_map(map_file)
    page.evaluate(
        """() => window.bordermapLayers.fences.group.eachLayer(
               g => g.eachLayer(l => l.openPopup()))"""
    )
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator(".bm-popup-title").inner_text() == "Double fence, Sakju section"
    assert popup.locator(".bm-popup-facts").inner_text() == "fence · 142.3 km"
    text = popup.inner_text()
    for entry in PROVENANCE:
        for value in entry.values():
            assert value in text
    assert errors == []


@pytest.mark.browser
def test_no_tiles_means_no_requests(open_map: Any, map_file: Path) -> None:
    page, errors, requests = open_map(map_file)
    page.wait_for_timeout(300)  # anything late would show up here
    assert requests == [map_file.resolve().as_uri()]
    assert page.locator(".leaflet-tile").count() == 0
    assert errors == []


@pytest.mark.browser
def test_ready_with_unreachable_tiles(open_map: Any, tmp_path: Path) -> None:
    path = tmp_path / "tiles.html"
    path.write_text(render(make_spec(tiles="OpenStreetMap", n_cameras=100)), encoding="utf-8")
    page, errors, requests = open_map(path)  # tile requests are aborted by the fixture
    assert any("tile.openstreetmap.org" in url for url in requests)
    assert page.locator(".leaflet-tile").count() > 0
    # Tile layer and map both carry the attribution; Leaflet shows it once.
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert attribution.count("© OpenStreetMap contributors") == 1
    assert all("ERR_FAILED" in e or "Failed to load resource" in e for e in errors)


@pytest.mark.browser
@pytest.mark.parametrize("with_csp", [True, False], ids=["csp", "escaping-only"])
def test_hostile_strings_stay_text(open_map: Any, tmp_path: Path, with_csp: bool) -> None:
    spec = make_spec(text=HOSTILE, n_cameras=200)
    page_html = render(spec)
    if not with_csp:
        # Prove the escaping alone is enough: drop the Content-Security-Policy.
        page_html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page_html)
        assert "Content-Security-Policy" not in page_html
    path = tmp_path / "hostile.html"
    path.write_text(page_html, encoding="utf-8")
    page, errors, requests = open_map(path)
    page.wait_for_timeout(300)

    assert page.evaluate("window.__pwned") is None
    assert errors == []
    assert requests == [path.resolve().as_uri()]  # an injected <img src=x> would show here
    # The map still drew everything.
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator(".leaflet-control-layers-overlays label").count() == 3
    assert page.evaluate("Object.keys(window.bordermapLayers).sort()") == [
        "cameras",
        "checkpoints",
        "fences",
    ]
    # Every sink shows the hostile string literally.
    assert page.title() == HOSTILE
    assert page.locator(".bm-title-main").evaluate("e => e.textContent") == HOSTILE
    assert page.locator(".bm-camera-label-text").evaluate("e => e.textContent") == HOSTILE
    overlay_names = page.locator(".leaflet-control-layers-overlays label span span")
    assert [n.strip() for n in overlay_names.evaluate_all("ns => ns.map(n => n.textContent)")] == [
        HOSTILE.strip(),
        HOSTILE.strip() + " (2)",
        HOSTILE.strip() + " (3)",
    ]
    assert HOSTILE in page.locator(".leaflet-control-attribution").evaluate("e => e.textContent")
    legend_texts = page.locator(".bm-legend-title, .bm-legend-label").evaluate_all(
        "ns => ns.map(n => n.textContent)"
    )
    assert legend_texts == [HOSTILE] * 4

    page.evaluate(
        """() => window.bordermapLayers.checkpoints.group.eachLayer(
               g => g.getLayers()[0].openPopup())"""
    )
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator(".bm-popup-title").evaluate("e => e.textContent") == HOSTILE
    claims = popup.locator(".bm-prov-claim").evaluate_all("ns => ns.map(n => n.textContent)")
    assert claims == [HOSTILE]  # one claim shared by both sources, shown once
    assert popup.locator("img, svg, script").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_records_travel_as_columns_with_shared_values_once() -> None:
    from bordermap.render._plain import _records

    rows = [{"a": 1, "k": "city", "b": None}, {"a": 2, "k": "city", "b": None}]
    assert _records(rows) == {
        "keys": ["a", "k", "b"],
        "same": {"k": "city", "b": None},
        "rows": [[1], [2]],
    }
    assert _records([{"a": 1}]) == {"keys": ["a"], "rows": [[1]]}  # one record: no "same"
    assert _records([{"a": 1}, None, {"a": 1}]) == {"keys": ["a"], "rows": [[1], None, [1]]}
    assert _records([{"a": 1}, {"b": 2}]) == [{"a": 1}, {"b": 2}]  # other keys: a list
    # Values are compared as the page writes them: 1 and 1.0 are not shared.
    assert _records([{"a": [1]}, {"a": [1.0]}]) == {"keys": ["a"], "rows": [[[1]], [[1.0]]]}
