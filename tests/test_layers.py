"""Layers: the rules of one layer, the context rule, and the Layer/Annotation nouns."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermap.articles import Article
from bordermap.config import parse_config
from bordermap.geoparse import Mention
from bordermap.layers import (
    Annotation,
    Layer,
    feature_collection,
    in_focus,
    make_annotations,
    make_layers,
    select,
)

ARTICLES = {
    "a1": Article("a1", "…", {"title": "First", "outlet": "Daily NK", "date": "2024-05-01"}),
    "a2": Article("a2", "…", {"title": "Second", "outlet": "RFA", "date": "2024-06-01"}),
}


def mention(article: str, name: str, lon: float | None, lat: float | None, **kw: str) -> Mention:
    ref = kw.get("ref", f"test:{name.lower()}")
    return Mention(
        article=article, start=0, end=len(name), text=name, name=name,
        kind=kw.get("kind", "city"), country=kw.get("country", "CN"), lat=lat, lon=lon,
        ref=None if lat is None else ref, score=0.9, sentence=kw.get("sentence", f"In {name}."),
        match="curated" if lat is not None else "unresolved",
    )  # fmt: skip


MENTIONS = [
    mention("a1", "Dandong", 124.39, 40.13, sentence="Smugglers were arrested in Dandong."),
    mention("a2", "Dandong", 124.39, 40.13),
    mention("a1", "Sinuiju", 124.40, 40.10, country="KP"),
    mention("a2", "Beijing", 116.40, 39.90),
    mention("a2", "Yalu", 124.5, 40.5, kind="river", country=""),
    mention("a1", "Nowhere", None, None),
]

PROJECT = """
[project]
title = "T"
[focus]
bbox = [121.5, 37.0, 131.0, 44.0]
[[layers]]
id = "border"
title = "Border"
source = "border"
[[layers]]
id = "cn"
title = "Chinese cities"
color = "#d62728"
countries = ["CN"]
kinds = ["city"]
claim = "Named."
[layers.notes]
Dandong = "The latest."
[[layers]]
id = "rest"
title = "Other places"
rest = true
within_focus = true
[[layers]]
id = "rest-anywhere"
title = "Other places, anywhere"
rest = true
[[annotations]]
id = "cams"
title = "Cameras"
color = "#9467bd"
line = "land"
spacing_m = 1000
articles = ["a2", "a1", "a2"]
"""


@pytest.fixture(scope="module")
def config():
    return parse_config(PROJECT, Path("test.toml"))


@pytest.fixture(scope="module")
def layers(config) -> dict[str, Layer]:
    return make_layers(config, MENTIONS, ARTICLES)


def names(layer: Layer) -> list[str]:
    return [f.name for f in layer.features]


def test_rules_hold_together(config) -> None:
    cn = config.layers[1]
    assert [m.name for m in select(MENTIONS, cn)] == ["Dandong", "Dandong", "Beijing"]
    arrests = parse_config(
        '[project]\ntitle = "T"\n[[layers]]\nid = "x"\ntitle = "X"\n'
        'places = ["dandong"]\nkeywords = ["ARREST"]\narticles = ["a1"]\n',
        Path("t.toml"),
    ).layers[0]
    assert [(m.article, m.name) for m in select(MENTIONS, arrests)] == [("a1", "Dandong")]


def test_layers_in_file_order_one_point_per_place(layers: dict[str, Layer]) -> None:
    assert list(layers) == ["border", "cn", "rest", "rest-anywhere"]
    assert names(layers["cn"]) == ["Beijing", "Dandong"]
    dandong = layers["cn"].features[1]
    assert [p["article"] for p in dandong.provenance] == ["a1", "a2"]
    assert dandong.note == "The latest."
    assert dandong.provenance[0]["claim"] == "Named. The latest."


def test_context_layer_leaves_out_places_other_layers_show(layers: dict[str, Layer]) -> None:
    # Not Dandong or Beijing (in "cn"), not the unresolved name; Beijing is outside the focus.
    assert names(layers["rest"]) == ["Sinuiju", "Yalu"]
    assert names(layers["rest-anywhere"]) == ["Sinuiju", "Yalu"]


def test_within_focus_keeps_the_places_inside_the_focus_in_any_layer(config) -> None:
    text = PROJECT.replace('kinds = ["city"]', 'kinds = ["city"]\nwithin_focus = true')
    layers = make_layers(parse_config(text, Path("t.toml")), MENTIONS, ARTICLES)
    assert names(layers["cn"]) == ["Dandong"]  # Beijing lies outside [focus] bbox
    assert names(make_layers(config, MENTIONS, ARTICLES)["cn"]) == ["Beijing", "Dandong"]
    # The context layer anywhere shows what no other layer shows: Beijing now.
    assert "Beijing" in names(layers["rest-anywhere"])
    context = make_layers(
        parse_config(PROJECT.replace('countries = ["CN"]', 'countries = ["MN"]'), Path("t.toml")),
        MENTIONS,
        ARTICLES,
    )
    assert names(context["rest"]) == ["Dandong", "Sinuiju", "Yalu"]
    assert names(context["rest-anywhere"]) == ["Beijing", "Dandong", "Sinuiju", "Yalu"]


def test_in_focus_includes_the_edges() -> None:
    box = (124.0, 40.0, 125.0, 41.0)
    assert in_focus(mention("a", "Edge", 124.0, 41.0), box)
    assert not in_focus(mention("a", "Out", 123.99, 40.5), box)


def test_layer_noun(layers: dict[str, Layer]) -> None:
    cn = layers["cn"]
    assert (cn.id, cn.title, cn.color) == ("cn", "Chinese cities", "#d62728")
    assert cn.articles == ["a1", "a2"]
    assert layers["border"].articles == []
    assert layers["rest"].articles == ["a1", "a2"]
    fc = cn.geojson()
    assert fc == feature_collection("cn", cn.features)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    props = fc["features"][1]["properties"]
    assert (props["layer"], props["name"], props["articles"]) == ("cn", "Dandong", "a1,a2")
    assert cn.geojson() is not fc


def test_layer_frame(layers: dict[str, Layer]) -> None:
    frame = layers["cn"].frame()
    assert frame.crs.to_epsg() == 4326
    assert list(frame["name"]) == ["Beijing", "Dandong"]
    assert frame.geometry.iloc[1].x == pytest.approx(124.39)
    assert layers["cn"].frame() is not frame
    border = layers["border"].frame()
    assert list(border["id"]) == ["border:yalu", "border:land", "border:tumen"]
    assert set(border.geom_type) == {"LineString"}


def test_empty_layer_has_an_empty_frame(config) -> None:
    layers = make_layers(config, [], ARTICLES)
    assert layers["cn"].features == [] and layers["cn"].articles == []
    assert layers["cn"].geojson() == {"type": "FeatureCollection", "features": []}
    frame = layers["cn"].frame()
    assert len(frame) == 0 and frame.crs.to_epsg() == 4326


def test_annotation_noun(config) -> None:
    anns = make_annotations(config, ARTICLES)
    cams = anns["cams"]
    assert isinstance(cams, Annotation)
    assert (cams.id, cams.title, cams.color) == ("cams", "Cameras", "#9467bd")
    assert cams.articles == ["a1", "a2"]
    assert [p["title"] for p in cams.provenance] == ["Second", "First", "Second"]
    fc = cams.geojson()
    assert len(fc["features"]) == cams.count
    first = fc["features"][0]["properties"]
    assert first == {"number": 1, "distance_m": 0.0}
    assert fc["features"][1]["properties"]["distance_m"] == 1000.0
    frame = cams.frame()
    assert len(frame) == cams.count and frame.crs.to_epsg() == 4326
    assert list(frame.columns) == ["geometry", "number", "distance_m"]


def test_demonyms_stay_out_unless_a_layer_asks_for_them() -> None:
    from bordermap.config import LayerConfig
    from bordermap.geoparse import Mention
    from bordermap.layers import select

    fields = {f: None for f in Mention.__dataclass_fields__}
    korean = Mention(**{**fields, "article": "a", "start": 0, "end": 6, "text": "Korean", "name": "North Korea",
                        "kind": "demonym", "country": "KP", "lat": 40.0, "lon": 127.0, "ref": "world:kp",
                        "score": 0.9, "match": "curated", "precision": "country", "sentence": "Korean traders."})  # fmt: skip
    assert select([korean], LayerConfig("all", "All", "#000000")) == []
    assert select([korean], LayerConfig("people", "People", "#000000", kinds=("demonym",))) == [
        korean
    ]


def test_an_annotation_of_fence_posts_on_the_tumen_counted_from_its_mouth(tmp_path: Path) -> None:
    from bordermap.config import parse_config
    from bordermap.export import kml_bytes
    from bordermap.layers import make_annotations
    from bordermap.maps import spec
    from bordermap.pipeline import load

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("Fence posts along the Tumen.\n")
    text = ('[project]\ntitle = "Fences"\ncorpus = ["articles"]\n[[annotations]]\nid = "posts"\n'
            'title = "Fence posts"\nline = "tumen"\nspacing_m = 5000\nnoun = "fence post"\n')  # fmt: skip
    config = parse_config(text, tmp_path / "p.toml")
    ann = make_annotations(config, {})["posts"]
    assert ann.label.startswith("≈ 104 fence posts claimed at 5000 m spacing over 515.")
    assert "camera" not in ann.label.lower()
    assert ann.measured_from == "the river mouth"
    assert float(ann.points.lon[0]) > 130.5  # number 1 stands at the mouth, by the sea
    kml = kml_bytes("Fences", [], [ann]).decode()
    # The China stretch ends at the tripoint; the river reaches the sea 20.8 km on.
    # One placemark of 104 points, numbered from the mouth; the distances are in the tables.
    assert "<name>Fence posts (1–104)</name><description>104 fence posts, numbered from 1 " in kml
    assert ", 20.8 to " in kml and kml.count("<Point>") == 104 == kml.count("<Placemark>") * 104
    assert "Camera" not in kml
    drawn = spec(load(config), "posts").annotations[0]
    assert (drawn.noun, drawn.measured_from) == ("Fence post", "the river mouth")
    source = parse_config(text + 'count_from = "source"\n', tmp_path / "p.toml")
    from_source = make_annotations(source, {})["posts"]
    assert (
        float(from_source.points.lon[0]) < 128.5 and from_source.measured_from == "the river source"
    )


def test_count_from_is_for_rivers_only(tmp_path: Path) -> None:
    import pytest

    from bordermap.config import parse_config
    from bordermap.errors import ConfigError

    text = ('[project]\ntitle = "T"\n[[annotations]]\nid = "a"\ntitle = "A"\nline = "land"\n'
            'spacing_m = 100\ncount_from = "source"\n')  # fmt: skip
    with pytest.raises(ConfigError) as err:
        parse_config(text, tmp_path / "p.toml")
    assert str(err.value) == (
        f'{tmp_path / "p.toml"}: annotations[0].count_from: expected "start" or "end" '
        "('land' is not a river), got 'source'"
    )


def _plain_mark(m: Mention, article: Article | None) -> list[int] | None:
    """The mark by its definition: every start of the name tried, one by one."""
    needle = " ".join(m.text.split())
    hits = [i for i in range(len(m.sentence)) if m.sentence.startswith(needle, i)] if needle else []
    if not hits:
        return None
    if len(hits) > 1 and article is not None:
        before = " ".join(article.text[max(0, m.start - len(m.sentence) - 1) : m.start].split())
        hits = [i for i in hits[::-1] if before.endswith(m.sentence[:i].rstrip())] or hits
    return [hits[0], hits[0] + len(needle)]


@given(st.text("ab \n", max_size=14), st.text("ab \n", max_size=4), st.integers(0, 14))
def test_the_mark_is_where_its_definition_puts_it(text: str, name: str, at: int) -> None:
    from bordermap.layers import _mark

    at = min(at, max(0, len(text) - len(name)))
    text = text[:at] + name + text[at + len(name) :]  # the name stands in the article at `at`
    sentence = " ".join(text.split())
    m = Mention(
        "a", at, at + len(name), name, name, "city", "CN", 1.0, 1.0, "r", 0.9, sentence, "x"
    )
    article = Article("a", text)
    assert _mark(m, article) == _plain_mark(m, article)
    assert _mark(m, None) == _plain_mark(m, None)


NARROWED = """
[project]
title = "Fences"
corpus = ["articles"]
[[annotations]]
id = "posts"
title = "Fence posts"
line = "tumen"
spacing_m = 5000
noun = "fence post"
[[claims]]
id = "posts-whole"
text = "Fence posts stand every 5 km along the Tumen."
layer = "posts"
[[claims]]
id = "posts-north-only"
text = "The posts stand only near Hoeryong."
layer = "posts"
narrows = ["posts-whole"]
"""


def test_a_narrowed_annotation_gives_its_count_as_a_range_wherever_it_is_stated(
    tmp_path: Path,
) -> None:
    """A claim narrowing the annotation's scope makes its label's count a range from none
    naming that claim, as claims.csv's count is; the manifest, the KML, the GeoPackage
    and the page's label and legend (the spec) say the label."""
    import csv
    import io
    import json
    import sqlite3

    from bordermap.build import build
    from bordermap.maps import spec
    from bordermap.pipeline import load

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("Fence posts along the Tumen.\n")
    parts = load(parse_config(NARROWED, tmp_path / "p.toml"))
    ann = parts.covered_annotations["posts"]
    label = ("0 – 104 fence posts: 5000 m spacing claimed over 515.9 km of the Tumen, "
             "scope narrowed by posts-north-only")  # fmt: skip
    assert ann.label == parts.annotations["posts"].label == label
    assert ann.disputed_by == ("posts-north-only",)
    drawn = spec(parts, "posts")
    assert drawn.annotations[0].label == label
    out = tmp_path / "out"
    build(parts, out, tiles="none")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["annotations"]["posts"]["label"] == label
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "claims.csv").read_text()))}
    count = rows["posts-whole"]["count"]
    assert count.startswith("0 – 104 fence posts: ") and "narrowed by posts-north-only" in count
    assert f"<description>{label}. " in (out / "bordermap.kml").read_text("utf-8")
    with sqlite3.connect(out / "bordermap.gpkg") as db:
        query = "SELECT description FROM gpkg_contents WHERE table_name = 'posts'"
        (about,) = db.execute(query).fetchone()
    assert about.startswith(f"{label}. ")
    assert "≈ 104 fence posts claimed" not in json.dumps(manifest, ensure_ascii=False)


def test_an_undisputed_annotation_keeps_its_count(config) -> None:
    """No claim disputes or narrows it: "≈ N ... claimed at"; a rival in either property
    (each claim once, sorted) makes it a range."""
    from dataclasses import replace

    cams = make_annotations(config, ARTICLES)["cams"]
    assert cams.disputed_by == () and cams.label.startswith(f"≈ {cams.count:,} cameras claimed at")
    rivals = replace(cams, claim_props={"contests": "b,a", "narrowed_by": "a", "narrows": "z"})
    assert rivals.disputed_by == ("a", "b")
    assert rivals.label.startswith(f"0 – {cams.count:,} cameras: 1000 m spacing claimed over ")
    assert rivals.label.endswith(", scope disputed by a, b")
    narrowed = replace(cams, claim_props={"narrowed_by": "c"})
    assert narrowed.label.endswith(", scope narrowed by c")
    both = replace(cams, claim_props={"contests": "b", "narrowed_by": "c"})
    assert both.label.endswith(", scope disputed by b; narrowed by c")
