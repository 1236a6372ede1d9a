"""Lines beyond the China–North Korea border, a project's own lines, and stretches.

Geometry is checked against the shipped outlines and against distances
computed here with pyproj's Geod; exports with GDAL's ogrinfo and the OGC KML
schema, as GIS users open them.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, Point

from bordermap.cli import cli
from bordermap.config import parse_config
from bordermap.errors import ConfigError
from bordermap.geometry import country_shape, cut, length_km, locate
from bordermap.layers import make_annotations, make_layers
from bordermap.lines import border_of, project_lines, shipped
from support import ROOT, WGS84, brute_km

HOERYONG = (129.74601, 42.44113)  # the curated gazetteer's points
ONSONG = (129.99333, 42.95722)
KAESONG = (126.55444, 37.97083)
OGRINFO = shutil.which("ogrinfo")
needs_gdal = pytest.mark.skipif(OGRINFO is None, reason="ogrinfo (gdal-bin) is not installed")

HEAD = '[project]\ntitle = "Lines"\ncorpus = []\n'
FENCE = {"type": "LineString", "coordinates": [[129.70, 42.40], [129.80, 42.45], [129.90, 42.45]]}


def project(tmp_path: Path, body: str, files: dict[str, object] | None = None) -> Path:
    for name, data in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        text = data if isinstance(data, str) else json.dumps(data)
        (tmp_path / name).write_text(text, "utf-8")
    path = tmp_path / "p.toml"
    path.write_text(HEAD + body, "utf-8")
    return path


def config_error(tmp_path: Path, body: str, files: dict[str, object] | None = None) -> str:
    path = project(tmp_path, body, files)
    with pytest.raises(ConfigError) as err:
        parse_config(path.read_text("utf-8"), path)
    text = str(err.value)
    assert "\n" not in text and text.startswith(f"{path}: ")
    return text.removeprefix(f"{path}: ")


def annotations_of(tmp_path: Path, body: str, files: dict[str, object] | None = None):  # noqa: ANN201
    path = project(tmp_path, body, files)
    return make_annotations(parse_config(path.read_text("utf-8"), path), {})


# ------------------------------------------------------------ shipped lines


def test_the_new_lines_are_the_shared_edges_of_the_shipped_outlines() -> None:
    lines = shipped()
    prk = country_shape("PRK")
    for lid, neighbour in (("tumen-ru", "RUS"), ("mdl", "KOR")):
        coords = shapely.points(np.asarray(lines[lid].parts[0].coords))
        assert np.all(shapely.distance(coords, prk.boundary) < 1e-6), lid
        # On the neighbour's outline too, but for a few vertices where the line bridges a
        # sliver of the coarse basemap between the two (within 2 km).
        off = shapely.distance(coords, country_shape(neighbour).boundary)
        assert np.mean(off < 1e-6) > 0.9 and off.max() < 0.02, lid
        # China touches neither, but for the tripoint where the Tumen's stretches meet.
        assert not np.any(shapely.distance(coords[1:], country_shape("CHN")) < 1e-6)
    # The Tumen's Russian stretch starts where the Chinese one ends (the tripoint) and
    # runs downstream to the coast; the MDL runs west to east, Han estuary to the east coast.
    assert lines["tumen-ru"].parts[0].coords[0] == lines["tumen"].parts[0].coords[-1]
    assert lines["tumen-ru"].mouth == "last"
    mdl = lines["mdl"].parts[0].coords
    assert mdl[0][0] < 126.8 and mdl[-1][0] > 128.3 and mdl[-1][1] > 38.5


def test_lengths_are_geodesic_and_recorded() -> None:
    recorded = json.loads((ROOT / "geo" / "border_lengths.json").read_text("utf-8"))
    more = recorded["more_lines"]
    shipped_file = ROOT / "src" / "bordermap" / "data" / "countries.geojson"
    import hashlib

    assert more["sha256"] == hashlib.sha256(shipped_file.read_bytes()).hexdigest()
    for lid in ("tumen-ru", "mdl"):
        line = shipped()[lid]
        metres = WGS84.geometry_length(line.parts[0])
        assert round(metres / 1000, 1) == more["lines"][lid]["length_km"]
        assert round(line.length_km, 1) == more["lines"][lid]["length_km"]
    assert 15 < shipped()["tumen-ru"].length_km < 25  # published: about 17 km
    assert 200 < shipped()["mdl"].length_km < 260  # published: about 238-250 km


def test_derive_lines_only_reproduces_the_shipped_file(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    for part in ("geo", "src/bordermap/data"):
        (work / part).mkdir(parents=True)
    shutil.copy(ROOT / "geo" / "derive.py", work / "geo" / "derive.py")
    shutil.copy(ROOT / "geo" / "border_lengths.json", work / "geo")
    shutil.copy(ROOT / "src/bordermap/data/countries.geojson", work / "src/bordermap/data")
    import sys

    run = subprocess.run([sys.executable, str(work / "geo" / "derive.py"), "--lines-only"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    written = (work / "src/bordermap/data/lines.geojson").read_bytes()
    assert written == (ROOT / "src/bordermap/data/lines.geojson").read_bytes()


# ------------------------------------------------------------ geometry of stretches


def test_cut_keeps_the_geodesic_length_between_its_ends() -> None:
    tumen = shipped()["tumen"].parts[0]
    part = cut(tumen, 100_000.0, 137_500.0)
    assert length_km(part) == pytest.approx(37.5, abs=0.001)
    start_along, start_away = locate(tumen, *part.coords[0])
    end_along, end_away = locate(tumen, *part.coords[-1])
    assert start_along == pytest.approx(100_000.0, abs=1.0) and start_away < 1.0
    assert end_along == pytest.approx(137_500.0, abs=1.0) and end_away < 1.0
    with pytest.raises(ValueError):
        cut(tumen, 0.0, length_km(tumen) * 1000 + 10)


def test_locate_projects_a_town_onto_the_line() -> None:
    tumen = shipped()["tumen"].parts[0]
    along, away = locate(tumen, *HOERYONG)
    assert away / 1000 == pytest.approx(brute_km(*HOERYONG, tumen, step_m=5.0), abs=0.01)
    # The nearest point really is that far along: the length of the line up to it.
    near = cut(tumen, 0.0, along).coords[-1]
    _, _, d = WGS84.inv(*HOERYONG, *near)
    assert d == pytest.approx(away, abs=2.0)


# ------------------------------------------------------------ the project file


@pytest.mark.parametrize(
    ("body", "files", "message"),
    [
        ('[[lines]]\nid = "fence"\nfile = "lines/fence.geojson"\n', {},
         "lines[0].file: 'lines/fence.geojson': no such file (paths are relative to the project file)"),
        ('[[lines]]\nid = "fence"\nfile = "f.geojson"\n',
         {"f.geojson": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
         "lines[0].file: 'f.geojson': holds Polygon; expected a LineString or MultiLineString"),
        ('[[lines]]\nid = "fence"\nfile = "f.geojson"\n', {"f.geojson": "{not json"},
         "lines[0].file: 'f.geojson': not a GeoJSON file (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
        ('[[lines]]\nid = "fence"\nfile = "f.geojson"\n',
         {"f.geojson": {"type": "LineString", "coordinates": [[500000, 4200000], [510000, 4210000]]}},
         "lines[0].file: 'f.geojson': position [500000, 4200000] is outside longitude -180..180 / latitude -90..90; GeoJSON is WGS 84 lon/lat (reproject the file)"),
        ('[[lines]]\nid = "fence"\nfile = "f.geojson"\n',
         {"f.geojson": {"type": "LineString", "coordinates": [[129.7, 42.4]]}},
         "lines[0].file: 'f.geojson': a line needs at least two positions [lon, lat]"),
        ('[[lines]]\nid = "fence"\nfile = "f.geojson"\n',
         {"f.geojson": '{"type": "LineString", "coordinates": [[1' + "0" * 400 + ', 42], [129, 42]]}'},
         "lines[0].file: 'f.geojson': position [1" + "0" * 400 + ", 42] is outside longitude -180..180 / latitude -90..90; GeoJSON is WGS 84 lon/lat (reproject the file)"),
        ('[[lines]]\nid = "fence"\nfile = "f.geojson"\n', {"f.geojson": {"type": "Feature", "properties": {}}},
         "lines[0].file: 'f.geojson': holds no geometry; expected a LineString or MultiLineString"),
        ('[[lines]]\nid = "fence"\nfile = "."\n', {},
         "lines[0].file: '.': not a GeoJSON file ([Errno 21] Is a directory: '"),
        ('[[lines]]\nid = "mdl"\nfile = "f.geojson"\n', {"f.geojson": FENCE},
         "lines[0].id: expected an id no other line has (shipped: yalu, land, tumen, tumen-ru, mdl), got 'mdl'"),
        ('[[annotations]]\nid = "a"\ntitle = "A"\nline = "fence"\nspacing_m = 100\n', {},
         'annotations[0].line: expected one of "yalu", "land", "tumen", "tumen-ru", "mdl", got \'fence\''),
        ('[border]\nlines = ["yalu", "dmz"]\n', {},
         "border.lines[1]: unknown line 'dmz' (known: yalu, land, tumen, tumen-ru, mdl; add your own with [[lines]])"),
        ('[[layers]]\nid = "b"\ntitle = "B"\nsource = "border"\nlines = ["fense"]\n'
         '[[lines]]\nid = "fence"\nfile = "f.geojson"\n', {"f.geojson": FENCE},
         "layers[0].lines[0]: unknown line 'fense' (known: yalu, land, tumen, tumen-ru, mdl, fence; add your own with [[lines]])"),
        ('[[layers]]\nid = "b"\ntitle = "B"\nlines = ["mdl"]\n', {},
         "layers[0].lines: expected absent: only a layer with source = \"border\" draws lines, got ['mdl']"),
        ('[[annotations]]\nid = "a"\ntitle = "A"\nline = "tumen"\nspacing_m = 100\nbetween = ["Onsong", "onsong"]\n', {},
         "annotations[0].between: expected two different places (a stretch of zero length), got ['Onsong', 'onsong']"),
        ('[[annotations]]\nid = "a"\ntitle = "A"\nline = "tumen"\nspacing_m = 100\nfrom_km = 5\nto_km = 5\n', {},
         "annotations[0].to_km: expected a distance other than from_km (5): a stretch of zero length, got 5"),
        ('[[annotations]]\nid = "a"\ntitle = "A"\nline = "tumen"\nspacing_m = 100\nbetween = ["A", "B"]\nto_km = 5\n', {},
         "annotations[0]: give either between = [PLACE, PLACE] or from_km and to_km, not both"),
        ('[[annotations]]\nid = "a"\ntitle = "A"\nline = "mdl"\nspacing_m = 100\ncount_from = "mouth"\n', {},
         "annotations[0].count_from: expected \"start\" or \"end\" ('mdl' is not a river), got 'mouth'"),
    ],
)  # fmt: skip
def test_line_and_stretch_errors_name_file_and_key(
    tmp_path: Path, body: str, files: dict[str, object], message: str
) -> None:
    got = config_error(tmp_path, body, files)
    assert got == message or (message.endswith("'") and got.startswith(message))


def test_an_annotation_needs_one_connected_line(tmp_path: Path) -> None:
    two = {
        "type": "MultiLineString",
        "coordinates": [FENCE["coordinates"], [[130.0, 42.5], [130.1, 42.6]]],
    }
    path = project(tmp_path, '[[lines]]\nid = "fence"\nfile = "f.geojson"\n[[annotations]]\n'
                   'id = "a"\ntitle = "A"\nline = "fence"\nspacing_m = 100\n', {"f.geojson": two})  # fmt: skip
    with pytest.raises(ConfigError) as err:
        make_annotations(parse_config(path.read_text("utf-8"), path), {})
    assert str(err.value) == (
        f"{path}: annotations[0].line: line 'fence' has 2 separate parts; an annotation needs "
        "one connected line (join them, or give each part its own [[lines]] file)"
    )


def test_a_project_line_is_read_from_a_feature_collection(tmp_path: Path) -> None:
    files = {"lines/fence.geojson": {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": FENCE},
        {"type": "Feature", "properties": {}, "geometry": {
            "type": "MultiLineString", "coordinates": [[[130.0, 42.5], [130.1, 42.6]]]}},
    ]}}  # fmt: skip
    path = project(tmp_path, '[[lines]]\nid = "fence"\nfile = "lines/fence.geojson"\n'
                   'name = "Border fence"\n', files)  # fmt: skip
    config = parse_config(path.read_text("utf-8"), path)
    (line,) = config.lines
    assert (line.id, line.name, len(line.parts)) == ("fence", "Border fence", 2)
    assert line.parts[0] == ((129.7, 42.4), (129.8, 42.45), (129.9, 42.45))
    assert config.border == ("yalu", "land", "tumen")
    item = project_lines(config)["fence"]
    expected = sum(WGS84.geometry_length(LineString(p)) for p in line.parts) / 1000
    assert item.length_km == pytest.approx(expected)


# ------------------------------------------------------------ annotations on stretches


def test_a_stretch_between_two_places_is_numbered_from_the_mouth(tmp_path: Path) -> None:
    body = ('[[annotations]]\nid = "posts"\ntitle = "Fence posts"\nline = "tumen"\nspacing_m = 50\n'
            'noun = "fence post"\nbetween = ["Hoeryong", "Onsong"]\n')  # fmt: skip
    ann = annotations_of(tmp_path, body)["posts"]
    tumen = LineString(list(shipped()["tumen"].parts[0].coords)[::-1])  # from the tripoint
    to_sea = WGS84.geometry_length(shipped()["tumen-ru"].parts[0])  # and on to the mouth
    at = sorted(locate(tumen, *p)[0] for p in (HOERYONG, ONSONG))
    assert float(ann.points.distance_m[0]) == pytest.approx(to_sea + at[0], abs=1.0)
    assert ann.length_km == pytest.approx((at[1] - at[0]) / 1000, abs=0.001)
    assert ann.count == int((at[1] - at[0]) // 50) + 1
    steps = np.diff(ann.points.distance_m)
    assert np.allclose(steps, 50.0)
    # Onsong is nearer the mouth than Hoeryong: fence post 1 stands by Onsong.
    first = (float(ann.points.lon[0]), float(ann.points.lat[0]))
    _, _, to_onsong = WGS84.inv(*first, *ONSONG)
    _, _, to_hoeryong = WGS84.inv(*first, *HOERYONG)
    assert to_onsong < to_hoeryong
    span = f"{(to_sea + at[0]) / 1000:,.1f}–{(to_sea + at[1]) / 1000:,.1f} km from the river mouth"
    assert ann.label == (f"≈ {ann.count:,} fence posts claimed at 50 m spacing over "
                         f"{ann.length_km:,.1f} km of the Tumen, between Onsong and Hoeryong, "
                         f"{span}")  # fmt: skip
    assert "camera" not in ann.label.lower()


def test_a_stretch_by_distances_counts_from_either_end(tmp_path: Path) -> None:
    # From the mouth means from the sea: the China stretch starts at the tripoint,
    # the length of the Russian stretch up the river.
    body = ('[[annotations]]\nid = "m"\ntitle = "M"\nline = "tumen"\nspacing_m = 500\n'
            'from_km = 30\nto_km = 40\noffset_m = 0\n')  # fmt: skip
    mouth = annotations_of(tmp_path, body)["m"]
    total = length_km(shipped()["tumen"].parts[0])
    lead = length_km(shipped()["tumen-ru"].parts[0])
    a, b = total - (40 - lead), total - (30 - lead)
    body2 = body.replace("from_km = 30\nto_km = 40", f"from_km = {a}\nto_km = {b}")
    source = annotations_of(tmp_path, body2 + 'count_from = "source"\n')["m"]
    assert mouth.count == source.count == 21
    assert mouth.points.distance_m[0] == pytest.approx(30_000.0)
    assert source.points.distance_m[0] == pytest.approx(a * 1000)
    assert mouth.label.endswith("over 10.0 km of the Tumen, 30.0–40.0 km from the river mouth")
    # The same stretch from the other end: the same points in reverse order.
    _, _, d = WGS84.inv(mouth.points.lon, mouth.points.lat, source.points.lon[::-1],
                        source.points.lat[::-1])  # fmt: skip
    assert np.max(d) < 1.0


TUMEN_FROM_SEA_KM = (
    sum(WGS84.geometry_length(shipped()[x].parts[0]) for x in ("tumen", "tumen-ru")) / 1000
)


def test_stretch_errors_at_build_time(tmp_path: Path) -> None:
    base = '[[annotations]]\nid = "a"\ntitle = "A"\nline = "tumen"\nspacing_m = 100\n'
    cases = [
        ('from_km = 500\nto_km = 600\n',
         f"annotations[0].to_km: at most {TUMEN_FROM_SEA_KM:,.1f} km (the length of the Tumen from the river mouth), got 600"),
        ('from_km = 10\nto_km = 60\n',
         "annotations[0].from_km: at least 20.8 km: line 'tumen' starts that far from the river mouth (the river runs on to the sea as 'tumen-ru'), got 10"),
        ('count_from = "source"\nfrom_km = 500\nto_km = 600\n',
         "annotations[0].to_km: at most 515.9 km (the length of the Tumen), got 600"),
        ('between = ["Hoeryong", "Qqzzyxville"]\n',
         "annotations[0].between[1]: no place 'Qqzzyxville' in the gazetteer or the project's "
         "[[places]]; `bordermap geocode NAME` shows what it knows"),
        ('between = ["Hoeryong", "Pyongyang"]\n',
         "annotations[0].between[1]: 'Pyongyang' lies"),
    ]  # fmt: skip
    for extra, message in cases:
        path = project(tmp_path, base + extra)
        with pytest.raises(ConfigError) as err:
            make_annotations(parse_config(path.read_text("utf-8"), path), {})
        assert str(err.value).startswith(f"{path}: {message}"), str(err.value)
    # Two names of one place project onto the same point: zero length.
    path = project(tmp_path, base + 'between = ["Hoeryong", "Hoeryŏng"]\n')
    with pytest.raises(ConfigError, match="a stretch of zero length"):
        make_annotations(parse_config(path.read_text("utf-8"), path), {})


def test_a_project_place_and_a_project_line_make_a_stretch(tmp_path: Path) -> None:
    body = ('[[lines]]\nid = "fence"\nfile = "fence.geojson"\nname = "the new fence"\n'
            '[[places]]\nid = "gate"\nname = "North Gate"\nlat = 42.451\nlon = 129.85\n'
            '[[annotations]]\nid = "f"\ntitle = "F"\nline = "fence"\nspacing_m = 100\n'
            'side = "left"\nbetween = ["North Gate", "Hoeryong"]\ncount_from = "end"\n')  # fmt: skip
    ann = annotations_of(tmp_path, body, {"fence.geojson": FENCE})["f"]
    fence = LineString(FENCE["coordinates"][::-1])
    gate = locate(fence, 129.85, 42.451)[0]
    hoeryong = locate(fence, *HOERYONG)[0]
    assert ann.points.distance_m[0] == pytest.approx(min(gate, hoeryong), abs=1.0)
    assert ann.measured_from == "the end of the new fence"
    assert "of the new fence, between North Gate and Hoeryong" in ann.label


# ------------------------------------------------------------ border layers and compare


def test_a_border_layer_draws_the_mdl_and_a_project_line(tmp_path: Path) -> None:
    body = ('[[lines]]\nid = "fence"\nfile = "fence.geojson"\nname = "Fence"\n'
            '[[layers]]\nid = "dmz"\ntitle = "DMZ"\nsource = "border"\nlines = ["mdl", "fence"]\n'
            '[[layers]]\nid = "border"\ntitle = "Border"\nsource = "border"\n')  # fmt: skip
    path = project(tmp_path, body, {"fence.geojson": FENCE})
    config = parse_config(path.read_text("utf-8"), path)
    layers = make_layers(config, [], {})
    dmz = layers["dmz"].geojson()["features"]
    assert [f["properties"]["id"] for f in dmz] == ["border:mdl", "border:fence"]
    assert dmz[0]["properties"]["length_km"] == round(shipped()["mdl"].length_km, 1)
    assert dmz[1]["properties"]["provenance"][0]["title"] == "fence.geojson"
    assert [f["properties"]["id"] for f in layers["border"].geojson()["features"]] == [
        "border:yalu", "border:land", "border:tumen"]  # fmt: skip


def test_compare_measures_against_the_projects_border(tmp_path: Path) -> None:
    from bordermap.compare import compare
    from bordermap.layer_refs import load_layer
    from support import point_file

    towns = point_file(tmp_path / "towns.geojson", [("Kaesong", KAESONG)])
    path = project(tmp_path, '[border]\nlines = ["mdl"]\n')
    config = parse_config(path.read_text("utf-8"), path)
    result = compare(load_layer(str(towns)), load_layer(str(towns)), border=border_of(config))
    row = result.features.iloc[0]
    assert result.border == ("mdl",) and row["border_stretch"] == "mdl"
    assert row["border_km"] == pytest.approx(brute_km(*KAESONG, shipped()["mdl"].parts[0]),
                                             rel=1e-3)  # fmt: skip
    assert "mdl_km" in result.csv_text().splitlines()[0]
    assert "yalu_km" not in result.csv_text()
    default = compare(load_layer(str(towns)), load_layer(str(towns)))
    assert default.border == ("yalu", "land", "tumen")
    assert default.features.iloc[0]["border_km"] > 250  # to the Yalu


def test_compare_cli_uses_the_project_border(tmp_path: Path) -> None:
    from support import point_file

    point_file(tmp_path / "towns.geojson", [("Kaesong", KAESONG)])
    path = project(tmp_path, '[border]\nlines = ["mdl", "tumen-ru"]\n')
    result = CliRunner().invoke(cli, ["compare", "--config", str(path), str(tmp_path / "towns.geojson"),
                                      str(tmp_path / "towns.geojson"), "-o", str(tmp_path / "c.html")])  # fmt: skip
    assert result.exit_code == 0, result.output
    head = (tmp_path / "c.csv").read_text("utf-8").splitlines()[0]
    assert head.endswith("mdl_km,tumen-ru_km,within_10km,within_25km,within_50km")


# ------------------------------------------------------------ exports


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fence")
    (folder / "articles").mkdir()
    (folder / "articles" / "a.md").write_text(
        "---\nid: a\ntitle: Fences\n---\nA fence post every 50 m along the Tumen near Hoeryong.\n"
    )
    (folder / "p.toml").write_text(
        '[project]\ntitle = "Fences"\ncorpus = ["articles"]\n[basemap]\ntiles = "none"\n'
        '[[layers]]\nid = "dmz"\ntitle = "DMZ"\nsource = "border"\nlines = ["mdl"]\n'
        '[[annotations]]\nid = "posts"\ntitle = "Fence posts"\nline = "tumen"\nspacing_m = 50\n'
        'noun = "fence post"\nfrom_km = 300\nto_km = 302.5\narticles = ["a"]\n', "utf-8"
    )  # fmt: skip
    result = CliRunner().invoke(cli, ["build", "--config", str(folder / "p.toml")])
    assert result.exit_code == 0, result.output
    return folder / "output"


def test_kml_of_a_stretch_validates_and_says_fence_posts(built: Path) -> None:
    from lxml import etree

    xsd = resources.files("pykml").joinpath("schemas", "ogckml22.xsd")
    with resources.as_file(xsd) as path:
        schema = etree.XMLSchema(etree.parse(str(path)))
    doc = etree.parse(str(built / "bordermap.kml"))
    assert schema.validate(doc), schema.error_log.filter_from_errors()
    text = (built / "bordermap.kml").read_text("utf-8")
    # 300 km from the sea: from_km counts the river's Russian stretch too.
    # One placemark of 51 points: 300 km to 302.5 km from the river mouth.
    assert "<name>Fence posts (1–51)</name><description>51 fence posts, numbered" in text
    assert "300.0 to 302.5 km from the river mouth" in text and "Camera" not in text
    assert "Military Demarcation Line" in text


@needs_gdal
def test_geopackage_holds_the_stretch_and_the_mdl(built: Path) -> None:
    assert OGRINFO is not None
    gpkg = str(built / "bordermap.gpkg")
    run = subprocess.run([OGRINFO, "-ro", "-al", gpkg], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "Warning" not in run.stderr + run.stdout, run.stderr
    posts = subprocess.run([OGRINFO, "-ro", "-so", gpkg, "posts"], capture_output=True, text=True,
                           check=False).stdout  # fmt: skip
    assert "Feature Count: 51" in posts
    numbers = [int(n) for n in re.findall(r"number \(Integer\S*\) = (\d+)", run.stdout)]
    distances = [float(d) for d in re.findall(r"distance_m \(Real\) = ([\d.]+)", run.stdout)]
    assert numbers == list(range(1, 52))
    assert distances[0] == pytest.approx(300_000.0) and distances[-1] == pytest.approx(302_500.0)
    dmz = subprocess.run([OGRINFO, "-ro", "-al", gpkg, "dmz"], capture_output=True, text=True,
                         check=False).stdout  # fmt: skip
    assert "Feature Count: 1" in dmz and "LINESTRING" in dmz
    assert f"length_km (Real) = {round(shipped()['mdl'].length_km, 1)}" in dmz
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    assert manifest["annotations"]["posts"]["count"] == 51
    assert "fence posts" in manifest["annotations"]["posts"]["label"]


def test_points_of_a_stretch_lie_on_the_claimed_side(built: Path) -> None:
    data = json.loads((built / "layers" / "posts.geojson").read_text("utf-8"))
    prk = country_shape("PRK")
    inside = [prk.contains(Point(f["geometry"]["coordinates"])) for f in data["features"]]
    assert sum(inside) / len(inside) > 0.9


# ------------------------------------------------------------ in the browser


@pytest.mark.browser
def test_the_stretch_page_shows_numbered_fence_posts(built: Path, open_map: object) -> None:
    page, errors, _ = open_map(built / "posts.html")  # type: ignore[operator]
    data = json.loads((built / "layers" / "posts.geojson").read_text("utf-8"))
    first = data["features"][0]["geometry"]["coordinates"]
    last = data["features"][-1]["geometry"]["coordinates"]
    in_view = """([a, b]) => [a, b].every(([lon, lat]) =>
        window.bordermapMap.getBounds().contains([lat, lon]))"""
    assert page.evaluate(in_view, [first, last])  # the map opens on the stretch
    shown = page.locator("body").inner_text()
    assert "fence posts claimed at 50 m spacing over 2.5 km of the Tumen, 300.0–302.5 km" in shown
    assert "camera" not in shown.lower()
    page.evaluate("([lon, lat]) => window.bordermapMap.setView([lat, lon], 16, {animate: false})",
                  first)  # fmt: skip
    text = page.evaluate(
        """([lon, lat]) => { let best = null, d = Infinity;
             const posts = window.bordermapLayers.posts;
             posts.drawn().forEach(c => { const e = Math.hypot(c.lat - lat, c.lon - lon);
               if (e < d) { d = e; best = c; } });
             posts.open(best.number);
             return document.querySelector('.leaflet-popup-content').innerText; }""",
        first,
    )
    assert text.startswith("Fence post 1 · 300.0 km from the river mouth"), text
    assert errors == []


@pytest.mark.browser
def test_a_border_layer_of_the_mdl_opens_on_the_dmz(built: Path, open_map: object) -> None:
    page, errors, _ = open_map(built / "dmz.html")  # type: ignore[operator]
    mdl = shipped()["mdl"].parts[0].coords
    ends = [list(mdl[0]), list(mdl[-1])]
    assert page.evaluate(
        "(pts) => pts.every(([lon, lat]) => window.bordermapMap.getBounds().contains([lat, lon]))",
        ends,
    )
    assert page.evaluate("() => window.bordermapMap.getZoom()") >= 8  # not the whole region
    assert errors == []


@pytest.mark.browser
def test_compare_against_a_project_line_of_two_parts(tmp_path: Path, open_map: object) -> None:
    from support import point_file

    two = {
        "type": "MultiLineString",
        "coordinates": [FENCE["coordinates"], [[130.0, 42.5], [130.1, 42.6]]],
    }
    point_file(tmp_path / "towns.geojson", [("Hoeryong", HOERYONG)])
    path = project(tmp_path, '[basemap]\ntiles = "none"\n[border]\nlines = ["fence"]\n'
                   '[[lines]]\nid = "fence"\nfile = "f.geojson"\n',
                   {"f.geojson": two})  # fmt: skip
    towns = str(tmp_path / "towns.geojson")
    result = CliRunner().invoke(cli, ["compare", "--config", str(path), towns, towns, "-o",
                                      str(tmp_path / "c.html")])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "c.csv").read_text("utf-8").splitlines()))
    both = MultiLineString([LineString(p) for p in two["coordinates"]])
    expected = min(brute_km(*HOERYONG, part) for part in both.geoms)
    assert float(rows[-1]["fence_km"]) == pytest.approx(expected, rel=1e-3)
    page, errors, _ = open_map(tmp_path / "c.html")  # type: ignore[operator]
    assert errors == []  # the page draws the two-part border line


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "coordinates", "geometry", "features", "x"]), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip
_GEOMETRY = st.fixed_dictionaries({
    "type": st.sampled_from(["LineString", "MultiLineString", "Point", "FeatureCollection", "Feature"]),
    "coordinates": _JSON, "features": _JSON, "geometry": _JSON,
})  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.one_of(_JSON, _GEOMETRY))
@example({"type": "MultiLineString", "coordinates": []})  # once accepted as a line of no parts
def test_any_line_file_is_read_or_refused_in_one_line(data: object) -> None:
    import tempfile

    from bordermap.line_files import read_line_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.geojson"
        path.write_text(json.dumps(data), "utf-8")
        try:
            parts = read_line_file(path, "p.toml: lines[0].file: 'f.geojson'")
        except ConfigError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("p.toml: lines[0].file: ")
        else:
            assert parts and all(len(p) >= 2 for p in parts)
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for p in parts for x, y in p)
