"""What the corpus does not cover (issue 14): the interval logic, the lines, the dates,
the count on what is covered, and the project key."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from bordermap.articles import Article
from bordermap.build import build
from bordermap.config import CoverageConfig, load_config, parse_config
from bordermap.coverage import gaps, line_coverage, merge, reach, recount, time_coverage
from bordermap.errors import ConfigError
from bordermap.geometry import GEOD
from bordermap.lines import Line, shipped
from bordermap.pipeline import load
from support import coverage_project

# ---------------------------------------------------------------- intervals


def total(rows: np.ndarray) -> float:
    return float(np.sum(rows[:, 1] - rows[:, 0])) if len(rows) else 0.0


def along(xy: np.ndarray) -> np.ndarray:
    """Planar distance of each vertex from the first (the plane is the metric here)."""
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])


def test_merge_joins_overlapping_and_touching_rows_and_drops_empty_ones() -> None:
    rows = np.array([[5.0, 7.0], [0.0, 2.0], [1.0, 3.0], [3.0, 4.0], [9.0, 9.0], [6.0, 6.5]])
    assert merge(rows).tolist() == [[0.0, 4.0], [5.0, 7.0]]
    assert merge(np.empty((0, 2))).shape == (0, 2)


def test_gaps_are_the_rest_of_the_line() -> None:
    covered = np.array([[0.0, 4.0], [5.0, 7.0]])
    assert gaps(covered, 10.0).tolist() == [[4.0, 5.0], [7.0, 10.0]]
    assert gaps(np.empty((0, 2)), 10.0).tolist() == [[0.0, 10.0]]
    assert gaps(np.array([[0.0, 10.0]]), 10.0).tolist() == []


LINE = np.array([[0.0, 0.0], [100_000.0, 0.0]])


def covered_by(*places: tuple[float, float], distance: float = 10_000.0) -> tuple[list, int]:
    rows, n = reach(LINE, along(LINE), np.array(places, dtype=float), distance)
    return rows.tolist(), n


def test_a_place_covers_the_stretch_within_the_distance() -> None:
    rows, n = covered_by((50_000.0, 6_000.0))  # 6 km off: 8 km either side
    assert n == 1 and rows == [pytest.approx([42_000.0, 58_000.0])]


def test_a_place_exactly_at_the_distance_touches_the_line_and_covers_no_length() -> None:
    assert covered_by((50_000.0, 10_000.0)) == ([], 1)
    rows, n = covered_by((50_000.0, 9_999.0))  # 1 m nearer: 2·√(10,000² − 9,999²) ≈ 283 m
    assert n == 1 and rows[0][1] - rows[0][0] == pytest.approx(2 * math.sqrt(19_999.0))
    assert covered_by((50_000.0, 10_001.0)) == ([], 0)


def test_places_past_the_ends_cover_only_the_line_itself() -> None:
    rows, n = covered_by((-6_000.0, 0.0))
    assert n == 1 and rows == [[0.0, pytest.approx(4_000.0)]]
    rows, _ = covered_by((104_000.0, 3_000.0))
    start = 100_000.0 - (math.sqrt(10_000.0**2 - 3_000.0**2) - 4_000.0)
    assert len(rows) == 1 and rows[0] == pytest.approx([start, 100_000.0])
    assert covered_by((-10_000.0, 0.0)) == ([], 1)  # exactly at the distance from the end
    assert covered_by((-10_001.0, 0.0), (110_001.0, 0.0)) == ([], 0)


def test_a_bend_covers_both_arms_near_a_place() -> None:
    # A hairpin: a place between the arms covers a stretch of each, as one river does.
    xy = np.array([[0.0, 0.0], [50_000.0, 0.0], [50_000.0, 4_000.0], [0.0, 4_000.0]])
    rows, n = reach(xy, along(xy), np.array([[25_000.0, 2_000.0]]), 10_000.0)
    half = math.sqrt(10_000.0**2 - 2_000.0**2)
    assert n == 1
    assert rows[0] == pytest.approx([25_000.0 - half, 25_000.0 + half])
    assert rows[1] == pytest.approx([79_000.0 - half, 79_000.0 + half])


# Metres to the decimetre within 60 km (a projected line and its places; GEOS, which
# finds the candidate segments, does not take subnormal numbers).
coords = st.integers(-600_000, 600_000).map(lambda v: v / 10)
points = st.tuples(coords, coords)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(points, min_size=2, max_size=10),
    st.lists(points, max_size=8),
    st.floats(500, 30_000),
)
@example([(0.0, 0.0), (0.0, 0.0), (1_000.0, 0.0)], [(500.0, 0.0)], 500.0)  # a repeated vertex
def test_covered_and_uncovered_make_the_line_and_agree_with_sampling(
    line: list[tuple[float, float]], places: list[tuple[float, float]], distance: float
) -> None:
    xy = np.array(line)
    at = along(xy)
    length = float(at[-1])
    covered, n = reach(xy, at, np.array(places).reshape(-1, 2), distance)
    uncovered = gaps(covered, length)
    assert total(covered) + total(uncovered) == pytest.approx(length, abs=1e-6)
    for rows in (covered, uncovered):  # sorted, disjoint, on the line
        assert np.all(rows[:, 0] < rows[:, 1])
        assert np.all(rows[1:, 0] > rows[:-1, 1]) if rows is covered else True
        assert np.all(rows >= 0) and np.all(rows <= length + 1e-9)
    if length == 0:
        return
    shape = LineString(xy)
    # The places within reach, by shapely's own distance (a margin for the boundary).
    far = [shape.distance(Point(p)) for p in places]
    assert sum(d < distance - 1e-6 for d in far) <= n <= sum(d <= distance + 1e-6 for d in far)
    # Each sampled point of the line is covered exactly when a place is near it.
    for s in np.linspace(0.0, length, 301):
        here = shape.interpolate(s)
        nearest = min((here.distance(Point(p)) for p in places), default=math.inf)
        inside = bool(np.any((covered[:, 0] <= s + 1e-6) & (s - 1e-6 <= covered[:, 1])))
        if nearest < distance - 1e-3:
            assert inside, s
        elif nearest > distance + 1e-3:
            assert not inside, s


# ---------------------------------------------------------------- real lines


def brute_covered(line: LineString, places: np.ndarray, distance_km: float, step_m: float):
    """(positions m, covered?) every ``step_m`` along ``line``, by geodesic distances."""
    coords = np.asarray(line.coords)
    _, _, seg = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    at = np.concatenate([[0.0], np.cumsum(seg)])
    pos = np.arange(0.0, at[-1], step_m)
    i = np.clip(np.searchsorted(at, pos, side="right") - 1, 0, len(seg) - 1)
    t = (pos - at[i]) / seg[i]
    lon = coords[i, 0] + t * (coords[i + 1, 0] - coords[i, 0])
    lat = coords[i, 1] + t * (coords[i + 1, 1] - coords[i, 1])
    near = np.full(pos.shape, np.inf)
    for plon, plat in places:
        _, _, d = GEOD.inv(np.full(pos.shape, plon), np.full(pos.shape, plat), lon, lat)
        near = np.minimum(near, d)
    return pos, near / 1000.0


def test_the_yalu_is_covered_where_sampled_distances_say_so() -> None:
    yalu = shipped()["yalu"]
    # Three places: on the river, 6 km off it, and one 40 km away (covers nothing).
    places = np.array([[124.39806, 40.10056], [126.29, 41.15], [125.8, 40.3]])
    (cov,) = line_coverage(yalu, places, 10.0)
    pos, near = brute_covered(yalu.oriented("mouth"), places, 10.0, 200.0)
    covered = cov.covered
    inside = np.array([np.any((covered[:, 0] <= p) & (p <= covered[:, 1])) for p in pos])
    clear = np.abs(near - 10.0) > 0.05  # 50 m either side of the boundary is left to rounding
    assert np.array_equal(inside[clear], (near <= 10.0)[clear])
    assert cov.places == 2 and 0 < total(covered) < 100_000
    assert total(covered) + total(cov.uncovered) == pytest.approx(cov.length_m)
    assert cov.length_m / 1000 == pytest.approx(yalu.length_km)


def test_the_tumen_counts_from_the_sea() -> None:
    tumen = shipped()["tumen"]
    (cov,) = line_coverage(tumen, np.empty((0, 2)), 10.0)
    assert cov.uncovered_km == [(20.8, 536.7)] and cov.measured_from == "the river mouth"
    assert cov.sentence() == "Tumen: none of its 516 km has a place named within 10 km."


def test_a_line_of_separate_parts_is_covered_part_by_part() -> None:
    a = LineString([(129.0, 42.0), (129.1, 42.0)])
    b = LineString([(129.5, 42.0), (129.6, 42.0)])
    fence = Line("fence", "Fence", "Fence", "line", (a, b), "fence.geojson", "own")
    out = line_coverage(fence, np.array([[129.05, 42.0]]), 2.0)
    assert [(c.id, c.name) for c in out] == [
        ("fence:1", "Fence, part 1"),
        ("fence:2", "Fence, part 2"),
    ]
    assert out[0].covered_km == [(2.1, 6.1)] and out[1].covered_km == []


# ---------------------------------------------------------------- time


def corpus(*dates: str) -> dict[str, Article]:
    return {
        f"a{i}": Article(f"a{i}", "Text.", {"date": d} if d else {}) for i, d in enumerate(dates)
    }


def test_the_dates_span_with_their_precision_gaps_and_undated_articles() -> None:
    t = time_coverage(corpus("2016-03-05", "2017", "", "2021-06", "early October 2021", ""))
    assert (t.first.text, t.last.text) == ("2016-03-05", "early October 2021")
    assert t.gap_years == ((2018, 2020),) and t.undated == ("a2", "a5")
    assert t.sentence() == (
        "Articles from 2016-03-05 to 2021-10-01/2021-10-10 (1 dated to the day, 1 to the "
        "month, 1 to part of a month or year, 1 to the year); none from 2018–2020; "
        "2 of 6 articles undated (a2, a5)."
    )


def test_both_ends_of_the_span_are_iso_and_the_precision_is_every_article_s() -> None:
    t = time_coverage(corpus("March 3, 2021", "2022-11", "mid-2022", "2024-08-30"))
    assert t.precisions == (("day", 2), ("month", 1), ("part", 1))
    assert t.sentence() == (
        "Articles from 2021-03-03 to 2024-08-30 (2 dated to the day, 1 to the month, 1 to "
        "part of a month or year); none from 2023; every article is dated."
    )
    assert time_coverage(corpus("12 Jan 2024", "Nov. 20, 2022")).sentence() == (
        "Articles from 2022-11-20 to 2024-01-12 (dated to the day); none from 2023; "
        "every article is dated."
    )
    assert time_coverage(corpus("June 2021", "2021-06")).sentence() == (
        "Articles from 2021-06 only (dated to the month); every article is dated."
    )


@pytest.mark.parametrize(
    ("date", "shown"),
    [("March 3, 2021", "2021-03-03"), ("Oct 2021", "2021-10"), ("2021", "2021"),
     ("mid-2022", "2022-05/2022-08"), ("early October 2021", "2021-10-01/2021-10-10"),
     ("2016–2020", "2016/2020"), ("2021-10/2022-03", "2021-10/2022-03"),
     ("2021-10-05 to 2021-10-07", "2021-10-05/2021-10-07")],
)  # fmt: skip
def test_an_end_of_the_span_is_shown_at_its_own_precision(date: str, shown: str) -> None:
    assert time_coverage(corpus(date)).sentence().startswith(f"Articles from {shown} only (")


def test_an_imprecise_date_counts_as_its_whole_span() -> None:
    t = time_coverage(corpus("2016", "2016–2020", "2022"))
    assert t.gap_years == ((2021, 2021),)
    assert t.sentence().endswith("none from 2021; every article is dated.")


def test_no_dated_article() -> None:
    assert time_coverage(corpus("", "unknown")).sentence() == (
        "No article is dated (2 of 2 articles undated (a0, a1))."
    )


# ---------------------------------------------------------------- the project key

BASE = '[project]\ntitle = "T"\n'


def config(text: str):
    return parse_config(BASE + text, Path("/tmp/p.toml"))


def test_coverage_keys_default_to_the_border_and_annotated_lines() -> None:
    cfg = config(
        '[[annotations]]\nid = "mdl-posts"\ntitle = "Posts"\nline = "mdl"\nspacing_m = 50\n'
    )
    assert cfg.coverage.distance_km == 10.0
    assert cfg.coverage.lines == ("yalu", "land", "tumen", "mdl")
    cfg = config('[coverage]\ndistance_km = 2.5\nlines = ["tumen", "tumen-ru"]\n')
    assert (cfg.coverage.distance_km, cfg.coverage.lines) == (2.5, ("tumen", "tumen-ru"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[coverage]\ndistance_km = 0\n", "coverage.distance_km: expected a positive number, got 0"),
        ("[coverage]\ndistance_km = 500\n",
         "coverage.distance_km: expected a number from 0.1 to 100 km, got 500"),
        ('[coverage]\ndistance_km = "10"\n', "coverage.distance_km: expected a positive number"),
        ('[coverage]\nlines = ["yalu", "rhine"]\n', "coverage.lines[1]: unknown line 'rhine'"),
        ("[coverage]\nradius_km = 5\n", "coverage.radius_km: unknown key"),
        ('[[layers]]\nid = "uncovered"\ntitle = "U"\n',
         "layer id 'uncovered' is the name of the coverage export (layers/uncovered.geojson)"),
    ],
)  # fmt: skip
def test_bad_coverage_keys_are_one_line_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config(text)
    assert message in str(caught.value) and "\n" not in str(caught.value)


# ---------------------------------------------------------------- the count


def test_the_count_is_given_on_the_covered_km_and_for_the_whole_line() -> None:
    from bordermap.coverage import Coverage
    from bordermap.layers import annotation

    cfg = config(
        '[[annotations]]\nid = "cams"\ntitle = "Cams"\nline = "yalu"\nspacing_m = 1000\n'
        '[[annotations]]\nid = "up"\ntitle = "Up"\nline = "yalu"\nspacing_m = 1000\n'
        'count_from = "source"\n'
    )
    yalu = shipped()["yalu"]
    (cov,) = line_coverage(yalu, np.array([[124.39806, 40.10056]]), 10.0)
    anns = {a.id: annotation(a, {}) for a in cfg.annotations}
    counted = recount(anns, Coverage(10.0, (cov,), time_coverage({})), cfg, {})
    km = total(cov.covered) / 1000
    n = counted["cams"].claim_props["count"]
    on = int(np.sum([np.any((cov.covered[:, 0] <= d) & (d <= cov.covered[:, 1]))
                     for d in anns["cams"].points.distance_m]))  # fmt: skip
    assert n == (f"≈ {on:,} cameras on the {km:,.0f} km the corpus names places along; "
                 f"≈ {anns['cams'].count:,} cameras if the whole Yalu is covered")  # fmt: skip
    assert abs(on - km) <= 2  # a camera a km
    # Counted from the source, the same stretches give the same count.
    assert counted["up"].claim_props["count"].split(";")[0] == n.split(";")[0]


# ---------------------------------------------------------------- a project, built

OGRINFO = shutil.which("ogrinfo")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict[str, float]]:
    root = tmp_path_factory.mktemp("coverage-project")
    project, km = coverage_project(root)
    manifest = build(load(load_config(project)), root / "output", tiles="none")
    return root / "output", manifest, km


def test_the_stretch_between_the_places_is_uncovered(built) -> None:
    _, manifest, km = built
    cov = manifest["coverage"]
    assert cov["distance_km"] == 10.0 and list(cov["lines"]) == ["yalu", "land", "tumen", "fence"]
    yalu = cov["lines"]["yalu"]
    assert yalu["places"] == 2
    ridge, ferry = km["Ridge Post"], km["Ferry Post"]
    covered, uncovered = yalu["covered"], yalu["uncovered"]
    # Each place covers its own km; nothing between them is named, so one stretch from
    # past the first place's reach to short of the second's is uncovered.
    for at in (ridge, ferry):
        assert any(a <= at <= b for a, b in covered)
    (between,) = [(a, b) for a, b in uncovered if ridge < a and b < ferry]
    assert ridge + 5 < between[0] < ridge + 40 and ferry - 40 < between[1] < ferry - 5
    assert yalu["covered_km"] + yalu["uncovered_km"] == pytest.approx(yalu["length_km"], abs=0.1)
    # The lines no article comes near are uncovered from end to end.
    assert cov["lines"]["tumen"]["uncovered"] == [[20.8, 536.7]]
    assert cov["lines"]["fence"]["covered"] == [] and cov["lines"]["fence"]["places"] == 0
    assert cov["time"]["gap_years"] == [[2019, 2020]] and cov["time"]["undated"] == ["a3"]
    assert cov["summary"][0].startswith("Yalu: ")
    assert cov["summary"][-1] == (
        "Articles from 2018 to 2021-06 (1 dated to the month, 1 to the year); "
        "none from 2019–2020; 1 of 3 articles undated (a3)."
    )


def test_the_manifest_counts_the_dated_articles_by_precision(built) -> None:
    _, manifest, _ = built
    assert manifest["coverage"]["time"]["precisions"] == {"month": 1, "year": 1}


def test_the_uncovered_stretches_are_exported_with_their_km(built) -> None:
    out, manifest, _ = built
    fc = json.loads((out / "layers" / "uncovered.geojson").read_text("utf-8"))
    exported = [(f["properties"]["line"], [f["properties"]["from_km"], f["properties"]["to_km"]])
                for f in fc["features"]]  # fmt: skip
    expected = [(lid, x) for lid, line in manifest["coverage"]["lines"].items()
                for x in line["uncovered"]]  # fmt: skip
    assert exported == expected
    assert {f["geometry"]["type"] for f in fc["features"]} == {"LineString"}
    kml = (out / "bordermap.kml").read_text("utf-8")
    assert "<name>Not covered by the corpus</name>" in kml
    # The count is given on the covered km as well as for the whole line.
    assert re.search(r"≈ [\d,]+ cameras on the [\d,]+ km the corpus names places along; "
                     r"≈ [\d,]+ cameras if the whole Yalu is covered", kml)  # fmt: skip


def test_the_kml_with_the_uncovered_stretches_validates(built) -> None:
    from lxml import etree

    out, _, _ = built
    xsd = resources.files("pykml").joinpath("schemas", "ogckml22.xsd")
    with resources.as_file(xsd) as path:
        schema = etree.XMLSchema(etree.parse(str(path)))
    assert schema.validate(etree.parse(str(out / "bordermap.kml"))), schema.error_log


@pytest.mark.skipif(OGRINFO is None, reason="ogrinfo (gdal-bin) is not installed")
def test_gdal_reads_the_uncovered_layer_in_every_export(built) -> None:
    out, manifest, _ = built
    n = sum(len(x["uncovered"]) for x in manifest["coverage"]["lines"].values())

    def ogrinfo(*args: str) -> str:
        assert OGRINFO is not None
        done = subprocess.run([OGRINFO, "-ro", *args], capture_output=True, text=True)
        assert done.returncode == 0 and "Warning" not in done.stderr, done.stderr
        return done.stdout

    gpkg = ogrinfo("-so", str(out / "bordermap.gpkg"), "uncovered")
    assert f"Feature Count: {n}" in gpkg and "Geometry: Line String" in gpkg
    assert "from_km: Real" in gpkg and "to_km: Real" in gpkg and "line: String" in gpkg
    assert "IDENTIFIER=Not covered by the corpus" in gpkg
    rows = ogrinfo("-al", "-q", str(out / "bordermap.gpkg"), "uncovered")
    first = manifest["coverage"]["lines"]["yalu"]["uncovered"][0]
    assert f"from_km (Real) = {first[0]:g}" in rows and f"to_km (Real) = {first[1]:g}" in rows
    kml = ogrinfo("-so", str(out / "bordermap.kml"), "Not covered by the corpus")
    assert f"Feature Count: {n}" in kml
    geojson = ogrinfo("-so", "-al", str(out / "layers" / "uncovered.geojson"))
    assert f"Feature Count: {n}" in geojson and "from_km: Real" in geojson


def test_the_starter_projects_commented_coverage_is_valid_once_uncommented(tmp_path: Path) -> None:
    from bordermap.starter import init

    init(tmp_path / "p")
    toml = tmp_path / "p" / "bordermap.toml"
    text = toml.read_text("utf-8")
    start = text.index("# [coverage]")
    end = text.index("\n\n", start)
    block = text[start:end]
    toml.write_text(text.replace(block, re.sub(r"^# ", "", block, flags=re.M)), "utf-8")
    assert load_config(toml).coverage == CoverageConfig(10.0, ("yalu", "land", "tumen"))


def test_the_python_api_says_what_the_corpus_does_not_cover(built) -> None:
    from bordermap import Project

    out, manifest, _ = built
    p = Project.load(out.parent / "bordermap.toml")
    assert p.coverage.summary() == manifest["coverage"]["summary"]
    assert p.coverage.of("tumen").uncovered_km == [(20.8, 536.7)]
