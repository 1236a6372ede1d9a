"""A project's places and corrections over a corpus: the cost follows the articles'
words, not the number of forms in the project file.

Applies a project of 10 and then 1,000 ``[[places]]`` (each with an alias) to the
same synthetic articles (``benchmarks/corpus.py``'s sentences) and prints the
time per article of each, and their ratio (target: well under the 100x of the
forms; before the corrector each form was a regex pass over every article).

Run: .venv/bin/python benchmarks/bench_corrections.py [--articles 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from bordermap.articles import iter_articles  # noqa: E402
from bordermap.config import PlaceConfig  # noqa: E402
from bordermap.corrections import Corrector  # noqa: E402


def _places(n: int) -> list[PlaceConfig]:
    """``n`` made-up places; a tenth of them named as towns the corpus names."""
    border, _world = corpus._places()
    named = list(border)
    out = []
    for i in range(n):
        name = named[i % len(named)] if i % 10 == 0 else f"Placeville {i}"
        out.append(PlaceConfig(f"p{i}", name, (f"{name} district",), "village", "KP", 40.0, 125.0))
    return out


def _every_form(places: list[PlaceConfig], articles: list) -> float:
    """The baseline: each form searched as a whole word in every article (what the
    corrections did before the corrector, searches only)."""
    import re

    patterns = [re.compile(r"(?<!\w)" + re.escape(f) + r"(?!\w)")
                for p in places for f in (p.name, *p.aliases)]  # fmt: skip
    start = time.perf_counter()
    for a in articles:
        for pattern in patterns:
            pattern.findall(a.text)
    return time.perf_counter() - start


def _time(corrector: Corrector, articles: list) -> tuple[float, int]:
    start = time.perf_counter()
    made = sum(len(corrector.apply(a, [])) for a in articles)
    return time.perf_counter() - start, made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--folder", type=Path, default=Path("/tmp/bordermap-bench-corrections"))
    args = ap.parse_args(argv)
    corpus.write_corpus(args.folder, args.articles)
    articles = [
        a for a in iter_articles([args.folder / "articles"]) if not isinstance(a, Exception)
    ]
    few, many = Corrector(_places(10), []), Corrector(_places(1000), [])
    times = {}
    for label, corrector in (("10 places", few), ("1,000 places", many)) * 2:
        seconds, made = _time(corrector, articles)  # the second round is the one kept
        times[label] = seconds
        print(f"{label}: {seconds / len(articles) * 1e6:,.0f} µs an article, {made:,} mentions")
    print(f"1,000 places / 10 places: {times['1,000 places'] / times['10 places']:.2f}x")
    naive = _every_form(_places(1000), articles)
    print(
        f"every form in every article, 1,000 places: {naive / len(articles) * 1e6:,.0f} µs an "
        f"article; the corrector is {naive / times['1,000 places']:.0f}x faster"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
