"""A project's own places and corrections: found, pinned, excluded, and said so in the outputs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bordermap.cli import cli
from bordermap.config import parse_config
from bordermap.errors import ConfigError

ARTICLE = """---
id: dmz
title: A day at the DMZ
---
Tours from Seoul stop at Dorasan station and Imjingak before the Peace Village,
Kijong-dong, comes into view. Tours of the JSA were suspended. Sinuiju is far away.
"""

PROJECT = """[project]
title = "DMZ"
corpus = ["articles"]

[[layers]]
id = "dmz"
title = "DMZ places"
countries = ["KR", "KP"]

[[places]]
id = "kijong-dong"
name = "Kijong-dong"
aliases = ["Peace Village"]
kind = "village"
country = "KP"
lat = 37.9419
lon = 126.6539

[[corrections]]
text = "Dorasan"
name = "Dorasan station"
kind = "site"
country = "KR"
lat = 37.8999
lon = 126.7087

[[corrections]]
text = "Tours"
exclude = true

[[corrections]]
text = "Sinuiju"
articles = ["dmz"]
ref = "regional:kp-city-sinuiju"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "dmz.md").write_text(ARTICLE, "utf-8")
    config = tmp_path / "bordermap.toml"
    config.write_text(PROJECT, "utf-8")
    return config


def test_places_and_corrections_show_in_places_and_in_the_map_data(project: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["places", "--config", str(project), "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    rows = {r["name"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows["Kijong-dong"]["match"] == "project" and rows["Kijong-dong"]["mentions"] == 2
    assert rows["Kijong-dong"]["forms"] == "Kijong-dong; Peace Village"
    assert rows["Dorasan station"]["match"] == "project"
    assert "Tours" not in rows  # excluded everywhere: not a French city here
    built = runner.invoke(cli, ["build", "--config", str(project), "--tiles", "none"])
    assert built.exit_code == 0, built.output
    layer = json.loads((project.parent / "output" / "layers" / "dmz.geojson").read_text())
    names = {f["properties"]["name"]: f for f in layer["features"]}
    assert {"Kijong-dong", "Dorasan station"} <= set(names)
    # Its provenance, in the GeoPackage: each entry says the project file corrected it.
    db = sqlite3.connect(project.parent / "output" / "bordermap.gpkg")
    feature = names["Kijong-dong"]["properties"]["id"]
    corrected, sentence = db.execute(
        "SELECT corrected, sentence FROM provenance WHERE layer = 'dmz' AND feature = ?", (feature,)
    ).fetchone()
    assert corrected == "in the project file"
    (quoted,) = db.execute("SELECT text FROM sentences WHERE id = ?", (sentence,)).fetchone()
    assert "Kijong-dong" in quoted
    assert names["Kijong-dong"]["geometry"]["coordinates"] == [126.6539, 37.9419]
    page = (project.parent / "output" / "dmz.html").read_text()
    assert "Kijong-dong" in page and "Dorasan station" in page


def test_a_correction_needs_exactly_one_action(tmp_path: Path) -> None:
    text = '[project]\ntitle = "T"\n[[corrections]]\ntext = "Tours"\nexclude = true\nref = "geonames:1"\n'
    with pytest.raises(ConfigError) as err:
        parse_config(text, tmp_path / "p.toml")
    assert str(err.value) == (
        f"{tmp_path / 'p.toml'}: corrections[0]: give exactly one of exclude = true, "
        'ref = "geonames:…", or lat and lon'
    )


def test_a_pin_to_an_unknown_reference_is_a_project_file_error(project: Path) -> None:
    project.write_text(PROJECT.replace("regional:kp-city-sinuiju", "geonames:0"), "utf-8")
    result = CliRunner().invoke(cli, ["build", "--config", str(project), "--tiles", "none"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {project.resolve()}: corrections: no place 'geonames:0' in the gazetteer; "
        "look it up with `bordermap geocode NAME`\n"
    )
