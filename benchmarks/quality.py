"""Geoparser quality on the labelled test set: precision, recall, F1 per split.

Run: .venv/bin/python benchmarks/quality.py [--errors] [SPLIT ...]
Splits: seeds (the five digests), dev (tuned on), heldout (never tuned on).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bordermap.articles import article_paths, read_article
from bordermap.evaluate import Score, score_corpus
from bordermap.gazetteer import load_gazetteer
from bordermap.geoparse import extract

ROOT = Path(__file__).resolve().parents[1]
SPLITS = {
    "seeds": (ROOT / "seeds", ROOT / "tests/data/seeds_gold.json"),
    "dev": (ROOT / "tests/data/testset/dev", ROOT / "tests/data/testset/dev/gold.json"),
    "heldout": (
        ROOT / "tests/data/testset/heldout",
        ROOT / "tests/data/testset/heldout/gold.json",
    ),
}


def evaluate(split: str) -> Score:
    folder, gold_path = SPLITS[split]
    gold = json.loads(gold_path.read_text("utf-8"))
    gaz = load_gazetteer()
    articles = [read_article(p) for p in article_paths(folder)]
    return score_corpus(((a.id, a.text, extract(a, gaz)) for a in articles), gold)


def main(argv: list[str]) -> None:
    show = "--errors" in argv
    splits = [a for a in argv if not a.startswith("-")] or list(SPLITS)
    for split in splits:
        s = evaluate(split)
        print(
            f"{split:8s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
            f"(tp={s.tp} fp={s.fp} fn={s.fn})"
        )
        if show:
            for e in s.errors:
                print("   ", e)


if __name__ == "__main__":
    main(sys.argv[1:])
