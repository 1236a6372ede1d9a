"""Near-duplicate detection (bordermap.origins) grows with the corpus, not with its pairs.

Times :func:`bordermap.origins.near_duplicates` (shingles, MinHash, LSH bands) on
synthetic corpora of N and 4N articles of about 5 KB (random words from a
3,000-word vocabulary, every tenth article a lightly edited copy of an earlier
one), against a baseline measured in the same run: the exact Jaccard similarity of
every pair of the same shingle sets. Medians of alternating runs.

Run: .venv/bin/python benchmarks/bench_origins.py [--articles 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bordermap.articles import Article
from bordermap.origins import near_duplicates, shingles


def corpus(n: int, seed: int = 0) -> dict[str, Article]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]
    out: dict[str, Article] = {}
    for i in range(n):
        if i % 10 == 9:
            words = out[f"{i - 5:05d}"].text.split()
            for _ in range(20):
                words[rng.randrange(len(words))] = rng.choice(vocab)
        else:
            words = [rng.choice(vocab) for _ in range(800)]
        out[f"{i:05d}"] = Article(f"{i:05d}", " ".join(words))
    return out


def all_pairs(articles: dict[str, Article]) -> int:
    sets = [shingles(a.text) for a in articles.values()]
    found = 0
    for i, a in enumerate(sets):
        for b in sets[i + 1 :]:
            if len(a & b) / len(a | b) >= 0.2:
                found += 1
    return found


def timed(fn, *args) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - t, value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    small, large = corpus(args.articles), corpus(4 * args.articles)
    runs: dict[str, list[float]] = {"lsh N": [], "lsh 4N": [], "pairs N": [], "pairs 4N": []}
    for _ in range(args.repeat):
        t, pairs_small = timed(near_duplicates, small)
        runs["lsh N"].append(t)
        t, exact_small = timed(all_pairs, small)
        runs["pairs N"].append(t)
        t, pairs_large = timed(near_duplicates, large)
        runs["lsh 4N"].append(t)
        t, _ = timed(all_pairs, large)
        runs["pairs 4N"].append(t)
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"N = {args.articles}: LSH found {len(pairs_small)} pairs, all pairs {exact_small}")  # type: ignore[arg-type]
    print(f"4N: LSH found {len(pairs_large)} pairs")  # type: ignore[arg-type]
    for k, v in med.items():
        print(f"{k:9s} {v:7.3f} s")
    print(f"LSH 4N / N = {med['lsh 4N'] / med['lsh N']:.1f}x (linear: 4x); "
          f"all pairs 4N / N = {med['pairs 4N'] / med['pairs N']:.1f}x (quadratic: 16x); "
          f"LSH / all pairs at 4N = {med['lsh 4N'] / med['pairs 4N']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
