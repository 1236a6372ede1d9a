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

from bordermap.gazetteer import FOCUS_BBOX, Place

__all__ = ["Ranked", "rank", "haversine_km", "focus_distance_km"]

FOCUS = "the focus region"

CURATED_BONUS = 1.0
COUNTRY_BONUS = 1.0
PRIMARY_BONUS = 1.0
UNKNOWN_POPULATION = 2_000
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


def focus_distance_km(lon: float, lat: float) -> float:
    """Distance to the focus region's bounding box (0 inside it)."""
    w, s, e, n = FOCUS_BBOX
    return haversine_km(lon, lat, min(max(lon, w), e), min(max(lat, s), n))


def rank(
    candidates: Sequence[Place],
    context: Sequence[tuple[str, float, float]] = (),
    primary: Collection[str] = (),
    countries: Collection[str] = (),
    focus: bool = True,
) -> list[Ranked]:
    """Rank ``candidates`` best first.

    Parameters
    ----------
    candidates
        Places sharing a name.
    context
        ``(label, lon, lat)`` points the text is about; the focus region
        (:data:`bordermap.gazetteer.FOCUS_BBOX`) always counts as one.
    primary
        Refs of candidates whose main name (not an alternate) was matched:
        "Philadelphia" means the city of that name before Amman, once called so.
    countries
        Country codes the text names outright: a Donggang in a text that names
        Taiwan is the Taiwanese one.
    focus
        Whether the focus region counts as context (``geocode --near`` turns it off).
    """
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
        if place.country and place.country in countries and place.kind != "country":
            score += COUNTRY_BONUS
            reasons.append(f"in {place.country}, which the text names")
        bonus = KIND_BONUS.get(place.kind, 0.0)
        if bonus:
            score += bonus
            reasons.append(place.kind)
        if place.population:
            score += POPULATION_WEIGHT * math.log10(place.population + 1)
            reasons.append(f"population {place.population:,}")
        elif place.kind == "city":
            # GeoNames lists 0 where the population is unknown (often seats of
            # government); such a town counts as a small one, not as nothing.
            score += POPULATION_WEIGHT * math.log10(UNKNOWN_POPULATION)
            reasons.append("population unknown")
        near, dist = min(
            [
                *([(FOCUS, focus_distance_km(place.lon, place.lat))] if focus else []),
                *((label, haversine_km(place.lon, place.lat, x, y)) for label, x, y in context),
            ],
            key=lambda t: t[1],
            default=("nothing", 0.0),
        )
        score -= DISTANCE_WEIGHT * math.log10(1 + dist / DISTANCE_SCALE_KM)
        if context or focus:
            reasons.append(f"{dist:,.0f} km from {near}")
        ranked.append(Ranked(place, round(score, 4), tuple(reasons), dist, near))
    # Ties broken by reference so the order never depends on input order.
    ranked.sort(key=lambda r: (-r.score, r.place.ref))
    return ranked
