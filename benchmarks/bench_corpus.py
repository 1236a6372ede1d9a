"""Corpus scale: build time, extraction memory, jobs speed-up, incremental rebuild, output sizes.

Generates corpora with ``benchmarks/corpus.py`` (5,000 and 10,000 articles by
default; ``--sizes 5000 10000 100000`` adds a big one) and runs the real
commands in fresh processes, each figure as a ratio against a baseline in
the same run (issue 13's targets):

* build time, linear: ``bordermap build --no-cache --jobs 1`` at each size,
  the largest against the next (target 10k ≤ 2.2 × 5k);
* extraction peak memory at the largest size: ``bordermap extract --format
  jsonl --no-cache --jobs 1`` against a process that only loads the
  gazetteer (target ≤ 400 MB);
* jobs: the same extraction with ``--jobs 2`` against ``--jobs 1``,
  alternated, best of ``--runs`` each (target ≥ 1.8 × faster), outputs
  compared byte for byte;
* incremental: a build with an empty mention cache, then ten more articles
  and a build with the cache, against the full build (target ≤ 10 %);
* output sizes of the build at each size, per file at the largest; with
  ``--before SRC`` (a checkout of bordermap from before issue 13, e.g.
  ``git archive d2d6de3 | tar -x -C /tmp/before``), the same build by that
  code (``PYTHONPATH=SRC/src``, its own index cache) gives the baseline of
  "every output together ≤ 1/4 of today's".

The incremental rebuild adds ten articles and keeps the project file as it
was (the generator's project title names the corpus size, which would
change every page).

Peak memory is the largest resident set of the command's process tree
(``getrusage`` of the children of a wrapper process, so worker processes
count too). Nothing here is asserted: tests never time anything.

Run: .venv/bin/python benchmarks/bench_corpus.py [--sizes 5000 10000] [--dir DIR] [--runs 2]
     [--skip-jobs] [--before SRC]
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

BIN = Path(sys.executable).parent

_WRAP = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'wb'), stderr=subprocess.PIPE)\n"
    "sys.stderr.buffer.write(done.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def measure(
    cmd: list[str],
    out: Path | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``cmd`` and its descendants; stdout to ``out``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAP, str(out or os.devnull), *cmd],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return wall, int(done.stdout.split()[-1]) / 1024


def bordermap(*args: str) -> list[str]:
    return [str(BIN / "bordermap"), *args]


def tree_bytes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000])
    ap.add_argument("--dir", type=Path, default=None, help="keep the corpora here (reused)")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--skip-jobs", action="store_true")
    ap.add_argument("--before", type=Path, default=None, help="bordermap before issue 13")
    args = ap.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="bordermap-bench-"))
    sizes = sorted(args.sizes)
    env = {**os.environ}
    cache_root = Path(tempfile.mkdtemp(prefix="bordermap-bench-cache-"))
    from bordermap.gazetteer import cache_path, load_gazetteer

    load_gazetteer()  # the index exists before anything is timed
    results: dict[str, object] = {}

    def fresh_cache() -> dict[str, str]:
        folder = Path(tempfile.mkdtemp(dir=cache_root))
        (folder / cache_path().name).symlink_to(cache_path())
        return {**env, "BORDERMAP_CACHE": str(folder)}

    projects = {}
    for n in sizes:
        start = time.perf_counter()
        projects[n] = corpus.write_corpus(base / f"c{n}", n)
        print(f"corpus of {n:,} articles in {base / f'c{n}'} ({time.perf_counter() - start:.0f} s)")

    # Build time at each size, no cache, one job.
    builds = {}
    for n in sizes:
        out = base / f"c{n}" / "output"
        wall, rss = measure(
            bordermap(
                "build",
                "--config",
                str(projects[n]),
                "--no-cache",
                "--jobs",
                "1",
                "--out",
                str(out),
            ),
            env=fresh_cache(),
        )
        sizes_n = tree_bytes(out)
        builds[n] = {
            "seconds": round(wall, 1),
            "peak_mb": round(rss),
            "bytes": sum(sizes_n.values()),
            "index_html": sizes_n.get("index.html", 0),
        }
        print(
            f"build {n:>7,}: {wall:7.1f} s  peak {rss:6.0f} MB  outputs "
            f"{sum(sizes_n.values()) / 1e6:7.1f} MB (index.html "
            f"{sizes_n.get('index.html', 0) / 1e6:.1f} MB)"
        )
    results["build"] = builds
    largest = tree_bytes(base / f"c{sizes[-1]}" / "output")
    for name, size in sorted(largest.items(), key=lambda kv: -kv[1]):
        print(f"  {size / 1e6:8.2f} MB  {name}")
    if args.before is not None:
        out = base / f"c{sizes[-1]}" / "output-before"
        before_env = {**env, "PYTHONPATH": str(args.before / "src"),
                      "BORDERMAP_CACHE": str(Path(tempfile.mkdtemp(dir=cache_root)))}  # fmt: skip
        wall, _ = measure(
            [sys.executable, "-m", "bordermap", "build", "--config", str(projects[sizes[-1]]),
             "--out", str(out)],
            env=before_env,
        )  # fmt: skip
        old = sum(tree_bytes(out).values())
        now = builds[sizes[-1]]["bytes"]
        print(
            f"outputs at {sizes[-1]:,}: {now / 1e6:.1f} MB; before issue 13 {old / 1e6:.1f} MB "
            f"({now / old:.2f}x, target ≤ 0.25x; that build took {wall:.0f} s)"
        )
        results["before"] = {"bytes": old, "ratio": round(now / old, 3)}  # type: ignore[operator]
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        ratio = builds[b]["seconds"] / builds[a]["seconds"]  # type: ignore[operator]
        print(
            f"build time {b:,} / {a:,}: {ratio:.2f}x for {b / a:.1f}x the articles "
            f"(target ≤ {2.2 * b / a / 2:.1f}x)"
        )
        results["build_ratio"] = round(ratio, 2)

    big = sizes[-1]
    folder = projects[big].parent / "articles"
    # Extraction peak memory against a process that only loads the gazetteer.
    gaz_wall, gaz_rss = measure(
        [sys.executable, "-c", "from bordermap.gazetteer import load_gazetteer; load_gazetteer()"]
    )
    one_out = base / f"m{big}-1.jsonl"
    wall1, rss1 = measure(
        bordermap("extract", str(folder), "--format", "jsonl", "--no-cache", "--jobs", "1"),
        one_out,
        env=fresh_cache(),
    )
    print(
        f"extract {big:,} (1 job): {wall1:.1f} s, peak {rss1:.0f} MB; the gazetteer alone "
        f"{gaz_rss:.0f} MB ({rss1 / gaz_rss:.2f}x); "
        f"mentions file {one_out.stat().st_size / 1e6:.0f} MB"
    )
    results["extract"] = {
        "articles": big,
        "seconds_1_job": round(wall1, 1),
        "peak_mb": round(rss1),
        "gazetteer_only_mb": round(gaz_rss),
    }

    if not args.skip_jobs:
        best = {1: wall1, 2: float("inf")}
        same = True
        for jobs in [2] + [1, 2] * (args.runs - 1):  # alternated; the run above is the first 1
            path = base / f"m{big}-{jobs}.jsonl"
            wall, _rss = measure(
                bordermap(
                    "extract", str(folder), "--format", "jsonl", "--no-cache", "--jobs", str(jobs)
                ),
                path,
                env=fresh_cache(),
            )
            best[jobs] = min(best[jobs], wall)
            same = same and path.read_bytes() == one_out.read_bytes()
        speedup = best[1] / best[2]
        print(
            f"extract {big:,}: 1 job {best[1]:.1f} s, 2 jobs {best[2]:.1f} s: {speedup:.2f}x "
            f"(target ≥ 1.8x); outputs identical: {same}"
        )
        results["jobs"] = {
            "one": round(best[1], 1),
            "two": round(best[2], 1),
            "speedup": round(speedup, 2),
            "identical": same,
        }

    # Incremental: a full build with an empty cache, then ten more articles.
    inc_env = fresh_cache()
    out = base / f"c{big}" / "output-inc"
    full, _ = measure(
        bordermap("build", "--config", str(projects[big]), "--jobs", "1", "--out", str(out)),
        env=inc_env,
    )
    project_text = projects[big].read_text("utf-8")
    grown = corpus.write_corpus(base / f"c{big}", big + 10)
    grown.write_text(project_text, "utf-8")  # ten more articles, the same project file
    again, _ = measure(
        bordermap("build", "--config", str(grown), "--jobs", "1", "--out", str(out)), env=inc_env
    )
    print(
        f"incremental: full build {full:.1f} s (cache empty), after 10 more articles "
        f"{again:.1f} s = {again / full:.1%} (target ≤ 10%)"
    )
    results["incremental"] = {
        "full": round(full, 1),
        "after_ten": round(again, 1),
        "share": round(again / full, 3),
    }
    for p in sorted((base / f"c{big}" / "articles").rglob("*.md"))[big:]:
        p.unlink()  # back to the corpus as generated
    corpus.write_project(base / f"c{big}", big)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
