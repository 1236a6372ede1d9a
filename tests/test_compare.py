"""Tests for bordermap.compare, bordermap.render.compare_page and ``bordermap compare``.

Distances are checked against values computed here independently with
pyproj's Geod (brute force along densified border lines); the pages are
loaded in headless Chromium and driven with the mouse.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point

from bordermap.cli import cli
from bordermap.compare import (
    LocalMetric,
    UnknownLayerError,
    border_distances,
    compare,
    load_layer,
    nearest,
    parse_within,
    resolve,
    slug,
)
from bordermap.geometry import border_lines
from bordermap.project import Project
from bordermap.render.compare_page import page, write

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "bordermap.toml"
WGS84 = Geod(ellps="WGS84")

# GeoNames coordinates (as in the shipped gazetteer), lon/lat.
DANDONG = (124.39472, 40.12917)
SINUIJU = (124.39806, 40.10056)
HYESAN = (128.17778, 41.40167)
KNOWN_LAYERS = "arrests, border, cameras, checkpoints, context, upgrades"


# ------------------------------------------------------------------ helpers


def brute_km(lon: float, lat: float, line: LineString, step_m: float = 10.0) -> float:
    """Geodesic distance from a point to a line sampled every ``step_m`` or less.

    Segments are straight in lon/lat, as RFC 7946 defines them and the map draws them.
    """
    coords = np.asarray(line.coords)
    pts = [coords[:1]]
    for (x1, y1), (x2, y2) in zip(coords[:-1], coords[1:], strict=True):
        _, _, seg = WGS84.inv(x1, y1, x2, y2)
        t = np.linspace(0.0, 1.0, max(2, int(math.ceil(seg / step_m)) + 1))[1:]
        pts.append(np.column_stack([x1 + (x2 - x1) * t, y1 + (y2 - y1) * t]))
    arr = np.concatenate(pts)
    _, _, d = WGS84.inv(np.full(len(arr), lon), np.full(len(arr), lat), arr[:, 0], arr[:, 1])
    return float(np.min(d)) / 1000.0


def point_file(path: Path, points: list[tuple[str, tuple[float, float]]]) -> Path:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(xy)},
            "properties": {"name": name},
        }
        for name, xy in points
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.load(CONFIG)


@pytest.fixture(scope="module")
def upgrades_vs_checkpoints(project: Project) -> Any:
    return compare(load_layer("upgrades", project), load_layer("checkpoints", project))


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


def test_hyesan_to_border_matches_brute_force() -> None:
    lines = border_lines()
    frame = border_distances([Point(*HYESAN)])
    for stretch, line in lines.items():
        expected = brute_km(*HYESAN, line)
        assert frame.loc[0, f"{stretch}_km"] == pytest.approx(expected, abs=0.002)
    assert frame.loc[0, "border_stretch"] == "yalu"
    assert frame.loc[0, "border_km"] < 1.0  # Hyesan faces Changbai across the upper Yalu


# Points in and around the region; the reported distance is never shorter
# than the true one and at most (1 + ε) longer (plus the brute force's own
# error of a few metres at 10 m spacing).
@settings(max_examples=15, deadline=None)
@given(lon=st.floats(122.0, 131.5), lat=st.floats(37.5, 44.0))
@example(lon=HYESAN[0], lat=HYESAN[1])
@example(lon=DANDONG[0], lat=DANDONG[1])
@example(lon=129.0, lat=42.0)  # near the land stretch
def test_point_to_border_within_documented_bound(lon: float, lat: float) -> None:
    lines = border_lines()
    metric = LocalMetric((min(lon, 124.0), min(lat, 39.7), max(lon, 130.7), max(lat, 43.1)))
    got = border_distances([Point(lon, lat)], metric)
    for stretch, line in lines.items():
        expected = brute_km(lon, lat, line, step_m=25.0)
        value = float(got.loc[0, f"{stretch}_km"])
        assert value >= expected - 0.02
        assert value <= expected * (1 + metric.max_relative_error) + 0.02


def test_nearest_points_match_an_exhaustive_geodesic_search(project: Project) -> None:
    a = load_layer("upgrades", project)
    b = load_layer("context", project)
    idx, km = nearest(a.frame.geometry.values, b.frame.geometry.values)
    for i, pa in enumerate(a.frame.geometry):
        d = [WGS84.inv(pa.x, pa.y, pb.x, pb.y)[2] / 1000.0 for pb in b.frame.geometry]
        assert idx[i] == int(np.argmin(d))
        assert km[i] == pytest.approx(min(d), abs=1e-9)


def test_nearest_with_an_empty_layer() -> None:
    idx, km = nearest([Point(125, 40)], [])
    assert idx.tolist() == [-1] and math.isnan(km[0])


def test_line_to_point_distance() -> None:
    line = LineString([(124.0, 40.0), (125.0, 40.0)])
    idx, km = nearest([Point(124.5, 40.3)], [line])
    assert idx[0] == 0
    assert km[0] == pytest.approx(brute_km(124.5, 40.3, line), abs=0.002)


def test_error_bound_is_small_for_the_region() -> None:
    metric = LocalMetric((124.0, 37.0, 131.0, 43.5))
    assert 0 < metric.max_relative_error < 0.002


# ---------------------------------------------------------------- statistics


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


def test_slug() -> None:
    assert slug("upgrades") == "upgrades"
    assert slug("data/roads.gpkg:main roads") == "roads-main-roads"
    assert slug("../x.geojson") == "x"


# ------------------------------------------------------------ references


def test_resolve_errors(project: Project, tmp_path: Path) -> None:
    with pytest.raises(UnknownLayerError) as info:
        resolve("nope", project)
    assert str(info.value) == f"unknown layer 'nope' in bordermap.toml (known: {KNOWN_LAYERS})"
    with pytest.raises(UnknownLayerError, match="no such file"):
        resolve(str(tmp_path / "missing.geojson"), project)
    with pytest.raises(UnknownLayerError, match="name a layer"):
        resolve("bordermap.toml", project)


def test_other_project_and_geopackage(tmp_path: Path, project: Project) -> None:
    other = load_layer(f"{CONFIG}:cameras", project, {})
    assert len(other) > 5000 and other.names[0] == "#1"
    out = tmp_path / "build"
    project.build(out, tiles="none")
    gpkg = out / "bordermap.gpkg"
    first = load_layer(str(gpkg))
    assert first.title == "bordermap.gpkg" and len(first) == 3  # the border table comes first
    table = load_layer(f"{gpkg}:upgrades")
    assert sorted(table.names) == sorted(load_layer("upgrades", project).names)
    with pytest.raises(UnknownLayerError, match="unknown table 'roads' in bordermap.gpkg"):
        load_layer(f"{gpkg}:roads")


def test_reprojects_other_crs(tmp_path: Path) -> None:
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"name": ["Dandong"]}, geometry=[Point(*DANDONG)], crs="EPSG:4326"
    ).to_crs("EPSG:3857")
    path = tmp_path / "mercator.gpkg"
    frame.to_file(path, layer="places", driver="GPKG")
    layer = load_layer(str(path))
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.frame.geometry[0].x == pytest.approx(DANDONG[0], abs=1e-7)


# --------------------------------------------------------------------- CLI


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["compare", "--config", str(CONFIG), *args])


def test_cli_writes_page_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "cmp.html"
    result = run("upgrades", "checkpoints", "-o", str(out), "--tiles", "none")
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "cmp.csv").exists()
    assert "within 10 km of border" in result.stdout
    assert result.stderr == f"wrote {out} and {tmp_path / 'cmp.csv'}\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # staging cleaned up


def test_cli_unknown_layer() -> None:
    result = run("upgrades", "x")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for 'B': unknown layer 'x' in bordermap.toml "
        f"(known: {KNOWN_LAYERS})\n"
    )


def test_cli_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.geojson"
    result = run(str(missing), "upgrades")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for 'A': no such file: '{missing}'\n")


def test_cli_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.geojson"
    bad.write_bytes(b"\x00\x01 this is not json")
    result = run("upgrades", str(bad), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot read {bad}: ")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "x.html").exists()


def test_cli_bad_mode() -> None:
    result = run("upgrades", "checkpoints", "--mode", "diagonal")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--mode': 'diagonal' is not one of "
        "'side-by-side', 'swipe', 'overlay'.\n"
    )


def test_cli_bad_within() -> None:
    result = run("upgrades", "checkpoints", "--within", "10,far")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--within': expected comma-separated distances in km, "
        "got '10,far'\n"
    )


def test_cli_help_ends_with_example() -> None:
    result = CliRunner().invoke(cli, ["compare", "--help"])
    assert result.exit_code == 0
    lines = [line.strip() for line in result.output.splitlines()]
    at = lines.index("Example:")
    assert lines[at + 1].startswith("bordermap compare upgrades checkpoints")


# ------------------------------------------------------------------ the page


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


def test_cli_output_identical_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed / "c.html"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [sys.executable, "-m", "bordermap", "compare", "--config", str(CONFIG),
             "upgrades", "checkpoints", "--mode", "swipe", "-o", str(out)],
            check=True, env=env, capture_output=True, cwd=tmp_path,
        )  # fmt: skip
        outputs.append((out.read_bytes(), out.with_suffix(".csv").read_bytes()))
    assert outputs[0] == outputs[1]


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
