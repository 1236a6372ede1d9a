"""A project's own places and corrections, applied to the geoparser's mentions.

The project file can add places the gazetteer lacks (``[[places]]``: a name,
other names, kind, country, a point) and correct what the geoparser did
(``[[corrections]]``: a surface form, everywhere or in given articles, pinned
to a gazetteer reference or to a point, or excluded). Both act on the
mentions of each article after geoparsing; nothing in the shipped gazetteer
changes and nothing is rebuilt. A mention made or changed here has
``match = "project"`` (its provenance says "corrected in the project file").

>>> fixed = apply(article, mentions, config.places, config.corrections, gaz)  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bordermap.text import sentence_spans

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.config import CorrectionConfig, PlaceConfig
    from bordermap.gazetteer import Gazetteer
    from bordermap.geoparse import Mention

__all__ = ["PROJECT_MATCH", "apply", "corrected", "unknown_refs"]

#: ``Mention.match`` of what the project file made or changed.
PROJECT_MATCH = "project"


class _Sentences:
    """The article's sentence spans, found once, looked up by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = list(sentence_spans(text))
        self.starts = [start for start, _ in self.spans]

    def at(self, offset: int) -> str:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.spans[i][1]:
            start, end = self.spans[i]
            return " ".join(self.text[start:end].split())
        return ""


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    """Where ``form`` stands in ``text`` as a whole word (case as written)."""
    pattern = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def apply(
    article: Article,
    mentions: Sequence[Mention],
    places: Sequence[PlaceConfig],
    corrections: Sequence[CorrectionConfig],
    gaz: Gazetteer | None = None,
) -> list[Mention]:
    """The mentions of ``article`` with the project's places added and corrections applied.

    Order of precedence: an exclusion drops every mention of its form; a
    pin replaces what the geoparser chose (and finds the form where the
    geoparser saw nothing); a project place is found by each of its names
    and replaces a geoparser mention of the same span.
    """
    from bordermap.geoparse import Mention
    from bordermap.resolve import PRECISION

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
            for span in _occurrences(text, form):
                made[span] = mention(span, place.name, place.kind, place.country, place.lat,
                                     place.lon, f"project:{place.id}")  # fmt: skip
    for c in wanted:
        if c.exclude:
            continue
        if c.ref:
            target = gaz.by_ref(c.ref) if gaz is not None else None
            if target is None:
                continue  # checked when the project is loaded (see pipeline)
            fields = (target.name, target.kind, target.country, target.lat, target.lon, c.ref)
        else:
            assert c.lat is not None and c.lon is not None
            fields = (c.name or c.text, c.kind, c.country, c.lat, c.lon, f"project:{c.text}")
        for span in _occurrences(text, c.text):
            made[span] = mention(span, *fields)
    out = [m for m in mentions if m.text not in excluded]
    spans = sorted(made)
    kept = [m for m in out if not any(s < m.end and m.start < e for s, e in spans)]
    extra = [made[s] for s in spans if made[s].text not in excluded]
    return sorted([*kept, *extra], key=lambda m: (m.start, m.end))


def unknown_refs(corrections: Sequence[CorrectionConfig], gaz: Gazetteer) -> list[str]:
    """The pinned references the gazetteer does not have."""
    return [c.ref for c in corrections if c.ref and gaz.by_ref(c.ref) is None]


def corrected(mention: Mention) -> bool:
    """Whether the project file made or changed ``mention``."""
    return mention.match == PROJECT_MATCH
