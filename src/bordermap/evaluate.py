"""Scoring the geoparser against labelled texts.

Gold labels list, per article, each place's surface form(s) and coordinates.
Scoring is per occurrence: every occurrence of a gold surface in the text
(outside a longer gold surface) is one gold mention. A predicted mention is a
true positive when it overlaps a gold occurrence and lies within
``tolerance_km`` of that place; anything else it is a false positive (a wrong
resolution, or a phrase that is no place); gold occurrences no true positive
covers are false negatives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bordermap.geoparse import Mention
from bordermap.resolve import haversine_km

__all__ = ["Score", "score_article", "score_corpus"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.errors.extend(other.errors)


def _occurrences(
    text: str, gold: Sequence[dict[str, Any]]
) -> list[tuple[int, int, dict[str, Any]]]:
    found: list[tuple[int, int, dict[str, Any]]] = []
    for g in sorted(gold, key=lambda g: -len(g["surface"])):
        surface = g["surface"]
        pattern = (r"(?<!\w)" if surface[0].isalnum() else "") + re.escape(surface)
        for m in re.finditer(pattern, text):
            s, e = m.start(), m.end()
            if e < len(text) and text[e].isalnum() and surface[-1].isascii():
                continue
            if any(a <= s and e <= b for a, b, _ in found):
                continue
            found.append((s, e, g))
    return sorted(found, key=lambda t: t[0])


def score_article(
    article_id: str,
    text: str,
    mentions: Iterable[Mention],
    gold: Sequence[dict[str, Any]],
    tolerance_km: float = 10.0,
) -> Score:
    """Score one article's mentions against its gold places."""
    occ = _occurrences(text, gold)
    matched: set[int] = set()
    score = Score()
    for m in mentions:
        hit = None
        for i, (s, e, g) in enumerate(occ):
            if s < m.end and m.start < e:
                hit = (i, g)
                break
        if hit is None:
            score.fp += 1
            score.errors.append(f"{article_id}: FP {m.text!r} -> {m.name} ({m.ref})")
            continue
        i, g = hit
        if m.lat is None or m.lon is None:
            score.fp += 1
            score.errors.append(f"{article_id}: unresolved {m.text!r}")
            continue
        d = haversine_km(m.lon, m.lat, g["lon"], g["lat"])
        if d <= tolerance_km:
            if i not in matched:
                score.tp += 1
                matched.add(i)
        else:
            score.fp += 1
            score.errors.append(
                f"{article_id}: wrong {m.text!r} -> {m.name} ({m.ref}), {d:.0f} km from {g['name']}"
            )
    for i, (_s, _e, g) in enumerate(occ):
        if i not in matched:
            score.fn += 1
            score.errors.append(f"{article_id}: FN {g['surface']!r} ({g['name']})")
    return score


def score_corpus(
    results: Iterable[tuple[str, str, Sequence[Mention]]],
    gold: dict[str, Sequence[dict[str, Any]]],
    tolerance_km: float = 10.0,
) -> Score:
    """Sum of :func:`score_article` over ``(article_id, text, mentions)`` triples."""
    total = Score()
    for article_id, text, mentions in results:
        total.add(score_article(article_id, text, mentions, gold.get(article_id, []), tolerance_km))
    return total
