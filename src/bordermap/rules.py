"""Layer rules: which of a corpus's mentions a layer's readable rules select.

A layer names ``places``, ``kinds``, ``countries``, ``articles`` and
``keywords`` (in its sentence); a mention passes when it passes every rule the
layer sets. The context rule (``rest``) leaves out what other layers draw, and
``within_focus`` keeps only places inside ``focus.bbox``. When a layer selects
nothing, :func:`unmatched` says which rule matched nothing, with the nearest
value the corpus has.

>>> [m.name for m in select(mentions, layer)]      # doctest: +SKIP
['Hamhung']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bordermap.config import LayerConfig, ProjectConfig
from bordermap.geoparse import Mention
from bordermap.hints import near
from bordermap.region import Bbox
from bordermap.text import fold

__all__ = [
    "DEMONYM",
    "matches_place",
    "near",
    "resolved",
    "select",
    "unmatched",
    "missing_places",
    "context_exclusions",
    "in_focus",
]

#: The geoparser's kind for a people's name pointing at its country.
DEMONYM = "demonym"


def matches_place(m: Mention, wanted: Sequence[str]) -> bool:
    if not wanted:
        return True
    keys = {fold(m.text), fold(m.name or ""), m.ref or ""}
    return any(w in keys or fold(w) in keys for w in wanted)


def resolved(mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions that have a point (what every layer's rules start from)."""
    return [m for m in mentions if m.lat is not None and m.lon is not None]


def select(
    mentions: Iterable[Mention],
    layer: LayerConfig,
    folded: dict[str, str] | None = None,
    *,
    all_resolved: bool = False,
    passed: dict[Any, list[Any]] | None = None,
) -> list[Mention]:
    """The resolved mentions that pass every rule the layer sets.

    Demonyms and adjectives ("Chinese", "North Korean") name a people, not a
    place: a layer keeps them only when its ``kinds`` ask for ``"demonym"``.

    Each rule is decided once per distinct value, not once per mention: a
    sentence's keywords once per sentence (``folded`` keeps the folded
    sentences, so that the layers of one project fold each sentence once), a
    place rule once per name. ``all_resolved`` says that every mention has a point
    (:func:`resolved`: the layers of one project find them once). ``passed`` keeps,
    for the layers of one project over the same ``mentions``, what the rules but the
    keywords kept (with its distinct sentences), so that layers that differ only in
    their keywords filter the corpus once.
    """
    folded = {} if folded is None else folded
    key = (frozenset(layer.kinds), tuple(layer.countries), tuple(layer.articles),
           tuple(layer.places), all_resolved)  # fmt: skip
    found = passed.get(key) if passed is not None else None
    if found is None:  # [what passed, its distinct sentences once a layer needs them]
        found = [_passing(mentions, layer, all_resolved), None]
        if passed is not None:
            passed[key] = found
    chosen: list[Mention] = found[0]
    if not layer.keywords:
        return list(chosen)
    if found[1] is None:
        found[1] = {m.sentence for m in chosen}
    sentences: set[str] = found[1]
    # Any keyword in the folded sentence, each a plain substring test (in C, a
    # few times faster than one search of their alternation as a pattern).
    keywords = tuple(dict.fromkeys(fold(k) for k in layer.keywords))
    said: dict[str, bool] = {}  # sentence -> whether it has one of the keywords
    for sentence in sentences:
        text = folded.get(sentence)
        if text is None:
            text = folded[sentence] = _fold_sentence(sentence)
        hit = False
        for k in keywords:
            if k in text:
                hit = True
                break
        said[sentence] = hit
    return [m for m in chosen if said[m.sentence]]


#: :func:`~bordermap.text.fold` of each ASCII character, as a bytes table (folding is
#: character by character, so an ASCII text folds through it as ``fold`` folds it).
_ASCII_FOLD = bytes(ord(fold(chr(i))) for i in range(128)) + bytes(128)


def _fold_sentence(text: str) -> str:
    """``fold(text)``; an ASCII text (most of a corpus) through :data:`_ASCII_FOLD`,
    a bytes translation several times faster than a str one."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    return fold(text)


def _passing(mentions: Iterable[Mention], layer: LayerConfig, all_resolved: bool) -> list[Mention]:
    """The mentions that pass every rule of ``layer`` but its keywords, in corpus order."""
    kinds = set(layer.kinds)
    # Each rule a filter over what the rules before it kept, in corpus order.
    chosen = list(mentions) if all_resolved else resolved(mentions)
    if kinds:
        chosen = [m for m in chosen if m.kind in kinds]
    else:
        chosen = [m for m in chosen if m.kind != DEMONYM]
    if layer.countries:
        countries = set(layer.countries)
        chosen = [m for m in chosen if m.country in countries]
    if layer.articles:
        article_ids = set(layer.articles)
        chosen = [m for m in chosen if m.article in article_ids]
    if layer.places:
        named: dict[tuple[str, str | None, str | None], bool] = {}  # (text, name, ref) -> rule
        for m in chosen:
            key = (m.text, m.name, m.ref)
            if key not in named:
                named[key] = matches_place(m, layer.places)
        # A spelling names the place it resolved to, with all its mentions: a layer of
        # "Hoeryng" (a typo one article has) draws every mention of Hoeryong.
        refs = {ref for (_t, _n, ref), hit in named.items() if hit and ref}
        chosen = [m for m in chosen if named[m.text, m.name, m.ref] or m.ref in refs]
    return chosen


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def unmatched(layer: LayerConfig, mentions: Sequence[Mention]) -> str | None:
    """Why ``layer`` selects nothing from ``mentions``, in one line, or ``None`` if it does.

    Names each rule that on its own matches no resolved mention, with the
    nearest value the corpus has ("did you mean "Hoeryong"?").
    """
    if layer.source != "mentions" or select(mentions, layer):
        return None
    found = [m for m in mentions if m.lat is not None and m.lon is not None]
    why = []
    for place in layer.places:
        if not any(matches_place(m, (place,)) for m in found):
            names = [n for m in found for n in (m.name, m.text) if n]
            why.append(f'places: no mention of "{place}"{near(place, names)}')
    for key, values, have in (
        ("kinds", layer.kinds, {m.kind for m in found if m.kind}),
        ("countries", layer.countries, {m.country for m in found if m.country}),
        ("articles", layer.articles, {m.article for m in found}),
    ):
        have_str: set[str] = {str(h) for h in have}
        for value in values:
            if value not in have_str:
                why.append(f'{key}: no mention with "{value}"{near(value, have_str)}')
    if layer.keywords and not any(
        fold(k) in fold(m.sentence) for m in found for k in layer.keywords
    ):
        why.append(f"keywords: no sentence with {_quoted(layer.keywords)}")
    reason = "; ".join(why) or "no mention passes all its rules together"
    return f"layer {layer.id!r} matches nothing ({reason}); it is built empty"


def missing_places(
    layer: LayerConfig, chosen: Sequence[Mention], mentions: Sequence[Mention]
) -> list[str]:
    """One line per name of a layer that is drawn, but not for that name (a typo in a list)."""
    if not chosen or not layer.places or layer.source != "mentions":
        return []
    found = [m for m in mentions if m.lat is not None and m.lon is not None]
    lines = []
    for place in layer.places:
        if not any(matches_place(m, (place,)) for m in chosen):
            names = [n for m in found for n in (m.name, m.text) if n]
            hint = near(place, names)
            lines.append(
                f'layer {layer.id!r}: places: no mention of "{place}" passes the '
                f"layer's rules{hint}; the layer is drawn without it"
            )
    return lines


def context_exclusions(config: ProjectConfig, selected: dict[str, list[Mention]]) -> set[str]:
    """Refs already drawn by a non-rest layer (the context layer leaves them out)."""
    refs: set[str] = set()
    for layer in config.layers:
        if not layer.rest and layer.id in selected:
            refs |= {m.ref or "" for m in selected[layer.id]}
    return refs


def in_focus(m: Mention, focus: Bbox) -> bool:
    """Whether a resolved mention lies inside ``focus`` (west, south, east, north; edges in)."""
    w, s, e, n = focus
    return w <= (m.lon or 0) <= e and s <= (m.lat or 0) <= n
