"""The one geometry wire format (bordermap.render._encode), shared by both pages."""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from bordermap.render._encode import (
    _DataBlocks,
    _delta,
    _encode_geometries,
    _encode_geometry,
    _encode_ring,
    _line_scale,
    _quantise,
)

LON = st.floats(min_value=-180, max_value=180, allow_nan=False)
LAT = st.floats(min_value=-85, max_value=85, allow_nan=False)
COORDS = st.lists(st.tuples(LON, LAT), min_size=1, max_size=50)


def undelta(flat: list[int]) -> list[tuple[int, int]]:
    """What bordermap.js's decodeLatLngs does, before dividing by the scale."""
    xs = list(accumulate(flat[0::2]))
    ys = list(accumulate(flat[1::2]))
    return list(zip(xs, ys, strict=True))


@given(COORDS, st.sampled_from([10**5, 10**6]))
@example([(124.33, 39.85), (124.33, 39.85)], 10**5)
def test_delta_round_trips_quantised_coordinates(coords: list[Any], scale: int) -> None:
    pts = _quantise(coords, scale)
    assert undelta(_delta(pts)) == pts
    for (lon, lat), (x, y) in zip(coords, pts, strict=True):
        assert abs(x / scale - lon) <= 0.5 / scale + 1e-9
        assert abs(y / scale - lat) <= 0.5 / scale + 1e-9


def test_line_scale_keeps_one_digit_less_when_nothing_is_lost() -> None:
    assert _line_scale([(124.33001, 39.85)]) == 10**5
    assert _line_scale([(124.330001, 39.85)]) == 10**6


def test_ring_drops_the_closing_vertex_and_repeats() -> None:
    ring = [(124.0, 40.0), (124.0, 40.0), (125.0, 40.0), (125.0, 41.0), (124.0, 40.0)]
    assert len(undelta(_encode_ring(ring))) == 3


def test_short_line_is_one_level_and_decodes_to_its_vertices() -> None:
    coords = [[124.33, 39.85], [124.5, 40.0], [125.0, 40.25]]
    encoded = _encode_geometry({"type": "LineString", "coordinates": coords}, _DataBlocks())
    assert encoded["type"] == "LineString" and encoded["scale"] == 10**5
    [level] = encoded["levels"]
    assert level["minZoom"] == 0
    decoded = [(x / 10**5, y / 10**5) for x, y in undelta(level["data"])]
    assert decoded == [tuple(c) for c in coords]


def test_points_stay_geojson() -> None:
    point = {"type": "Point", "coordinates": [124.39472, 40.12917]}
    assert _encode_geometry(point, _DataBlocks()) == point


def test_compare_page_uses_the_same_encoding() -> None:
    from bordermap.render.compare_page import _geometry

    line = LineString([(124.33, 39.85), (124.5, 40.0), (125.0, 40.25)])
    blocks = _DataBlocks()
    assert _geometry(line, blocks) == _encode_geometry(
        {"type": "LineString", "coordinates": [list(c) for c in line.coords]}, blocks
    )
    assert _geometry(Point(124.39472, 40.12917, 5.0), blocks) == {
        "type": "Point",
        "coordinates": [124.39472, 40.12917],
    }


@given(COORDS)
def test_a_layer_of_points_travels_delta_encoded_as_one(coords: list[Any]) -> None:
    rounded = [[round(lon, 6), round(lat, 6)] for lon, lat in coords]
    points = [{"type": "Point", "coordinates": c} for c in rounded]
    encoded = _encode_geometries(points, _DataBlocks())
    assert encoded["type"] == "Points" and encoded["scale"] in (10**5, 10**6)
    # What bordermap.geometries decodes: every point, in order, exactly.
    scale = encoded["scale"]
    assert [[x / scale, y / scale] for x, y in undelta(encoded["data"])] == rounded


def test_a_mixed_layer_travels_one_geometry_per_feature() -> None:
    point = {"type": "Point", "coordinates": [124.39472, 40.12917]}
    line = {"type": "LineString", "coordinates": [[124.33, 39.85], [124.5, 40.0]]}
    blocks = _DataBlocks()
    assert _encode_geometries([point, line], blocks) == [
        point,
        _encode_geometry(line, blocks),
    ]
    assert _encode_geometries([], blocks) == []


def test_compare_page_ships_a_point_layer_delta_encoded() -> None:
    from bordermap.render.compare_page import _geometries

    blocks = _DataBlocks()
    encoded = _geometries([Point(124.39472, 40.12917, 5.0), Point(124.4, 40.13)], blocks)
    assert encoded == {"type": "Points", "scale": 10**5, "data": [12439472, 4012917, 528, 83]}
