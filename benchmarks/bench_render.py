"""Time-to-ready of a 16,000-camera map: bordermap.render versus plain folium.

Both pages show the same synthetic river with N camera points at the same
initial (country-scale) view, with no tiles, in headless Chromium:

* **bordermap**: ``render.render`` (river line + label at low zoom; cameras
  drawn only when zoomed in, and only in view).
* **folium**: folium's best built-in approach: one ``folium.GeoJson`` of all
  points drawn as canvas circle markers (``prefer_canvas=True``), no popups or
  tooltips (which would only slow it down).  Its CDN links are replaced by the
  same inlined Leaflet so that it can load offline.

"Ready" is ``performance.now()`` two animation frames after the last layer is
added (so the canvas has painted), the same criterion for both pages.  Loads
alternate between the two pages; the script prints the median of ``--runs``
loads each and their ratio.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_render.py [--points 16000] [--runs 3]
[--basemap src/bordermap/data/countries.geojson]`` (the folium page draws no basemap).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import folium
from branca.element import Element

from bordermap import render as R
from bordermap.snapshot import CHROMIUM_ARGS as SNAPSHOT_CHROMIUM_ARGS

CHROMIUM_ARGS = list(SNAPSHOT_CHROMIUM_ARGS)

BOUNDS = (123.5, 39.3, 129.0, 42.5)
PROVENANCE = [
    {
        "article": "a001",
        "title": "Cameras every 100 metres",
        "outlet": "RFA",
        "date": "2023-06-10",
        "claim": "Cameras were installed at 100 m intervals.",
    }
]


def fake_river(n: int) -> tuple[list[tuple[float, float]], list[tuple[float, float, float]]]:
    """A meandering 600-vertex line across the Yalu's extent and n points spread along it."""
    mouth, source = (124.33, 39.85), (128.10, 41.98)
    line = []
    for i in range(600):
        t = i / 599
        line.append(
            (
                mouth[0] + (source[0] - mouth[0]) * t,
                mouth[1] + (source[1] - mouth[1]) * t + 0.12 * math.sin(t * 40),
            )
        )
    points = []
    for k in range(n):
        x = (k + 0.5) / n * (len(line) - 1)
        i = min(int(x), len(line) - 2)
        f = x - i
        (x0, y0), (x1, y1) = line[i], line[i + 1]
        points.append((x0 + (x1 - x0) * f, y0 + (y1 - y0) * f, k * 100.0))
    return line, points


def make_spec(n: int) -> R.MapSpec:
    line, points = fake_river(n)
    basemap = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso_a3": "PRK", "name": "North Korea"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[124.3, 39.8], [128.2, 42], [130.7, 42.3], [129.5, 38.5], [124.3, 39.8]]
                    ],
                },
            }
        ],
    }
    return R.MapSpec(
        title="Benchmark",
        subtitle=f"{n:,} synthetic cameras",
        layers=[],
        annotations=[
            R.CameraAnnotation(
                layer_id="cameras",
                title="Claimed cameras",
                label=f"≈ {n:,} cameras",
                color="#1f77b4",
                line=line,
                points=points,
                provenance=PROVENANCE,
            )
        ],
        basemap=basemap,
        bounds=BOUNDS,
        tiles=None,
        attribution="synthetic data",
    )


class _Markup(Element):
    """Trusted markup inserted verbatim (not a Jinja template: Leaflet holds braces)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._markup = markup

    def render(self, **kwargs: Any) -> str:
        return self._markup


class _Ready(Element):
    """Readiness flag for the folium page: same double-rAF criterion as bordermap.js."""

    def render(self, **kwargs: Any) -> str:
        return (
            "requestAnimationFrame(function(){requestAnimationFrame(function(){"
            "window.bordermapReadyAt=performance.now();window.bordermapReady=true;"
            "document.documentElement.dataset.ready='1';});});"
        )


def folium_page(spec: R.MapSpec, popups: bool = False) -> str:
    """The same points as one folium.GeoJson of canvas circle markers.

    With ``popups``, each point gets folium's GeoJsonPopup with the camera
    number and distance, the information bordermap's camera popups give.
    """
    west, south, east, north = spec.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2], tiles=None, prefer_canvas=True
    )
    # Offline: drop folium's CDN links and inline the same Leaflet build instead.
    m.default_js = []
    m.default_css = []
    figure = m.get_root()
    figure.header.add_child(_Markup(R.inline_assets()), name="leaflet")  # type: ignore[attr-defined]
    ann = spec.annotations[0]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {"n": i + 1, "km": round(d / 1000, 1)},
        }
        for i, (lon, lat, d) in enumerate(ann.points)
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=ann.title,
        marker=folium.CircleMarker(
            radius=4, color="#ffffff", weight=1, fill=True, fill_color=ann.color, fill_opacity=0.95
        ),
        popup=(
            folium.GeoJsonPopup(fields=["n", "km"], aliases=["Camera", "km from the river mouth"])
            if popups
            else None
        ),
    ).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    figure.script.add_child(_Ready(), name="ready")  # type: ignore[attr-defined]
    return figure.render()


def load(browser: Any, path: Path) -> tuple[float, float]:
    """(ms to ready from navigation start, wall-clock ms for goto + wait) of one fresh load."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.route("http*://**/*", lambda route: route.abort())
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(path.as_uri())
        # A selector wait needs no eval, which the pages' CSP forbids.
        page.wait_for_selector(R.READY_SELECTOR, state="attached", timeout=60_000)
        wall = (time.perf_counter() - start) * 1000
        return float(page.evaluate("window.bordermapReadyAt")), wall
    finally:
        context.close()


def main_thread_ms(browser: Any, path: Path) -> float:
    """Renderer main-thread CPU ms (thread time of its top-level tasks) of one load until ready.

    Wall-clock times on a busy machine mostly measure how long the renderer
    waited for a core; its own CPU time is far steadier, so this compares two
    pages' work even under load.  Taken from a Chrome trace.
    """
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.route("http*://**/*", lambda route: route.abort())
    page = context.new_page()
    try:
        browser.start_tracing(page=page, categories=["devtools.timeline"])
        page.goto(path.as_uri())
        # A selector wait needs no eval, which the pages' CSP forbids.
        page.wait_for_selector(R.READY_SELECTOR, state="attached", timeout=60_000)
        events = json.loads(browser.stop_tracing())["traceEvents"]
    finally:
        context.close()
    # The renderer's main thread is the one that parsed the page.
    parsers = Counter((e["pid"], e["tid"]) for e in events if e.get("name") == "ParseHTML")
    thread = parsers.most_common(1)[0][0]
    tasks = sorted(
        (e for e in events if (e["pid"], e["tid"]) == thread and e.get("ph") == "X"),
        key=lambda e: e["ts"],
    )
    total, end = 0.0, -1.0
    for e in tasks:  # top-level events only: skip those nested in an earlier one
        if e["ts"] >= end:
            total += e.get("tdur", e.get("dur", 0))
            end = e["ts"] + e.get("dur", 0)
    return total / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=16_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--basemap", type=Path, help="country polygons GeoJSON (default: one synthetic polygon)"
    )
    args = parser.parse_args()

    chromium = os.environ.get("BORDERMAP_CHROMIUM") or next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
        None,
    )
    if chromium is None:
        print("no Chromium found (set BORDERMAP_CHROMIUM)", file=sys.stderr)
        return 2

    spec = make_spec(args.points)
    if args.basemap is not None:
        spec = dataclasses.replace(
            spec, basemap=json.loads(args.basemap.read_text(encoding="utf-8"))
        )
    started = time.perf_counter()
    ours_html = R.render(spec)
    render_ms = (time.perf_counter() - started) * 1000
    theirs_html = folium_page(spec)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        ours_path = Path(tmp) / "bordermap.html"
        theirs_path = Path(tmp) / "folium.html"
        ours_path.write_text(ours_html, encoding="utf-8")
        theirs_path.write_text(theirs_html, encoding="utf-8")
        results: dict[str, list[tuple[float, float]]] = {"bordermap": [], "folium": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            try:
                load(browser, ours_path)  # warm-up (browser start, disk cache)
                load(browser, theirs_path)
                for _ in range(args.runs):
                    results["bordermap"].append(load(browser, ours_path))
                    results["folium"].append(load(browser, theirs_path))
            finally:
                browser.close()

    print(f"points: {args.points:,}   runs: {args.runs} each, alternating, after one warm-up")
    print(f"render() time: {render_ms:.0f} ms")
    medians = {}
    for name, html_text in (("bordermap", ours_html), ("folium", theirs_html)):
        ready = statistics.median(r for r, _ in results[name])
        wall = statistics.median(w for _, w in results[name])
        medians[name] = ready
        size = len(html_text.encode())
        print(
            f"{name:>9}: ready {ready:7.0f} ms after navigation start "
            f"(wall {wall:7.0f} ms)   HTML {size:,} bytes   "
            f"runs: {', '.join(f'{r:.0f}' for r, _ in results[name])}"
        )
    print(
        f"ratio folium / bordermap (median ready): {medians['folium'] / medians['bordermap']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
