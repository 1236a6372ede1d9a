"""Geoparser speed against another revision of the code, in the same run.

Times :func:`bordermap.geoparse.extract` over the first ``--articles``
articles of a corpus (``benchmarks/corpus.py``; one is written if ``--corpus``
is not given) in fresh processes, alternately with this checkout's code and
with the code of ``--against`` (a git revision, exported with ``git archive``
into a temporary folder and put first on ``PYTHONPATH``), so that the load
of a shared machine hits both alike. Each process loads the gazetteer first
(not timed), then parses every article once; the figure is the median of
``--runs`` processes per side, and the ratio is the revision's time over this
checkout's, in wall-clock and in CPU time (the process's own, which
the machine's load disturbs less). The mentions of both sides are hashed (their JSON Lines) and
must be the same: a speed-up that changes the output is no speed-up.

Run: .venv/bin/python benchmarks/bench_speedup.py --against main [--articles 500] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from revisions import child, export  # noqa: E402

# Runs in the child: parse the articles, print seconds and the mentions' digest.
_CHILD = """
import hashlib, json, sys, time
from bordermap.articles import article_paths, iter_articles
from bordermap.gazetteer import load_gazetteer
from bordermap.geoparse import extract
from bordermap.region import DEFAULT_FOCUS
gaz = load_gazetteer()
articles = list(iter_articles(article_paths(sys.argv[1])[: int(sys.argv[2])]))
start, cpu = time.perf_counter(), time.process_time()
parsed = [extract(a, gaz, DEFAULT_FOCUS) for a in articles]
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
h = hashlib.sha256()
for mentions in parsed:
    for m in mentions:
        h.update(json.dumps(m.as_dict(), ensure_ascii=False, sort_keys=True).encode())
n = sum(map(len, parsed))
print(json.dumps({"seconds": seconds, "cpu": cpu, "mentions": n, "digest": h.hexdigest()}))
"""


def run(src: Path | None, folder: Path, n: int) -> dict[str, float | str]:
    env = {**os.environ}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    result: dict[str, float | str] = child(_CHILD, [str(folder), str(n)], env)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", default="main", help="git revision to compare with")
    ap.add_argument("--corpus", type=Path, default=None, help="a corpus.py folder (reused)")
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bordermap-speedup-"))
    folder = args.corpus or tmp / "corpus"
    if not (folder / "articles").is_dir():
        corpus.write_corpus(folder, args.articles)
    other = export(args.against, tmp)
    # Both sides build or load their index before anything is timed.
    run(None, folder / "articles", 1)
    run(other, folder / "articles", 1)
    times: dict[str, list[float]] = {"this": [], "other": []}
    cpus: dict[str, list[float]] = {"this": [], "other": []}
    digests: dict[str, set[str]] = {"this": set(), "other": set()}
    mentions = 0
    for _ in range(args.runs):
        for side, src in (("other", other), ("this", None)):
            got = run(src, folder / "articles", args.articles)
            times[side].append(float(got["seconds"]))
            cpus[side].append(float(got["cpu"]))
            digests[side].add(str(got["digest"]))
            mentions = int(got["mentions"])
    med = statistics.median
    this, then = med(times["this"]), med(times["other"])
    cpu_this, cpu_then = med(cpus["this"]), med(cpus["other"])
    same = digests["this"] == digests["other"] and len(digests["this"]) == 1
    load = os.getloadavg()[0]
    print(
        f"geoparse {args.articles:,} articles ({mentions:,} mentions), medians of "
        f"{args.runs} alternating processes, load {load:.1f}:\n"
        f"  {args.against}: {then:.2f} s wall, {cpu_then:.2f} s CPU "
        f"({cpu_then / args.articles * 1000:.1f} ms CPU an article)\n"
        f"  this checkout: {this:.2f} s wall, {cpu_this:.2f} s CPU "
        f"({cpu_this / args.articles * 1000:.1f} ms CPU an article)\n"
        f"  speed-up {then / this:.2f}x wall, {cpu_then / cpu_this:.2f}x CPU; "
        f"mentions identical: {same}"
    )


if __name__ == "__main__":
    main()
