"""Reviewing a corpus's places: every distinct place, the phrases left unresolved, the doubtful.

:func:`review` groups a corpus's mentions by the place they resolved to: how
many mentions and which articles, the surface forms, kind, precision, the
lowest score, how they matched, and the runner-up candidates the gazetteer
had for the name, so that a researcher can see what to correct.
``bordermap places`` prints it as a table, CSV or JSON Lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.gazetteer import Gazetteer
    from bordermap.geoparse import Mention
    from bordermap.region import Bbox

__all__ = ["LOW_SCORE", "PlaceRow", "PhraseRow", "Review", "review", "missed"]

#: Mentions scoring below this are listed as low-confidence (a misspelling
#: matched fuzzily, or a name whose candidates were close).
LOW_SCORE = 0.7

#: Runner-up candidates listed per place.
RUNNERS_UP = 3


@dataclass(frozen=True)
class PlaceRow:
    """One distinct resolved place of the corpus."""

    name: str
    ref: str
    kind: str
    precision: str
    country: str
    lat: float
    lon: float
    mentions: int
    articles: tuple[str, ...]
    forms: tuple[str, ...]
    score: float  # the lowest of its mentions
    match: tuple[str, ...]
    runners_up: tuple[str, ...]


@dataclass(frozen=True)
class PhraseRow:
    """A surface form: unresolved, or resolved with low confidence."""

    text: str
    name: str
    ref: str
    score: float
    mentions: int
    articles: tuple[str, ...]
    sentence: str  # the first sentence it stands in
    why: str = ""  # for unresolved phrases: why it is listed


@dataclass(frozen=True)
class Review:
    places: list[PlaceRow]
    unresolved: list[PhraseRow]
    low_confidence: list[PhraseRow]


def _runners_up(gaz: Gazetteer, form: str, ref: str, focus: Bbox | None) -> tuple[str, ...]:
    from bordermap.geocode import geocode

    ranked = geocode(gaz, form, focus=focus)
    # Scores of `bordermap geocode` (the name alone, no article around it): comparable
    # with the chosen place's own score there, not with the mentions' confidence (0-1).
    chosen = next((f" vs {r.score:.2f}" for r in ranked if r.place.ref == ref), "")
    out = []
    for r in ranked:
        if r.place.ref != ref:
            p = r.place
            out.append(f"{p.name} ({p.kind}, {p.country or '--'}, {p.ref}, "
                       f"geocode score {r.score:.2f}{chosen})")  # fmt: skip
        if len(out) == RUNNERS_UP:
            break
    return tuple(out)


def _phrases(groups: dict[tuple[str, str], list[Mention]], why: str = "") -> list[PhraseRow]:
    rows = [
        PhraseRow(
            text=text,
            name=ms[0].name or "",
            ref=ref,
            score=min(m.score for m in ms),
            mentions=len(ms),
            articles=tuple(sorted({m.article for m in ms})),
            sentence=ms[0].sentence,
            why=why,
        )  # fmt: skip
        for (text, ref), ms in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.mentions, r.text, r.ref))


def review(
    mentions: Iterable[Mention],
    gaz: Gazetteer | None = None,
    focus: Bbox | None = None,
    low: float = LOW_SCORE,
    articles: Iterable[Article] = (),
) -> Review:
    """The places of ``mentions`` (most mentioned first), unresolved and low-confidence phrases.

    With ``gaz``, each place lists its runner-up candidates for its most
    common surface form, ranked with ``focus`` as :func:`bordermap.geocode.geocode` does,
    and the unresolved phrases include those of ``articles`` that read like
    places the geoparser did not find (:func:`missed`).
    """
    mentions = list(mentions)
    by_place: dict[str, list[Mention]] = {}
    unresolved: dict[tuple[str, str], list[Mention]] = {}
    doubtful: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        if m.ref is None or m.lat is None or m.lon is None:
            unresolved.setdefault((m.text, ""), []).append(m)
            continue
        by_place.setdefault(m.ref, []).append(m)
        if m.score < low:
            doubtful.setdefault((m.text, m.ref), []).append(m)
    places = []
    for ref, ms in by_place.items():
        first = ms[0]
        forms = _forms(m.text for m in ms)
        places.append(
            PlaceRow(
                name=first.name or "",
                ref=ref,
                kind=first.kind or "",
                precision=first.precision or "",
                country=first.country or "",
                lat=float(first.lat or 0.0),
                lon=float(first.lon or 0.0),
                mentions=len(ms),
                articles=tuple(sorted({m.article for m in ms})),
                forms=forms,
                score=min(m.score for m in ms),
                match=tuple(sorted({m.match for m in ms})),
                runners_up=_runners_up(gaz, forms[0], ref, focus) if gaz is not None else (),
            )  # fmt: skip
        )
    places.sort(key=lambda p: (-p.mentions, p.name, p.ref))
    phrases = _phrases(unresolved, "no place of that name")
    if gaz is not None:
        phrases += missed(articles, mentions, gaz)
    return Review(places, phrases, _phrases(doubtful))


def _forms(texts: Iterable[str]) -> tuple[str, ...]:
    """Surface forms, most frequent first (ties alphabetical)."""
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1
    return tuple(sorted(counts, key=lambda t: (-counts[t], t)))


def as_records(rows: Sequence[PlaceRow | PhraseRow]) -> list[dict[str, object]]:
    """Rows as plain dicts (tuples joined with "; "), for CSV and JSON Lines."""
    from dataclasses import asdict

    out = []
    for row in rows:
        record = asdict(row)
        out.append({k: "; ".join(v) if isinstance(v, tuple) else v for k, v in record.items()})
    return out


#: Words after which a capitalised phrase is likely a place ("crosses at
#: Quanhe", "tourists from Fangchuan", "the village of Kijong-dong").
_CUE = r"(?i:in|at|near|from|to|into|outside|across|around|via|toward|towards|past|of|beyond)"
#: Words before "to" that make it no place cue ("credited to Reuters").
_NOT_BEFORE_TO = frozenset(
    "credited according thanks due compared owing related attributed".split()
)
_PHRASE = r"[A-Z][\w'’]*(?:-[\w'’]+)*(?:\s+[A-Z][\w'’]*(?:-[\w'’]+)*){0,2}"
_CUED = re.compile(rf"(?<![\w-])(?P<before>[\w'’]+\s+)?{_CUE}\s+(?:the\s+)?(?P<phrase>{_PHRASE})")
#: Capitalised words that are never place names on their own.
_NOT_PLACES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday i".split()
)


def missed(
    articles: Iterable[Article], mentions: Sequence[Mention], gaz: Gazetteer
) -> list[PhraseRow]:
    """Phrases that read like places but that the geoparser did not find.

    A capitalised phrase right after a locative word ("at Quanhe", "from the
    Dorasan observatory") that no mention covers, that is not one of the
    corpus's resolved names, and whose words are not all common words, given
    names or stop words: the gazetteer probably lacks it, and a ``[[places]]``
    entry in the project file adds it.  One pass over each article's text.
    """
    by_article: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        by_article.setdefault(m.article, []).append((m.start, m.end))
    known = {m.text.casefold() for m in mentions if m.ref is not None}
    ignore = gaz.common_words | gaz.given_names | gaz.stopwords | _NOT_PLACES
    groups: dict[str, list[tuple[str, str]]] = {}
    articles = list(articles)
    credits = {a.id: {v.casefold() for v in a.meta.values()} for a in articles}
    for article in articles:
        spans = sorted(by_article.get(article.id, []))
        for match in _CUED.finditer(article.text):
            before = (match.group("before") or "").strip()
            cue = match.group(0)[len(match.group("before") or "") :].split()[0].lower()
            if before[:1].isupper() and cue == "of":
                continue  # "Ministry of State Security": part of a longer name
            if cue == "to" and before.lower() in _NOT_BEFORE_TO:
                continue
            start, end = match.span("phrase")
            phrase = match.group("phrase")
            if any(c.isdigit() for c in phrase) or phrase.endswith(("'s", "’s")):
                continue
            if phrase.casefold() in credits.get(article.id, set()):
                continue  # the outlet or author named in the front matter
            if any(a < end and start < b for a, b in spans) or phrase.casefold() in known:
                continue
            words = [w.casefold().strip("'’") for w in re.split(r"[\s-]+", phrase)]
            if all(w in ignore for w in words):
                continue
            groups.setdefault(phrase, []).append((article.id, _sentence_at(article.text, start)))
    rows = [
        PhraseRow(
            text=phrase,
            name="",
            ref="",
            score=0.0,
            mentions=len(hits),
            articles=tuple(sorted({a for a, _ in hits})),
            sentence=hits[0][1],
            why="reads like a place; not in the gazetteer",
        )
        for phrase, hits in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.mentions, r.text))


def _sentence_at(text: str, i: int, reach: int = 600) -> str:
    """The sentence around offset ``i``: from the last ". ", "! ", "? " or blank line before it
    to the next, looking at most ``reach`` characters either way (so cost stays linear)."""
    lo, hi = max(0, i - reach), min(len(text), i + reach)
    seps = (". ", "! ", "? ", "\n\n")
    before = max(text.rfind(sep, lo, i) for sep in seps)
    start = before + 2 if before >= 0 else lo
    ends = [e for e in (text.find(sep, i, hi) for sep in seps) if e >= 0]
    end = min(ends) + 1 if ends else hi
    return " ".join(text[start:end].split())
