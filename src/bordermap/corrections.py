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
import itertools
import re
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from bordermap.text import sentence_spans

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.config import CorrectionConfig, PlaceConfig
    from bordermap.gazetteer import Gazetteer
    from bordermap.geoparse import Mention

__all__ = ["PROJECT_MATCH", "Corrector", "apply", "corrected", "unknown_refs"]

#: ``Mention.match`` of what the project file made or changed.
PROJECT_MATCH = "project"


class _Sentences:
    """The article's sentence spans, found once (when first asked for), looked up by offset."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return list(sentence_spans(self.text))

    @cached_property
    def starts(self) -> list[int]:
        return [start for start, _ in self.spans]

    def at(self, offset: int) -> str:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.spans[i][1]:
            start, end = self.spans[i]
            return " ".join(self.text[start:end].split())
        return ""


#: A word as the finder sees it: a form that starts with one can only stand in a
#: text where that word stands whole (the form's own ``(?<!\w)`` and the next
#: character end it there).
_WORD = re.compile(r"\w+")


def _pattern(form: str) -> re.Pattern[str]:
    """``form`` as a whole word (case as written)."""
    return re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")


class _Made(NamedTuple):
    """What a place or a correction makes of each span its form stands at."""

    name: str
    kind: str
    country: str
    lat: float
    lon: float
    ref: str


class Corrector:
    """The project's places and corrections, indexed once for a whole corpus.

    Each form (a place's name or alias, a correction's text) is filed under
    its first word, so an article is searched only for the forms whose first
    word it contains: the cost of an article grows with its own words and
    the forms that can stand in it, not with every form of the project.
    """

    def __init__(
        self,
        places: Sequence[PlaceConfig],
        corrections: Sequence[CorrectionConfig],
        gaz: Gazetteer | None = None,
    ) -> None:
        #: The positions in ``corrections`` of those that found or dropped something so far.
        self.used: set[int] = set()
        #: The positions of those whose every find so far lay inside a longer find of the
        #: project, with the first such longer text ("Dorasan" in "Dorasan station").
        self.shadowed: dict[int, str] = {}
        self._position = {id(c): i for i, c in enumerate(corrections)}
        # Every search in project-file order: a later one wins a span found twice.
        searches: list[tuple[str, CorrectionConfig | None, _Made]] = []
        for place in places:
            made = _Made(place.name, place.kind, place.country, place.lat, place.lon,
                         f"project:{place.id}")  # fmt: skip
            searches += [(form, None, made) for form in (place.name, *place.aliases)]
        self._exclusions: dict[str, list[CorrectionConfig]] = {}
        for c in corrections:
            if c.exclude:
                self._exclusions.setdefault(c.text, []).append(c)
                continue
            if c.ref:
                target = gaz.by_ref(c.ref) if gaz is not None else None
                if target is None:
                    continue  # checked when the project is loaded (see pipeline)
                made = _Made(target.name, target.kind, target.country or "", target.lat,
                             target.lon, c.ref)  # fmt: skip
            else:
                assert c.lat is not None and c.lon is not None
                made = _Made(c.name or c.text, c.kind, c.country, c.lat, c.lon,
                             f"project:{c.text}")  # fmt: skip
            searches.append((c.text, c, made))
        self._searches = [(_pattern(form), c, made) for form, c, made in searches]
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []  # forms that do not start with a word character
        for i, (form, _c, _m) in enumerate(searches):
            word = _WORD.match(form)
            if word is None:
                self._always.append(i)
            else:
                self._by_word.setdefault(word.group(), []).append(i)

    def _searches_in(self, text: str) -> list[int]:
        """The searches whose form can stand in ``text``, in project-file order."""
        found = set(self._always)
        for word in set(_WORD.findall(text)):
            found.update(self._by_word.get(word, ()))
        return sorted(found)

    def _excluded(self, article: Article, form: str) -> bool:
        for c in self._exclusions.get(form, ()):
            if not c.articles or article.id in c.articles:
                self.used.add(self._position[id(c)])
                return True
        return False

    def apply(self, article: Article, mentions: Sequence[Mention]) -> list[Mention]:
        """The mentions of ``article`` with the project's places added and corrections
        applied (see :func:`apply` for the order of precedence)."""
        from bordermap.geoparse import Mention
        from bordermap.resolve import PRECISION

        text = article.text
        made: dict[tuple[int, int], Mention] = {}
        maker: dict[tuple[int, int], int] = {}  # the correction whose find a span is
        sentences = _Sentences(text)
        for i in self._searches_in(text):
            pattern, c, what = self._searches[i]
            if c is not None and c.articles and article.id not in c.articles:
                continue
            for hit in pattern.finditer(text):
                if c is not None:
                    maker[hit.span()] = self._position[id(c)]
                else:
                    maker.pop(hit.span(), None)  # a later place wins the span
                made[hit.span()] = Mention(
                    article=article.id, start=hit.start(), end=hit.end(), text=hit.group(),
                    name=what.name, kind=what.kind, country=what.country or None, lat=what.lat,
                    lon=what.lon, ref=what.ref, score=1.0, sentence=sentences.at(hit.start()),
                    match=PROJECT_MATCH, precision=PRECISION.get(what.kind, "site"),
                )  # fmt: skip
        out = [m for m in mentions if not self._excluded(article, m.text)]
        spans = _leftmost_longest(made)
        # A correction counts as used where its find is kept, not where a longer name
        # of the project took the span.
        self.used.update(maker[s] for s in spans if s in maker)
        if maker:
            won = set(spans)
            for span, position in maker.items():
                if span not in won and position not in self.shadowed:
                    over = next(k for k in spans if k[0] < span[1] and span[0] < k[1])
                    self.shadowed[position] = text[over[0] : over[1]]
        reach = list(itertools.accumulate((e for _s, e in spans), max))
        kept = [m for m in out if not _overlaps(spans, reach, m.start, m.end)]
        extra = [made[s] for s in spans if not self._excluded(article, made[s].text)]
        return sorted([*kept, *extra], key=lambda m: (m.start, m.end))


def _leftmost_longest(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` that do not overlap, sorted: at each start the longest, and none that
    starts inside one kept (as the geoparser chooses among its names), so a name
    inside a longer one of the project ("Kimjongsuk" in "Kimjongsuk county") is not
    a second mention of one occurrence."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _overlaps(spans: list[tuple[int, int]], reach: list[int], start: int, end: int) -> bool:
    """Whether any of ``spans`` (sorted; ``reach[i]``: the furthest end of the first
    i + 1) overlaps ``[start, end)``."""
    before = bisect.bisect_left(spans, (end, -1))  # the spans that start before ``end``
    return before > 0 and reach[before - 1] > start


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
    and replaces a geoparser mention of the same span. The project's own
    finds do not overlap: where two overlap, the leftmost wins, and of two
    at one start the longer; where a pin and a place find one span, the
    later in the project file wins. For a corpus, build
    one :class:`Corrector` and call its ``apply`` per article.
    """
    return Corrector(places, corrections, gaz).apply(article, mentions)


def unknown_refs(corrections: Sequence[CorrectionConfig], gaz: Gazetteer) -> list[str]:
    """The pinned references the gazetteer does not have."""
    return [c.ref for c in corrections if c.ref and gaz.by_ref(c.ref) is None]


def corrected(mention: Mention) -> bool:
    """Whether the project file made or changed ``mention``."""
    return mention.match == PROJECT_MATCH
