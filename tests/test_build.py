"""``bordermap build`` on the seeds: layers, annotation, exports, manifest, atomicity."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest
import shapely.geometry

from bordermap import Project
from bordermap.geometry import GEOD, border_lines, country_shape, length_km, share_inside

ROOT = Path(__file__).resolve().parents[1]
MAPS = ["index", "border", "checkpoints", "arrests", "upgrades", "context", "cameras"]


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.load(ROOT / "bordermap.toml")


@pytest.fixture(scope="module")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("build")
    manifest = project.build(out, tiles="none")
    return out, manifest


def names(out: Path, layer: str) -> list[str]:
    fc = json.loads((out / "layers" / f"{layer}.geojson").read_text("utf-8"))
    return sorted(f["properties"]["name"] for f in fc["features"])


def test_writes_every_map_and_export(built) -> None:
    out, manifest = built
    for m in MAPS:
        assert (out / f"{m}.html").is_file()
    for f in ("bordermap.gpkg", "bordermap.kml", "mentions.csv", "manifest.json"):
        assert (out / f).is_file()
    assert manifest["maps"] == [f"{m}.html" for m in MAPS]
    assert not list(out.glob(".bordermap-build-*"))


def test_default_layers_hold_the_claims(built) -> None:
    out, _ = built
    assert names(out, "checkpoints") == ["Dandong", "Tonghua"]
    assert names(out, "arrests") == ["Donggang", "Hushan Great Wall"]
    assert names(out, "upgrades") == [
        "Hamhung", "Nampo", "Pyongsong", "Pyongyang", "Sariwon", "Wonsan",
    ]  # fmt: skip
    context = names(out, "context")
    assert "Sinuiju" in context and "Philadelphia" not in context and "Dandong" not in context


def table(path: Path) -> dict[str, dict[str, str]]:
    """A CSV export by its ``id`` column."""
    return {r["id"]: r for r in csv.DictReader(path.open(encoding="utf-8", newline=""))}


def test_provenance_travels_with_features(built) -> None:
    out, _ = built
    fc = json.loads((out / "layers" / "checkpoints.geojson").read_text("utf-8"))
    tonghua = next(f for f in fc["features"] if f["properties"]["name"] == "Tonghua")
    props = tonghua["properties"]
    # The feature counts its sources and names its articles; the entries are by reference.
    assert props["articles"] == "001" and props["mentions"] >= 1 and props["provenance"] == []
    assert "bordermap.gpkg's view provenance (layer = checkpoints" in fc["article_provenance"]
    # Its mentions, through places.csv (ref = the feature's id) and the GeoPackage's sentences.
    place_ids = {p["id"] for p in table(out / "places.csv").values() if p["ref"] == props["id"]}
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["place_id"] in place_ids]
    assert len(rows) == props["mentions"] and {r["article"] for r in rows} == {"001"}
    article = table(out / "articles.csv")[rows[0]["article"]]
    assert article["outlet"] == "Daily NK"
    assert article["title"].startswith("Chinese authorities expand 5G")
    db = sqlite3.connect(out / "bordermap.gpkg")
    (sentence,) = db.execute("SELECT text FROM sentences WHERE id = ?",
                             (int(rows[0]["sentence_id"]),)).fetchone()  # fmt: skip
    db.close()
    assert "Tonghua" in sentence and rows[0]["text"] == "Tonghua"
    assert fc["claim"].startswith("Chinese authorities are fitting")
    assert "first 5G checkpoint" in props["note"]
    pyongyang = json.loads((out / "layers" / "upgrades.geojson").read_text("utf-8"))
    arts = {f["properties"]["name"]: f["properties"]["articles"] for f in pyongyang["features"]}
    assert arts["Pyongyang"] == "003,004"


def test_geojson_is_rfc7946(built) -> None:
    out, _ = built
    for path in (out / "layers").glob("*.geojson"):
        fc = json.loads(path.read_text("utf-8"))
        assert fc["type"] == "FeatureCollection" and "crs" not in fc
        for f in fc["features"]:
            geometry = f["geometry"]
            depth = {"Point": 0, "LineString": 1, "Polygon": 2, "MultiPolygon": 3}
            pts = [geometry["coordinates"]]
            for _ in range(depth[geometry["type"]]):
                pts = [p for part in pts for p in part]
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in pts)
            if geometry["type"] == "MultiPolygon":  # exterior rings counter-clockwise
                assert all(shapely.geometry.LinearRing(poly[0]).is_ccw
                           for poly in geometry["coordinates"])  # fmt: skip


def test_border_lengths_are_geodesic_and_recorded(built) -> None:
    out, manifest = built
    lines = border_lines()
    fc = json.loads((out / "layers" / "border.geojson").read_text("utf-8"))
    by_id = {f["properties"]["id"]: f["properties"]["length_km"] for f in fc["features"]}
    assert by_id["border:yalu"] == pytest.approx(length_km(lines["yalu"]), abs=0.1)
    assert 780 < by_id["border:yalu"] < 900  # published river length: about 795 km
    assert 1350 < manifest["layers"]["border"]["length_km"] < 1450  # published: ~1,416 km
    meta = json.loads((ROOT / "geo" / "border_lengths.json").read_text("utf-8"))
    assert meta["stretches"]["yalu"]["length_km"] == pytest.approx(by_id["border:yalu"], abs=0.1)


def test_camera_annotation_is_computed_not_typed(project: Project, built) -> None:
    _, manifest = built
    ann = project.annotations["cameras"]
    yalu_m = GEOD.geometry_length(border_lines()["yalu"])
    assert ann.count == int(yalu_m // 100) + 1
    entry = manifest["annotations"]["cameras"]
    assert entry["count"] == ann.count and entry["spacing_m"] == 100
    assert entry["label"] == (
        f"≈ {ann.count:,} cameras claimed at 100 m spacing over {yalu_m / 1000:,.1f} km of the Yalu"
    )
    # Consecutive cameras are 100 m apart along the river (geodesic, before the side offset).
    pts = ann.points
    assert pts.distance_m[1] - pts.distance_m[0] == 100


def test_cameras_stand_in_north_korea(project: Project) -> None:
    ann = project.annotations["cameras"]
    assert share_inside(ann.points, country_shape("PRK")) >= 0.99
    assert share_inside(ann.points, country_shape("CHN")) <= 0.01


def test_exports(built, project: Project) -> None:
    out, manifest = built
    tables = {name for name, _ in pyogrio.list_layers(out / "bordermap.gpkg")}
    # QGIS's styles, the provenance by reference, the stretches the corpus does not cover
    references = {"layer_styles", "provenance", "provenance_entries", "provenance_features",
                  "articles", "sentences", "uncovered"}  # fmt: skip
    assert tables == set(project.config.layer_ids) | references
    kml = ET.parse(out / "bordermap.kml").getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    folders = kml.findall(".//k:Folder/k:name", ns)
    assert len(folders) == len(project.config.layer_ids) + 1
    rows = list(csv.DictReader((out / "mentions.csv").open(encoding="utf-8")))
    assert len(rows) == manifest["mentions"] == len(project.mention_list())


def test_manifest_lists_sizes_and_hashes(built) -> None:
    out, manifest = built
    on_disk = json.loads((out / "manifest.json").read_text("utf-8"))
    assert on_disk == manifest
    for entry in manifest["files"]:
        data = (out / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["layers"]["upgrades"] == {
        "title": "Base-station upgrades", "features": 6, "geometry": "Point", "length_km": None,
    }  # fmt: skip


def test_build_is_byte_identical(project: Project, built, tmp_path: Path) -> None:
    out, _ = built
    again = Project.load(ROOT / "bordermap.toml").build(tmp_path, tiles="none")
    first = json.loads((out / "manifest.json").read_text("utf-8"))
    assert again["files"] == first["files"]
    assert (tmp_path / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()


def test_failed_build_leaves_the_folder_as_it_was(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "index.html").write_text("old map")
    project = Project.load(ROOT / "bordermap.toml")

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    # Fault injection halfway through a build: drawing the first map fails.
    monkeypatch.setattr("bordermap.build.render", broken)
    with pytest.raises(RuntimeError):
        project.build(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    assert (tmp_path / "index.html").read_text() == "old map"


def test_python_api(project: Project) -> None:
    import folium

    frames = project.layers()
    assert set(frames) == set(project.config.layer_ids)
    assert frames["upgrades"].crs.to_epsg() == 4326 and len(frames["upgrades"]) == 6
    table = project.mentions()
    assert {"article", "text", "name", "lat", "lon", "score"} <= set(table.columns)
    assert isinstance(project.map("upgrades", tiles="none"), folium.Map)
