"""Layer rules: ``select`` decides per distinct sentence and name what the plain rules decide
per mention, whatever the layers share."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap.config import LayerConfig
from bordermap.geoparse import Mention
from bordermap.rules import DEMONYM, matches_place, resolved, select
from bordermap.text import fold

SENTENCES = (
    "Smugglers were arrested in Dandong.",
    "Customs (and a checkpoint) at Sinŭiju.",
    "Prices rose at the market in Hyesan.",
    "A c++ price list.* was seen",
    "Nothing happened here.",
)
NAMES = ("Dandong", "Sinuiju", "Sinŭiju", "Hyesan", "Chinese")


def plain_select(mentions: list[Mention], layer: LayerConfig) -> list[Mention]:
    """Every rule in its plainest form, mention by mention (the definition ``select`` keeps).

    A place rule keeps a mention that matches it, and every mention of a place (a ref)
    that a matching mention resolved to."""

    def plain(m: Mention) -> bool:
        if m.lat is None or m.lon is None:
            return False
        if m.kind == DEMONYM and DEMONYM not in layer.kinds:
            return False
        if layer.kinds and m.kind not in layer.kinds:
            return False
        if layer.countries and m.country not in layer.countries:
            return False
        return not layer.articles or m.article in layer.articles

    refs = {m.ref for m in mentions if m.ref and plain(m) and matches_place(m, layer.places)}
    out = []
    for m in mentions:
        if not plain(m):
            continue
        if not matches_place(m, layer.places) and m.ref not in refs:
            continue
        if layer.keywords and not any(fold(k) in fold(m.sentence) for k in layer.keywords):
            continue
        out.append(m)
    return out


mentions_st = st.lists(
    st.builds(
        lambda article, name, kind, country, resolved, sentence: Mention(
            article,
            0,
            len(name),
            name,
            name,
            kind,
            country,
            40.0 if resolved else None,
            124.0 if resolved else None,
            f"test:{fold(name)}" if resolved else None,
            0.9,
            sentence,
            "curated",
        ),  # fmt: skip
        st.sampled_from(("a1", "a2", "a3")),
        st.sampled_from(NAMES),
        st.sampled_from(("city", "county", DEMONYM)),
        st.sampled_from(("CN", "KP", "")),
        st.booleans(),
        st.sampled_from(SENTENCES),
    ),
    max_size=30,
)

layers_st = st.builds(
    lambda i, places, kinds, countries, articles, keywords: LayerConfig(
        id=f"l{i}",
        title="L",
        color="#000000",
        places=tuple(places),
        kinds=tuple(kinds),
        countries=tuple(countries),
        articles=tuple(articles),
        keywords=tuple(keywords),
    ),  # fmt: skip
    st.integers(0, 9),
    st.lists(st.sampled_from(("Dandong", "sinuiju", "test:hyesan", "Pyongyang")), max_size=2),
    st.lists(st.sampled_from(("city", "county", DEMONYM)), max_size=2),
    st.lists(st.sampled_from(("CN", "KP")), max_size=1),
    st.lists(st.sampled_from(("a1", "a3")), max_size=1),
    st.lists(st.sampled_from(("arrest", "CUSTOMS", "c++", ".*", "(and", "market")), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(mentions_st, st.lists(layers_st, min_size=1, max_size=4))
def test_select_decides_what_the_plain_rules_decide(
    mentions: list[Mention], layers: list[LayerConfig]
) -> None:
    folded: dict[str, str] = {}  # shared by the layers, as make_layers shares it
    passed: dict[Any, list[Any]] = {}  # likewise, one for each list of mentions
    passed_resolved: dict[Any, list[Any]] = {}
    found = resolved(mentions)
    for layer in layers:
        want = plain_select(mentions, layer)
        assert select(mentions, layer, folded) == want
        assert select(found, layer, folded, all_resolved=True) == want
        assert select(mentions, layer) == want
        assert select(mentions, layer, folded, passed=passed) == want
        assert select(found, layer, folded, all_resolved=True, passed=passed_resolved) == want


@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=127))))
def test_a_sentence_folds_as_fold_folds_it(text: str) -> None:
    from bordermap.rules import _fold_sentence

    assert _fold_sentence(text) == fold(text)


def test_a_spelling_in_a_place_rule_keeps_every_mention_of_its_place() -> None:
    def at(article: str, text: str) -> Mention:
        return Mention(article, 0, len(text), text, "Hoeryong", "city", "KP", 42.44, 129.75,
                       "regional:hoeryong", 0.9, f"Guards in {text}.", "curated")  # fmt: skip

    mentions = [at("a09", "Hoeryng"), at("a15", "Hoeryong"), at("a19", "Hoeryong")]
    layer = LayerConfig(id="t", title="T", color="#000000", places=("Hoeryng",))
    assert [m.article for m in select(mentions, layer)] == ["a09", "a15", "a19"]
    assert select(mentions, layer) == plain_select(mentions, layer)
