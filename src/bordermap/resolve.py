"""Ranking gazetteer candidates for a name, with the reasons for the ranking.

A candidate's score adds a prior (curated regional entry, country, province,
continent), its population (log scale), what the article says around it and
a penalty that grows with the logarithm of its distance to the nearest
context point: the article's unambiguous places, or the focus region.

What the article says counts in three ways:

* hierarchy: "Alexandria, Va." — a candidate inside the division or country
  named right after it wins (``within``);
* the divisions and countries the article names elsewhere (``admin1s``,
  ``countries``): a Georgia in an article that names Atlanta's state, a
  Donggang in a text that names Taiwan;
* distance to the article's other places (``context``).

The focus region is a parameter (the project's ``focus.bbox``); with
``focus=None`` the prior is neutral: no place is favoured for where it is.
Near a border town, a small namesake a few kilometres away beats a big city
across the continent; with nothing near, a plainly named far-away city
(Philadelphia, Cairo) wins on population.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from bordermap.gazetteer import FOCUS_BBOX, BBox, Place

__all__ = [
    "Ranked",
    "rank",
    "rank_near",
    "points",
    "Point",
    "haversine_km",
    "focus_distance_km",
    "PRECISION",
]

FOCUS = "the focus region"

CURATED_BONUS = 1.0
COUNTRY_BONUS = 1.0
ADMIN1_BONUS = 1.5
WITHIN_BONUS = 4.0
PRIMARY_BONUS = 1.0
CAPITAL_BONUS = 1.0
ALTERNATE_PENALTY = 0.5
# Beyond this, farther is no less likely: a text that covers Tokyo and Cairo is
# not about the Middle East.
FAR_KM = 500.0
UNKNOWN_POPULATION = 2_000
# Areas people name as such: their weight does not come from the towns in them.
KIND_BONUS = {
    "country": 2.5, "continent": 3.0, "ocean": 3.0, "sea": 1.5, "province": 1.5,
    "region": 0.5, "river": 0.5, "zone": 0.3, "demonym": 2.5,
}  # fmt: skip
AREA_POPULATION = {
    "province": 1_000_000, "region": 1_000_000, "sea": 1_000_000, "county": 50_000,
}  # fmt: skip
# A big city inside the division of the same name is what "New York" means.
NAMESAKE_CITY_POPULATION = 1_000_000
# So is a town of this many people whose division of the same name is hardly more than
# the town: the division's point within SEAT_KM of it ("Geneva", "Zurich"), where a
# large division's is far from its namesake town ("Quebec", "Oaxaca": the divisions).
SEAT_CITY_POPULATION = 100_000
SEAT_KM = 30.0
POPULATION_WEIGHT = 0.5
DISTANCE_WEIGHT = 1.5
DISTANCE_SCALE_KM = 25.0
COUNTRY_DISTANCE_SCALE_KM = 500.0
COUNTRY_FAR_KM = 5_000.0

# How precise a mention of a place of each kind is (ACLED-style geo-precision levels).
PRECISION = {
    "city": "town", "county": "district", "island": "district", "province": "province",
    "country": "country", "river": "river", "sea": "sea", "ocean": "sea",
    "continent": "continent", "region": "region", "zone": "region", "demonym": "country",
    "mountain": "site", "landmark": "site", "bridge": "site", "crossing": "site",
}  # fmt: skip


class Ranked(NamedTuple):
    """A candidate with its score and the reasons that made it.

    ``reasons`` is empty when the ranking was asked for none (the geoparser
    does not show them; ``bordermap geocode`` does).
    """

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


def focus_distance_km(lon: float, lat: float, bbox: BBox = FOCUS_BBOX) -> float:
    """Distance in km to the bounding box ``(west, south, east, north)`` (0 inside it)."""
    w, s, e, n = bbox
    return haversine_km(lon, lat, min(max(lon, w), e), min(max(lat, s), n))


def _population_score(place: Place, reasons: list[str]) -> float:
    area = AREA_POPULATION.get(place.kind)
    if area and place.ref.startswith("world:"):
        return POPULATION_WEIGHT * math.log10(max(area, place.population))
    if place.population:
        reasons.append(f"population {place.population:,}")
        return POPULATION_WEIGHT * math.log10(place.population + 1)
    if place.kind == "city":
        # GeoNames lists 0 where the population is unknown (often seats of
        # government); such a town counts as a small one, not as nothing.
        reasons.append("population unknown")
        return POPULATION_WEIGHT * math.log10(UNKNOWN_POPULATION)
    return 0.0


@lru_cache(maxsize=1 << 16)
def _focus_km(lon: float, lat: float, bbox: BBox) -> float:
    # Places recur across a corpus' articles: their distance to the focus is computed once.
    return focus_distance_km(lon, lat, bbox)


class _Terms(NamedTuple):
    """What a place's own record says in a ranking, whatever the text."""

    world_province: bool  # a world division: its name is no "main name" bonus
    alternate_penalty: bool  # a GeoNames town found by a name that is not its main one
    within_counts: bool  # the text's "X, Division" can place it
    country_counts: bool  # the text's countries and divisions count for it
    kind_bonus: float
    big_city: bool  # may be the big city of the division of its name
    seat_city: bool  # may be the town a small division of its name is hardly more than
    population: float
    population_reasons: tuple[str, ...]
    scale_km: float
    far_km: float
    distance_counts: bool  # an area whose point says little about how near it is: no


@lru_cache(maxsize=1 << 16)
def _terms(place: Place) -> _Terms:
    # A corpus names the same places again and again: their own terms are computed once.
    reasons: list[str] = []
    population = _population_score(place, reasons)
    country = place.kind == "country"
    return _Terms(
        world_province=place.kind == "province" and place.ref.startswith("world:"),
        alternate_penalty=place.ref.startswith("geonames:"),
        within_counts=place.kind not in ("country", "demonym"),
        country_counts=place.kind not in ("country", "demonym", "continent"),
        kind_bonus=KIND_BONUS.get(place.kind, 0.0),
        big_city=place.kind == "city" and place.population >= NAMESAKE_CITY_POPULATION,
        seat_city=place.kind == "city" and place.population >= SEAT_CITY_POPULATION,
        population=population,
        population_reasons=tuple(reasons),
        # A country's point is far from its edges, and a country half the
        # world away from every other place of the text is less likely.
        scale_km=COUNTRY_DISTANCE_SCALE_KM if country else DISTANCE_SCALE_KM,
        far_km=COUNTRY_FAR_KM if country else FAR_KM,
        distance_counts=place.kind not in ("continent", "ocean", "demonym"),
    )


#: A context point ready for :func:`rank_near`: label, lon, lat and the cosine of lat.
Point = tuple[str, float, float, float]


def points(context: Iterable[tuple[str, float, float]]) -> list[Point]:
    """``(label, lon, lat)`` context points with what distances need of them (for ``rank_near``)."""
    return [(label, x, y, math.cos(math.radians(y))) for label, x, y in context]


def nearest(place: Place, ctx: Sequence[Point]) -> tuple[str, float]:
    """The label of the place's nearest context point and its distance in km.

    The point is found on a flat approximation (squared degrees, longitude
    scaled by the mean cosine of the two latitudes) and measured on the
    sphere; ties go to the first point. A plain loop, the same IEEE
    operations in the same order as :func:`nearest_all`'s array expression,
    so both choose the same point.
    """
    lat, lon = place.lat, place.lon
    k = math.cos(math.radians(lat))
    best_j, best = 0, math.inf
    for j, (_label, cx, cy, ck) in enumerate(ctx):
        dy = cy - lat
        dx = ((cx - lon + 180) % 360 - 180) * (k + ck) / 2
        flat = dy * dy + dx * dx
        if flat < best:
            best_j, best = j, flat
    label, cx, cy, _ck = ctx[best_j]
    return label, haversine_km(lon, lat, cx, cy)


def nearest_all(places: Sequence[Place], ctx: Sequence[Point]) -> list[tuple[str, float]]:
    """:func:`nearest` of many places at once: one array expression for all of them.

    Worth it for many places against the same points (every candidate of an
    article's names); for a few, :func:`nearest` costs less than the arrays.
    ``ctx`` must not be empty.
    """
    if not places:
        return []
    lats = np.array([p.lat for p in places])[:, None]
    lons = np.array([p.lon for p in places])[:, None]
    ks = np.array([math.cos(math.radians(p.lat)) for p in places])[:, None]
    cx = np.array([c[1] for c in ctx])[None, :]
    cy = np.array([c[2] for c in ctx])[None, :]
    ck = np.array([c[3] for c in ctx])[None, :]
    dy = cy - lats
    dx = ((cx - lons + 180) % 360 - 180) * (ks + ck) / 2
    flat = dy * dy + dx * dx
    out = []
    for place, j in zip(places, flat.argmin(axis=1).tolist(), strict=True):
        label, x, y, _k = ctx[j]
        out.append((label, haversine_km(place.lon, place.lat, x, y)))
    return out


def rank(
    candidates: Sequence[Place],
    context: Sequence[tuple[str, float, float]] = (),
    primary: Collection[str] = (),
    countries: Mapping[str, float] | Collection[str] = (),
    focus: BBox | None = FOCUS_BBOX,
    admin1s: Collection[tuple[str, str]] = (),
    within: Collection[tuple[str, str]] = (),
    capitals: Collection[str] = (),
) -> list[Ranked]:
    """Rank ``candidates`` best first.

    Parameters
    ----------
    candidates
        Places sharing a name.
    context
        ``(label, lon, lat)`` points the text is about.
    primary
        Refs of candidates whose main name (not an alternate) was matched:
        "Philadelphia" means the city of that name before Amman, once called so.
    countries
        Country codes the text is about, or a mapping from each to a weight
        in [0, 1] (the share of the article's places in it).
    focus
        The focus region ``(west, south, east, north)`` in degrees, which
        counts as a context point; None for a neutral prior.
    admin1s
        ``(country, admin1)`` divisions the text names or its towns lie in
        (GeoNames admin1 codes).
    within
        ``(country, admin1)`` (admin1 ``""`` for a whole country) the mention
        itself is placed in by the text: "Alexandria, Va.".
    capitals
        Refs of national capitals: plain "Washington" is the capital before the state.
    """
    weights = dict(countries) if isinstance(countries, Mapping) else dict.fromkeys(countries, 1.0)
    return rank_near(
        candidates, points(context), primary, weights, focus, admin1s, within, capitals
    )


def rank_near(
    candidates: Sequence[Place],
    ctx: Sequence[Point],
    primary: Collection[str],
    weights: Mapping[str, float],
    focus: BBox | None,
    admin1s: Collection[tuple[str, str]] = (),
    within: Collection[tuple[str, str]] = (),
    capitals: Collection[str] = (),
    explain: bool = True,
    near_of: Mapping[str, tuple[str, float]] | None = None,
) -> list[Ranked]:
    """:func:`rank` on context :func:`points` prepared once and country weights.

    The geoparser ranks many names of one article against the same context,
    and with ``explain=False``: the ranking is the same, without reasons.
    ``near_of`` maps candidate refs to their :func:`nearest` point of ``ctx``
    when the caller has them already (:func:`nearest_all`).
    """
    ranked = []
    bbox = None if focus is None else tuple(focus)
    best_share = max(weights.values()) if weights else 0.0
    for place in candidates:
        t = _terms(place)
        why: list[str] | None = [] if explain else None
        score = 0.0
        if place.curated:
            score += CURATED_BONUS
            if why is not None:
                why.append("curated regional entry")
        # A world division's name is no better than a town's alternate name:
        # plain "Washington" is the capital before the state.
        if place.ref in primary and not t.world_province:
            score += PRIMARY_BONUS
            if why is not None:
                why.append("main name")
        elif t.alternate_penalty:
            # Old and foreign names ("Philadelphia" for Amman) are weaker than a name.
            score -= ALTERNATE_PENALTY
            if why is not None:
                why.append("alternate name")
        if capitals and place.ref in capitals:
            score += CAPITAL_BONUS
            if why is not None:
                why.append("national capital")
        if within and t.within_counts:
            if (place.country, place.admin1) in within or (place.country, "") in within:
                score += WITHIN_BONUS
                if why is not None:
                    why.append("in the division the text places it in")
        if t.country_counts:
            # A curated feature of no one country (the Yalu, a bridge) belongs to both banks.
            share = weights.get(place.country, 0.0) if place.country else 0.0
            if place.curated and not place.country and weights:
                share = best_share
            if share > 0:
                score += COUNTRY_BONUS * share
                if why is not None:
                    why.append(f"in {place.country or 'a country'} the text is about")
            if admin1s and (place.country, place.admin1) in admin1s:
                score += ADMIN1_BONUS
                if why is not None:
                    why.append(
                        "the division of the text's towns"
                        if place.kind == "province"
                        else "in a division the text names"
                    )
        if t.kind_bonus:
            score += t.kind_bonus
            if why is not None:
                why.append(place.kind)
        if t.seat_city and any(
            c.kind == "province"
            and (c.country, c.admin1) == (place.country, place.admin1)
            and (t.big_city or haversine_km(c.lon, c.lat, place.lon, place.lat) <= SEAT_KM)
            for c in candidates
        ):
            score += KIND_BONUS["province"] + 1.0
            if why is not None:
                why.append("big city of the division of its name" if t.big_city
                           else "town of the small division of its name")  # fmt: skip
        score += t.population
        if why is not None:
            why.extend(t.population_reasons)
        near, dist = "nothing", 0.0
        if ctx:
            near, dist = nearest(place, ctx) if near_of is None else near_of[place.ref]
        if bbox is not None:
            focus_km = _focus_km(place.lon, place.lat, bbox)
            if not ctx or focus_km < dist:  # a tie goes to the context point
                near, dist = FOCUS, focus_km
        if not t.distance_counts:
            dist = 0.0
        score -= DISTANCE_WEIGHT * math.log10(1 + min(dist, t.far_km) / t.scale_km)
        if why is not None and (ctx or bbox is not None):
            why.append(f"{dist:,.0f} km from {near}")
        ranked.append(Ranked(place, round(score, 4), tuple(why or ()), dist, near))
    # Ties broken by reference so the order never depends on input order.
    ranked.sort(key=lambda r: (-r.score, r.place.ref))
    return ranked
