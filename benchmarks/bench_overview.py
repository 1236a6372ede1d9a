"""The default project's overview map against folium's best built-in approach.

Issue 3's targets: the overview map (``index.html``, every layer, the whole
camera annotation) is under 1 MB and is drawn in headless Chromium at least
3x faster than one ``folium.GeoJson`` of the same camera points with
``prefer_canvas=True``. Also times ``bordermap build`` of every default map
against a baseline process that only imports geopandas and folium.

Loads alternate between the pages (after a warm-up of each); medians are
printed with their ratio. "Ready" is two animation frames after the last layer
was added, the same criterion on both pages (see bench_render.py).  Each page
also prints the floor: the folium page with only two of the points, i.e. what
loading Leaflet and drawing an almost empty map costs.  Drawing 3x faster than
folium needs our whole page to draw in a third of folium's time, and that
third can be no less than this floor.  ``--cpu``
also compares the renderer's main-thread CPU time until ready (from a trace),
which varies far less than wall-clock time on a loaded machine.

Run: .venv/bin/python benchmarks/bench_overview.py [--runs 5] [--points 16000] [--cpu]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_render import CHROMIUM_ARGS, folium_page, load, main_thread_ms  # noqa: E402

from bordermap import Project  # noqa: E402
from bordermap import render as R  # noqa: E402
from bordermap.geometry import border_lines, points_along  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--points", type=int, default=0, help="also a page with this many cameras (e.g. 16000)"
    )
    ap.add_argument("--cpu", action="store_true", help="also compare main-thread CPU time")
    ap.add_argument("--no-build", action="store_true", help="skip timing bordermap build")
    args = ap.parse_args()
    project = Project.load(ROOT / "bordermap.toml")
    spec = project.spec("index", tiles="none")
    pages = {"overview": spec}
    if args.points:
        # The same Yalu line at a closer spacing: as many points as the figure.
        line = border_lines()["yalu"]
        pts = points_along(line, line_length_m(line) / (args.points - 1), 150.0, "right")
        ann = dataclasses.replace(
            spec.annotations[0],
            points=[
                (round(float(x), 5), round(float(y), 5), round(float(d), 1))
                for x, y, d in zip(pts.lon, pts.lat, pts.distance_m, strict=True)
            ],
        )
        pages[f"overview, {len(pts):,} cameras"] = dataclasses.replace(spec, annotations=[ann])

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        print(f"{'page':34s} {'baseline':18s} {'HTML bytes':>11s} {'ready ms':>9s} "
              f"{'folium ms':>10s} {'folium bytes':>13s} {'ratio':>6s}")  # fmt: skip
        baselines = {"bare": False, "with popups": True}
        for name, s in pages.items():
            ours = Path(tmp) / "ours.html"
            ours.write_text(R.render(s), encoding="utf-8")
            theirs = {}
            for label, popups in baselines.items():
                theirs[label] = Path(tmp) / f"folium-{popups}.html"
                theirs[label].write_text(folium_page(s, popups=popups), encoding="utf-8")
            floor = Path(tmp) / "folium-floor.html"
            two = dataclasses.replace(s.annotations[0], points=s.annotations[0].points[:2])
            floor.write_text(folium_page(dataclasses.replace(s, annotations=[two])), "utf-8")
            for path in (ours, floor, *theirs.values()):
                load(browser, path)  # warm-up
            a: list[float] = []
            f: list[float] = []
            b: dict[str, list[float]] = {label: [] for label in theirs}
            for _ in range(args.runs):  # alternate, so load on the machine hits all pages
                a.append(load(browser, ours)[0])
                f.append(load(browser, floor)[0])
                for label, path in theirs.items():
                    b[label].append(load(browser, path)[0])
            ma = statistics.median(a)
            print(f"{name:34s} {'floor (2 points)':18s} {'':11s} {'':9s} "
                  f"{statistics.median(f):10.0f} {floor.stat().st_size:13,d}")  # fmt: skip
            for label, path in theirs.items():
                mb = statistics.median(b[label])
                print(f"{name:34s} {'folium ' + label:18s} {ours.stat().st_size:11,d} {ma:9.0f} "
                      f"{mb:10.0f} {path.stat().st_size:13,d} {mb / ma:5.1f}x")  # fmt: skip
            if args.cpu:
                ca, cb = [], []
                for _ in range(args.runs):
                    ca.append(main_thread_ms(browser, ours))
                    cb.append(main_thread_ms(browser, theirs["bare"]))
                mca, mcb = statistics.median(ca), statistics.median(cb)
                print(f"{'  main-thread CPU ms':34s} {'folium bare':18s} {'':11s} {mca:9.0f} "
                      f"{mcb:10.0f} {'':13s} {mcb / mca:5.1f}x")  # fmt: skip
        browser.close()
    if args.no_build:
        return

    bm, py = str(Path(sys.executable).parent / "bordermap"), sys.executable
    builds, base = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(3):
            base.append(timed([py, "-c", "import geopandas, folium, pyogrio"]))
            builds.append(timed([bm, "build", "--out", tmp, "--tiles", "none"]))
    mb, mbase = statistics.median(builds), statistics.median(base)
    print(f"bordermap build (7 maps + exports): {mb:.2f} s; baseline (import geopandas, "
          f"folium, pyogrio) {mbase:.2f} s; ratio {mb / mbase:.1f}x; target < 3 s")  # fmt: skip


def line_length_m(line: object) -> float:
    from bordermap.geometry import GEOD

    return float(GEOD.geometry_length(line))


def _chromium() -> str:
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no Chromium found")


if __name__ == "__main__":
    main()
