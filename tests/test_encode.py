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


# ------------------------------------------------- provenance tables of a page


def decode_sources(tables: dict[str, Any], refs: dict[str, Any]) -> tuple[list[dict], list[int]]:
    """What sources.js's provenance() does: a feature's entries and the listed positions."""
    strings = tables["strings"]

    def value(v: Any) -> Any:
        return None if v is None else strings[v] if isinstance(v, int) else v[0]

    akeys = [value(k) for k in tables["articleKeys"]]
    qkeys = [value(k) for k in tables["quoteKeys"]]
    entries = []
    for n, row in enumerate(refs["p"]):
        entry = {k: value(v) for k, v in zip(akeys, tables["articles"][row], strict=True)}
        entry = {k: v for k, v in entry.items() if v is not None}
        context = tables["contexts"][refs["c"][n] if isinstance(refs["c"], list) else refs["c"]]
        entry |= {value(k): value(v) for k, v in zip(context[::2], context[1::2], strict=True)}
        entries.append(entry)
    for quote in refs["q"]:
        for k, v in zip(qkeys, quote[1:], strict=True):
            if v is not None:
                entries[quote[0]][k] = value(v)
    return entries, [q[0] for q in refs["q"]]


def _entry(article: int, place: int, **extra: Any) -> dict[str, Any]:
    return {
        "article": f"a{article:03d}",
        "title": f"Title of article {article}",
        "outlet": ["Daily NK", "RFA", "NK News"][article % 3],
        "date": f"2023-0{article % 9 + 1}-01",
        "claim": "The layer's claim.",
        "sentence": f"In article {article} the town {place} 𝔸😀 is named.",
        "mark": [article % 5, article % 5 + 4],
        "mentions": 1 + (article + place) % 3,
        **extra,
    }


def test_page_sources_round_trip_any_keys() -> None:
    """Entries come back whole, keys added by other modules included, strings once a page."""
    from bordermap.render._sources import QUOTES_PER_PLACE, LayerSources, PageSources

    features = [
        [_entry(a, p, claim=f"Claim {p % 3}", grade="AB"[p % 2] + "2", period=["2021-01", f"2021-0{p % 9 + 1}"],
                **({"corrected": "yes"} if a == 3 and p % 2 else {}))
         for a in range(p, p + 2 + p % 7)]
        for p in range(12)
    ]  # fmt: skip
    sources = PageSources([LayerSources(features)])
    refs = sources.features(0)
    tables = sources.tables()
    # Article-level keys are found from the data; the claim and the counts are not.
    assert [tables["strings"][k] for k in tables["articleKeys"]] == [
        "article",
        "date",
        "outlet",
        "title",
    ]
    assert len(set(tables["strings"])) == len(tables["strings"])
    for entries, ref in zip(features, refs, strict=True):
        decoded, shown = decode_sources(tables, ref)
        assert shown == list(range(min(QUOTES_PER_PLACE, len(entries))))
        for i, (got, want) in enumerate(zip(decoded, entries, strict=True)):
            if i in shown:
                assert got == want
            else:
                assert got == {k: v for k, v in want.items() if k not in ("sentence", "mark")}


def test_page_sources_without_sentences_list_the_first_entries() -> None:
    from bordermap.render._sources import LayerSources, PageSources

    entries = [{"article": f"a{i}", "title": "T", "claim": "C"} for i in range(5)]
    sources = PageSources([LayerSources([entries])])
    ref = sources.features(0)[0]
    decoded, shown = decode_sources(sources.tables(), ref)
    assert decoded == entries and shown == [0, 1, 2]
    assert ref["c"] == 0  # one context for all: one number


def test_a_page_grows_with_its_places_not_with_its_mentions() -> None:
    """Twice the articles per place cost a few bytes per entry, and no more sentences."""
    import dataclasses

    from bordermap.render import MapLayer, render
    from support import unpacked
    from test_render import _fc, _feature, make_spec

    def page(per_place: int) -> str:
        features = [
            _feature({"type": "Point", "coordinates": [124 + p / 100, 40 + p / 200]},
                     name=f"Town {p}", provenance=[_entry(a, p) for a in range(per_place)])
            for p in range(200)
        ]  # fmt: skip
        layer = MapLayer("towns", "Towns", "#123456", _fc(features))
        return render(dataclasses.replace(make_spec(), layers=[layer]))

    # Read as the JSON the page holds (its provenance travels packed, which only
    # makes it smaller).
    small, big = unpacked(page(50)), unpacked(page(100))
    added_entries = 200 * 50
    assert (len(big.encode()) - len(small.encode())) / added_entries < 12
    # Each article's title is in the page once, whatever the number of places naming it.
    assert big.count("Title of article 77") == 1
    # Only the quoted sentences travel: article 2's is quoted (it is among the first
    # three of place 0), article 60's of place 0 is not.
    assert "In article 2 the town 0 " in big and "In article 60 the town 0 " not in big


# --------------------------------------------- marks: the name in its sentence


def test_mark_points_at_the_mention_in_its_sentence() -> None:
    """Code-point offsets of the mention's own occurrence (the second "Hyesan" here)."""
    from bordermap.articles import Article
    from bordermap.config import LayerConfig
    from bordermap.geoparse import Mention
    from bordermap.layers import mention_layer

    text = "Intro.\n\nFrom 𝔸 Hyesan,   the 😀 guards\nlooked toward Hyesan again. End."
    sentence = " ".join(text.split(".")[1].split()) + "."
    start = text.index("Hyesan", text.index("toward"))
    mention = Mention("a1", start, start + 6, "Hyesan", "Hyesan", "city", "KP", 41.4, 128.2,
                      "geonames:1", 0.9, sentence, "gazetteer", "town")  # fmt: skip
    first = text.index("Hyesan")
    other = Mention("a2", first, first + 6, "Hyesan", "Hyesan", "city", "KP", 41.4, 128.2,
                    "geonames:1", 0.9, sentence, "gazetteer", "town")  # fmt: skip
    articles = {"a1": Article("a1", text), "a2": Article("a2", text)}
    (feature,) = mention_layer(
        [mention, mention, other], LayerConfig(id="x", title="X", color="#123456"), articles
    )
    by_article = {p["article"]: p for p in feature.provenance}
    s, e = by_article["a1"]["mark"]
    assert sentence[s:e] == "Hyesan" and sentence[:s].endswith("toward ")
    assert by_article["a1"]["mentions"] == 2
    s, e = by_article["a2"]["mark"]
    assert sentence[s:e] == "Hyesan" and sentence[:s] == "From 𝔸 "
    assert by_article["a2"]["mentions"] == 1
