"""Geoparser time against text length: it should grow linearly.

Targets (issue 10): a 4 MB article in under 4 s, a 50 MB one in under a
minute with memory bounded. The articles are the seed digests' paragraphs
repeated (with the text's own place names, people and organisations), so the
work per megabyte is that of real text; the baseline is one regular
expression pass (capitalised words) over the same text.

Run: .venv/bin/python benchmarks/bench_scale.py [--mb 1 2 4 8]
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from pathlib import Path

from bordermap.articles import Article
from bordermap.gazetteer import load_gazetteer
from bordermap.geoparse import extract

ROOT = Path(__file__).resolve().parents[1]


def text_of(mb: float) -> str:
    paras = [
        p
        for f in sorted((ROOT / "seeds").glob("*.md"))
        for p in f.read_text("utf-8").split("---", 2)[-1].split("\n\n")
        if p.strip()
    ]
    block = "\n\n".join(paras)
    n = int(mb * 1_000_000 / len(block)) + 1
    return "\n\n".join([block] * n)[: int(mb * 1_000_000)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, nargs="+", default=[1, 2, 4])
    args = ap.parse_args()
    gaz = load_gazetteer()
    word = re.compile(r"\b[A-Z]\w+")
    for mb in args.mb:
        text = text_of(mb)
        t = time.perf_counter()
        n_re = sum(1 for _ in word.finditer(text))
        base = time.perf_counter() - t
        t = time.perf_counter()
        ms = extract(Article(id="big", text=text), gaz)
        secs = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{mb:5.1f} MB  {secs:6.2f} s  ({secs / mb:.2f} s/MB)  {len(ms):,} mentions  "
            f"regex pass {base:.2f} s ({n_re:,} words)  max RSS {rss:,.0f} MB"
        )


if __name__ == "__main__":
    main()
