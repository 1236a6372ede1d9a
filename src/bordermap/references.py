"""What a project file names that its corpus does not have: one warning line each.

A typo in a layer's ``places`` already warns (:func:`bordermap.rules.missing_places`);
the same typo elsewhere would otherwise change the maps without a word: a
claim about a place no article names draws on nothing, a note keyed by a
misspelt place is never shown, an article id that is not in the corpus
selects nothing. These stay warnings, not errors: the corpus a project file
was written for may have changed since, and the build still makes sense
without them. Each line names the file and the key and, where the corpus has
something close, says what ("did you mean ...?").

>>> for line in unknown_articles(config, articles): log.warning("%s", line)  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from bordermap.rules import near
from bordermap.text import fold

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.config import ProjectConfig
    from bordermap.geoparse import Mention

__all__ = [
    "Nearest",
    "place_keys_named",
    "unknown_articles",
    "unnamed_places",
    "unused_corrections",
]

#: Up to this many known values, every one is compared with a wanted one; beyond, only
#: its neighbours in sorted order, forwards and backwards (those sharing a start or an end).
_ALL = 2000
_WINDOW = 100


class Nearest:
    """The "did you mean" of :func:`bordermap.rules.near` over ``known``, prepared once:
    a hint for each of many wanted values costs a few hundred comparisons, not one per
    known value (100,000 article ids took 2.7 s a hint)."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = sorted(set(known))
        self.forwards = sorted(k.casefold() for k in self.known)
        self.backwards = sorted(k.casefold()[::-1] for k in self.known)

    def hint(self, wanted: str) -> str:
        if len(self.known) <= _ALL:
            return near(wanted, self.known)
        w = wanted.casefold()
        pool: set[str] = set()
        for keys, key in ((self.forwards, w), (self.backwards, w[::-1])):
            at = bisect.bisect_left(keys, key)
            window = keys[max(0, at - _WINDOW) : at + _WINDOW]
            pool.update(window if keys is self.forwards else (k[::-1] for k in window))
        return near(wanted, [k for k in self.known if k.casefold() in pool])


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
        f'{config.path.name}: {key}[{j}]: no article "{aid}" in the corpus'
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
        f'{config.path.name}: {key}: no mention of "{place}" in the corpus'
        f"{nearest.hint(place)}; {what}"
        for key, place, what in missing
    ]


def unused_corrections(
    config: ProjectConfig, used: set[int], mentions: Sequence[Mention]
) -> list[str]:
    """A line per correction that found or dropped nothing (``used``: the positions of
    those that did, :attr:`bordermap.corrections.Corrector.used`), ``mentions`` being the
    geoparser's, before the corrections."""
    unused = [(i, c) for i, c in enumerate(config.corrections) if i not in used]
    nearest = Nearest(m.text for m in mentions) if unused else None
    lines = []
    for i, c in unused:
        scope = f" of {', '.join(c.articles)}" if c.articles else ""
        hint = nearest.hint(c.text) if nearest else ""
        # An exclusion acts on the geoparser's mentions; a pin or a place on the text.
        if c.exclude:
            did = f'no mention "{c.text}" in any article{scope}{hint}; the exclusion drops nothing'
        else:
            did = f'"{c.text}" stands in no article{scope}{hint}; the correction changes nothing'
        lines.append(f"{config.path.name}: corrections[{i}].text: {did}")
    return lines
