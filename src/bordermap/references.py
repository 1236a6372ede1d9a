"""What a project file names that its corpus does not have: one warning line each.

A typo in a layer's ``places`` already warns (:func:`bordermap.rules.missing_places`);
the same typo elsewhere would otherwise change the maps without a word: a
claim about a place no article names draws on nothing, a note keyed by a
misspelt place is never shown, an article id that is not in the corpus
selects nothing, a claim whose places its layer does not keep is in the legend
and on no feature. These stay warnings, not errors: the corpus a project file
was written for may have changed since, and the build still makes sense
without them. Each line names the file (as every project-file error does, the way
it was named: :attr:`~bordermap.config.ProjectConfig.file`) and the key and, where
the corpus has something close, says what ("did you mean ...?"), never the value
itself.

>>> for line in unknown_articles(config, articles): log.warning("%s", line)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from bordermap.errors import first_few
from bordermap.hints import Nearest
from bordermap.text import fold

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.config import ProjectConfig
    from bordermap.geoparse import Mention
    from bordermap.layers import Layer

__all__ = [
    "place_keys_named",
    "undrawn_claims",
    "unknown_articles",
    "unnamed_places",
    "unused_corrections",
]


def unknown_articles(config: ProjectConfig, articles: dict[str, Article]) -> list[str]:
    """A line per article id of ``layers``, ``annotations`` or ``corrections`` that the
    corpus does not have (a layer whose every id is unknown also warns that it is empty)."""
    where = [
        *((f"layers[{i}].articles", x.articles) for i, x in enumerate(config.layers)),
        *((f"annotations[{i}].articles", x.articles) for i, x in enumerate(config.annotations)),
        *((f"corrections[{i}].articles", x.articles) for i, x in enumerate(config.corrections)),
    ]
    missing = [(key, j, aid) for key, ids in where for j, aid in enumerate(ids)
               if aid not in articles]  # fmt: skip
    nearest = Nearest(articles) if missing else None
    return [
        f'{config.file}: {key}[{j}]: no article "{aid}" in the corpus'
        f"{nearest.hint(aid) if nearest else ''}; it selects nothing"
        for key, j, aid in missing
    ]


def place_keys_named(mentions: Iterable[Mention]) -> set[str]:
    """Every key a place rule can match in ``mentions`` (folded text and name, ref),
    made once per distinct (text, name, ref)."""
    keys: set[str] = set()
    for text, name, ref in {(m.text, m.name, m.ref) for m in mentions}:
        keys.update((fold(text), fold(name or ""), ref or ""))
    keys.discard("")
    return keys


def unnamed_places(config: ProjectConfig, mentions: Sequence[Mention]) -> list[str]:
    """A line per place of a claim's ``places`` or a layer's ``notes`` that no mention of
    the corpus matches (as a layer's ``places`` rule would match it)."""
    wanted = [
        *((f"{c.key or 'claims'}.places[{j}]", p, "the claim is on no place there")
          for c in config.claims for j, p in enumerate(c.places)),
        *((f"layers[{i}].notes", p, "its note is shown nowhere")
          for i, layer in enumerate(config.layers) for p in layer.notes),
    ]  # fmt: skip
    if not wanted:  # most projects: no walk over the corpus's mentions at all
        return []
    keys = place_keys_named(mentions)
    missing = [(key, p, what) for key, p, what in wanted if p not in keys and fold(p) not in keys]
    if not missing:
        return []
    nearest = Nearest({n for m in mentions for n in (m.name, m.text) if n})
    return [
        f'{config.file}: {key}: no mention of "{place}" in the corpus{nearest.hint(place)}; {what}'
        for key, place, what in missing
    ]


def unused_corrections(
    config: ProjectConfig,
    used: set[int],
    mentions: Sequence[Mention],
    shadowed: Mapping[int, str] | None = None,
) -> list[str]:
    """A line per correction that found or dropped nothing (``used``: the positions of
    those that did, :attr:`bordermap.corrections.Corrector.used`; ``shadowed``: of those
    that found their text only inside a longer name of the project, with that name,
    :attr:`~bordermap.corrections.Corrector.shadowed`), ``mentions`` being the
    geoparser's, before the corrections. A correction kept to some ``articles`` whose
    text the other articles have says which of them do (its article ids are what to
    check; :func:`unknown_articles` names those the corpus lacks)."""
    unused = [(i, c) for i, c in enumerate(config.corrections) if i not in used]
    if not unused:
        return []
    nearest = Nearest(m.text for m in mentions)
    scoped = {c.text for _, c in unused if c.articles}
    elsewhere: dict[str, dict[str, None]] = {}  # text -> the articles it is mentioned in
    for m in mentions:
        if m.text in scoped:
            elsewhere.setdefault(m.text, {})[m.article] = None
    lines = []
    for i, c in unused:
        scope = f" of {', '.join(c.articles)}" if c.articles else ""
        found = [a for a in elsewhere.get(c.text, ()) if c.articles and a not in c.articles]
        hint = f", but in {first_few(found, noun='article')}" if found else nearest.hint(c.text)
        # An exclusion acts on the geoparser's mentions; a pin or a place on the text.
        if c.exclude:
            did = f'no mention "{c.text}" in any article{scope}{hint}; the exclusion drops nothing'
        elif shadowed and i in shadowed:
            did = (f'"{c.text}" stands only inside "{shadowed[i]}", a longer name the project '
                   "file gives a place to; the correction changes nothing")  # fmt: skip
        else:
            did = f'"{c.text}" stands in no article{scope}{hint}; the correction changes nothing'
        lines.append(f"{config.file}: corrections[{i}].text: {did}")
    return lines


def undrawn_claims(config: ProjectConfig, layers: Mapping[str, Layer]) -> list[str]:
    """A line per claim and layer meant to draw it (the claim names the layer, or the
    layer lists it) where no feature of the layer carries it: the claim's places are not
    among the layer's features (or the layer has none), so it is drawn nowhere there."""
    lines = []
    for layer in config.layers:
        claims = config.claims_of(layer.id)
        if not claims or layer.id not in layers:
            continue
        carried = layers[layer.id].claims_drawn
        for c in claims:
            if c.id in carried:
                continue
            key = c.key or "claims"
            if c.places:
                key += ".places"
                why = (f"its places ({', '.join(c.places)}) are not among the layer's features; "
                       "add them to the layer's rules or fix the claim's places")  # fmt: skip
            else:
                why = "the layer has no feature; fix the layer's rules"
            lines.append(
                f'{config.file}: {key}: claim "{c.id}" is drawn on no feature of layer '
                f'"{layer.id}": {why}'
            )
    return lines
