"""Which map draws what: map ids, the layers of a map, its spec and its sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from bordermap.articles import Article
from bordermap.config import load_config, parse_config
from bordermap.errors import LayerError
from bordermap.maps import map_ids, map_layers, slide_sources_line, source_line, sources, spec
from bordermap.pipeline import Parts, load
from bordermap.region import ATTRIBUTION

ROOT = Path(__file__).resolve().parents[1]

SMALL = """
[project]
title = "Small"
[[layers]]
id = "a"
title = "A"
[[layers]]
id = "border"
title = "Border"
source = "border"
[[annotations]]
id = "cams"
title = "Cameras"
line = "yalu"
spacing_m = 1000
[[maps]]
id = "just-cams"
title = "Just the cameras"
layers = ["cams"]
[[maps]]
id = "overview"
title = "Overview"
layers = ["a", "cams"]
"""


@pytest.fixture(scope="module")
def parts() -> Parts:
    return load(load_config(ROOT / "bordermap.toml"))


def test_map_ids_are_the_configured_maps_then_one_per_layer() -> None:
    cfg = parse_config(SMALL, Path("small.toml"))
    assert map_ids(cfg) == ["just-cams", "overview", "a", "border", "cams"]
    default = parse_config('[project]\ntitle = "T"\n[[layers]]\nid = "x"\ntitle = "X"\n', Path("t"))
    assert map_ids(default) == ["index", "x"]


def test_a_layer_map_draws_the_border_too() -> None:
    cfg = parse_config(SMALL, Path("small.toml"))
    assert map_layers(cfg, "a") == ("A · Small", ["border", "a"])
    assert map_layers(cfg, "border") == ("Border · Small", ["border"])
    assert map_layers(cfg, "just-cams") == ("Just the cameras", ["cams"])
    no_border = parse_config(
        '[project]\ntitle = "T"\n[[layers]]\nid = "x"\ntitle = "X"\n', Path("t")
    )
    assert map_layers(no_border, "x") == ("X · T", ["x"])
    with pytest.raises(LayerError) as caught:
        map_layers(cfg, "nope")
    assert (
        str(caught.value)
        == "small.toml: no map or layer 'nope' (known: just-cams, overview, a, border, cams)"
    )


def test_source_line() -> None:
    articles = {
        "000": Article("000", "…", {"title": "Cameras", "outlet": "NI", "date": "2020"}),
        "001": Article("001", "…", {"title": "Checkpoints", "outlet": "unknown outlet"}),
    }
    assert source_line(articles, ["001", "zzz", "000"]) == (
        "Sources: 001 Checkpoints; 000 Cameras (NI, 2020)"
    )
    assert source_line(articles, ["zzz"]) == source_line(articles, []) == ""


def test_sources_list_the_articles_for_the_panel() -> None:
    articles = {
        "000": Article("000", "…", {"title": "Cameras", "outlet": "NI", "date": "2020"}),
        "001": Article("001", "…", {"title": "Checkpoints", "outlet": "unknown outlet"}),
    }
    assert sources(articles, ["001", "zzz", "000"]) == [
        {"id": "001", "title": "Checkpoints"},
        {"id": "000", "title": "Cameras", "outlet": "NI", "date": "2020"},
    ]
    assert sources(articles, []) == []


def test_a_slide_lists_a_few_sources_and_sums_up_many() -> None:
    def article(i: int) -> Article:
        meta = {"title": f"T{i}", "outlet": f"Outlet {i % 3}", "date": f"{2019 + i % 4}-05-01"}
        return Article(f"a{i:02d}", "…", meta)

    articles = {a.id: a for a in map(article, range(12))}
    five = sorted(articles)[:5]
    assert slide_sources_line(articles, five) == source_line(articles, five)
    assert slide_sources_line(articles, sorted(articles)) == (
        "Sources: 12 articles from 3 outlets, 2019–2022"
    )
    undated = {k: Article(k, "…", {"title": k}) for k in "abcdefg"}
    assert slide_sources_line(undated, sorted(undated)) == "Sources: 7 articles"


def test_a_slide_s_years_are_those_of_the_dates_as_parsed() -> None:
    def corpus(*dates: str) -> dict[str, Article]:
        return {f"a{i}": Article(f"a{i}", "…", {"title": "T", "date": d})
                for i, d in enumerate(dates)}  # fmt: skip

    written = corpus("March 3, 2021", "2022-11", "mid-2022", "2024-08-30", "12 Jan 2024",
                     "Nov. 20, 2022")  # fmt: skip
    assert slide_sources_line(written, sorted(written)) == "Sources: 6 articles, 2021–2024"
    ranges = corpus(*["2016–2020"] * 5, "unknown")
    assert slide_sources_line(ranges, sorted(ranges)) == "Sources: 6 articles, 2016–2020"
    one = corpus("early May 2019", "May 3, 2019", "3 May 2019", "2019", "mid-2019", "")
    assert slide_sources_line(one, sorted(one)) == "Sources: 6 articles, 2019"


def test_spec_of_a_layer_map(parts: Parts) -> None:
    s = spec(parts, "upgrades")
    assert s.title == f"Base-station upgrades · {parts.config.title}"
    assert [x.id for x in s.layers] == ["border", "upgrades"] and s.annotations == []
    assert s.layers[1].geojson == parts.layers["upgrades"].geojson()
    assert s.layers[1].color == parts.layers["upgrades"].color
    assert s.subtitle == ""
    assert [x["id"] for x in s.sources] == ["003", "004"]
    assert s.sources_line == source_line(parts.articles, ["003", "004"])
    # The attribution credits the data, not the articles (they are in the panel).
    assert s.attribution == ATTRIBUTION
    assert s.tiles == "OpenStreetMap" and spec(parts, "upgrades", tiles="none").tiles is None
    # It opens on the six cities (with a margin), not on the whole region.
    xs, ys = zip(
        *(f["geometry"]["coordinates"] for f in s.layers[1].geojson["features"]), strict=True
    )
    w, south, e, n = s.bounds
    assert w < min(xs) and max(xs) < e and south < min(ys) and max(ys) < n
    assert (e - w) < (max(xs) - min(xs)) * 1.5 and (n - south) < (max(ys) - min(ys)) * 1.5


def test_spec_of_the_overview(parts: Parts) -> None:
    s = spec(parts, "index")
    assert [x.id for x in s.layers] == ["border", "checkpoints", "arrests", "upgrades", "context"]
    (cams,) = s.annotations
    ann = parts.annotations["cameras"]
    assert (cams.layer_id, cams.label, len(cams.points)) == ("cameras", ann.label, ann.count)
    cited = sorted({a for x in parts.layers.values() for a in x.articles} | {"000"})
    assert s.sources == sources(parts.articles, cited)
    assert s.sources_line == source_line(parts.articles, cited)


def test_a_map_of_annotations_alone_needs_no_geoparsing_without_its_coverage(
    tmp_path: Path,
) -> None:
    cfg = tmp_path / "small.toml"
    cfg.write_text(SMALL.replace('title = "Small"', 'title = "Small"\ncorpus = []'))
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "x.md").write_text("Hyesan.", encoding="utf-8")
    small = load(load_config(cfg))
    s = spec(small, "just-cams", coverage=False)
    assert s.layers == [] and [a.layer_id for a in s.annotations] == ["cams"]
    assert s.coverage is None and "mentions" not in vars(small)
    # Saying what the corpus does not cover needs the places it names.
    assert spec(small, "just-cams").coverage is not None and "mentions" in vars(small)


DMZ = """[project]
title = "DMZ"
corpus = ["articles"]
[focus]
bbox = [121.5, 39.0, 131.0, 44.0]
[[layers]]
id = "border"
title = "Border"
source = "border"
[[layers]]
id = "dmz"
title = "DMZ"
places = ["Panmunjom", "Kaesong"]
[[maps]]
id = "south"
title = "Seoul's view"
layers = ["dmz"]
bbox = [126.5, 37.4, 127.2, 37.9]
"""


def test_a_map_opens_on_its_features_when_they_lie_outside_the_focus(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text(
        "Talks at Panmunjom, north of Seoul, and in Kaesong.\n"
    )
    (tmp_path / "p.toml").write_text(DMZ)
    parts = load(load_config(tmp_path / "p.toml"))
    w, s, e, n = spec(
        parts, "dmz"
    ).bounds  # the focus (37–44°N) would miss Panmunjom's 37.96°N? no: fit
    lons = [f["geometry"]["coordinates"][0] for f in parts.layers["dmz"].geojson()["features"]]
    lats = [f["geometry"]["coordinates"][1] for f in parts.layers["dmz"].geojson()["features"]]
    assert lons and all(w < x < e for x in lons) and all(s < y < n for y in lats)
    assert spec(parts, "south").bounds == (126.5, 37.4, 127.2, 37.9)  # a map's own bbox wins


def test_a_map_that_draws_only_the_border_opens_on_the_focus(parts: Parts) -> None:
    assert spec(parts, "border").bounds == parts.config.focus
