"""An article's places as the context of its ambiguous names.

After recognition (:mod:`bordermap.recognise`) each hit has its plausible
gazetteer candidates (:func:`candidates`). :func:`rank_hits` ranks them in
the article's context:

1. the hits with one plausible candidate need no context: they are the
   article's anchors (points, most mentioned first), its countries (each
   one's share of the places) and its divisions;
2. every other name is ranked (:func:`bordermap.resolve.rank_near`) against
   them, then once more against the first round's confident picks, so that
   ambiguous places of one article support each other (Donggang and
   Pingtung in Taiwan).

Each distinct name is ranked once per round, and a name with one candidate
is not ranked at all: nothing reads its score. The candidates of a key
recur across a corpus's articles, so they are kept in a bounded memo per
gazetteer.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bordermap.gazetteer import BBox, Gazetteer, Place
from bordermap.resolve import Point, Ranked, nearest, nearest_all, points, rank_near
from bordermap.text import fold

if TYPE_CHECKING:
    from bordermap.recognise import Hit

__all__ = ["Entries", "candidates", "near_focus", "rank_hits", "AREA_KINDS", "LIST_GAP"]

#: ``(place, primary)`` pairs: a hit's plausible candidates, primary when its main name matched.
Entries = Sequence[tuple[Place, bool]]

CONFIDENT_MARGIN = 1.0
# Areas: resolved by what they are, never context points for distances.
AREA_KINDS = frozenset({"country", "province", "continent", "ocean", "sea", "region", "demonym"})
MAX_CONTEXT = 32  # distinct context points per article: the most mentioned ones
# Far from the focus region, a small settlement is far likelier to be a
# capitalised word or a name of something else than the place meant.
MIN_FAR_POPULATION = 5_000
# A town is found by one of its other names only when it is this big.
ALTERNATE_MIN_POPULATION = 100_000

#: What a name is ranked by within one round: its keys, surface, division and candidates.
_NameKey = tuple[tuple[int, ...], str, frozenset[tuple[str, str]], tuple[str, ...]]

#: Memoised candidate lists; cleared when full, so memory stays bounded.
MEMO_SIZE = 1 << 16
_MEMO: dict[tuple[tuple[int, ...], BBox | None, bool, bool], tuple[tuple[Place, bool], ...]] = {}
_MEMO_OWNER: list[weakref.ref[Gazetteer]] = []


def near_focus(place: Place, focus: BBox) -> bool:
    """Whether the place lies in the focus box ``(west, south, east, north)``."""
    w, s, e, n = focus
    return w <= place.lon <= e and s <= place.lat <= n


def _plausible(
    place: Place, primary: bool, focus: BBox | None, relaxed: bool, ordinary: bool = False
) -> bool:
    if (
        ordinary
        and not primary
        and not place.curated
        and place.kind == "city"
        and place.population < ALTERNATE_MIN_POPULATION
        and not (focus is not None and near_focus(place, focus))
    ):
        # "Keith" for Bay Shore: a small town's other name that is a word or a given name.
        return False
    return (
        place.curated
        or place.kind in AREA_KINDS
        or place.population >= MIN_FAR_POPULATION
        # GeoNames' 0 means "unknown" (often a county seat): trust the main name only.
        or (place.population == 0 and primary)
        # "Smalltown, Ky.": the text says where it is.
        or relaxed
        or (focus is not None and near_focus(place, focus))
    )


def _memo(gaz: Gazetteer) -> dict[
    tuple[tuple[int, ...], BBox | None, bool, bool], tuple[tuple[Place, bool], ...]
]:  # fmt: skip
    # Held for one gazetteer at a time (a weak reference: a new index never sees old lists).
    if not _MEMO_OWNER or _MEMO_OWNER[0]() is not gaz or len(_MEMO) >= MEMO_SIZE:
        _MEMO.clear()
        _MEMO_OWNER[:] = [weakref.ref(gaz)]
    return _MEMO


def candidates(
    hit: Hit, gaz: Gazetteer, focus: BBox | None, relaxed: bool, word: str = ""
) -> tuple[tuple[Place, bool], ...]:
    """Plausible ``(place, primary)`` candidates of a hit (``word``: its folded text).

    The result is shared between calls: do not change it.
    """
    ordinary = word in gaz.common_words or word in gaz.given_names
    focus = None if focus is None else tuple(focus)  # type: ignore[assignment]
    memo = _memo(gaz)
    key = (hit.keys, focus, relaxed, ordinary)
    found = memo.get(key)
    if found is None:
        seen: dict[str, tuple[Place, bool]] = {}
        for kid in hit.keys:
            for place, primary in gaz.entries(kid):
                if not _plausible(place, primary, focus, relaxed, ordinary):
                    continue
                old = seen.get(place.ref)
                seen[place.ref] = (place, primary or (old[1] if old else False))
        found = memo[key] = tuple(seen.values())
    return found


def rank_hits(
    text: str,
    folded: str,
    hits: list[Hit],
    gaz: Gazetteer,
    focus: BBox | None,
    within: dict[int, set[tuple[str, str]]],
    found: dict[int, Entries],
) -> list[list[Ranked]]:
    """Each hit's candidates ranked best first (empty for a phrase with none).

    ``within`` holds the divisions the text places a hit in, by its start
    ("Alexandria, Va."); ``found`` the candidates recognition already looked
    up, by start. A hit with one candidate gets it alone, unscored.
    """
    entries = [
        found[h.start]
        if h.start in found and h.match == "gazetteer"
        else candidates(h, gaz, focus, h.start in within, folded[h.start : h.end].strip())
        for h in hits
    ]
    cands = [[p for p, _ in e] for e in entries]
    sure = [
        cs[0] for hit, cs in zip(hits, cands, strict=True) if hit.match != "fuzzy" and len(cs) == 1
    ]
    # Pass 1: mentions that need no context: one plausible candidate. Areas
    # count by what they contain, not as points.
    anchors = _points([p for p in sure if p.kind not in AREA_KINDS or p.curated])
    countries = _shares([p.country for p in sure if p.country])
    # Divisions the article names, or where its towns lie (with the names that say so).
    admin1s = _divisions(sure)
    # Pass 2: rank every mention against the anchors; pass 3 ranks again
    # against pass 2's confident picks.
    best: list[list[Ranked]] = [
        [Ranked(cs[0], 0.0, ("the only plausible candidate",), 0.0, "")] if len(cs) == 1 else []
        for cs in cands
    ]
    for round_ in range(2):
        if round_:
            picks = _confident(best, hits)
            context = _points([p for p in picks if p.kind not in AREA_KINDS or p.curated])
            context = context or anchors
            countries = _shares([p.country for p in picks if p.country]) or countries
            admin1s = _divisions(sure + picks)
        else:
            context = anchors
        ctx = points(context)
        # Every candidate's nearest context point, for all names at once.
        many = {p.ref: p for cs in cands if len(cs) > 1 for p in cs}
        full = dict(zip(many, nearest_all(list(many.values()), ctx), strict=True)) if ctx else {}
        # Each distinct name is ranked once.
        memo: dict[_NameKey, list[Ranked]] = {}
        ranked_now = list(best)
        for i, (hit, cs, entry) in enumerate(zip(hits, cands, entries, strict=True)):
            if len(cs) < 2:
                continue  # nothing to choose: context changes nothing
            surface = text[hit.start : hit.end]
            place_in = frozenset(within.get(hit.start, ()))
            key = (hit.keys, surface, place_in, tuple(p.ref for p in cs))
            got = memo.get(key)
            if got is None:
                got = memo[key] = _rank_one(
                    cs, entry, surface, ctx, full, countries, admin1s, place_in, gaz, focus
                )
            ranked_now[i] = got
        best = ranked_now
    return _beside_capitals(text, hits, best, gaz)


#: What joins the names of a list: "Seoul, Tokyo and Washington".
LIST_GAP = re.compile(r",\s*|,?\s+(?:and|or)\s+")


def _is_capital(ranked: list[Ranked], named: str, gaz: Gazetteer) -> bool:
    """Whether the first of ``ranked`` is the national capital of the (folded) name."""
    return bool(ranked) and gaz.capitals.get(ranked[0].place.ref) == named


def _beside_capitals(
    text: str, hits: list[Hit], best: list[list[Ranked]], gaz: Gazetteer
) -> list[list[Ranked]]:
    """A name listed beside a national capital is the capital of its name, when there is
    one: "Washington and London" are two capitals, though the text's country weights put
    a Washington in England."""
    out = list(best)
    for i, ranked in enumerate(best):
        if len(ranked) < 2:
            continue
        named = fold(text[hits[i].start : hits[i].end])
        if _is_capital(ranked, named, gaz):
            continue
        capital = [r for r in ranked if gaz.capitals.get(r.place.ref) == named]
        if not capital:
            continue
        peers = [
            j
            for j in (i - 1, i + 1)
            if 0 <= j < len(hits)
            and LIST_GAP.fullmatch(
                text[min(hits[i].end, hits[j].end) : max(hits[i].start, hits[j].start)]
            )
            and _is_capital(best[j], fold(text[hits[j].start : hits[j].end]), gaz)
        ]
        if peers:
            out[i] = [capital[0], *(r for r in ranked if r is not capital[0])]
    return out


def _rank_one(
    cs: list[Place],
    entry: Entries,
    surface: str,
    ctx: list[Point],
    full: dict[str, tuple[str, float]],
    countries: dict[str, float],
    admin1s: dict[tuple[str, str], set[str]],
    place_in: frozenset[tuple[str, str]],
    gaz: Gazetteer,
    focus: BBox | None,
) -> list[Ranked]:
    primary = {p.ref for p, is_primary in entry if is_primary}
    # A name is no context for itself: a candidate nearest to a point of the
    # same name looks again without such points (any other nearest stays so).
    near = [a for a in ctx if a[0] != surface]
    near_of = {}
    if near:
        for p in cs:
            got = full[p.ref]
            near_of[p.ref] = nearest(p, near) if got[0] == surface else got
    # A division is no evidence for itself or its namesake (Rason, Rason).
    own = {p.name for p in cs}
    divisions = {d for d, names in admin1s.items() if not names <= own}
    named = fold(surface)
    capitals = {p.ref for p in cs if gaz.capitals.get(p.ref) == named}
    return rank_near(
        cs, near, primary, countries, focus, divisions, place_in, capitals, False, near_of
    )


def _divisions(places: list[Place]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for p in places:
        if p.admin1 and p.kind in ("province", "city"):
            out.setdefault((p.country, p.admin1), set()).add(p.name)
    return out


def _shares(codes: list[str]) -> dict[str, float]:
    """Each country's share of the article's places (mentions, not distinct places)."""
    counts = Counter(codes)
    total = sum(counts.values())
    return {c: n / total for c, n in counts.items()}


def _points(places: list[Place]) -> list[tuple[str, float, float]]:
    """Distinct context points, the most mentioned first, at most ``MAX_CONTEXT``."""
    counts = Counter((p.name, p.lon, p.lat) for p in places)
    return [pt for pt, _ in counts.most_common(MAX_CONTEXT)]


def _confident(best: list[list[Ranked]], hits: list[Hit]) -> list[Place]:
    """Picks that beat their runner-up clearly."""
    picks = []
    for ranked, hit in zip(best, hits, strict=True):
        if not ranked or hit.match == "fuzzy":
            continue
        if len(ranked) == 1 or ranked[0].score - ranked[1].score >= CONFIDENT_MARGIN:
            picks.append(ranked[0].place)
    return picks
