"""A researcher's own project, end to end (issue 12).

``bordermap init`` makes the project; the corpus is the project's own test
articles on the Tumen, Rason and the DMZ (``tests/data/own-project``), far
from the seeds' Yalu.  The project file has a typo in a layer, places the
gazetteer lacks, a correction, a fence-post annotation on the Tumen counted
from its mouth and a DMZ map; the test checks each of them where a user would
see it: the command's messages, ``bordermap places``, the built map's data,
and the DMZ map opened in Chromium.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bordermap.cli import cli

ARTICLES = Path(__file__).resolve().parent / "data" / "own-project" / "articles"

# Coordinates of places the shipped gazetteer lacks: approximate, read off
# public maps for this test project (a few hundred metres is close enough).
PROJECT = """\
[project]
title = "Fences and villages on North Korea's other borders"
corpus = ["articles"]
output = "output"

[basemap]
tiles = "none"

[[layers]]
id = "border"
title = "China–North Korea border"
color = "#3b3b3b"
source = "border"

[[layers]]
id = "tumen-towns"
title = "Towns on the Tumen"
color = "#d62728"
places = ["Hoeryng", "Onsong", "Namyang", "Tumangang", "Quanhe"]
claim = "The articles say patrols and fences have grown in these towns."

[[layers]]
id = "dmz"
title = "Places at the DMZ"
color = "#1f77b4"
places = ["Panmunjom", "Kaesong", "Dorasan", "Kijong-dong", "Imjingak", "Daeseong-dong"]
claim = "The articles describe these places along the Military Demarcation Line."

[[layers]]
id = "context"
title = "Other places the articles name"
color = "#7f7f7f"
rest = true

[[annotations]]
id = "fence"
title = "Claimed fence posts every 50 m on the Tumen"
color = "#9467bd"
line = "tumen"
between = ["Tumangang", "Namyang"]
spacing_m = 50
offset_m = 0
side = "KP"
noun = "fence post"
count_from = "mouth"
articles = ["t01"]
claim = "A trader says concrete fence posts stand about every 50 metres on the North Korean bank."

[[places]]
id = "quanhe"
name = "Quanhe"
kind = "village"
country = "CN"
lat = 42.566
lon = 130.512

[[places]]
id = "dorasan"
name = "Dorasan"
aliases = ["Dorasan station", "Dorasan observatory"]
kind = "landmark"
country = "KR"
lat = 37.900
lon = 126.709

[[places]]
id = "kijong-dong"
name = "Kijong-dong"
kind = "village"
country = "KP"
lat = 37.943
lon = 126.654

[[places]]
id = "imjingak"
name = "Imjingak"
kind = "landmark"
country = "KR"
lat = 37.889
lon = 126.740

[[places]]
id = "daeseong-dong"
name = "Daeseong-dong"
kind = "village"
country = "KR"
lat = 37.941
lon = 126.677

[[corrections]]
text = "Sambong"
articles = ["t03"]
lat = 42.706
lon = 129.918
name = "Sambong (Onsong county)"
kind = "village"
country = "KP"

[[layers]]
id = "mdl"
title = "Military Demarcation Line"
color = "#3b3b3b"
source = "border"
lines = ["mdl"]

[[maps]]
id = "dmz-map"
title = "The DMZ in the articles"
layers = ["mdl", "dmz"]
"""


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("own") / "tumen-dmz"
    runner = CliRunner()
    init = runner.invoke(cli, ["init", str(folder)])
    assert init.exit_code == 0, init.output
    (folder / "articles" / "example.md").unlink()
    for article in sorted(ARTICLES.glob("*.md")):
        shutil.copy(article, folder / "articles" / article.name)
    config = folder / "bordermap.toml"
    config.write_text(PROJECT, encoding="utf-8")
    build = runner.invoke(cli, ["build", "--config", str(config)])
    places = runner.invoke(cli, ["places", "--config", str(config), "--format", "jsonl"])
    missed = runner.invoke(
        cli, ["places", "--config", str(config), "--show", "unresolved", "--format", "jsonl"]
    )
    return {"folder": folder, "build": build, "places": places, "missed": missed}


def _features(own: dict[str, Any], layer: str) -> dict[str, dict[str, Any]]:
    path = own["folder"] / "output" / "layers" / f"{layer}.geojson"
    fc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["name"]: f for f in fc["features"]}


def test_the_typo_warns_and_the_build_succeeds(own: dict[str, Any]) -> None:
    build = own["build"]
    assert build.exit_code == 0, build.output
    assert build.stderr == (
        f"bordermap: {own['folder'] / 'bordermap.toml'}: layer 'tumen-towns': places: no mention"
        ' of "Hoeryng" '
        "passes the layer's "
        'rules (did you mean "Hoeryong"?); the layer is drawn without it\n'
    )
    assert set(_features(own, "tumen-towns")) == {"Onsong", "Namyang", "Tumangang", "Quanhe"}


def test_added_places_and_the_correction_show_in_places(own: dict[str, Any]) -> None:
    assert own["places"].exit_code == 0, own["places"].output
    rows = {r["name"]: r for r in map(json.loads, own["places"].stdout.splitlines())}
    for name in ("Quanhe", "Dorasan", "Kijong-dong", "Imjingak", "Daeseong-dong"):
        assert rows[name]["match"] == "project", name
    # By its longer names, "Dorasan station" and "Dorasan observatory", once each: the
    # "Dorasan" inside them is no second mention (4 were counted before session 22).
    assert rows["Dorasan"]["mentions"] == 2
    assert rows["Kijong-dong"]["articles"] == "t04; t05"
    corrected = rows["Sambong (Onsong county)"]
    assert (corrected["match"], corrected["country"], corrected["lat"]) == ("project", "KP", 42.706)
    # Added, they are no longer flagged as missed; only what the project left alone is.
    missed = {r["text"] for r in map(json.loads, own["missed"].stdout.splitlines())}
    assert missed == {"Fangchuan"}


def test_added_places_and_the_correction_are_in_the_maps_data(own: dict[str, Any]) -> None:
    dmz = _features(own, "dmz")
    assert set(dmz) == {"Panmunjom", "Kaesong", "Dorasan", "Kijong-dong", "Imjingak",
                        "Daeseong-dong"}  # fmt: skip
    assert dmz["Dorasan"]["geometry"]["coordinates"] == [126.709, 37.9]
    db = sqlite3.connect(own["folder"] / "output" / "bordermap.gpkg")
    said = db.execute("SELECT corrected FROM provenance WHERE layer = 'dmz' AND feature = ?",
                      (dmz["Dorasan"]["properties"]["id"],)).fetchall()  # fmt: skip
    assert ("in the project file",) in said
    context = json.loads((own["folder"] / "output" / "layers" / "context.geojson").read_text())
    sambong = [f for f in context["features"] if f["properties"]["name"].startswith("Sambong")]
    assert [f["geometry"]["coordinates"] for f in sambong] == [[129.918, 42.706]]


def test_the_annotation_counts_fence_posts_from_the_mouth(own: dict[str, Any]) -> None:
    out = own["folder"] / "output"
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    kml = (out / "bordermap.kml").read_text(encoding="utf-8")
    fence = (out / "layers" / "fence.geojson").read_text(encoding="utf-8")
    for text in (manifest, kml):
        assert "fence post" in text and "camera" not in text.lower()
    assert "camera" not in fence
    label = json.loads(manifest)["annotations"]["fence"]["label"]
    assert label.startswith("≈ ") and " fence posts claimed at 50 m spacing" in label
    # Counted from the sea: the China stretch starts 20.8 km up, at the tripoint.
    # A stretch: numbered from its end nearer the mouth, distances from the mouth itself.
    assert "between Tumangang and Namyang, 24.4–197.6 km from the river mouth" in label
    assert "fence posts, numbered from 1 in the order of this placemark's points, 24.4 to " in kml


@pytest.mark.browser
def test_the_fence_post_page_never_says_cameras(own: dict[str, Any], open_map: Any) -> None:
    page, errors, _ = open_map(own["folder"] / "output" / "fence.html")
    shown = page.locator("body").inner_text()
    assert "fence posts claimed" in shown and "camera" not in shown.lower()
    assert errors == []


@pytest.mark.browser
def test_the_dmz_map_opens_with_its_features_in_view(own: dict[str, Any], open_map: Any) -> None:
    page, errors, _ = open_map(own["folder"] / "output" / "dmz-map.html")
    points = [f["geometry"]["coordinates"] for f in _features(own, "dmz").values()]
    inside = page.evaluate(
        "pts => pts.map(([lon, lat]) => window.bordermapMap.getBounds().contains([lat, lon]))",
        points,
    )
    assert inside == [True] * len(points)
    # It opens on the DMZ (the MDL and the places, about 250 km across), not on the region.
    west, east = page.evaluate(
        "() => [window.bordermapMap.getBounds().getWest(), window.bordermapMap.getBounds().getEast()]"
    )
    assert 124.5 < west < 126.6 and 126.8 < east < 130.0
    assert errors == []


@pytest.mark.browser
def test_a_popup_says_what_the_project_file_corrected(own: dict[str, Any], open_map: Any) -> None:
    # A place the project file added says so in its popup, and a layer no [[claims]]
    # names says who reported it (not an empty "Claim ()").
    page, errors, _ = open_map(own["folder"] / "output" / "dmz-map.html")
    find = """() => { let hit = null; window.bordermapLayers.dmz.markers.eachLayer(l => {
                 if (l.feature && l.feature.properties.name === 'Dorasan') hit = l; });
               return hit; }"""
    page.evaluate("() => window.bordermapMap.setView([37.900, 126.709], 14, {animate: false})")
    page.wait_for_function(f"({find})() !== null")  # drawn by itself, out of its cluster
    page.evaluate(f"() => ({find})().openPopup()")
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "corrected in the project file" in text
    assert "Reported by: " in text and "Claim" not in text
    assert errors == []
