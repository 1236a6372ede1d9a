"""Shared test data: places with known coordinates and small layer files."""

from __future__ import annotations

import base64
import importlib.util
import json
import math
import re
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import Geod
from shapely.geometry import LineString

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "bordermap.toml"
WGS84 = Geod(ellps="WGS84")

# GeoNames coordinates (as in the shipped gazetteer), lon/lat.
DANDONG = (124.39472, 40.12917)
SINUIJU = (124.39806, 40.10056)
HYESAN = (128.17778, 41.40167)
KNOWN_LAYERS = "arrests, border, cameras, checkpoints, context, upgrades"

#: A packed data block of a map page (render/_encode.py): its length, id and base64 text.
PACKED_BLOCK = re.compile(
    r'<script type="application/octet-stream" data-encoding="zlib-base64" '
    r'data-size="(\d+)" id="(bm-[0-9a-f]{8}-\d+)">([^<]*)</script>'
)


def unpacked(page: str) -> str:
    """A page with each packed data block written as the plain JSON block it holds."""

    def plain(m: re.Match[str]) -> str:
        text = zlib.decompress(base64.b64decode(m.group(3))).decode()
        return f'<script type="application/json" id="{m.group(2)}">{text}</script>'

    return PACKED_BLOCK.sub(plain, page)


def brute_km(lon: float, lat: float, line: LineString, step_m: float = 10.0) -> float:
    """Geodesic distance from a point to a line sampled every ``step_m`` or less.

    Segments are straight in lon/lat, as RFC 7946 defines them and the map draws them.
    """
    coords = np.asarray(line.coords)
    pts = [coords[:1]]
    for (x1, y1), (x2, y2) in zip(coords[:-1], coords[1:], strict=True):
        _, _, seg = WGS84.inv(x1, y1, x2, y2)
        t = np.linspace(0.0, 1.0, max(2, int(math.ceil(seg / step_m)) + 1))[1:]
        pts.append(np.column_stack([x1 + (x2 - x1) * t, y1 + (y2 - y1) * t]))
    arr = np.concatenate(pts)
    _, _, d = WGS84.inv(np.full(len(arr), lon), np.full(len(arr), lat), arr[:, 0], arr[:, 1])
    return float(np.min(d)) / 1000.0


def point_file(path: Path, points: list[tuple[str, tuple[float, float]]]) -> Path:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(xy)},
            "properties": {"name": name},
        }
        for name, xy in points
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def many_sources_project(root: Path, n: int, hostile_title: str = "") -> Path:
    """A project of ``n`` short articles (four outlets, 2019–2022) naming Dandong and Sinuiju.

    The first article's title is ``hostile_title`` when given. Returns the project file.
    """
    corpus = root / "articles"
    corpus.mkdir(parents=True)
    for i in range(n):
        title = hostile_title if i == 0 and hostile_title else f"Report {i} on the Yalu crossings"
        (corpus / f"a{i:03d}.md").write_text(
            f"---\nid: a{i:03d}\ntitle: {json.dumps(title)}\noutlet: Outlet {i % 4}\n"
            f"date: {2019 + i % 4}-0{1 + i % 9}-15\n---\n"
            f"Traders crossed the Yalu between Dandong and Sinuiju (report {i}).\n",
            encoding="utf-8",
        )
    project = root / "bordermap.toml"
    project.write_text(
        '[project]\ntitle = "Crossings on the Yalu"\ncorpus = ["articles"]\n'
        '[[layers]]\nid = "crossings"\ntitle = "Crossings"\nplaces = ["Dandong", "Sinuiju"]\n',
        encoding="utf-8",
    )
    return project


def corpus_generator() -> Any:
    """``benchmarks/corpus.py`` (the synthetic corpus generator) as a module."""
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: A project line whose name is hostile markup (it reaches the coverage summary).
HOSTILE_LINE = '<img src=x onerror=alert(1)> "fence" & </script>'


def coverage_project(root: Path) -> tuple[Path, dict[str, float]]:
    """A project whose two places stand 3 km off the Yalu at km 100 and 400 from its
    mouth (so the stretch between them is named by no article), with an annotation
    on the Yalu, a line of its own (with ``HOSTILE_LINE`` as its name) and articles
    dated 2018, June 2021 and not at all.

    Returns the project file and each place's km along the Yalu.
    """
    from bordermap.geometry import points_along
    from bordermap.lines import shipped

    yalu = shipped()["yalu"].oriented("mouth")
    spaced = points_along(yalu, 100_000.0, 3_000.0, "left")
    places = {"Ridge Post": 1, "Ferry Post": 4}
    corpus = root / "articles"
    corpus.mkdir(parents=True)
    for aid, date, names in (("a1", "2018", ["Ridge Post"]), ("a2", "2021-06", ["Ferry Post"]),
                             ("a3", "", ["Ridge Post", "Ferry Post"])):  # fmt: skip
        head = f"---\nid: {aid}\ntitle: Report {aid}\n" + (f"date: {date}\n" if date else "")
        body = " ".join(f"Traders met at {n} last week." for n in names)
        (corpus / f"{aid}.md").write_text(f"{head}---\n{body}\n", encoding="utf-8")
    (root / "fence.geojson").write_text(json.dumps({"type": "LineString", "coordinates": [
        [129.60, 42.40], [129.70, 42.45]]}), encoding="utf-8")  # fmt: skip
    text = (
        '[project]\ntitle = "Posts on the Yalu"\ncorpus = ["articles"]\n[basemap]\ntiles = "none"\n'
    )
    for name, i in places.items():
        pid = name.lower().replace(" ", "-")
        text += (f'[[places]]\nid = "{pid}"\nname = "{name}"\nkind = "town"\ncountry = "KP"\n'
                 f"lat = {float(spaced.lat[i]):.6f}\nlon = {float(spaced.lon[i]):.6f}\n")  # fmt: skip
    text += (
        f'[[lines]]\nid = "fence"\nfile = "fence.geojson"\nname = {json.dumps(HOSTILE_LINE)}\n'
        '[[layers]]\nid = "posts"\ntitle = "Posts"\nplaces = ["Ridge Post", "Ferry Post"]\n'
        '[[annotations]]\nid = "cameras"\ntitle = "Cameras every km"\nline = "yalu"\n'
        "spacing_m = 1000\n"
    )
    project = root / "bordermap.toml"
    project.write_text(text, encoding="utf-8")
    return project, {name: float(spaced.distance_m[i]) / 1000 for name, i in places.items()}
