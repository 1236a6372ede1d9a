"""Annotations on stretches: the cost should follow the points drawn, not the line.

An annotation of fence posts every 50 m is made on the whole Tumen (China
stretch, 515.9 km, ~10,300 points) and on stretches of it of 1/10 and 1/100
of its length (by distances, and between two towns, which also loads the
gazetteer index). The baseline is the whole-line annotation in the same run;
each figure is the median of alternating runs.

Run: .venv/bin/python benchmarks/bench_lines.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bordermap.config import parse_config
from bordermap.gazetteer import load_gazetteer
from bordermap.layers import make_annotations

HEAD = '[project]\ntitle = "Bench"\ncorpus = []\n[[annotations]]\nid = "a"\ntitle = "A"\n'
BODY = 'line = "tumen"\nspacing_m = 50\nnoun = "fence post"\n'
CASES = {
    "whole Tumen (baseline)": "",
    "1/10 of it, from_km/to_km": "from_km = 200\nto_km = 251.6\n",
    "1/100 of it, from_km/to_km": "from_km = 200\nto_km = 205.2\n",
    "Onsong to Hoeryong (between, index loaded)": 'between = ["Hoeryong", "Onsong"]\n',
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    load_gazetteer()  # the index is cached per process: measure the lookups, not its load
    configs = {k: parse_config(HEAD + BODY + v, Path("bench.toml")) for k, v in CASES.items()}
    times: dict[str, list[float]] = {k: [] for k in CASES}
    counts = {}
    for _ in range(args.runs):
        for name, config in configs.items():  # alternating, so drift hits every case alike
            start = time.perf_counter()
            ann = make_annotations(config, {})["a"]
            times[name].append(time.perf_counter() - start)
            counts[name] = ann.count
    base = statistics.median(times["whole Tumen (baseline)"])
    print(f"{'case':46s} {'points':>7s} {'median':>9s} {'ratio':>6s}")
    for name in CASES:
        t = statistics.median(times[name])
        print(f"{name:46s} {counts[name]:7,d} {t * 1000:7.1f} ms {t / base:6.2f}")


if __name__ == "__main__":
    main()
