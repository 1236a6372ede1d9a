"""A warm build (every article's mentions in the cache): its stages against older code.

Issue 13's rebuild of a large archive spends most of its time getting the
mentions from the cache and making the layers. This writes a corpus with
``benchmarks/corpus.py`` (or reuses ``--dir``), fills a mention cache for this
checkout and one for ``--before SRC`` (e.g. ``git archive main | tar -x -C
/tmp/before``; ``PYTHONPATH=SRC/src``), then alternates, in fresh processes:

the stages of :class:`bordermap.pipeline.Parts` one by one (articles,
mentions, layers) with ``--jobs`` (default 2, the build's default on two
cores), each timed in the process (wall, and CPU of the process and its
workers), and reports the best of ``--runs`` of each, as ratios of the older
code's time to this one's in the same run. The build that fills each cache
(warm already when ``--dir`` is reused) is timed too, and every output file of
the two builds is compared byte for byte (the hidden ``.bordermap-inputs.json``
aside: it holds the cache keys, which name the code). Nothing is asserted:
tests never time anything.

Run: .venv/bin/python benchmarks/bench_warm.py --before /tmp/before [--articles 10000]
     [--dir DIR] [--runs 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from revisions import differing  # noqa: E402

_STAGES = """
import json, resource, sys, time
from bordermap.cache import MentionCache
from bordermap.config import load_config
from bordermap.pipeline import load

def cpu():
    return sum(getattr(resource.getrusage(who), f) for who in
               (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))

config = load_config(sys.argv[1])
parts = load(config, jobs=int(sys.argv[2]), cache=MentionCache.default(config.focus))
took = {}
for stage in ("articles", "mentions", "claims", "layers"):
    start, used = time.perf_counter(), cpu()
    getattr(parts, stage)
    took[stage] = time.perf_counter() - start
    took[stage + " cpu"] = cpu() - used
print(json.dumps(took))
"""


def stages(project: Path, jobs: int, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _STAGES, str(project), str(jobs)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.splitlines()[-1])


def build(project: Path, out: Path, jobs: int, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bordermap", "build", "--config", str(project), "--out", str(out),
         "--jobs", str(jobs)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr}")
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, required=True, help="a checkout of older bordermap")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--dir", type=Path, default=None, help="keep the corpus and caches here")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="bordermap-warm-"))
    project = corpus.write_corpus(base / f"c{args.articles}", args.articles)
    from bordermap.gazetteer import cache_path, load_gazetteer

    load_gazetteer()  # the index exists before anything is timed
    envs = {}
    for who, path in (("now", None), ("before", args.before / "src")):
        folder = base / f"cache-{who}"
        folder.mkdir(parents=True, exist_ok=True)
        index = folder / cache_path().name
        if not index.exists():
            index.symlink_to(cache_path())
        env = {**os.environ, "BORDERMAP_CACHE": str(folder)}
        if path is not None:
            env["PYTHONPATH"] = str(path)
        envs[who] = env
        wall = build(project, base / f"out-{who}", args.jobs, env)  # fills the cache
        print(f"{who}: build {wall:.1f} s (parsing only what its cache lacked)")
    best: dict[str, dict[str, float]] = {"now": {}, "before": {}}
    for run in range(args.runs):
        for who in ("before", "now") if run % 2 else ("now", "before"):
            took = stages(project, args.jobs, envs[who])
            for k, v in took.items():
                best[who][k] = min(v, best[who].get(k, v))
            print(f"run {run + 1} {who:>6}: " + "  ".join(f"{k} {v:.2f}" for k, v in took.items()))
    for stage in ("articles", "mentions", "layers"):
        for kind in ("", " cpu"):
            b, n = best["before"][stage + kind], best["now"][stage + kind]
            print(f"{stage + kind:>13}: before {b:7.2f} s  now {n:7.2f} s  ({b / n:.1f}x less)")
    for kind in ("", " cpu"):
        b = best["before"]["mentions" + kind] + best["before"]["layers" + kind]
        n = best["now"]["mentions" + kind] + best["now"]["layers" + kind]
        what = f"mentions + layers{kind or ' wall'}"
        print(f"{what}: before {b:.2f} s, now {n:.2f} s ({b / n:.1f}x less)")
    diff = differing(base / "out-now", base / "out-before")
    print("outputs byte-identical" if not diff else f"outputs DIFFER: {', '.join(diff)}")


if __name__ == "__main__":
    main()
