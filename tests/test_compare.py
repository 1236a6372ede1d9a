"""Tests for bordermap.compare (the comparison and its reports) and its page.
Distances are checked against values computed here independently with
pyproj's Geod (brute force along densified border lines); the pages are
loaded in headless Chromium and driven with the mouse.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bordermap.compare import compare, parse_within
from bordermap.geometry import border_lines
from bordermap.layer_refs import load_layer
from bordermap.project import Project
from bordermap.render.compare_page import page, write
from support import (
    DANDONG,
    SINUIJU,
    WGS84,
    point_file,
)

# ------------------------------------------------------------- distances


def test_dandong_sinuiju_is_the_geodesic_distance(tmp_path: Path) -> None:
    a = load_layer(str(point_file(tmp_path / "a.geojson", [("Dandong", DANDONG)])))
    b = load_layer(str(point_file(tmp_path / "b.geojson", [("Sinuiju", SINUIJU)])))
    c = compare(a, b)
    _, _, expected = WGS84.inv(*DANDONG, *SINUIJU)
    row = c.features.iloc[0]
    assert row["nearest_name"] == "Sinuiju"
    assert row["nearest_km"] == pytest.approx(expected / 1000.0, abs=1e-9)
    assert 3.1 < row["nearest_km"] < 3.3  # across the Yalu bridges


def test_default_project_statistics(upgrades_vs_checkpoints: Any) -> None:
    c = upgrades_vs_checkpoints
    sa, sb = c.summaries
    assert (sa.features, sb.features) == (6, 2)
    assert (sa.points, sa.lines, sb.points) == (6, 0, 2)
    assert sa.length_km == 0.0
    assert sa.within == {10.0: 0, 25.0: 0, 50.0: 0}  # the upgrades are inland cities
    assert sb.within == {10.0: 1, 25.0: 1, 50.0: 1}  # Dandong, on the Yalu
    w, s, e, n = sa.extent
    assert w == pytest.approx(125.40778) and n == pytest.approx(39.91833)
    rows = c.features.set_index(["side", "name"])
    assert rows.loc[("B", "Dandong"), "border_km"] < 2.0
    assert 40 < rows.loc[("B", "Tonghua"), "border_km"] < 70
    # Every upgrade city's nearest checkpoint, against Geod directly.
    checkpoints = {r["name"]: (r["lon"], r["lat"]) for _, r in c.features.iterrows()
                   if r["side"] == "B"}  # fmt: skip
    for _, r in c.features[c.features["side"] == "A"].iterrows():
        d = {k: WGS84.inv(r["lon"], r["lat"], *xy)[2] / 1000 for k, xy in checkpoints.items()}
        assert r["nearest_name"] == min(d, key=lambda k: d[k])
        assert r["nearest_km"] == pytest.approx(min(d.values()), abs=1e-9)


def test_border_layer_length_is_geodesic(project: Project) -> None:
    c = compare(load_layer("border", project), load_layer("checkpoints", project))
    expected = sum(WGS84.geometry_length(line) for line in border_lines().values()) / 1000
    assert c.summaries[0].length_km == pytest.approx(expected, rel=1e-9)
    assert c.summaries[0].lines == 3


def test_within_distances_are_configurable(project: Project) -> None:
    c = compare(load_layer("checkpoints", project), load_layer("arrests", project), (5, 100))
    assert c.within_km == (5.0, 100.0)
    assert set(c.summaries[0].within) == {5.0, 100.0}
    assert "within_100km" in c.csv_text().splitlines()[0]


def test_csv_has_layer_rows_then_feature_rows(upgrades_vs_checkpoints: Any) -> None:
    lines = upgrades_vs_checkpoints.csv_text().splitlines()
    head = lines[0].split(",")
    assert head[:3] == ["record", "side", "layer"]
    assert head[-3:] == ["within_10km", "within_25km", "within_50km"]
    assert [x.split(",")[0] for x in lines[1:]] == ["layer"] * 2 + ["feature"] * 8
    assert lines[1].startswith("layer,A,upgrades,,Base-station upgrades,Point,6,")


def test_table_mentions_method_and_bound(upgrades_vs_checkpoints: Any) -> None:
    text = upgrades_vs_checkpoints.table()
    assert "within 25 km of border" in text
    assert "Pyongyang" in text and "Dandong" in text
    assert "% too long" in text


def test_parse_within() -> None:
    assert parse_within("50, 10,25") == (10.0, 25.0, 50.0)
    for bad in ("", "ten", "0", "-5", "nan"):
        with pytest.raises(ValueError):
            parse_within(bad)


def test_page_is_self_contained_and_escaped(tmp_path: Path) -> None:
    evil = '</script><img src=x onerror=alert(1)>&"'
    a = load_layer(str(point_file(tmp_path / "a.geojson", [(evil, DANDONG)])))
    b = load_layer(str(point_file(tmp_path / "b.geojson", [("Sinuiju", SINUIJU)])))
    html = page(compare(a, b), "overlay")
    assert evil not in html
    assert "<img src=x" not in html
    assert "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\u0026" in html
    assert re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", html) is None
    assert "Content-Security-Policy" in html and "img-src data:;" in html


def test_page_rejects_unknown_mode(upgrades_vs_checkpoints: Any) -> None:
    with pytest.raises(ValueError, match="mode must be one of"):
        page(upgrades_vs_checkpoints, "diagonal")


@pytest.mark.parametrize("mode", ["side-by-side", "swipe", "overlay"])
def test_page_is_deterministic(upgrades_vs_checkpoints: Any, mode: str) -> None:
    assert page(upgrades_vs_checkpoints, mode) == page(upgrades_vs_checkpoints, mode)


@pytest.mark.parametrize("mode", ["side-by-side", "swipe"])
def test_page_carries_the_runtime_once_dom_js_first(
    upgrades_vs_checkpoints: Any, mode: str
) -> None:
    from bordermap.files import shipped_text
    from bordermap.render._html import RUNTIME_ASSETS

    html = page(upgrades_vs_checkpoints, mode)
    starts = []
    for name in (*RUNTIME_ASSETS, "compare.js"):
        text = shipped_text("bordermap", "assets", name)
        assert html.count(text) == 1, name
        starts.append(html.index(text))
    assert starts == sorted(starts)


def test_side_by_side_ships_the_basemap_once(upgrades_vs_checkpoints: Any) -> None:
    blocks = {
        mode: re.findall(
            r'<script type="application/json" id="[^"]+">(.*?)</script>',
            page(upgrades_vs_checkpoints, mode),
            re.DOTALL,
        )
        for mode in ("side-by-side", "swipe")
    }
    # Two maps, one copy of each basemap level: the same blocks as a one-map page.
    assert len(blocks["side-by-side"]) == len(set(blocks["side-by-side"])) >= 2
    assert sorted(blocks["side-by-side"]) == sorted(blocks["swipe"])


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, upgrades_vs_checkpoints: Any) -> Path:
    folder = tmp_path_factory.mktemp("compare-pages")
    for mode in ("side-by-side", "swipe", "overlay"):
        write(upgrades_vs_checkpoints, folder / f"{mode}.html", mode)
    return folder


# ---------------------------------------------------------------- browser

CENTER_JS = "i => { const c = window.bordermapMaps[i].getCenter(); return [c.lat, c.lng]; }"


@pytest.mark.browser
def test_side_by_side_maps_are_drawn_and_synchronised(open_map: Any, pages: Path) -> None:
    page_, errors, requests = open_map(pages / "side-by-side.html")
    assert page_.evaluate("window.bordermapMaps.length") == 2
    # Each half draws its own layer in its own canvas.
    assert page_.evaluate("window.bordermapCompare.layers.A.getLayers().length") == 6
    assert page_.evaluate("window.bordermapCompare.layers.B.getLayers().length") == 2
    assert page_.locator(".bmc-left .leaflet-bmcA-pane canvas").count() == 1
    assert page_.locator(".bmc-right .leaflet-bmcB-pane canvas").count() == 1
    assert page_.locator(".bm-title-main").all_text_contents() == [
        "A · Base-station upgrades",
        "B · 5G checkpoints (Chinese side)",
    ]
    # setView on the left map moves the right one.
    page_.evaluate("window.bordermapMaps[0].setView([41.4, 128.18], 9, {animate: false})")
    lat, lon = page_.evaluate(CENTER_JS, 1)
    assert (lat, lon) == pytest.approx((41.4, 128.18), abs=1e-6)
    assert page_.evaluate("window.bordermapMaps[1].getZoom()") == 9
    # A mouse drag on the right map pans the left one with it.
    before = page_.evaluate(CENTER_JS, 0)
    page_.mouse.move(900, 500)
    page_.mouse.down()
    page_.mouse.move(800, 450, steps=8)
    page_.mouse.up()
    # Both centres in one JavaScript turn: the drag's inertia keeps both maps moving.
    after_left, after_right = page_.evaluate(
        "() => window.bordermapMaps.map(m => [m.getCenter().lat, m.getCenter().lng])"
    )
    assert after_left != pytest.approx(before, abs=1e-4)
    # In step to within a pixel (~0.0027 deg at zoom 9): the sync skips sub-pixel moves.
    assert after_left == pytest.approx(after_right, abs=0.003)
    assert errors == []
    assert all(url.startswith("file:") for url in requests)


@pytest.mark.browser
def test_swipe_divider_moves_and_reveals(open_map: Any, pages: Path) -> None:
    page_, errors, _ = open_map(pages / "swipe.html")
    clip_b = "document.querySelector('.leaflet-bmcB-pane').style.clipPath"
    clip_a = "document.querySelector('.leaflet-bmcA-pane').style.clipPath"
    before = (page_.evaluate(clip_a), page_.evaluate(clip_b))
    assert before[0].startswith("polygon(") and before[1].startswith("polygon(")
    # Dandong (a checkpoint, layer B) lies left of the middle: hidden behind the divider.
    x, y = page_.evaluate(
        "() => { const p = window.bordermapMaps[0].latLngToContainerPoint([40.12917, 124.39472]);"
        " return [p.x, p.y]; }"
    )
    assert x < 600
    on_b = (
        "([x, y]) => { const e = document.elementFromPoint(x, y);"
        " return !!e.closest('.leaflet-bmcB-pane'); }"
    )
    assert page_.evaluate(on_b, [x, y]) is False
    # Drag the handle to the left edge of Dandong.
    box = page_.locator(".bmc-handle").bounding_box()
    assert box is not None
    page_.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page_.mouse.down()
    page_.mouse.move(x - 60, box["y"] + box["height"] / 2, steps=10)
    page_.mouse.up()
    after = (page_.evaluate(clip_a), page_.evaluate(clip_b))
    assert after[0] != before[0] and after[1] != before[1]
    left = page_.evaluate("parseFloat(document.querySelector('.bmc-divider').style.left)")
    assert left == pytest.approx(x - 60, abs=2)
    assert page_.evaluate(on_b, [x, y]) is True
    # Hovering Dandong now shows layer B's tooltip.
    page_.mouse.move(x, y)
    expect_tooltip(page_, "B · Dandong")
    # The clip follows the map when it is panned.
    page_.evaluate("window.bordermapMaps[0].panBy([120, 0], {animate: false})")
    assert page_.evaluate(clip_b) != after[1]
    assert errors == []


def expect_tooltip(page_: Any, text: str) -> None:
    from playwright.sync_api import expect

    expect(page_.locator(".leaflet-tooltip")).to_have_text(text)


@pytest.mark.browser
def test_overlay_shows_both_layers(open_map: Any, pages: Path) -> None:
    page_, errors, _ = open_map(pages / "overlay.html")
    assert page_.evaluate("window.bordermapMaps.length") == 1
    assert page_.evaluate("window.bordermapCompare.layers.A.getLayers().length") == 6
    assert page_.evaluate("window.bordermapCompare.layers.B.getLayers().length") == 2
    # Only the compare legend: render's own legend and layer switcher are left out.
    assert page_.locator(".bm-legend").count() == 1
    assert page_.locator(".leaflet-control-layers").count() == 0
    titles = page_.locator(".bmc-legend .bm-legend-title").all_text_contents()
    assert titles[:2] == ["A · Base-station upgrades", "B · 5G checkpoints (Chinese side)"]
    # Clearly different styles: filled dots against rings.
    styles = page_.evaluate(
        "() => ['A', 'B'].map(k => { const l = window.bordermapCompare.layers[k].getLayers()[0];"
        " return [l.options.color, l.options.fillColor, l.options.fillOpacity]; })"
    )
    assert styles[0][1] != styles[1][0] and styles[0][2] > 0.5 > styles[1][2]
    # Clicking a city opens a popup with its nearest checkpoint and border distance.
    x, y = page_.evaluate(
        "() => { const p = window.bordermapMaps[0].latLngToContainerPoint([39.03385, 125.75432]);"
        " return [p.x, p.y]; }"
    )
    page_.mouse.click(x, y)
    popup = page_.locator(".bmc-popup")
    from playwright.sync_api import expect

    expect(popup).to_contain_text("Pyongyang")
    expect(popup).to_contain_text("Nearest in B")
    expect(popup).to_contain_text("Dandong — 168.6 km")
    assert errors == []


@pytest.mark.browser
def test_hostile_names_stay_text(open_map: Any, tmp_path: Path) -> None:
    evil = "<img src=x onerror=alert(1)>"
    a = load_layer(str(point_file(tmp_path / "a.geojson", [(evil, DANDONG)])))
    b = load_layer(str(point_file(tmp_path / "b.geojson", [("Sinuiju", SINUIJU)])))
    out, _ = write(compare(a, b), tmp_path / "evil.html", "overlay")
    page_, errors, requests = open_map(out)
    page_.evaluate("window.bordermapMaps[0].setView([40.12917, 124.39472], 12, {animate: false})")
    x, y = page_.evaluate(
        "() => { const p = window.bordermapMaps[0].latLngToContainerPoint([40.12917, 124.39472]);"
        " return [p.x, p.y]; }"
    )
    page_.mouse.click(x, y)
    from playwright.sync_api import expect

    expect(page_.locator(".bmc-popup .bm-popup-title")).to_have_text(evil)
    assert page_.locator(".bmc-popup img").count() == 0
    assert errors == []
    assert all(url.startswith("file:") for url in requests)


@pytest.mark.browser
def test_lines_polygons_and_multipoints_draw(open_map: Any, tmp_path: Path) -> None:
    mixed = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Zone"}, "geometry": {
                "type": "Polygon",
                "coordinates": [[[124.3, 40.0], [124.6, 40.0], [124.6, 40.3], [124.3, 40.0]]]}},
            {"type": "Feature", "properties": {"name": "Pair"}, "geometry": {
                "type": "MultiPoint", "coordinates": [[126.0, 41.0], [127.0, 41.5]]}},
            {"type": "Feature", "properties": {"name": "Road"}, "geometry": {
                "type": "LineString", "coordinates": [[125.0, 40.5], [126.0, 40.8]]}},
            {"type": "Feature", "properties": {"name": "Nothing"}, "geometry": None},
        ],
    }  # fmt: skip
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps(mixed), "utf-8")
    layer = load_layer(str(path))
    assert layer.names == ["Zone", "Pair", "Road"]  # the null geometry is dropped
    other = load_layer(str(point_file(tmp_path / "b.geojson", [("Dandong", DANDONG)])))
    for mode in ("side-by-side", "swipe", "overlay"):
        out, _ = write(compare(layer, other), tmp_path / f"{mode}.html", mode)
        page_, errors, _ = open_map(out)
        assert page_.evaluate("window.bordermapCompare.layers.A.getLayers().length") == 3
        assert errors == []
    # Hovering the line (overlay page) names it.
    x, y = page_.evaluate(
        "() => { const p = window.bordermapMaps[0].latLngToContainerPoint([40.65, 125.5]);"
        " return [p.x, p.y]; }"
    )
    page_.mouse.move(x, y)
    expect_tooltip(page_, "A · Road")


def test_a_places_distance_to_the_border_does_not_depend_on_the_other_layer() -> None:
    """Rajin against a layer of the region and against one reaching Aachen: one distance."""
    import geopandas as gpd
    from shapely.geometry import Point

    from bordermap.layer_refs import CompareLayer

    def layer(ref: str, names: list[str], points: list[tuple[float, float]]) -> CompareLayer:
        frame = gpd.GeoDataFrame({"name": names}, geometry=[Point(p) for p in points],
                                 crs="EPSG:4326")  # fmt: skip
        return CompareLayer(ref=ref, title=ref, frame=frame, names=names, articles=[],
                            sources="")  # fmt: skip

    a = layer("a", ["Rajin", "Dandong"], [(130.283, 42.256), (124.395, 40.129)])
    near = layer("near", ["Hyesan"], [(128.178, 41.402)])
    far = layer("far", ["Hyesan", "Aachen"], [(128.178, 41.402), (6.083, 50.776)])
    first, second = compare(a, near), compare(a, far)
    km = [c.features[c.features.side == "A"]["border_km"].tolist() for c in (first, second)]
    assert km[0] == km[1]
    assert second.max_relative_error > 0.05 and "at most 0.088% too long), whatever" in (
        second.method()
    )
