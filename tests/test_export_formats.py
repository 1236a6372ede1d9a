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

from bordermap.cli import cli

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
