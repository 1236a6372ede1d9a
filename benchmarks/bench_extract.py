"""Geoparser speed, as absolute times and as ratios to a baseline in the same run.

Targets (issue 2): ``bordermap --help`` < 0.3 s with no geopandas/folium import;
``bordermap extract`` on one article < 1.5 s from a cold process once the
index exists; 1,000 news-length (5 KB) articles < 10 s on one core.

Baselines, measured alternately with the targets so machine load hits both:
  * a bare interpreter start (``python -c pass``) for the two process timings;
  * one regular-expression pass over the same 1,000 texts (capitalised words)
    for the corpus timing — the cheapest possible "find names" scan.

Run: .venv/bin/python benchmarks/bench_extract.py [--runs 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def corpus(n: int = 1000, size: int = 5000) -> list[str]:
    """n articles of about ``size`` characters, made of the seed digests' paragraphs."""
    paras = [
        p
        for f in sorted((ROOT / "seeds").glob("*.md"))
        for p in f.read_text("utf-8").split("---", 2)[-1].split("\n\n")
        if p.strip()
    ]
    out = []
    for i in range(n):
        text, j = [], i
        while sum(map(len, text)) < size:
            text.append(paras[j % len(paras)])
            j += 7
        out.append("\n\n".join(text))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    py, bm = str(BIN / "python"), str(BIN / "bordermap")
    seed = str(sorted((ROOT / "seeds").glob("*.md"))[1])
    subprocess.run([bm, "extract", seed], check=True, capture_output=True)  # index built

    base, helps, extracts = [], [], []
    for _ in range(args.runs):
        base.append(timed([py, "-c", "pass"]))
        helps.append(timed([bm, "--help"]))
        extracts.append(timed([bm, "extract", seed, "--format", "jsonl"]))
    heavy = subprocess.run(
        [py, "-X", "importtime", "-c", "import bordermap.cli"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    heavy_mods = [m for m in ("geopandas", "folium", "pandas", "shapely") if f" {m}\n" in heavy]

    from bordermap.articles import Article
    from bordermap.gazetteer import load_gazetteer
    from bordermap.geoparse import extract

    gaz = load_gazetteer()
    texts = corpus()
    word = re.compile(r"\b[A-Z][\w'’-]+")
    scan, parse = [], []
    n_mentions = 0
    for _ in range(3):
        t = time.perf_counter()
        for text in texts:
            word.findall(text)
        scan.append(time.perf_counter() - t)
        t = time.perf_counter()
        n_mentions = sum(len(extract(Article(f"a{i}", x), gaz)) for i, x in enumerate(texts))
        parse.append(time.perf_counter() - t)

    med = statistics.median
    print(f"{'measure':44s} {'median':>9s} {'baseline':>9s} {'ratio':>7s}  target")
    print(f"{'bordermap --help':44s} {med(helps):8.3f}s {med(base):8.3f}s "
          f"{med(helps) / med(base):6.1f}x  < 0.3 s")  # fmt: skip
    print(f"{'bordermap extract (1 article, cold process)':44s} {med(extracts):8.3f}s "
          f"{med(base):8.3f}s {med(extracts) / med(base):6.1f}x  < 1.5 s")  # fmt: skip
    print(f"{'geoparse 1,000 x 5 KB articles (one core)':44s} {med(parse):8.3f}s "
          f"{med(scan):8.3f}s {med(parse) / med(scan):6.1f}x  < 10 s")  # fmt: skip
    print(f"mentions found in the 1,000 articles: {n_mentions:,}")
    print(f"heavy modules imported by the CLI entry point: {heavy_mods or 'none'}")


if __name__ == "__main__":
    main()
