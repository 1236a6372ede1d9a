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
    names = sorted({n for m in mentions for n in (m.name, m.text) if n})
    return [
        f'{config.path.name}: {key}: no mention of "{place}" in the corpus'
        f"{near(place, names)}; {what}"
        for key, place, what in missing
    ]
