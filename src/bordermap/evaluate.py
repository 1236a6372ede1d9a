"""Scoring the geoparser against labelled texts.

Gold labels list, per article, each distinct place surface form once, with
its coordinates. Scoring is per distinct place: a gold entry is a true
positive when some mention overlapping an occurrence of its surface resolves
within ``tolerance_km`` of it, a false negative otherwise; each distinct
(surface, resolution) the parser gives that matches no gold entry (a wrong
resolution, or a phrase that is no place) is one false positive.

Demonyms ("Chinese", "North Korean") are mentions of their own kind that the
labels of the border test set do not list: they are left out of the score.

A representative point of an area is a convention, not a fact: a country
counts when its country code matches, and provinces, regions, zones, rivers
and mountains get ``AREA_TOLERANCE_KM`` instead of the town tolerance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bordermap.geoparse import Mention
from bordermap.resolve import haversine_km

Gold = dict[str, Any]

__all__ = ["Score", "score_article", "score_corpus", "AREA_TOLERANCE_KM"]

AREA_TOLERANCE_KM = 75.0
AREA_KINDS = frozenset({"province", "region", "zone", "river", "mountain"})


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


def _occurrences(text: str, gold: Sequence[Gold]) -> list[tuple[int, int, Gold]]:
    found: list[tuple[int, int, Gold]] = []
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


def _matches(m: Mention, g: Gold, tolerance_km: float) -> bool:
    if m.lat is None or m.lon is None:
        return False
    if g.get("kind") == "country":
        return m.kind == "country" and m.country == g.get("country")
    limit = AREA_TOLERANCE_KM if g.get("kind") in AREA_KINDS else tolerance_km
    return haversine_km(m.lon, m.lat, g["lon"], g["lat"]) <= limit


def score_article(
    article_id: str,
    text: str,
    mentions: Iterable[Mention],
    gold: Sequence[Gold],
    tolerance_km: float = 10.0,
) -> Score:
    """Score one article's mentions against its gold places (per distinct place)."""
    occ = _occurrences(text, gold)
    found: set[int] = set()  # ids of gold entries some mention resolved right
    wrong: dict[tuple[str, str | None], str] = {}  # distinct wrong predictions
    for m in mentions:
        if m.kind == "demonym":
            continue
        hit = next((g for s, e, g in occ if s < m.end and m.start < e), None)
        if hit is not None and _matches(m, hit, tolerance_km):
            found.add(id(hit))
            continue
        key = (m.text, m.ref)
        if hit is None:
            wrong[key] = f"{article_id}: FP {m.text!r} -> {m.name} ({m.ref})"
        elif m.lat is None:
            wrong[key] = f"{article_id}: unresolved {m.text!r} ({hit['name']})"
        else:
            d = haversine_km(m.lon or 0.0, m.lat, hit["lon"], hit["lat"])
            wrong[key] = (
                f"{article_id}: wrong {m.text!r} -> {m.name} ({m.ref}), "
                f"{d:.0f} km from {hit['name']}"
            )
    score = Score(tp=len(found), fp=len(wrong), errors=sorted(wrong.values()))
    for g in gold:
        if id(g) not in found:
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
