"""A build from a warm mention cache against another revision, in the same run.

Builds the project of a synthetic corpus (``benchmarks/corpus.py``, written
under ``--dir`` if it is not there) into a fresh output folder, alternately
with this checkout's code and with the code of ``--against`` (a git revision,
exported with ``git archive`` and put first on ``PYTHONPATH``), each side with
a mention cache of its own that one untimed build fills first.  So every timed
build reads all its mentions from the cache and does what a rebuild does for
every page: select the layers, render the pages, write the exports.

Each build runs in a fresh process that times the whole build and, apart, the
calls of ``render`` (the map pages), of ``layers.make_layers``, of ``maps.spec``
and of the pages' rebuild keys (``reuse.content_key``, and ``render.Pages.key``
where the code has it), and their sum (``layers_pages_ratio``: issue 13's
layers and pages), and apart the GeoPackage (``export.write_gpkg``) and the KML
(``export.kml_bytes``), which every build writes again (``exports_cpu_ratio``).
The figures are the medians of
``--runs`` builds per side and the ratios the revision's time over this
checkout's, in wall-clock and in the process's CPU time (which the load of a
shared machine disturbs less).  Every output file of both sides must be byte-identical (the
hidden ``.bordermap-inputs.json`` aside: its keys include a hash of the code);
a speed-up that changes a page is no speed-up.

Run: .venv/bin/python benchmarks/bench_build.py [--against main] [--articles 2000]
[--runs 3] [--dir /tmp/bench-build] [--jobs 1] [--this REV (instead of the checkout)]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from revisions import TIMED, child, differing, export  # noqa: E402

# Runs in the child: one build, the render calls timed apart.
_BODY = """
import json, sys
import bordermap, bordermap.build as build, bordermap.layers as layers
from bordermap.cache import MentionCache
from bordermap.config import load_config
timed(build, "render", "render")
timed(build, "spec", "spec")
timed(build, "content_key", "keys")
if hasattr(build, "Pages"):  # the digests of a page's layers, made for its key
    timed(build.Pages, "key", "keys")
timed(layers, "make_layers", "layers")
timed(build, "write_gpkg", "gpkg")  # the exports every build writes again, in this process
timed(build, "kml_bytes", "kml")
start, cpu = time.perf_counter(), time.process_time()
build.build_file(sys.argv[1], out=__import__("pathlib").Path(sys.argv[2]), jobs=int(sys.argv[3]),
                 cache=MentionCache.default(load_config(sys.argv[1]).focus))
out = {"build": time.perf_counter() - start, "cpu": time.process_time() - cpu,
       "pages": spent["render"][2], "code": bordermap.__file__}
for what, (wall, used, _) in spent.items():
    out[what], out[what + "_cpu"] = wall, used
out["mine"] = sum(spent[k][0] for k in ("render", "spec", "keys", "layers"))
out["mine_cpu"] = sum(spent[k][1] for k in ("render", "spec", "keys", "layers"))
# (0 where the exports are written in another process, which this one does not time)
for what in ("gpkg", "kml"):
    out.setdefault(what, 0.0), out.setdefault(what + "_cpu", 0.0)
out["exports_cpu"] = out["gpkg_cpu"] + out["kml_cpu"]
print(json.dumps(out))
"""
_CHILD = TIMED + _BODY


def build(src: Path, config: Path, out: Path, cache: Path, jobs: int) -> dict[str, float]:
    """One build into an empty ``out`` with the code under ``src``: its times."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(src), "BORDERMAP_CACHE": str(cache)}
    result: dict[str, float] = child(_CHILD, [str(config), str(out), str(jobs)], env)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main", help="git revision to compare with")
    parser.add_argument("--this", help="a git revision to time instead of the checkout's files")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-build"))
    args = parser.parse_args()
    work = args.dir.resolve()
    config = corpus.write_corpus(work / f"c{args.articles}", args.articles)
    this = ROOT / "src" if args.this is None else export(args.this, work / "this")
    sides = {"this": this, args.against: export(args.against, work / "against")}
    caches = {name: work / f"cache-{i}" for i, name in enumerate(sides)}
    outs = {name: work / f"out-{i}" for i, name in enumerate(sides)}
    filled = None
    for name, src in sides.items():  # fill each side's mention cache
        if filled is not None and not caches[name].exists():
            # A copy of the first side's: its entries serve this side too when the
            # parser's code is the same (the cache keys hold its hash), else are unused.
            shutil.copytree(filled, caches[name])
        build(src, config, outs[name], caches[name], args.jobs)
        filled = caches[name]
    times: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    for run in range(args.runs):
        order = list(sides) if run % 2 == 0 else list(sides)[::-1]
        for name in order:
            t = build(sides[name], config, outs[name], caches[name], args.jobs)
            times[name].append(t)
            print(f"run {run + 1} {name}: build {t['build']:.2f} s (CPU {t['cpu']:.2f} s), "
                  f"render {t['render']:.2f} s (CPU {t['render_cpu']:.2f} s, {t['pages']} pages), "
                  f"layers {t['layers']:.2f} s, specs {t['spec']:.2f} s, keys {t['keys']:.2f} s, "
                  f"GeoPackage CPU {t['gpkg_cpu']:.2f} s, KML CPU {t['kml_cpu']:.2f} s",
                  flush=True)  # fmt: skip
        changed = differing(*outs.values())
        if changed:
            raise SystemExit(f"outputs differ: {', '.join(changed)}")
    keys = ("build", "cpu", "render", "render_cpu", "layers", "spec", "keys", "mine", "mine_cpu",
            "gpkg_cpu", "kml_cpu", "exports_cpu")  # fmt: skip
    med = {n: {k: statistics.median(t[k] for t in ts) for k in keys} for n, ts in times.items()}
    this, other = med["this"], med[args.against]

    def ratio(key: str) -> float | None:
        return other[key] / this[key] if this[key] else None

    print(json.dumps({"articles": args.articles, "runs": args.runs, "medians": med,
                      "render_ratio": other["render"] / this["render"],
                      "render_cpu_ratio": other["render_cpu"] / this["render_cpu"],
                      # make_layers + the specs + the pages' keys + render: this one's part
                      "layers_pages_ratio": other["mine"] / this["mine"],
                      "layers_pages_cpu_ratio": other["mine_cpu"] / this["mine_cpu"],
                      "exports_cpu_ratio": ratio("exports_cpu"),
                      "gpkg_cpu_ratio": ratio("gpkg_cpu"), "kml_cpu_ratio": ratio("kml_cpu"),
                      "build_ratio": other["build"] / this["build"],
                      "cpu_ratio": other["cpu"] / this["cpu"],
                      "identical": True, "load": os.getloadavg()}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
