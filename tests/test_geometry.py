"""Tests for the geodesic distance engine of bordermap.geometry.

Distances are checked against values computed here independently with
pyproj's Geod (brute force along densified border lines).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from bordermap.geometry import (
    LocalMetric,
    border_distances,
    border_lines,
    local_plane,
    nearest,
)
from bordermap.layer_refs import load_layer
from bordermap.project import Project
from support import (
    DANDONG,
    HYESAN,
    WGS84,
    brute_km,
)

# ------------------------------------------------------------- distances


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
    # the context's towns (its country and provinces are areas and its river a line
    # since issue 14)
    towns = b.frame.geometry[b.frame.geometry.geom_type == "Point"]
    assert len(towns) >= 2
    idx, km = nearest(a.frame.geometry.values, towns.values)
    for i, pa in enumerate(a.frame.geometry):
        d = [WGS84.inv(pa.x, pa.y, pb.x, pb.y)[2] / 1000.0 for pb in towns]
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


# ------------------------------------------------------------- along a line


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.sampled_from(["yalu", "tumen", "mdl"]))
@example(0.0, 1.0, "tumen")
def test_cut_and_locate_agree_along_a_shipped_line(a: float, b: float, lid: str) -> None:
    from bordermap.geometry import cut, length_km, locate
    from bordermap.lines import shipped

    line = shipped()[lid].parts[0]
    total = length_km(line) * 1000.0
    lo, hi = sorted((a * total, b * total))
    if hi - lo < 1.0:
        return
    part = cut(line, lo, hi)
    assert length_km(part) * 1000.0 == pytest.approx(hi - lo, abs=0.01)
    # Cut points lie on the geodesic between two vertices, the line's segments are
    # straight in lon/lat: they part by under 0.1 m on the rivers and by up to
    # 1.17 m on the MDL's longest segment (measured over 3,000 random cuts a line).
    for end, expected in ((part.coords[0], lo), (part.coords[-1], hi)):
        along, away = locate(line, *end)
        assert away < 1.5
        assert along == pytest.approx(expected, abs=1.0)


def test_the_local_plane_is_the_local_metric_projection() -> None:
    yalu = np.asarray(border_lines()["yalu"].coords)
    metric = LocalMetric((124.0, 39.6, 130.8, 43.1))
    x, y = metric._fwd.transform(yalu[:, 0], yalu[:, 1])
    xy = local_plane(*metric.center)(yalu[:, 0], yalu[:, 1])
    assert np.abs(xy - np.column_stack([x, y])).max() < 1e-3  # a millimetre
    assert np.hypot(*local_plane(126.0, 41.0)(np.array([126.0]), np.array([41.0]))[0]) < 1e-6
