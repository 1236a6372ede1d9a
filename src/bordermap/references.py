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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from bordermap.rules import near
from bordermap.text import fold

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.config import ProjectConfig
    from bordermap.geoparse import Mention

__all__ = ["place_keys_named", "unknown_articles", "unnamed_places"]


def unknown_articles(config: ProjectConfig, articles: dict[str, Article]) -> list[str]:
    """A line per article id of ``layers``, ``annotations`` or ``corrections`` that the
    corpus does not have (a layer whose every id is unknown also warns that it is empty)."""
    where = [
        *((f"layers[{i}].articles", x.articles) for i, x in enumerate(config.layers)),
        *((f"annotations[{i}].articles", x.articles) for i, x in enumerate(config.annotations)),
        *((f"corrections[{i}].articles", x.articles) for i, x in enumerate(config.corrections)),
    ]
    lines = []
    for key, ids in where:
        for j, aid in enumerate(ids):
            if aid not in articles:
                lines.append(
                    f'{config.path.name}: {key}[{j}]: no article "{aid}" in the corpus'
                    f"{near(aid, articles)}; it selects nothing"
                )
    return lines


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
    keys = place_keys_named(mentions)
    names = sorted({n for m in mentions for n in (m.name, m.text) if n})

    def named(place: str) -> bool:
        return place in keys or fold(place) in keys

    lines = []
    for c in config.claims:
        for j, place in enumerate(c.places):
            if not named(place):
                lines.append(
                    f"{config.path.name}: {c.key or 'claims'}.places[{j}]: no mention of "
                    f'"{place}" in the corpus{near(place, names)}; the claim is on no place there'
                )
    for i, layer in enumerate(config.layers):
        for place in layer.notes:
            if not named(place):
                lines.append(
                    f'{config.path.name}: layers[{i}].notes: no mention of "{place}" in the '
                    f"corpus{near(place, names)}; its note is shown nowhere"
                )
    return lines
