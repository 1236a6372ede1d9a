"""The corrector finds a form only in articles holding its first word: same mentions as
searching every article for every form (the code before it, kept here as the oracle)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bordermap.articles import Article
from bordermap.config import CorrectionConfig, PlaceConfig
from bordermap.corrections import PROJECT_MATCH, Corrector, _Sentences, apply
from bordermap.geoparse import Mention
from bordermap.resolve import PRECISION

# Forms that share words, overlap, hold punctuation or start without a word character.
WORDS = ["New", "York", "Sinuiju", "Sinuiju-ri", "(Hyesan)", "Peace", "Village", "Hyesan",
         "Dandong", "O'Grady", "Ürümqi", "ri"]  # fmt: skip
FORMS = [*WORDS, "New York", "Peace Village", "York Peace", "-ri", "(Hyesan", "Hyesan)"]


def _oracle(
    article: Article,
    mentions: Sequence[Mention],
    places: Sequence[PlaceConfig],
    corrections: Sequence[CorrectionConfig],
) -> list[Mention]:
    """Every form searched in the whole article, every mention against every span kept
    (of those that overlap, the first to start and longest)."""

    def occurrences(text: str, form: str) -> list[tuple[int, int]]:
        pattern = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")
        return [(m.start(), m.end()) for m in pattern.finditer(text)]

    text = article.text
    wanted = [c for c in corrections if not c.articles or article.id in c.articles]
    excluded = {c.text for c in wanted if c.exclude}
    made: dict[tuple[int, int], Mention] = {}
    sentences = _Sentences(text)

    def mention(span: tuple[int, int], name: str, kind: str, country: str, lat: float,
                lon: float, ref: str) -> Mention:  # fmt: skip
        return Mention(
            article=article.id, start=span[0], end=span[1], text=text[span[0] : span[1]],
            name=name, kind=kind, country=country or None, lat=lat, lon=lon, ref=ref,
            score=1.0, sentence=sentences.at(span[0]), match=PROJECT_MATCH,
            precision=PRECISION.get(kind, "site"),
        )  # fmt: skip

    for place in places:
        for form in (place.name, *place.aliases):
            for span in occurrences(text, form):
                made[span] = mention(span, place.name, place.kind, place.country, place.lat,
                                     place.lon, f"project:{place.id}")  # fmt: skip
    for c in wanted:
        if c.exclude:
            continue
        assert c.lat is not None and c.lon is not None
        fields = (c.name or c.text, c.kind, c.country, c.lat, c.lon, f"project:{c.text}")
        for span in occurrences(text, c.text):
            made[span] = mention(span, *fields)
    out = [m for m in mentions if m.text not in excluded]
    spans = []  # the first-starting longest one, again and again, without what overlaps it
    rest = set(made)
    while rest:
        first = min(rest, key=lambda s: (s[0], -s[1]))
        spans.append(first)
        rest = {s for s in rest if s[0] >= first[1] or s[1] <= first[0]}
    kept = [m for m in out if not any(s < m.end and m.start < e for s, e in spans)]
    extra = [made[s] for s in spans if made[s].text not in excluded]
    return sorted([*kept, *extra], key=lambda m: (m.start, m.end))


def _geoparsed(article: Article, picks: list[int]) -> list[Mention]:
    """Mentions as a geoparser might give them: spans of the text, whole words or not
    (``picks``: start and length, in turn)."""
    n = len(article.text)
    if not n:
        return []
    pairs = zip(picks[::2], picks[1::2], strict=False)  # an odd pick is left over
    spans = sorted({(s % n, min(n, s % n + 1 + k % 9)) for s, k in pairs})
    return [
        Mention(
            article.id,
            s,
            e,
            article.text[s:e],
            "Somewhere",
            "city",
            "CN",
            40.0,
            124.0,
            "geonames:1",
            0.9,
            "",
            "gazetteer",
            "town",
        )  # fmt: skip
        for s, e in spans
    ]


texts = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", ", ", ". ", "-", "\n", ""])),
    max_size=30,
).map(lambda parts: "".join(w + sep for w, sep in parts))
places = st.lists(
    st.tuples(st.sampled_from(FORMS), st.lists(st.sampled_from(FORMS), max_size=2)), max_size=4
).map(
    lambda items: [
        PlaceConfig(f"p{i}", name, tuple(aliases), "village", "KP", 40.0 + i, 125.0)
        for i, (name, aliases) in enumerate(items)
    ]
)
corrections = st.lists(
    st.tuples(st.sampled_from(FORMS), st.booleans(), st.sampled_from([(), ("a",), ("b",)])),
    max_size=4,
).map(
    lambda items: [
        CorrectionConfig(
            text,
            articles,
            exclude,
            lat=None if exclude else 41.0 + i,
            lon=None if exclude else 126.0,
            name="" if i % 2 else f"Pin {i}",
        )  # fmt: skip
        for i, (text, exclude, articles) in enumerate(items)
    ]
)


@settings(max_examples=300, deadline=None)
@given(texts, places, corrections, st.lists(st.integers(0, 400), max_size=16))
@example("New York Peace Village. Sinuiju-ri (Hyesan) York", [], [], [0, 8, 4, 3, 24, 2, 30, 9])
@example(
    "New York Peace Village. Sinuiju-ri (Hyesan) York",
    [PlaceConfig("p0", "New York", ("York Peace",), "village", "KP", 40.0, 125.0)],
    [CorrectionConfig("Peace Village", lat=41.0, lon=126.0)],
    [13, 5, 7, 4, 8, 0],
)
@example(
    "New York Peace Village. Sinuiju-ri (Hyesan) York",
    [PlaceConfig("p0", "York", ("New York", "(Hyesan)"), "village", "KP", 40.0, 125.0)],
    [
        CorrectionConfig("Peace Village", ("a",), lat=41.0, lon=126.0),
        CorrectionConfig("York", ("a",), True),
    ],  # fmt: skip
    [4, 1, 12, 5, 26, 0, 40, 7],
)
def test_same_mentions_as_searching_every_form(
    text: str,
    places: list[PlaceConfig],
    corrections: list[CorrectionConfig],
    picks: list[int],
) -> None:
    corrector = Corrector(places, corrections)
    for aid in ("a", "b"):
        article = Article(aid, text)
        found = _geoparsed(article, picks)
        want = _oracle(article, found, places, corrections)
        assert corrector.apply(article, found) == want
        assert apply(article, found, places, corrections) == want


def test_oracle_tells_a_missed_form() -> None:
    """The comparison above can fail: a corrector that files a form under the wrong
    word misses it, and the oracle still finds it."""
    article = Article("a", "Trucks crossed at New York today.")
    place = [PlaceConfig("p0", "New York", (), "city", "US", 40.7, -74.0)]
    corrector = Corrector(place, [])
    corrector._by_word = {"Boston": corrector._by_word.pop("New")}  # a word not in the text
    assert corrector.apply(article, []) != _oracle(article, [], place, [])
    assert [m.text for m in Corrector(place, []).apply(article, [])] == ["New York"]


KJS = PlaceConfig("kjs", "Kimjongsuk county", ("Kimjongsuk",), "county", "KP", 41.4, 127.3)


def test_a_name_inside_a_longer_name_of_the_project_is_not_a_second_mention() -> None:
    article = Article("a17", "In Kimjongsuk county, farmers cross. Kimjongsuk is poor.")
    got = Corrector([KJS], []).apply(article, [])
    assert [(m.start, m.text, m.name) for m in got] == [
        (3, "Kimjongsuk county", "Kimjongsuk county"),
        (37, "Kimjongsuk", "Kimjongsuk county"),
    ]


def test_of_the_project_names_that_overlap_the_first_to_start_wins() -> None:
    article = Article("a", "Trucks crossed at New York Peace Village today.")
    city = PlaceConfig("p0", "New York", (), "city", "US", 40.7, -74.0)
    village = PlaceConfig("p1", "York Peace Village", ("Peace Village",), "village", "KP", 38.0,
                          126.7)  # fmt: skip
    got = Corrector([village, city], []).apply(article, [])
    assert [(m.text, m.ref) for m in got] == [("New York", "project:p0"),
                                              ("Peace Village", "project:p1")]  # fmt: skip


def test_the_project_name_that_wins_replaces_the_geoparsers_mentions_in_its_span() -> None:
    article = Article("a17", "In Kimjongsuk county, farmers cross.")
    geoparsed = [
        Mention("a17", 3, 13, "Kimjongsuk", "Kimjongsuk", "county", "KP", 41.0, 128.0,
                "geonames:9", 0.8, "", "gazetteer", "district"),
        Mention("a17", 22, 29, "farmers", "Farmers", "city", "US", 40.0, -90.0,
                "geonames:8", 0.3, "", "gazetteer", "town"),
    ]  # fmt: skip
    got = Corrector([KJS], []).apply(article, geoparsed)
    assert [(m.start, m.text, m.match) for m in got] == [
        (3, "Kimjongsuk county", PROJECT_MATCH),
        (22, "farmers", "gazetteer"),
    ]
