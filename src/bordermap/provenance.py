"""Provenance by reference: the articles and sentences the exports point into.

A feature's provenance has one entry per article that names its place
(``{"article", "title", "outlet", "date", "claim", "sentence", "mark",
"mentions", "origin", ...}``), and ``mentions.csv`` has one row per mention
with its sentence.  Written out like that, a corpus of thousands of articles
repeats each article's title, outlet and date, the layer's claim and every
sentence tens of thousands of times.  The exports keep every entry and every
mention, but write each article and each sentence once and refer to them:

* :class:`Sentences` numbers the distinct sentences from 1, in the order
  they first appear in the corpus (corpus order, then text order), so the
  same inputs give the same ids and a corpus that grows at its end keeps the
  ids it had; :class:`Places` numbers the distinct places the mentions
  resolve to (``places.csv``, :data:`PLACE_COLUMNS`) the same way;
* :func:`article_rows` is the articles table (:data:`ARTICLE_COLUMNS`);
* :func:`by_reference` is an entry that refers to both: its ``sentence`` is
  the sentence's id, and a key whose value is what the article's row already
  says (``title``, ``outlet``, ``date``, ``origin``), or the feature's claim,
  is left out.  Every other key stays as it is, so a key another module adds
  to the entries travels unchanged.

>>> sentences = Sentences()
>>> sentences.add("Police in Dandong detained two men.")
1
>>> by_reference({"article": "a1", "title": "T", "sentence": "Police in Dandong detained two men.",
...               "claim": "Arrests.", "mentions": 2}, {"a1": {"title": "T"}}, "Arrests.",
...              sentences)
{'article': 'a1', 'sentence': 1, 'mentions': 2}
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from bordermap.articles import Article
from bordermap.origins import Origins

__all__ = [
    "ARTICLE_COLUMNS",
    "ARTICLE_LEVEL",
    "SENTENCE_COLUMNS",
    "PLACE_COLUMNS",
    "Numbered",
    "Places",
    "References",
    "Sentences",
    "article_rows",
    "by_reference",
    "counts",
    "entry_claim",
]

#: The columns of the articles table (``articles.csv``, the GeoPackage's ``articles``).
ARTICLE_COLUMNS = ("id", "title", "outlet", "date", "period_start", "period_end",
                   "derived_from", "origin")  # fmt: skip
#: The columns of the sentences table (the GeoPackage's ``sentences``).
SENTENCE_COLUMNS = ("id", "text")
#: The columns of the places table (``places.csv``): each distinct resolution of a mention
#: once; ``ref`` is the id of the place's feature in the layers (GeoJSON ``id``, GeoPackage
#: ``id``), ``precision`` what the point stands for (a town, a province, a country),
#: ``match`` how the mentions found it (``curated``, ``gazetteer``, ``fuzzy``, ``project``).
PLACE_COLUMNS = ("id", "ref", "name", "kind", "country", "lat", "lon", "precision", "match")
#: Entry keys an articles row can stand for.
ARTICLE_LEVEL = ("title", "outlet", "date", "origin")


K = TypeVar("K", bound=Hashable)


class Numbered(Generic[K]):
    """Distinct values numbered from 1 in the order they are first added."""

    def __init__(self) -> None:
        self._ids: dict[K, int] = {}

    def add(self, value: K) -> int:
        """The id of ``value``, a new one if it was not seen before."""
        found = self._ids.get(value)
        if found is None:
            found = self._ids[value] = len(self._ids) + 1
        return found

    def __len__(self) -> int:
        return len(self._ids)

    def values(self, ids: Iterable[int] | None = None) -> list[tuple[int, K]]:
        """``(id, value)`` of every value (or of ``ids`` only), by id."""
        values = list(self._ids)
        wanted = range(1, len(values) + 1) if ids is None else sorted(set(ids))
        return [(i, values[i - 1]) for i in wanted]


class Sentences(Numbered[str]):
    """Distinct sentences numbered from 1 in the order they are first added."""

    def rows(self, ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
        """``(id, text)`` of every sentence (or of ``ids`` only), by id."""
        return self.values(ids)


#: A place as a mention resolves to it: ``(ref, name, kind, country, lat, lon, precision,
#: match)``.
PlaceKey = tuple[Any, ...]


class Places(Numbered[PlaceKey]):
    """Distinct places (:data:`PLACE_COLUMNS` but the id) numbered from 1 as first added."""

    def rows(self, ids: Iterable[int] | None = None) -> list[tuple[Any, ...]]:
        """Rows of the places table, :data:`PLACE_COLUMNS` (empty cells for None), by id."""
        return [(i, *("" if v is None else v for v in key)) for i, key in self.values(ids)]


def article_rows(articles: Mapping[str, Article], origins: Origins) -> dict[str, dict[str, str]]:
    """The articles table: per article id (corpus order) its :data:`ARTICLE_COLUMNS`.

    ``period_start``/``period_end`` bound the front matter's date (ISO days, or
    empty when it is unknown); ``derived_from`` is comma-separated; ``origin``
    is the report the article retells (its own id if none).
    """
    rows = {}
    for a in articles.values():
        p = a.period
        rows[a.id] = {
            "id": a.id, "title": a.title, "outlet": a.outlet, "date": a.date,
            "period_start": p.start.isoformat() if p.start else "",
            "period_end": p.end.isoformat() if p.end else "",
            "derived_from": ",".join(a.derived_from), "origin": origins.of(a.id),
        }  # fmt: skip
    return rows


def counts(provenance: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """(mentions, articles) of a feature's provenance (an entry without a count is one);
    entries without an article (a line's source) count for neither."""
    entries = [p for p in provenance if p.get("article")]
    return sum(int(p.get("mentions", 1)) for p in entries), len(entries)


def entry_claim(layer_claim: str, note: str) -> str:
    """The claim a layer's entries carry for a feature: the layer's claim, then its note."""
    return " ".join(x for x in (layer_claim, note) if x)


def by_reference(
    entry: Mapping[str, Any],
    articles: Mapping[str, Mapping[str, str]],
    claim: str,
    sentences: Sentences,
) -> dict[str, Any]:
    """``entry`` referring to the articles table and the sentences instead of repeating them.

    ``claim`` is what the feature's entries say by default (:func:`entry_claim`);
    an entry with another claim keeps it.  An empty sentence is left out.
    """
    row = articles.get(str(entry.get("article", "")))
    out: dict[str, Any] = {}
    for key, value in entry.items():
        if key == "sentence":
            if value:
                out[key] = sentences.add(value)
        elif key == "claim" and value == claim:
            continue
        elif row is not None and key in ARTICLE_LEVEL and row.get(key) == value:
            continue
        else:
            out[key] = value
    return out


@dataclass
class References:
    """The articles table, the sentences and the places of one build, for entries by reference."""

    articles: dict[str, dict[str, str]]
    sentences: Sentences = field(default_factory=Sentences)
    places: Places = field(default_factory=Places)

    def entries(self, provenance: Sequence[Mapping[str, Any]], claim: str) -> list[dict[str, Any]]:
        """Every entry of ``provenance`` by reference (:func:`by_reference`)."""
        return [by_reference(e, self.articles, claim, self.sentences) for e in provenance]
