"""Precision drawn as it is: the shape a mention of a place stands for.

After ACLED's geo-precision, a place is drawn as precisely as the reporting
names it, never more:

* a country: its outline (``countries.geojson`` for the six countries of the
  region, ``world_areas.geojson``, Natural Earth 1:110m, for the others), lightly
  filled; never a pin;
* a province of the region's six countries: its outline (``provinces.geojson``,
  Natural Earth 1:10m Admin 1), lightly filled;
* a border river (the Yalu, the Tumen): its line;
* a town, a site: a point;
* "near X", "close to X", "outside X": the point with an uncertainty radius
  (:data:`NEAR_RADIUS_KM`);
* a province elsewhere, a region, a sea or another river, which the shipped data
  does not outline: its point with a radius standing for its extent
  (:data:`EXTENT_RADIUS_KM`), so that it reads as an area, not a spot.

:func:`shape_of` gives, for a group of mentions of one place, the geometry to
draw instead of the point (or None) and the radius in km (or None).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from bordermap.articles import Article
from bordermap.claims import Cited, Claim, feature_properties
from bordermap.files import data_text
from bordermap.geometry import border_geojson, countries
from bordermap.geoparse import Mention
from bordermap.origins import Origins

__all__ = ["shape_of", "drawn_as", "near", "NEAR_RADIUS_KM", "EXTENT_RADIUS_KM", "RIVER_LINES"]

#: "near X": how far from X's point the place may be, by X's precision (km).
NEAR_RADIUS_KM = {"site": 5.0, "town": 15.0, "district": 30.0}
#: Places the shipped data has no outline for: a radius that stands for their extent (km).
EXTENT_RADIUS_KM = {
    "district": 25.0,
    "province": 150.0,
    "country": 300.0,
    "river": 25.0,
    "sea": 200.0,
    "region": 250.0,
    "continent": 1500.0,
}
#: Rivers drawn as their line: gazetteer ref → border stretch.
RIVER_LINES = {"regional:river-yalu": "yalu", "regional:river-tumen": "tumen"}

_NEAR = re.compile(
    r"\b(?:near|nearby|close to|around|outside|not far from|in the vicinity of|"
    r"on the outskirts of)\s+(?:the\s+)?(?:\S+(?:'s|’s)\s+)?$",
    re.IGNORECASE,
)
_ISO3 = {"CN": "CHN", "KP": "PRK", "KR": "KOR", "RU": "RUS", "JP": "JPN", "MN": "MNG"}


def near(m: Mention, article: Article | None) -> bool:
    """Whether the article says "near" (or "close to", "outside" …) right before ``m``."""
    if article is None or m.start < 0:
        return False
    before = article.text[max(0, m.start - 60) : m.start]
    return bool(_NEAR.search(before))


@cache
def _outlines() -> dict[str, dict[str, Any]]:
    """Country outlines by ISO 3166-1 alpha-2 code (the region's detailed ones win)."""
    out: dict[str, dict[str, Any]] = {}
    world = json.loads(data_text("world_areas.geojson"))
    for f in world["features"]:
        out[f["properties"]["iso_a2"]] = f["geometry"]
    by_iso3 = {v: k for k, v in _ISO3.items()}
    for f in countries()["features"]:
        iso2 = by_iso3.get(f["properties"].get("iso_a3", ""))
        if iso2:
            out[iso2] = f["geometry"]
    return out


def _oriented(geometry: dict[str, Any]) -> dict[str, Any]:
    """A MultiPolygon with RFC 7946's winding: exterior rings counter-clockwise."""
    from shapely.geometry import mapping, shape
    from shapely.geometry.polygon import orient

    polys = shape(geometry)
    parts = [orient(p, sign=1.0) for p in getattr(polys, "geoms", [polys])]
    out = mapping(type(polys)(parts) if hasattr(polys, "geoms") else parts[0])
    coords = out["coordinates"] if out["type"] == "MultiPolygon" else [out["coordinates"]]
    return {"type": "MultiPolygon", "coordinates": json.loads(json.dumps(coords))}


@cache
def _outline(iso2: str) -> dict[str, Any]:
    return _oriented(_outlines()[iso2])


@cache
def _provinces() -> dict[str, dict[str, Any]]:
    """Province outlines by the gazetteer refs they stand for (see geo/derive_provinces.py)."""
    out: dict[str, dict[str, Any]] = {}
    for f in json.loads(data_text("provinces.geojson"))["features"]:
        for ref in f["properties"]["refs"]:
            out[ref] = f["geometry"]
    return out


@cache
def _province(ref: str) -> dict[str, Any]:
    return _oriented(_provinces()[ref])


def _river(ref: str) -> dict[str, Any] | None:
    line = RIVER_LINES.get(ref)
    for f in border_geojson()["features"]:
        if line and f["properties"]["id"] == line:
            return {"type": "LineString", "coordinates": f["geometry"]["coordinates"]}
    return None


def shape_of(
    group: Sequence[Mention], articles: dict[str, Article]
) -> tuple[dict[str, Any] | None, float | None]:
    """What to draw for the mentions ``group`` of one place: (geometry or None, radius km or None).

    The geometry (a country's or province's MultiPolygon, a river's LineString) replaces the
    point; None keeps the point. The radius is set for "near X" and for areas
    without an outline.
    """
    first = group[0]
    precision = first.precision or ""
    if precision == "country" and first.country and first.country in _outlines():
        return _outline(first.country), None
    if precision == "province" and (first.ref or "") in _provinces():
        return _province(first.ref or ""), None
    if precision == "river" and (line := _river(first.ref or "")) is not None:
        return line, None
    if precision in EXTENT_RADIUS_KM:
        return None, EXTENT_RADIUS_KM[precision]
    if any(near(m, articles.get(m.article)) for m in group):
        return None, NEAR_RADIUS_KM.get(precision, NEAR_RADIUS_KM["town"])
    return None, None


def drawn_as(
    group: Sequence[Mention],
    articles: dict[str, Article],
    claims: Sequence[Claim],
    origins: Origins | None,
    cited: Cited | None = None,
    ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A feature's precision, shape, radius and claim properties (issue 14).

    ``ids`` are the articles of ``group`` (sorted, distinct) when the caller has them;
    ``cited`` looks each article up once for every feature of a build (its origins
    must be ``origins``).
    """
    area, radius = shape_of(group, articles)
    if ids is None:
        ids = sorted({m.article for m in group})
    if cited is None:
        props = feature_properties(claims, ids, articles, origins or Origins({}))
    else:
        props = cited.properties(claims, ids)
    return {
        "precision": group[0].precision or "",
        "radius_km": radius,
        "area": area,
        "claim_props": props,
    }
