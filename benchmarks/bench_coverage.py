"""Coverage of the border lines: the cost should follow the distinct places, not the mentions.

``coverage.measure`` is run on synthetic mentions of places spread over the
border region (Yalu, land stretch and Tumen, 10 km): the baseline is 1,000
distinct places named 10 times each; the cases name the same places 10 times as
often (ten times the mentions) and twice and four times as many places. Each
figure is the median of alternating runs in the same process.

Run: .venv/bin/python benchmarks/bench_coverage.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from bordermap.config import parse_config
from bordermap.coverage import measure
from bordermap.geoparse import Mention

CONFIG = parse_config('[project]\ntitle = "Bench"\ncorpus = []\n', Path("bench.toml"))


def mentions(places: int, each: int, seed: int = 1) -> list[Mention]:
    """``places`` distinct towns in the border region, each named ``each`` times."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(124.0, 130.8, places)
    lat = rng.uniform(39.6, 43.1, places)
    out = []
    for k in range(each):
        for i in range(places):
            y, x = float(lat[i]), float(lon[i])
            out.append(Mention(f"a{k}", 0, 4, "Town", f"Town {i}", "city", "KP", y, x,
                               f"bench:{i}", 0.9, "Town.", "gazetteer", "town"))  # fmt: skip
    return out


CASES = {
    "1,000 places, 10,000 mentions (baseline)": (1_000, 10),
    "1,000 places, 100,000 mentions": (1_000, 100),
    "2,000 places, 20,000 mentions": (2_000, 10),
    "4,000 places, 40,000 mentions": (4_000, 10),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    data = {name: mentions(*size) for name, size in CASES.items()}
    times: dict[str, list[float]] = {k: [] for k in CASES}
    uncovered = {}
    measure(CONFIG, data[next(iter(CASES))], {})  # warm: the shipped lines, pyproj
    for _ in range(args.runs):
        for name, found in data.items():  # alternating, so drift hits every case alike
            start = time.perf_counter()
            cov = measure(CONFIG, found, {})
            times[name].append(time.perf_counter() - start)
            uncovered[name] = sum(x.manifest()["uncovered_km"] for x in cov.lines)
    base = statistics.median(times[next(iter(CASES))])
    print(f"{'case':42s} {'uncovered':>10s} {'median':>9s} {'ratio':>6s}")
    for name in CASES:
        t = statistics.median(times[name])
        print(f"{name:42s} {uncovered[name]:7,.0f} km {t * 1000:6.1f} ms {t / base:6.2f}")


if __name__ == "__main__":
    main()
