"""Ranking in an article's context (context.py) and the distance helpers it uses (resolve.py)."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap import context
from bordermap.articles import Article
from bordermap.context import candidates
from bordermap.gazetteer import Place
from bordermap.geoparse import extract
from bordermap.recognise import Hit
from bordermap.resolve import haversine_km, nearest, nearest_all, points, rank, rank_near

lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-89, 89, allow_nan=False)
coords = st.tuples(lons, lats)


def place(i: int, lon: float, lat: float) -> Place:
    return Place(f"test:{i}", f"P{i}", "city", "XX", lat, lon, 1000 * (i + 1), "01", False)


def exhaustive(p: Place, ctx: list[tuple[str, float, float, float]]) -> tuple[str, float]:
    """The point of the smallest flat metric, by a search as plain as it gets."""
    k = math.cos(math.radians(p.lat))

    def flat(c: tuple[str, float, float, float]) -> float:
        dx = ((c[1] - p.lon + 180) % 360 - 180) * (k + c[3]) / 2
        return (c[2] - p.lat) ** 2 + dx**2

    best = min(range(len(ctx)), key=lambda j: (flat(ctx[j]), j))
    return ctx[best][0], haversine_km(p.lon, p.lat, ctx[best][1], ctx[best][2])


@settings(max_examples=100, deadline=None)
@given(st.lists(coords, min_size=1, max_size=8), st.lists(coords, min_size=1, max_size=40))
def test_nearest_one_by_one_and_all_at_once_agree(cands, ctx_points) -> None:
    # Duplicated points make ties: both must keep the first, as the search does.
    ctx = points([(f"c{j}", x, y) for j, (x, y) in enumerate(ctx_points + ctx_points[:2])])
    places = [place(i, x, y) for i, (x, y) in enumerate(cands)]
    together = nearest_all(places, ctx)
    assert together == [nearest(p, ctx) for p in places]
    assert together == [exhaustive(p, ctx) for p in places]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(coords, min_size=2, max_size=6),
    st.lists(coords, max_size=10),
    st.sampled_from([None, (119.0, 37.5, 131.5, 46.0)]),
    st.dictionaries(st.sampled_from(["XX", "YY"]), st.floats(0.01, 1.0), max_size=2),
)
def test_ranking_without_reasons_ranks_the_same(cands, ctx_points, focus, weights) -> None:
    places = [place(i, x, y) for i, (x, y) in enumerate(cands)]
    context_points = [(f"c{j}", x, y) for j, (x, y) in enumerate(ctx_points)]
    told = rank(places, context_points, {"test:0"}, weights, focus, {("XX", "01")})
    ctx = points(context_points)
    found = nearest_all(places, ctx) if ctx else []
    near_of = {p.ref: got for p, got in zip(places, found, strict=True)} if ctx else None
    quiet = rank_near(
        places, ctx, {"test:0"}, weights, focus, {("XX", "01")}, explain=False, near_of=near_of
    )
    assert [(r.place, r.score, r.distance_km, r.near) for r in quiet] == [
        (r.place, r.score, r.distance_km, r.near) for r in told
    ]
    assert all(r.reasons == () for r in quiet)
    assert all(r.reasons for r in told)


def test_candidates_are_not_shared_between_gazetteers(gazetteer) -> None:
    kid = gazetteer.key_id("dandong")
    hit = Hit(0, 7, (kid,), "gazetteer")
    first = candidates(hit, gazetteer, None, False, "dandong")
    assert first and candidates(hit, gazetteer, None, False, "dandong") is first  # memoised
    # Another index with the same keys but other records: its own candidates, not the memo's.
    rows = [(r[0], r[1].upper(), *r[2:]) for r in gazetteer.rows]
    other = dataclasses.replace(gazetteer, rows=rows)
    theirs = candidates(hit, other, None, False, "dandong")
    assert [p.name for p, _ in theirs] == [p.name.upper() for p, _ in first]
    assert candidates(hit, gazetteer, None, False, "dandong") == first


def test_the_candidate_memo_stays_bounded(gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context, "MEMO_SIZE", 10)
    text = "Trucks left Dandong for Sinuiju, Hyesan, Manpo, Namyang, Onsong and Hunchun."
    article = Article("a", text)
    cold = extract(article, gazetteer)
    for word in ["dandong", "sinuiju", "hyesan", "manpo", "namyang", "onsong", "hunchun"] * 3:
        for relaxed in (False, True):
            kid = gazetteer.key_id(word)
            candidates(Hit(0, 1, (kid,), "gazetteer"), gazetteer, None, relaxed, word)
            assert len(context._MEMO) <= 10
    assert extract(article, gazetteer) == cold
