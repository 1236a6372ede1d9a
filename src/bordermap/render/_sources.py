"""Provenance on a map page: sized by its places, not by its mentions.

A layer's features carry their provenance as lists of entries (``{"article",
"title", "outlet", "date", "claim", "sentence", "mark", "mentions", ...}``,
one per article that names the place).  Inlined as they are, the same
article's title and the layer's claim are repeated in every entry of every
feature, and a page grows with mentions × maps.  Here a page gets its strings
and records once, and each feature only small integers:

* ``strings``: every string value of the page once (titles, outlets, claims,
  sentences, key names);
* ``articles``: one row per article, holding the values of the keys that are
  the same for every entry of that article on the page (found from the data,
  not from a fixed list: today ``article``, ``title``, ``outlet``, ``date``; a
  key that another module adds is interned the same way);
* ``contexts``: each distinct combination of the remaining keys (the claim,
  ``corrected``, ``mentions``, ...), once;
* per feature, ``p``: the article row of every entry (the filter API and the
  counts need all of them), ``c``: their context rows (one number when they
  share one, as a layer's entries mostly do) and ``q``: the entries a popup
  lists, ``[position, sentence, mark]`` each, at most :data:`QUOTES_PER_PLACE`:
  the first entries (in article id order) with a sentence, else the first.

A value is written as an integer (an index into ``strings``) when it is a
string, as ``[value]`` when it is anything else (a number, a list such as
``mark``) and as ``null`` when the entry lacks the key.  ``assets/bordermap.js``
(``bordermap.provenance``) rebuilds the entries from these.  Full provenance
per mention stays in the exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bordermap.render._html import ABSENT as _ABSENT
from bordermap.render._html import tag

__all__ = ["QUOTES_PER_PLACE", "QUOTE_KEYS", "PageSources"]

#: Sentences quoted per place in a popup ("and N more in the exports").
QUOTES_PER_PLACE = 3
#: Entry keys shipped only for the quoted entries.
QUOTE_KEYS = ("sentence", "mark")
_ARTICLE = "article"


def _entries(value: Any) -> list[dict[str, Any]] | None:
    """``value`` if it is a list of provenance entries (dicts), else ``None``."""
    if isinstance(value, list) and all(isinstance(e, dict) for e in value):
        return value
    return None


class PageSources:
    """The provenance tables of one page, for the entries of every feature it draws.

    Build it with every feature's provenance (:meth:`of` tells which property
    values are provenance), then call :meth:`feature` per feature, in any
    order, and put :meth:`tables` into the page.  The output depends only on
    the entries given, in the order given.  The entries given to :meth:`feature`
    are among those given here: an entry's article row is found by its article.
    """

    def __init__(self, provenances: Sequence[Any]) -> None:
        self._strings: dict[str, int] = {}
        self._articles: dict[Any, int] = {}
        self._article_rows: list[list[Any]] = []
        self._contexts: dict[tuple[Any, ...], int] = {}
        self._context_rows: list[list[Any]] = []
        entries = [e for p in provenances if (es := _entries(p)) for e in es]
        self.article_keys = self._article_level(entries)
        self._skip = frozenset((*self.article_keys, *QUOTE_KEYS))
        self._key_refs = [self._value(k) for k in self.article_keys]
        self._quote_refs = [self._value(k) for k in QUOTE_KEYS]

    @staticmethod
    def of(properties: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The provenance entries of a feature's properties, or ``None`` if it has none."""
        return _entries(properties.get("provenance"))

    @staticmethod
    def _article_level(entries: Sequence[dict[str, Any]]) -> list[str]:
        """Keys whose value is the same in every entry of the same article (sorted).

        Each entry is compared with the first entry of its article only (an
        entry without an article goes with those whose article is ``None``),
        and only on the keys not yet found to vary.
        """
        keys = set().union(*entries) - {_ARTICLE, *QUOTE_KEYS}
        first: dict[Any, dict[str, Any]] = {}
        varying: set[str] = set()
        for e in entries:
            article = e.get(_ARTICLE)
            f = first.setdefault(article if type(article) is str else tag(article), e)
            if f is e:
                continue
            for k in keys:
                a, b = f.get(k, _ABSENT), e.get(k, _ABSENT)
                if a is not b and not (type(a) is str and type(b) is str and a == b):
                    if tag(a) != tag(b):
                        varying.add(k)
            if varying:
                keys -= varying
                varying.clear()
        return [_ARTICLE, *sorted(keys)]

    def _value(self, value: Any) -> Any:
        if value is _ABSENT:
            return None
        if isinstance(value, str):
            return self._strings.setdefault(value, len(self._strings))
        return [value]

    def _article_row(self, entry: dict[str, Any]) -> int:
        # The article's value decides the row: every other article key has the
        # same value in each of its entries (_article_level).
        article = entry.get(_ARTICLE, _ABSENT)
        key = article if type(article) is str else tag(article)
        row = self._articles.get(key)
        if row is None:
            row = self._articles[key] = len(self._article_rows)
            self._article_rows.append(
                [self._value(entry.get(k, _ABSENT)) for k in self.article_keys]
            )
        return row

    def _context_row(self, entry: dict[str, Any]) -> int:
        skip = self._skip
        rest = sorted(k for k in entry if k not in skip)
        key = tuple([(k, tag(entry[k])) for k in rest])
        row = self._contexts.get(key)
        if row is None:
            row = self._contexts[key] = len(self._context_rows)
            values: list[Any] = []
            for k in rest:
                values += [self._value(k), self._value(entry[k])]
            self._context_rows.append(values)
        return row

    def feature(self, entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """One feature's ``{"p", "c", "q"}`` (see the module docstring)."""
        rows = [self._article_row(e) for e in entries]
        contexts = [self._context_row(e) for e in entries]
        with_sentence = [i for i, e in enumerate(entries) if e.get("sentence")]
        chosen = (with_sentence or list(range(len(entries))))[:QUOTES_PER_PLACE]
        quotes = [[i] + [self._value(entries[i].get(k, _ABSENT)) for k in QUOTE_KEYS]
                  for i in chosen]  # fmt: skip
        same = len(set(contexts)) == 1
        return {"p": rows, "c": contexts[0] if same else contexts, "q": quotes}

    def tables(self) -> dict[str, Any]:
        """The page's tables: strings, article rows (by ``articleKeys``), contexts."""
        return {
            "strings": list(self._strings),
            "articleKeys": self._key_refs,
            "quoteKeys": self._quote_refs,
            "articles": self._article_rows,
            "contexts": self._context_rows,
            "quotes": QUOTES_PER_PLACE,
        }
