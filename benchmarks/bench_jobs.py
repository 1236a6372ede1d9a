"""Extraction with one and two processes on a generated corpus: time, peak memory, identity.

Run: .venv/bin/python benchmarks/bench_jobs.py [ARTICLES]   (default 1,000)

The corpus is made of the labelled test texts (tests/data/testset), each
article a random recombination of their paragraphs (seeded, so every run
makes the same corpus). Each configuration runs `bordermap extract --format
jsonl` in a fresh process; peak memory is that process's and its workers'
maximum resident set (getrusage of the children).
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bordermap.articles import read_article

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, n: int) -> None:
    paragraphs = [
        p.strip()
        for path in sorted((ROOT / "tests/data/testset").rglob("*.md"))
        for p in read_article(path).text.split("\n\n")
        if p.strip()
    ]
    rng = random.Random(13)
    for i in range(n):
        body = "\n\n".join(rng.sample(paragraphs, 8))
        (folder / f"a{i:06d}.md").write_text(f"---\nid: a{i:06d}\n---\n{body}\n", "utf-8")


def run(folder: Path, jobs: int) -> tuple[float, float, bytes]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bordermap", "extract", str(folder), "--format", "jsonl",
         "--jobs", str(jobs)],
        capture_output=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return wall, peak, done.stdout


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_corpus(folder, n)
        results = {}
        for jobs in (1, 2, 1, 2):  # alternate, keep the better of two
            wall, peak, out = run(folder, jobs)
            best = results.get(jobs)
            if best is None or wall < best[0]:
                results[jobs] = (wall, peak, out)
        one, two = results[1], results[2]
        print(f"{n} articles: 1 job {one[0]:.1f} s, 2 jobs {two[0]:.1f} s, "
              f"speed-up {one[0] / two[0]:.2f}x; peak RSS (largest process) {one[1]:.0f} MB / "
              f"{two[1]:.0f} MB; outputs identical: {one[2] == two[2]}")  # fmt: skip


if __name__ == "__main__":
    main()
