"""The layers made faster give the features the plain way gives (issue 13).

``mention_layer`` now looks each article up once per project (:class:`Cited`)
and finds a name's mark with two searches when it occurs once; ``select``
shares what layers with the same rules but keywords keep.  The plain way they
replaced is kept here as the oracle, and compared on any mentions and on the
shipped project.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap.areas import shape_of
from bordermap.articles import Article
from bordermap.claims import Cited, Claim, feature_properties
from bordermap.config import LayerConfig
from bordermap.geoparse import Mention
from bordermap.layers import Feature, _claims_at, _mark, _note, make_layers, mention_layer
from bordermap.origins import Origins

# ------------------------------------------------------------- the oracle


def plain_mention_layer(
    mentions: Sequence[Mention],
    layer: LayerConfig,
    articles: dict[str, Article],
    claims: Sequence[Claim] = (),
    origins: Origins | None = None,
) -> list[Feature]:
    """One feature per place, an entry per article, each looked up where it is needed."""
    by_ref: dict[str, list[Mention]] = {}
    for m in mentions:
        by_ref.setdefault(m.ref or "", []).append(m)
    features = []
    for ref, group in by_ref.items():
        first = group[0]
        note = _note(layer, group)
        claim = " ".join(x for x in (layer.claim, note) if x)
        prov: dict[str, dict[str, Any]] = {}
        for m in group:
            if m.article not in prov:
                a = articles.get(m.article)
                entry: dict[str, Any] = {
                    "article": m.article, "title": a.title if a else "",
                    "outlet": a.outlet if a else "", "date": a.date if a else "",
                    "claim": claim, "sentence": m.sentence,
                }  # fmt: skip
                if (mark := _mark(m, a)) is not None:
                    entry["mark"] = mark
                entry["mentions"] = 0
                prov[m.article] = entry
            prov[m.article]["mentions"] += 1
            if m.match == "project":
                prov[m.article]["corrected"] = "in the project file"
        entries = [prov[k] for k in sorted(prov)]
        if origins:
            entries = [origins.mark(e) for e in entries]
        area, radius = shape_of(group, articles)
        cited = sorted({m.article for m in group})
        props = feature_properties(
            _claims_at(group, claims), cited, articles, origins or Origins({})
        )
        features.append(
            Feature(
                id=ref, name=first.name or first.text, kind=first.kind or "",
                country=first.country or "", coords=((float(first.lon or 0.0),
                float(first.lat or 0.0)),), provenance=tuple(entries), note=note,
                precision=first.precision or "", radius_km=radius, area=area,
                claim_props=props,
            )
        )  # fmt: skip
    features.sort(key=lambda f: (f.name, f.id))
    return features


def _same(a: Sequence[Feature], b: Sequence[Feature]) -> None:
    """Equal features, their entries with the same keys in the same order."""
    assert a == b
    for fa, fb in zip(a, b, strict=True):
        assert [list(e) for e in fa.provenance] == [list(e) for e in fb.provenance]
        assert list(fa.claim_props) == list(fb.claim_props)


# ------------------------------------------------------------ the mentions

ARTICLES = {
    "a1": Article("a1", "Near Dandong, police in Dandong met.", {"title": "One", "date": "2021"}),
    "a2": Article(
        "a2", "Sinuiju and Sinuiju again.", {"title": "Two", "outlet": "RFA", "date": "2020-03-04"}
    ),  # fmt: skip
    "a3": Article("a3", "Hyesan.", {"title": "Three", "date": "May 2019"}),
    "a4": Article("a4", "Dandong.", {}),
}
SENTENCES = ("Near Dandong, police in Dandong met.", "Sinuiju and Sinuiju again.", "Hyesan.", "")
PLACES = (("Dandong", "city", "town"), ("Sinuiju", "city", "town"), ("Hyesan", "city", "town"),
          ("North Korea", "country", "country"), ("Liaoning", "province", "province"))  # fmt: skip
REFS = {"Dandong": "t:dandong", "Sinuiju": "t:sinuiju", "Hyesan": "t:hyesan",
        "North Korea": "geonames:1873107", "Liaoning": "geonames:2036115"}  # fmt: skip


@st.composite
def mentions(draw: Any) -> list[Mention]:
    out = []
    for _ in range(draw(st.integers(0, 12))):
        name, kind, precision = draw(st.sampled_from(PLACES))
        article = draw(st.sampled_from(("a1", "a2", "a3", "a4", "gone")))
        start = draw(st.integers(-1, 30))
        text = draw(st.sampled_from((name, f" {name}", "")))
        out.append(Mention(
            article, start, start + len(text), text, draw(st.sampled_from((name, None))), kind,
            "KP" if kind == "country" else "CN", 40.0, 124.5, REFS[name], 0.9,
            draw(st.sampled_from(SENTENCES)), draw(st.sampled_from(("curated", "project"))),
            draw(st.sampled_from((precision, None))),
        ))  # fmt: skip
    return out


LAYER = LayerConfig(id="towns", title="Towns", color="#000000", claim="Said.",
                    notes={"Sinuiju": "Across the river."})  # fmt: skip
ORIGINS = Origins({"a2": "a1", "a4": "a3"})


@settings(max_examples=200, deadline=None)
@given(mentions(), st.sampled_from((None, ORIGINS)), st.booleans())
def test_mention_layer_gives_the_plain_features(
    found: list[Mention], origins: Origins | None, shared: bool
) -> None:
    cited = Cited(ARTICLES, origins or Origins({})) if shared else None
    want = plain_mention_layer(found, LAYER, ARTICLES, (), origins)
    _same(mention_layer(found, LAYER, ARTICLES, (), origins, cited), want)
    if cited is not None:  # looked up once: the same again
        _same(mention_layer(found, LAYER, ARTICLES, (), origins, cited), want)


@given(st.lists(st.sampled_from(("a1", "a2", "a3", "a4", "gone")), unique=True).map(sorted))
def test_cited_properties_are_feature_properties(ids: list[str]) -> None:
    cited = Cited(ARTICLES, ORIGINS)
    assert cited.properties([], ids) == feature_properties([], ids, ARTICLES, ORIGINS)


def test_the_shipped_project_has_the_plain_layers(project: Any) -> None:
    from bordermap.rules import select

    parts = project.parts
    layers = make_layers(parts.config, parts.mentions, parts.articles, parts.claims,
                         parts.origins)  # fmt: skip
    checked = 0
    for cfg in parts.config.layers:
        if cfg.source != "mentions" or cfg.rest:
            continue
        drawn = [parts.claims[c.id] for c in parts.config.claims_of(cfg.id)]
        want = plain_mention_layer(select(parts.mentions, cfg), cfg, parts.articles, drawn,
                                   parts.origins)  # fmt: skip
        _same(layers[cfg.id].features, want)
        checked += 1
    assert checked >= 3
