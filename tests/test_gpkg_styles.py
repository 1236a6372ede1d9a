"""The GeoPackage's ``layer_styles`` draw each table as the geometry it holds, checked
through GDAL's ``ogrinfo``: a table of country outlines gets a fill, a river a line, towns
markers, and a table mixing them one rule per geometry type (issue 14)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from bordermap.build import build
from bordermap.config import load_config
from bordermap.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
OGRINFO = shutil.which("ogrinfo")
pytestmark = pytest.mark.skipif(OGRINFO is None, reason="ogrinfo (gdal-bin) is not installed")

PROJECT = """
[project]
title = "Outlines, rivers and towns"
corpus = [{corpus}]

[basemap]
tiles = "none"

[[layers]]
id = "outlines"
title = "Countries"
color = "#2ca02c"
kinds = ["country"]

[[layers]]
id = "rivers"
title = "Rivers"
color = "#1f77b4"
kinds = ["river"]

[[layers]]
id = "towns"
title = "Towns"
color = "#d62728"
kinds = ["city"]

[[layers]]
id = "mixed"
title = "A country, a river and a town"
color = "#7f7f7f"
places = ["North Korea", "Yalu River", "Sinuiju"]
"""

#: ogrinfo's name of a table's geometry type -> the one symbol its style must have.
SINGLE = {"Point": "marker", "Line String": "line", "Multi Polygon": "fill"}
#: A feature's geometry type (ST_GeometryType) -> the symbol and QGIS geometry_type() name.
FEATURE = {"POINT": ("marker", "Point"), "LINESTRING": ("line", "Line"),
           "MULTIPOLYGON": ("fill", "Polygon")}  # fmt: skip
SLD = {"marker": "PointSymbolizer", "line": "LineSymbolizer", "fill": "PolygonSymbolizer"}
SE = "{http://www.opengis.net/se}"


def ogrinfo(*args: str) -> str:
    assert OGRINFO is not None
    result = subprocess.run([OGRINFO, "-ro", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Warning" not in result.stderr, result.stderr
    return result.stdout


def values(output: str, column: str) -> list[str]:
    return re.findall(rf"^  {column} \(String\) = (.*)$", output, flags=re.M)


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("styles")
    corpus = '"' + str(ROOT / "seeds").replace("\\", "\\\\") + '"'
    (root / "bordermap.toml").write_text(PROJECT.format(corpus=corpus), encoding="utf-8")
    build(load(load_config(root / "bordermap.toml")), root / "out", tiles="none")
    return root / "out" / "bordermap.gpkg"


def geometry_type(gpkg: Path, table: str) -> str:
    found = re.search(r"^Geometry: (.+)$", ogrinfo("-so", str(gpkg), table), flags=re.M)
    assert found, table
    return found.group(1)


def feature_types(gpkg: Path, table: str) -> set[str]:
    sql = f"SELECT DISTINCT ST_GeometryType(geom) AS t FROM {table}"
    return set(values(ogrinfo(str(gpkg), "-sql", sql), "t"))


def styles(gpkg: Path) -> dict[str, tuple[str, str]]:
    out = ogrinfo(str(gpkg), "-sql", "SELECT f_table_name, styleQML, styleSLD FROM layer_styles")
    tables, qml, sld = (values(out, c) for c in ("f_table_name", "styleQML", "styleSLD"))
    assert len(tables) == len(qml) == len(sld)
    return {t: (q, s) for t, q, s in zip(tables, qml, sld, strict=True)}


def qml_symbols(qml: str) -> tuple[str, list[str], dict[str, str]]:
    """The renderer type, its symbols' types in order, and each rule's filter by symbol type."""
    tree = etree.fromstring(qml.split(">", 1)[1].encode("utf-8"))  # past the DOCTYPE
    renderer = tree.find("renderer-v2")
    assert renderer is not None
    symbols = {s.get("name"): s.get("type") for s in renderer.iter("symbol")}
    rules = {symbols[r.get("symbol")]: r.get("filter") for r in renderer.iter("rule")}
    return renderer.get("type"), list(symbols.values()), rules


def sld_symbolizers(sld: str) -> list[str]:
    tree = etree.fromstring(sld.encode("utf-8"))
    return [el.tag.removeprefix(SE) for el in tree.iter() if el.tag.endswith("Symbolizer")]


def test_a_table_of_one_geometry_type_gets_that_symbol(gpkg: Path) -> None:
    by_table = styles(gpkg)
    seen = {}
    for table in ("outlines", "rivers", "towns"):
        kind = geometry_type(gpkg, table)
        seen[table] = kind
        renderer, symbols, rules = qml_symbols(by_table[table][0])
        assert renderer == "singleSymbol" and rules == {}, table
        assert symbols == [SINGLE[kind]], (table, kind, symbols)
        assert sld_symbolizers(by_table[table][1]) == [SLD[SINGLE[kind]]], table
    assert seen == {"outlines": "Multi Polygon", "rivers": "Line String", "towns": "Point"}


def test_a_mixed_table_gets_a_rule_per_geometry_type(gpkg: Path) -> None:
    assert geometry_type(gpkg, "mixed") == "Unknown (any)"
    types = feature_types(gpkg, "mixed")
    assert types == {"POINT", "LINESTRING", "MULTIPOLYGON"}
    qml, sld = styles(gpkg)["mixed"]
    renderer, symbols, rules = qml_symbols(qml)
    assert renderer == "RuleRenderer"
    assert sorted(symbols) == sorted(FEATURE[t][0] for t in types)
    for t in types:
        symbol, qgis_name = FEATURE[t]
        assert rules[symbol] == f"geometry_type(@geometry) = '{qgis_name}'"
    assert sorted(sld_symbolizers(sld)) == sorted(SLD[FEATURE[t][0]] for t in types)


def test_every_tables_style_draws_exactly_what_it_holds(gpkg: Path) -> None:
    # Every table with a style, whatever it holds: the style's symbols are the
    # families of the geometries written, no more and no fewer.
    for table, (qml, _) in styles(gpkg).items():
        types = feature_types(gpkg, table)
        _, symbols, _ = qml_symbols(qml)
        assert sorted(symbols) == sorted({FEATURE[t][0] for t in types}), (table, types)
