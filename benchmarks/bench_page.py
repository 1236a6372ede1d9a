"""The map page at corpus scale (issue 13, the page's side).

Writes a corpus of 5,000 articles and its project with ``benchmarks/corpus.py``
(thousands of distinct places, many articles per place; the overview opens on
the project's focus), geoparses it as a build does, builds its overview page
(every layer, the border, the camera annotation) and measures, against the
default project's overview in the same run:

* the size of ``index.html`` (budget: 5 MB);
* time to drawn in headless Chromium (``window.bordermapReadyAt``, two
  animation frames after the last layer was added), medians of alternating
  loads (target: at most 1.5x the default map's);
* the longest main-thread task until drawn (Chromium's PerformanceObserver
  ``longtask`` entries; target: none over 200 ms);
* where each page's time goes: the HTML parsed and the page's script run
  (``domInteractive``), then each job of the page's queue (the
  ``bordermap <name>`` performance measures: one per layer, the cameras,
  the claims), medians;
* opening the popup of the most-named place drawn on its own (not in a cluster).

And, on a page of the corpus project's camera annotation alone with 100,000
cameras: panning and zooming at camera zoom, the longest frame (intervals
between animation frames while the page pans and zooms, animated) and the
longest task (target: no frame over 50 ms).

``--keep DIR`` also writes the pages there (to profile them in a browser).
``--against REV`` also renders the same two overviews with the code of a git
revision (``benchmarks/revisions.py``) and loads all four alternately, so
that both versions' ratios come from the same run; each ratio is also given
as the median of the ratios of adjacent loads (the default, then the big one).

Run: .venv/bin/python benchmarks/bench_page.py [--articles 5000] [--runs 3] [--keep DIR]
[--against REV]
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bordermap.config import load_config
from bordermap.maps import spec as map_spec
from bordermap.pipeline import Parts
from bordermap.render import READY_SELECTOR, render
from bordermap.snapshot import CHROMIUM_ARGS, find_browser

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]


LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__longtasks.push(e.duration); });
}).observe({ entryTypes: ["longtask"] });
"""


MEASURES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const out = {parsed: nav.domInteractive};
  for (const m of performance.getEntriesByType("measure")) {
    if (m.name.startsWith("bordermap ")) out[m.name.slice(10)] = m.duration;
  }
  return out;
}"""


def load(browser: Any, path: Path) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.route("http*://**/*", lambda route: route.abort())
    context.add_init_script(LONGTASKS)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_selector(READY_SELECTOR, state="attached", timeout=120_000)
        ready = float(page.evaluate("window.bordermapReadyAt"))
        tasks = page.evaluate("window.__longtasks.slice()")
        return {"ready": ready, "longest": max(tasks, default=0.0),
                "parts": page.evaluate(MEASURES)}  # fmt: skip
    finally:
        context.close()


BIGGEST_POPUP = """() => {
  let best = null;
  for (const id of Object.keys(window.bordermapLayers)) {
    const entry = window.bordermapLayers[id];
    if (!entry.markers) continue;  // a layer of points (points.js)
    entry.markers.eachLayer(l => {
      if (l.feature && (!best || l.feature.weight > best.feature.weight)) best = l;
    });
  }
  const t = performance.now();
  best.openPopup();
  return [performance.now() - t, best.feature.weight];
}"""

PAN_ZOOM = """async ([lat, lon]) => {
  const map = window.bordermapMap;
  map.setView([lat, lon], 12, {animate: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  window.__longtasks.length = 0;
  let last = performance.now(), longest = 0, frames = 0, running = true;
  const tick = t => { longest = Math.max(longest, t - last); last = t; frames++;
                      if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(t => { last = t; requestAnimationFrame(tick); });
  const settle = () => new Promise(r => map.once('moveend', () => setTimeout(r, 50)));
  for (let i = 0; i < 12; i++) {
    const done = settle();
    map.panBy([i % 4 < 2 ? 400 : -400, i % 3 === 0 ? 150 : -100]);
    await done;
  }
  for (const z of [13, 14, 13, 12, 13, 15, 12]) {
    const done = settle();
    map.setZoom(z);
    await done;
  }
  running = false;
  const cams = window.bordermapLayers.cameras.drawn().length;
  return {longest, frames, tasks: window.__longtasks.slice(), cameras: cams};
}"""


RENDER = """
import pickle, sys
from pathlib import Path
from bordermap.render import render
specs = pickle.loads(Path(sys.argv[1]).read_bytes())
for name, spec in specs.items():
    Path(sys.argv[2], name + ".html").write_text(render(spec))
print("[]")
"""


def against(rev: str, out: Path, own: Any, big: Any) -> dict[str, Path]:
    """The two overviews rendered by revision ``rev``'s code: {"default@rev": path, ...}."""
    from revisions import child, export

    src = export(rev, out / "rev")
    specs = out / "specs.pickle"
    names = {f"default@{rev}": own, f"big@{rev}": big}
    specs.write_bytes(pickle.dumps(names))
    env = {**os.environ, "PYTHONPATH": str(src)}
    child(RENDER, [str(specs), str(out)], env)
    return {name: out / f"{name}.html" for name in names}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--cameras", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2, help="geoparsing processes")
    ap.add_argument("--keep", type=Path, help="also write the pages into this folder")
    ap.add_argument("--against", metavar="REV", help="also load the pages of a git revision")
    args = ap.parse_args()
    from corpus import write_corpus, write_project
    from playwright.sync_api import sync_playwright

    from bordermap import Project

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        default = out / "default.html"
        own = Project.load(ROOT / "bordermap.toml").spec("index", tiles="none")
        default.write_text(render(own))
        parts = Parts(load_config(write_corpus(out / "corpus", args.articles)), jobs=args.jobs)
        big_spec = map_spec(parts, "index", tiles="none")
        big = out / "big.html"
        big.write_text(render(big_spec))
        # About 851 km of the Yalu: the spacing that gives args.cameras points.
        (out / "cams").mkdir()
        cam_project = write_project(out / "cams", 0, spacing_m=round(851_200 / args.cameras, 3))
        cam_parts = Parts(load_config(cam_project))
        cam_parts.__dict__["articles"], cam_parts.__dict__["mentions"] = {}, []  # no corpus
        logging.getLogger("bordermap").setLevel(logging.ERROR)  # its layers are empty: no news
        cam_spec = map_spec(cam_parts, "cameras", tiles="none")
        cams = out / "cams.html"
        cams.write_text(render(cam_spec))
        mid = cam_spec.annotations[0].points[len(cam_spec.annotations[0].points) // 2]
        n_cams = len(cam_spec.annotations[0].points)
        pages = {"default": default, "big": big}
        if args.against:
            pages.update(against(args.against, out, own, big_spec))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in (*pages.values(), cams):
                shutil.copyfile(path, args.keep / path.name)

        sizes = {p.name: p.stat().st_size for p in (default, big, cams)}
        mentions = parts.mentions
        drawn = ", ".join(f"{x.id} {len(x.geojson['features']):,}" for x in big_spec.layers)
        places = len({m.ref for m in mentions})
        print(f"corpus: {args.articles:,} articles, {len(mentions):,} mentions, "
              f"{places:,} distinct places; features drawn: {drawn}")  # fmt: skip
        print(f"index.html at {args.articles:,} articles: {sizes['big.html'] / 1e6:.2f} MB "
              f"(budget 5 MB); default overview {sizes['default.html'] / 1e6:.2f} MB")  # fmt: skip

        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=find_browser(), headless=True, args=list(CHROMIUM_ARGS)
            )
            for path in pages.values():  # warm-up
                load(browser, path)
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name in pages}
            for _ in range(args.runs):
                for name, path in pages.items():
                    runs[name].append(load(browser, path))
            print("load average while loading the pages: "
                  + " ".join(f"{x:.1f}" for x in os.getloadavg()))  # fmt: skip
            for side in ("", f"@{args.against}") if args.against else ("",):
                bigs, defaults = runs["big" + side], runs["default" + side]
                d = median([r["ready"] for r in defaults])
                b = median([r["ready"] for r in bigs])
                pairs = median([x["ready"] / y["ready"]
                                for x, y in zip(bigs, defaults, strict=True)])  # fmt: skip
                dl = max(r["longest"] for r in defaults)
                longest = max(r["longest"] for r in bigs)
                print(f"{side or 'this checkout'}: drawn in {b:.0f} ms vs default {d:.0f} ms: "
                      f"{b / d:.2f}x, adjacent pairs {pairs:.2f}x (target <= 1.5x); longest task "
                      f"{longest:.0f} ms vs default {dl:.0f} ms (target <= 200 ms)")  # fmt: skip
            for name in pages:
                got = [r["parts"] for r in runs[name]]
                each = [f"{n} {median([p.get(n, 0.0) for p in got]):.0f}" for n in got[0]]
                print(f"  {name}, ms: " + ", ".join(each))

            context = browser.new_context(viewport={"width": 1200, "height": 800})
            context.add_init_script(LONGTASKS)
            page = context.new_page()
            page.goto(big.as_uri())
            page.wait_for_selector(READY_SELECTOR, state="attached", timeout=120_000)
            ms, weight = page.evaluate(BIGGEST_POPUP)
            print(f"popup of the most-named place drawn alone ({weight:.0f} articles): {ms:.0f} ms")
            context.close()

            context = browser.new_context(viewport={"width": 1200, "height": 800})
            context.add_init_script(LONGTASKS)
            page = context.new_page()
            page.goto(cams.as_uri())
            page.wait_for_selector(READY_SELECTOR, state="attached", timeout=120_000)
            res = page.evaluate(PAN_ZOOM, [mid[1], mid[0]])
            context.close()
            browser.close()
        print(f"{n_cams:,}-camera annotation ({sizes['cams.html'] / 1e6:.2f} MB), 12 pans and "
              f"7 zooms at zoom 12-15: longest frame {res['longest']:.0f} ms over "
              f"{res['frames']} frames, longest task {max(res['tasks'], default=0):.0f} ms "
              f"(target: no frame over 50 ms); {res['cameras']} cameras drawn at the end"
              )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
