"""The exports, opened by the tools users open them with.

* KML validates against the OGC KML 2.2 schema (the copy pykml ships, read
  with lxml);
* GDAL's ``ogrinfo`` (Debian's gdal-bin, installed by scripts/setup-system.sh)
  opens the GeoPackage, the KML and every GeoJSON file without a warning and
  finds every layer with its features.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from bordermap.build import build
from bordermap.cli import cli
from bordermap.config import load_config
from bordermap.export import article_periods, feature_period
from bordermap.layers import Feature
from bordermap.pipeline import load
from support import many_sources_project

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "bordermap.toml"
OGRINFO = shutil.which("ogrinfo")
needs_gdal = pytest.mark.skipif(OGRINFO is None, reason="ogrinfo (gdal-bin) is not installed")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    result = CliRunner().invoke(cli, ["build", "--config", str(CONFIG), "--out", str(folder), "--tiles", "none"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder


def ogrinfo(*args: str) -> subprocess.CompletedProcess[str]:
    assert OGRINFO is not None
    return subprocess.run([OGRINFO, "-ro", *args], capture_output=True, text=True, check=False)


def test_kml_validates_against_the_ogc_schema(out: Path) -> None:
    from lxml import etree

    xsd = resources.files("pykml").joinpath("schemas", "ogckml22.xsd")
    with resources.as_file(xsd) as path:
        schema = etree.XMLSchema(etree.parse(str(path)))
    doc = etree.parse(str(out / "bordermap.kml"))
    assert schema.validate(doc), schema.error_log.filter_from_errors()


@needs_gdal
def test_geopackage_opens_in_gdal_without_warnings(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    result = ogrinfo(str(out / "bordermap.gpkg"))
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr + result.stdout, result.stderr
    tables = re.findall(r"^\d+: (\S+)", result.stdout, flags=re.M)
    expected = [lid for lid, layer in manifest["layers"].items() if layer["features"]]
    assert set(expected) | set(manifest["annotations"]) <= set(tables)
    for lid in expected:
        summary = ogrinfo("-so", str(out / "bordermap.gpkg"), lid).stdout
        assert f"Feature Count: {manifest['layers'][lid]['features']}" in summary


@needs_gdal
def test_kml_and_geojson_open_in_gdal(out: Path) -> None:
    kml = ogrinfo(str(out / "bordermap.kml"))
    assert kml.returncode == 0 and "Warning" not in kml.stderr, kml.stderr
    for path in sorted((out / "layers").glob("*.geojson")):
        result = ogrinfo("-so", "-al", str(path))
        assert result.returncode == 0 and "Warning" not in result.stderr, (path, result.stderr)
        assert "Geometry: " in result.stdout


def test_the_annotations_geojson_says_what_it_counts(out: Path) -> None:
    import json

    cams = json.loads((out / "layers" / "cameras.geojson").read_text("utf-8"))
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert cams["title"] and cams["claim"] and cams["articles"] == ["000"]
    assert cams["label"].startswith("≈ 8,513 cameras claimed at 100 m spacing")
    assert (cams["count"], cams["spacing_m"], cams["line"]) == (len(cams["features"]), 100, "yalu")
    assert cams["label"] in json.dumps(manifest, ensure_ascii=False)
    assert (
        OGRINFO is None
        or ogrinfo("-so", "-al", str(out / "layers" / "cameras.geojson")).returncode == 0
    )


@needs_gdal
def test_a_mention_joins_back_to_its_article_and_sentence_with_ogrinfo_sql(out: Path) -> None:
    # The GeoPackage's provenance (a view), its tables by id, the articles and sentences are
    # attribute tables GDAL lists without a warning; the view says who says what about
    # Tonghua, and joins as the old table did.
    listed = ogrinfo(str(out / "bordermap.gpkg"))
    assert "Warning" not in listed.stderr + listed.stdout, listed.stderr
    for table in ("provenance", "provenance_entries", "provenance_features", "articles",
                  "sentences"):  # fmt: skip
        assert re.search(rf"^\d+: {table} \(None\)$", listed.stdout, flags=re.M), listed.stdout
    said = ogrinfo(str(out / "bordermap.gpkg"), "-sql",
                   "SELECT outlet, title, sentence_text FROM provenance WHERE layer = "
                   "'checkpoints' AND feature = 'regional:cn-city-tonghua'")  # fmt: skip
    assert "Feature Count: 1" in said.stdout and "Warning" not in said.stderr, said.stderr
    assert "outlet (String) = Daily NK" in said.stdout and "Tonghua" in said.stdout
    sql = (
        "SELECT a.outlet, a.title, s.text, p.mark_start, p.mark_end, p.mentions "
        "FROM provenance p JOIN articles a ON a.id = p.article "
        "JOIN sentences s ON s.id = p.sentence "
        "WHERE p.layer = 'checkpoints' AND p.feature = 'regional:cn-city-tonghua'"
    )
    result = ogrinfo(str(out / "bordermap.gpkg"), "-sql", sql)
    assert result.returncode == 0 and "Warning" not in result.stderr, result.stderr
    assert "Feature Count: 1" in result.stdout
    values = dict(re.findall(r"^  (\w+) \(\w+\) = (.*)$", result.stdout, flags=re.M))
    assert values["outlet"] == "Daily NK"
    assert values["title"].startswith("Chinese authorities expand 5G")
    start, end = int(values["mark_start"]), int(values["mark_end"])
    assert values["text"][start:end] == "Tonghua" and int(values["mentions"]) >= 1


#: Front matter dates as articles write them: a day in words, a month, part of a year.
_DATES = {"a000": "March 3, 2021", "a001": "2022-11", "a002": "mid-2022"}


def _dated_project(root: Path) -> Path:
    """:func:`many_sources_project` of three articles dated as in :data:`_DATES`."""
    project = many_sources_project(root, 3)
    for aid, date in _DATES.items():
        path = root / "articles" / f"{aid}.md"
        text = re.sub(r"^date: .*$", f'date: "{date}"', path.read_text("utf-8"), flags=re.M)
        path.write_text(text, "utf-8")
    return project


@needs_gdal
def test_the_geopackages_dates_are_the_cited_articles_periods(tmp_path: Path) -> None:
    # Each crossing is named by all three articles: from March 3, 2021 (a day written
    # out) to the end of November 2022 (a month); "mid-2022" lies between.  The bounds
    # were the ISO dates' alone: 2022-11-01 to 2022-11-30.
    build(load(load_config(_dated_project(tmp_path))), tmp_path / "out", tiles="none")
    gpkg = str(tmp_path / "out" / "bordermap.gpkg")
    result = ogrinfo(gpkg, "-sql", "SELECT name, date_start, date_end FROM crossings")
    assert result.returncode == 0 and "Warning" not in result.stderr, result.stderr
    found = re.findall(r"^  (\w+) \(\w+\) = (.*)$", result.stdout, flags=re.M)
    assert found == [
        ("name", "Dandong"), ("date_start", "2021/03/03 00:00:00"),
        ("date_end", "2022/11/30 00:00:00"),
        ("name", "Sinuiju"), ("date_start", "2021/03/03 00:00:00"),
        ("date_end", "2022/11/30 00:00:00"),
    ]  # fmt: skip
    # The citations keep the dates as the articles write them.
    cited = ogrinfo(gpkg, "-sql", "SELECT DISTINCT article, date FROM provenance ORDER BY article")
    assert re.findall(r"^  date \(String\) = (.*)$", cited.stdout, flags=re.M) == list(
        _DATES.values()
    )
    # The KML's TimeSpan and the GeoJSON's period say the same span (no claim narrows it).
    kml = (tmp_path / "out" / "bordermap.kml").read_text("utf-8")
    assert kml.count("<TimeSpan><begin>2021-03-03</begin><end>2022-11-30</end></TimeSpan>") == 2
    layer = json.loads((tmp_path / "out" / "layers" / "crossings.geojson").read_text("utf-8"))
    spans = {(f["properties"]["period_start"], f["properties"]["period_end"])
             for f in layer["features"]}  # fmt: skip
    assert spans == {("2021-03-03", "2022-11-30")}


def test_a_features_dates_come_from_its_articles_not_from_its_entries() -> None:
    # An entry's date is the citation as written: the bounds are its article's period
    # (the articles table's, parsed when the article was read), even where the entry
    # says another date; an unknown date, an article the table lacks and a line's
    # source (no article) bound nothing.
    rows = {
        "a": {"id": "a", "date": "March 3, 2021", "period_start": "2021-03-03",
              "period_end": "2021-03-03"},
        "b": {"id": "b", "date": "mid-2022", "period_start": "2022-05-01",
              "period_end": "2022-08-31"},
        "u": {"id": "u", "date": "unknown", "period_start": "", "period_end": ""},
    }  # fmt: skip
    periods = article_periods(rows)
    assert periods == {"a": ("2021-03-03", "2021-03-03"), "b": ("2022-05-01", "2022-08-31")}
    entries = ({"article": "b", "date": "2019"}, {"article": "a", "date": "2030-01-01"},
               {"article": "u", "date": "2018"}, {"article": "gone", "date": "2017"},
               {"article": "", "date": "2016"})  # fmt: skip
    feature = Feature("f", "Dandong", "city", "CN", ((124.4, 40.1),), entries)
    assert feature_period(feature, periods) == ("2021-03-03", "2022-08-31")
    alone = Feature("g", "Yalu", "river", "", ((124.4, 40.1),), entries[2:])
    assert feature_period(alone, periods) == (None, None)


def test_two_layers_of_one_title_are_two_tables_of_the_geopackage(tmp_path: Path) -> None:
    import sqlite3

    towns = 'title = "Towns"\nkinds = ["city"]\n'
    config = tmp_path / "bordermap.toml"
    config.write_text(
        f'[project]\ntitle = "Twice"\ncorpus = ["{ROOT / "seeds"}"]\n'
        f'[[layers]]\nid = "towns"\n{towns}[[layers]]\nid = "again"\n{towns}',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", "--config", str(config), "--tiles", "none"])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(tmp_path / "output" / "bordermap.gpkg")
    got = dict(db.execute("SELECT table_name, identifier FROM gpkg_contents"))
    assert (got["towns"], got["again"]) == ("Towns", "Towns (again)")
