"""Tests for bordermap.layer_refs: parsing layer references and loading layers."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point

from bordermap.errors import LayerError, UnknownLayerError
from bordermap.layer_refs import load_layer, resolve, slug
from bordermap.project import Project
from support import (
    CONFIG,
    DANDONG,
    KNOWN_LAYERS,
)

# ------------------------------------------------------------- distances


def test_slug() -> None:
    assert slug("upgrades") == "upgrades"
    assert slug("data/roads.gpkg:main roads") == "roads-main-roads"
    assert slug("../x.geojson") == "x"


# ------------------------------------------------------------ references


def test_resolve_errors(project: Project, tmp_path: Path) -> None:
    with pytest.raises(UnknownLayerError) as info:
        resolve("nope", project)
    assert str(info.value) == f"unknown layer 'nope' in bordermap.toml (known: {KNOWN_LAYERS})"
    with pytest.raises(UnknownLayerError, match="no such file"):
        resolve(str(tmp_path / "missing.geojson"), project)
    with pytest.raises(UnknownLayerError, match="name a layer"):
        resolve("bordermap.toml", project)


def test_other_project_and_geopackage(tmp_path: Path, project: Project) -> None:
    other = load_layer(f"{CONFIG}:cameras", project, {})
    assert len(other) > 5000 and other.names[0] == "#1"
    out = tmp_path / "build"
    project.build(out, tiles="none")
    gpkg = out / "bordermap.gpkg"
    first = load_layer(str(gpkg))
    assert first.title == "bordermap.gpkg" and len(first) == 3  # the border table comes first
    table = load_layer(f"{gpkg}:upgrades")
    assert sorted(table.names) == sorted(load_layer("upgrades", project).names)
    with pytest.raises(UnknownLayerError, match="unknown table 'roads' in bordermap.gpkg"):
        load_layer(f"{gpkg}:roads")
    # The build's attribute tables hold no geometries: named, they are a usage error.
    for table in ("provenance", "articles", "sentences", "layer_styles"):
        with pytest.raises(UnknownLayerError) as info:
            load_layer(f"{gpkg}:{table}")
        assert str(info.value).startswith(f"table '{table}' of bordermap.gpkg has no geometries")
        assert "provenance" not in str(info.value).split("(tables with geometries: ")[1]


def test_geopackage_of_attribute_tables_only(tmp_path: Path) -> None:
    import pandas as pd
    import pyogrio

    path = tmp_path / "notes.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"note": ["a"]}), path, layer="notes", driver="GPKG")
    with pytest.raises(LayerError, match="notes.gpkg: it holds no table with geometries"):
        load_layer(str(path))


def test_reprojects_other_crs(tmp_path: Path) -> None:
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"name": ["Dandong"]}, geometry=[Point(*DANDONG)], crs="EPSG:4326"
    ).to_crs("EPSG:3857")
    path = tmp_path / "mercator.gpkg"
    frame.to_file(path, layer="places", driver="GPKG")
    layer = load_layer(str(path))
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.frame.geometry[0].x == pytest.approx(DANDONG[0], abs=1e-7)


# --------------------------------------------------------------------- CLI
