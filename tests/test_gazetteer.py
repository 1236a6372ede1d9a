"""The merged gazetteer: curated data sanity, lookups, and the cache key."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import pytest
from shapely.geometry import Point

from bordermap import gazetteer as G
from bordermap.geometry import country_shape
from bordermap.resolve import haversine_km

KINDS = {
    "country", "province", "region", "city", "county", "river", "mountain", "island",
    "bridge", "crossing", "landmark", "zone",
}  # fmt: skip
ISO3 = {"KP": "PRK", "CN": "CHN", "KR": "KOR"}


def regional_rows() -> list[dict[str, str]]:
    text = resources.files("bordermap").joinpath("data").joinpath("regional.csv").read_text()
    return list(csv.DictReader(io.StringIO(text)))


def test_regional_rows_are_well_formed() -> None:
    rows = regional_rows()
    assert len(rows) >= 100
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["kind"] in KINDS, r["id"]
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180
        for alt in r["names"].split("|"):
            assert len(alt.strip()) >= 2, (r["id"], alt)


def test_settlements_lie_in_their_country() -> None:
    """Towns of the two Koreas and China fall inside (or within 15 km of) the OSM outline."""
    for r in regional_rows():
        if r["kind"] not in ("city", "county") or r["country"] not in ISO3:
            continue
        shape = country_shape(ISO3[r["country"]])
        p = Point(float(r["lon"]), float(r["lat"]))
        if shape.contains(p):
            continue
        nearest = shape.exterior if hasattr(shape, "exterior") else shape.boundary
        from shapely.ops import nearest_points

        q = nearest_points(nearest, p)[0]
        assert haversine_km(p.x, p.y, q.x, q.y) < 15, r["id"]


def test_lookup_knows_the_spellings(gazetteer) -> None:
    for name in ("Sinŭiju", "Sinuiju", "신의주", "新义州", "Namp'o", "Hamheung", "Amnok River"):
        assert gazetteer.lookup(name), name
    refs = {p.ref for p, _ in gazetteer.lookup("Sinuiju")}
    assert any(r.startswith("regional:") for r in refs)


def test_curated_entry_replaces_its_geonames_record(gazetteer) -> None:
    refs = [p.ref for p, _ in gazetteer.lookup("Dandong") if p.country == "CN"]
    assert refs == ["regional:cn-city-dandong"]
    assert gazetteer.by_ref("regional:cn-city-dandong").population > 500_000


def test_cache_key_follows_the_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BORDERMAP_CACHE", str(tmp_path))
    before = G.cache_path()
    assert before.parent == tmp_path and before.name.startswith("gazetteer-")
    real = G._data_text

    def edited(name: str) -> str:
        return real(name) + ("\n# edited" if name == "stopwords.txt" else "")

    monkeypatch.setattr(G, "_data_text", edited)
    assert G.cache_path() != before


def test_unreadable_cache_is_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gazetteer
) -> None:
    """A truncated cache file is rebuilt, not fatal (the rebuild is swapped for the loaded index)."""
    monkeypatch.setenv("BORDERMAP_CACHE", str(tmp_path))
    G.cache_path().write_bytes(b"not a pickle")
    monkeypatch.setattr(G, "_LOADED", None)
    monkeypatch.setattr(G, "build_gazetteer", lambda: gazetteer)
    assert G.load_gazetteer() is gazetteer
    assert G.cache_path().stat().st_size > 1000  # rewritten atomically
    assert [p.name for p in tmp_path.iterdir()] == [G.cache_path().name]
