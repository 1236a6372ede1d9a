"""The map page at corpus scale (issue 13, the page's side).

Generates a corpus of 5,000 articles with ``benchmarks/corpus.py`` (thousands
of distinct places, many articles per place), geoparses it as a build does,
builds its overview page (every layer, the border, the camera annotation) and
measures, against the default project's overview in the same run:

* the size of ``index.html`` (budget: 5 MB);
* time to drawn in headless Chromium (``window.bordermapReadyAt``, two
  animation frames after the last layer was added), medians of alternating
  loads (target: at most 1.5x the default map's);
* the longest main-thread task until drawn (Chromium's PerformanceObserver
  ``longtask`` entries; target: none over 200 ms);
* opening the popup of the most-named place drawn on its own (not in a cluster).

And, on a page of the annotation alone with 100,000 cameras: panning and
zooming at camera zoom, the longest frame (intervals between animation
frames while the page pans and zooms, animated) and the longest task
(target: no frame over 50 ms).

Each page is also measured with its subtitle and the attribution's list of
article ids cut to one line each, to tell the page's own cost from theirs. ``--synthetic`` makes the
Mention and Article objects directly instead (no geoparsing; ``--places``
distinct places, every one named twice per article).

Run: .venv/bin/python benchmarks/bench_page.py [--articles 5000] [--runs 3] [--synthetic]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bordermap.articles import Article
from bordermap.config import load_config
from bordermap.geoparse import Mention
from bordermap.maps import spec as map_spec
from bordermap.pipeline import Parts
from bordermap.render import READY_SELECTOR, render
from bordermap.snapshot import CHROMIUM_ARGS, find_browser

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]

PROJECT = """
[project]
title = "A synthetic archive of the China–North Korea border"
corpus = ["."]
[focus]
bbox = [121.5, 37.0, 131.0, 44.0]
[[layers]]
id = "border"
title = "China–North Korea border"
color = "#3b3b3b"
source = "border"
claim = "The boundary follows the Yalu and Tumen rivers."
[[layers]]
id = "cn"
title = "Towns in China"
color = "#d62728"
countries = ["CN"]
claim = "Named as a town where border controls were tightened."
[[layers]]
id = "kp"
title = "Towns in North Korea"
color = "#1f77b4"
countries = ["KP"]
kinds = ["city"]
claim = "Named as a town where mobile networks were upgraded."
[[layers]]
id = "context"
title = "Other places"
color = "#7f7f7f"
rest = true
claim = "Named in the articles."
[[annotations]]
id = "cameras"
title = "Claimed cameras"
color = "#9467bd"
line = "yalu"
spacing_m = {spacing}
side = "KP"
claim = "Cameras every so many metres along the Yalu."
[[maps]]
id = "index"
title = "A synthetic archive"
layers = ["border", "cameras", "cn", "kp", "context"]
"""

SYLLABLES = ["an", "bong", "chon", "dan", "dong", "gang", "hae", "hwa", "jin", "ju", "kang",
             "kyo", "li", "man", "myong", "nam", "ok", "pyong", "ri", "san", "song", "sun",
             "tong", "u", "won", "yang", "yon", "zhou", "he", "shan", "bei", "xi"]  # fmt: skip
WORDS = ("officials said guards at the crossing near {} were checking phones and "
         "smugglers had moved their goods further upriver after the new fence was "
         "finished last spring, according to a source who asked not to be named"
         ).split()  # fmt: skip
OUTLETS = ["Daily NK", "Radio Free Asia", "NK News", "Yonhap", "38 North", "Asia Press",
           "The Diplomat", "Reuters", "AP", "Korea JoongAng Daily"]  # fmt: skip


def corpus(
    n_articles: int, n_places: int, seed: int = 13
) -> tuple[dict[str, Article], list[Mention]]:
    """Articles and their mentions: places drawn Zipf-like, each article naming ~25 of them."""
    rng = random.Random(seed)
    places = []
    for i in range(n_places):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        country = "CN" if i % 2 else "KP"
        lon = rng.uniform(121.6, 130.9)
        lat = rng.uniform(40.5, 43.9) if country == "CN" else rng.uniform(37.8, 42.2)
        places.append((f"{name} {i}", country, round(lon, 5), round(lat, 5), f"synthetic:{i}"))
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_places)]
    articles: dict[str, Article] = {}
    mentions: list[Mention] = []
    for a in range(n_articles):
        aid = f"{a:05d}"
        meta = {
            "title": f"Report {a}: " + " ".join(rng.choice(WORDS) for _ in range(8)),
            "outlet": rng.choice(OUTLETS),
            "date": f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }
        chosen = rng.choices(range(n_places), weights=weights, k=25)
        body, found = [], []
        offset = 0
        for p in chosen * 2:  # every place twice: two sentences
            name, country, lon, lat, ref = places[p]
            words = rng.sample(WORDS, 14)
            words.insert(rng.randint(0, 14), name)
            sentence = " ".join(words) + "."
            sentence = sentence[0].upper() + sentence[1:]
            start = offset + sentence.index(name)
            found.append((start, name, country, lon, lat, ref, sentence))
            body.append(sentence)
            offset += len(sentence) + 1
        text = " ".join(body)
        articles[aid] = Article(aid, text, meta)
        for start, name, country, lon, lat, ref, sentence in found:
            mentions.append(
                Mention(
                    aid,
                    start,
                    start + len(name),
                    name,
                    name,
                    "city",
                    country,
                    lat,
                    lon,
                    ref,
                    0.9,
                    sentence,
                    "gazetteer",
                    "town",
                )  # fmt: skip
            )
    return articles, mentions


def parts_for(folder: Path, spacing_m: float, data: Any = None) -> Parts:
    path = folder / "bordermap.toml"
    path.write_text(PROJECT.replace("{spacing}", repr(spacing_m)), "utf-8")
    parts = Parts(load_config(path))
    if data is not None:  # cached_property: the corpus is given, not read
        parts.__dict__["articles"], parts.__dict__["mentions"] = data
    return parts


LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__longtasks.push(e.duration); });
}).observe({ entryTypes: ["longtask"] });
"""


def load(browser: Any, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.route("http*://**/*", lambda route: route.abort())
    context.add_init_script(LONGTASKS)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_selector(READY_SELECTOR, state="attached", timeout=120_000)
        ready = float(page.evaluate("window.bordermapReadyAt"))
        tasks = page.evaluate("window.__longtasks.slice()")
        return {"ready": ready, "longest": max(tasks, default=0.0)}
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


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--places", type=int, default=4000)
    ap.add_argument("--cameras", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2, help="geoparsing processes")
    ap.add_argument(
        "--synthetic", action="store_true", help="mentions made directly, no geoparsing"
    )
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from bordermap import Project

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        default = out / "default.html"
        own = Project.load(ROOT / "bordermap.toml").spec("index", tiles="none")
        default.write_text(render(own))
        if args.synthetic:
            data = corpus(args.articles, args.places)
            big_spec = map_spec(parts_for(out, 100.0, data), "index", tiles="none")
        else:  # benchmarks/corpus.py's articles, geoparsed as a build does
            from corpus import write_corpus

            parts = Parts(load_config(write_corpus(out / "corpus", args.articles)), jobs=args.jobs)
            data = (parts.articles, parts.mentions)
            big_spec = map_spec(parts, "index", tiles="none")
        n_mentions = len(data[1])
        big = out / "big.html"
        big.write_text(render(big_spec))
        # The same page with the subtitle and the attribution's list of article
        # ids cut to one line each, to tell the page's own cost from theirs.
        short = out / "short.html"
        short.write_text(render(dataclasses.replace(
            big_spec, subtitle=f"Sources: {len(data[0]):,} articles",
            attribution=big_spec.attribution.split(" · Articles:")[0])))  # fmt: skip
        # About 851 km of the Yalu: the spacing that gives args.cameras points.
        cams = out / "cams.html"
        cam_parts = parts_for(out, round(851_200 / args.cameras, 3), ({}, []))
        cam_spec = map_spec(cam_parts, "cameras", tiles="none")
        cams.write_text(render(cam_spec))
        mid = cam_spec.annotations[0].points[len(cam_spec.annotations[0].points) // 2]
        n_cams = len(cam_spec.annotations[0].points)

        sizes = {p.name: p.stat().st_size for p in (default, big, short, cams)}
        print(f"corpus: {args.articles:,} articles, {n_mentions:,} mentions, "
              f"{len({m.ref for m in data[1]}):,} distinct places")  # fmt: skip
        print(f"index.html at {args.articles:,} articles: {sizes['big.html'] / 1e6:.2f} MB "
              f"(budget 5 MB; {(len(big_spec.subtitle) + len(big_spec.attribution)) / 1e6:.2f} MB "
              f"of it the subtitle and attribution); default overview "
              f"{sizes['default.html'] / 1e6:.2f} MB")  # fmt: skip

        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=find_browser(), headless=True, args=list(CHROMIUM_ARGS)
            )
            pages = {"default": default, "big": big, "short": short}
            for path in pages.values():  # warm-up
                load(browser, path)
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
            for _ in range(args.runs):
                for name, path in pages.items():
                    runs[name].append(load(browser, path))
            d = median([r["ready"] for r in runs["default"]])
            dl = max(r["longest"] for r in runs["default"])
            for name, what in (("big", "as built"), ("short", "subtitle, attribution cut")):
                b = median([r["ready"] for r in runs[name]])
                longest = max(r["longest"] for r in runs[name])
                print(f"{what}: drawn in {b:.0f} ms vs default {d:.0f} ms: {b / d:.2f}x "
                      f"(target <= 1.5x); longest task {longest:.0f} ms vs default "
                      f"{dl:.0f} ms (target <= 200 ms)")  # fmt: skip

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
