"""Reviewing a corpus's places: every distinct place, the phrases left unresolved, the doubtful.

:func:`review` groups a corpus's mentions by the place they resolved to: how
many mentions and which articles, the surface forms, kind, precision, the
lowest score, how they matched, and the runner-up candidates the gazetteer
had for the name, so that a researcher can see what to correct.
``bordermap places`` prints it as a table, CSV or JSON Lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bordermap.gazetteer import Gazetteer
    from bordermap.geoparse import Mention
    from bordermap.region import Bbox

__all__ = ["LOW_SCORE", "PlaceRow", "PhraseRow", "Review", "review"]

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


@dataclass(frozen=True)
class Review:
    places: list[PlaceRow]
    unresolved: list[PhraseRow]
    low_confidence: list[PhraseRow]


def _runners_up(gaz: Gazetteer, form: str, ref: str, focus: Bbox | None) -> tuple[str, ...]:
    from bordermap.geocode import geocode

    out = []
    for r in geocode(gaz, form, focus=focus):
        if r.place.ref != ref:
            p = r.place
            out.append(f"{p.name} ({p.kind}, {p.country or '--'}, {p.ref}, {r.score:.2f})")
        if len(out) == RUNNERS_UP:
            break
    return tuple(out)


def _phrases(groups: dict[tuple[str, str], list[Mention]]) -> list[PhraseRow]:
    rows = [
        PhraseRow(
            text=text,
            name=ms[0].name or "",
            ref=ref,
            score=min(m.score for m in ms),
            mentions=len(ms),
            articles=tuple(sorted({m.article for m in ms})),
            sentence=ms[0].sentence,
        )  # fmt: skip
        for (text, ref), ms in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.mentions, r.text, r.ref))


def review(
    mentions: Iterable[Mention],
    gaz: Gazetteer | None = None,
    focus: Bbox | None = None,
    low: float = LOW_SCORE,
) -> Review:
    """The places of ``mentions`` (most mentioned first), unresolved and low-confidence phrases.

    With ``gaz``, each place lists its runner-up candidates for its most
    common surface form, ranked with ``focus`` as :func:`bordermap.geocode.geocode` does.
    """
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
    return Review(places, _phrases(unresolved), _phrases(doubtful))


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
