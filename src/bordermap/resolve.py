"""Ranking gazetteer candidates for a name, with the reasons for the ranking.

A candidate's score adds a prior (curated regional entry, country, province),
its population (log scale) and a penalty that grows with the logarithm of its
distance to the nearest context point: the article's unambiguous places, or
the focus region's centre. Near a border town, a small namesake a few
kilometres away beats a big city across the continent; with nothing near, a
plainly named far-away city (Philadelphia, Cairo) wins on population.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bordermap.gazetteer import Place

__all__ = ["Ranked", "rank", "FOCUS_CENTRE", "haversine_km"]

# Roughly the middle of the China–North Korea border.
FOCUS_CENTRE = (126.5, 41.3)  # lon, lat

CURATED_BONUS = 2.0
PRIMARY_BONUS = 1.0
KIND_BONUS = {"country": 2.5, "province": 0.8, "region": 0.5, "river": 0.5, "zone": 0.3}
POPULATION_WEIGHT = 0.5
DISTANCE_WEIGHT = 1.5
DISTANCE_SCALE_KM = 25.0


@dataclass(frozen=True)
class Ranked:
    """A candidate with its score and the reasons that made it."""

    place: Place
    score: float
    reasons: tuple[str, ...]
    distance_km: float
    near: str


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km on a 6,371 km sphere (ranking only; layers use pyproj)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def rank(
    candidates: Sequence[Place],
    context: Sequence[tuple[str, float, float]] = (),
    primary: Collection[str] = (),
) -> list[Ranked]:
    """Rank ``candidates`` best first.

    Parameters
    ----------
    candidates
        Places sharing a name.
    context
        ``(label, lon, lat)`` points the text is about; the focus region's
        centre is always added.
    primary
        Refs of candidates whose main name (not an alternate) was matched:
        "Philadelphia" means the city of that name before Amman, once called so.
    """
    points = [*context, ("the focus region", *FOCUS_CENTRE)]
    ranked = []
    for place in candidates:
        reasons: list[str] = []
        score = 0.0
        if place.curated:
            score += CURATED_BONUS
            reasons.append("curated regional entry")
        if place.ref in primary:
            score += PRIMARY_BONUS
            reasons.append("main name")
        bonus = KIND_BONUS.get(place.kind, 0.0)
        if bonus:
            score += bonus
            reasons.append(place.kind)
        if place.population:
            score += POPULATION_WEIGHT * math.log10(place.population + 1)
            reasons.append(f"population {place.population:,}")
        near, dist = min(
            ((label, haversine_km(place.lon, place.lat, lon, lat)) for label, lon, lat in points),
            key=lambda t: t[1],
        )
        score -= DISTANCE_WEIGHT * math.log10(1 + dist / DISTANCE_SCALE_KM)
        reasons.append(f"{dist:,.0f} km from {near}")
        ranked.append(Ranked(place, round(score, 4), tuple(reasons), dist, near))
    # Ties broken by reference so the order never depends on input order.
    ranked.sort(key=lambda r: (-r.score, r.place.ref))
    return ranked
