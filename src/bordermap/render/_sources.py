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
``mark``) and as ``null`` when the entry lacks the key.  ``assets/sources.js``
(``bordermap.provenance``) rebuilds the entries from these.  Full provenance
per mention stays in the exports.

The work is split so that a layer drawn by several pages of a build (the
index and its own page) is looked at once: :class:`LayerSources` reads a
layer's entries (which keys vary within an article, each entry's article and
context as small local numbers), and :class:`PageSources` only merges the
layers of one page and numbers rows and strings in the page's order, per
distinct article and context rather than per entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

from bordermap.render._html import ABSENT, same_json, tag
from bordermap.render._plain import _plain

__all__ = ["QUOTES_PER_PLACE", "QUOTE_KEYS", "LayerSources", "PageSources"]

#: Sentences quoted per place in a popup ("and N more in the exports").
QUOTES_PER_PLACE = 3
#: Entry keys shipped only for the quoted entries.
QUOTE_KEYS = ("sentence", "mark")
_ARTICLE = "article"
_NOT_KEYS = frozenset((_ARTICLE, *QUOTE_KEYS))
_NULL = tag(None)


def entries_of(value: Any) -> list[dict[str, Any]] | None:
    """``value`` if it is a list of provenance entries (dicts), else ``None``."""
    if isinstance(value, list) and all(map(isinstance, value, repeat(dict))):  # in C
        return value
    return None


class _Feature:
    """One feature's entries as local numbers: article and context of each, the quotes.

    ``new_articles`` and ``new_contexts`` are the local numbers that first
    appear in this feature (a range: local numbers follow first appearance);
    ``context`` is the one context of all its entries, if they share one.
    """

    __slots__ = ("articles", "context", "contexts", "new_articles", "new_contexts", "quotes")

    def __init__(
        self, articles: list[int], contexts: list[int], quotes: list[Any],
        new_articles: range, new_contexts: range,
    ) -> None:  # fmt: skip
        self.articles = articles
        self.contexts = contexts
        self.quotes = quotes
        self.new_articles = new_articles
        self.new_contexts = new_contexts
        self.context = contexts[0] if len(set(contexts)) == 1 else None


#: ``(key, tag, value)`` of some keys of an entry, sorted by key.
_Items = tuple[tuple[str, Any, Any], ...]


class LayerSources:
    """The provenance of one layer's features, read once whatever page draws it.

    ``provenances`` holds one property value per feature (:func:`entries_of`
    tells which are provenance).  The entries must be plain JSON data; they may
    be the caller's (what is kept is copied).  Each entry is
    numbered by its article (:attr:`articles`, one entry standing for each)
    and by its context: the values of the keys that vary within an article
    (:attr:`varying`); a page adds to that the keys that vary only across its
    layers, which are the article's.
    """

    def __init__(self, provenances: Sequence[Any]) -> None:
        #: Keys of the entries but ``article`` and the quote keys.
        self.keys: set[str] = set()
        #: Those whose value differs between two entries of one article.
        self.varying: set[str] = set()
        #: The first entry of each article (``None`` and a missing article alike).
        self.groups: dict[Any, dict[str, Any]] = {}
        #: Per local article (a missing article is not ``None`` here): its first entry.
        self.articles: list[dict[str, Any]] = []
        #: Per local context: the entry's varying keys (``(key, tag, value)``, by key).
        self.contexts: list[_Items] = []
        self.features: list[_Feature | None] = []
        listed = [entries_of(value) for value in provenances]
        articles: dict[Any, int] = {}
        per_feature: list[tuple[list[int], range]] = []
        groups = self.groups
        # The keys that differ within an article, the quote keys and the article from the
        # start (they are left out in the end): only the others are compared.
        varying = set(_NOT_KEYS)
        for entries in listed:
            rows: list[int] = []
            start = len(self.articles)
            for e in entries or ():
                article = e.get(_ARTICLE, ABSENT)
                atag = article if type(article) is str else tag(article)
                row = articles.get(atag)
                group = _NULL if article is ABSENT else atag
                first = groups.get(group)
                if row is None:
                    row = articles[atag] = len(self.articles)
                    kept = _plain(e)  # a copy: the entries may be the caller's
                    self.articles.append(kept)
                    if first is None:  # the first entry of its group
                        groups[group] = kept
                rows.append(row)
                if first is not None:
                    if first.keys() != e.keys():
                        varying |= first.keys() ^ e.keys()  # a key that one of them lacks
                    for k, v in e.items():
                        if k in varying:
                            continue
                        a = first[k]  # the same keys but those varying already
                        if a is v or (type(a) is str and type(v) is str and a == v):
                            continue
                        if tag(a) != tag(v):
                            varying.add(k)
            per_feature.append((rows, range(start, len(self.articles))))
        varying -= _NOT_KEYS
        self.varying = varying
        self.keys = {k for e in self.articles for k in e} - _NOT_KEYS
        by_key = sorted(varying)
        contexts: dict[tuple[Any, ...], int] = {}
        for entries, (rows, new) in zip(listed, per_feature, strict=True):
            if entries is None:
                self.features.append(None)
                continue
            ctxs, start = [], len(self.contexts)
            for e in entries:
                key = tuple([(k, tag(e[k])) for k in by_key if k in e])
                ctx = contexts.get(key)
                if ctx is None:
                    ctx = contexts[key] = len(self.contexts)
                    self.contexts.append(tuple((k, t, _plain(e[k])) for k, t in key))
                ctxs.append(ctx)
            with_sentence = [i for i, e in enumerate(entries) if e.get("sentence")]
            chosen = (with_sentence or list(range(len(entries))))[:QUOTES_PER_PLACE]
            quotes = [(i, [_kept(entries[i], k) for k in QUOTE_KEYS]) for i in chosen]
            fresh = range(start, len(self.contexts))
            self.features.append(_Feature(rows, ctxs, quotes, new, fresh))


def _kept(entry: dict[str, Any], key: str) -> Any:
    """A copy of ``entry[key]`` (:data:`ABSENT` if it has none)."""
    value = entry.get(key, ABSENT)
    return value if value is ABSENT else _plain(value)


class _OnPage:
    """A layer on one page: the page rows of its local articles and contexts."""

    def __init__(self, layer: LayerSources, article_keys: Sequence[str]) -> None:
        self.layer = layer
        self.article_of = [-1] * len(layer.articles)  # -1: not on the page yet
        self.context_of = [-1] * len(layer.contexts)
        # Keys the same within an article of this layer but not across the page's
        # layers: part of the context on this page, with a value per article.
        extra = sorted(layer.keys - layer.varying - set(article_keys))
        found: dict[tuple[Any, ...], int] = {}
        self.extras: list[_Items] = []
        self.extra_of: list[int] = []
        for e in layer.articles if extra else ():
            items = tuple((k, tag(e[k]), e[k]) for k in extra if k in e)
            key = tuple([(k, t) for k, t, _ in items])
            n = found.get(key)
            if n is None:
                n = found[key] = len(self.extras)
                self.extras.append(items)
            self.extra_of.append(n)
        #: The extra keys' values when every article of the layer has the same
        #: (as a layer's claim mostly is): then a local context is a page context.
        self.common: _Items | None = () if len(self.extras) <= 1 else None
        if self.extras and self.common is not None:
            self.common = self.extras[0]
        self.pairs: dict[tuple[int, int], int] = {}


class PageSources:
    """The provenance tables of one page, for the features of the layers it draws.

    Build it with the page's layers (:class:`LayerSources`, in page order), then
    call :meth:`features` per layer in order, and put :meth:`tables` into the
    page.  The output depends only on the entries of the layers, in their order.
    Rows, contexts and strings are numbered in the order in which a walk over
    the page's features, entry by entry, first needs them.
    """

    def __init__(self, layers: Sequence[LayerSources]) -> None:
        self._strings: dict[str, int] = {}
        self._articles: dict[Any, int] = {}
        self._article_rows: list[list[Any]] = []
        self._contexts: dict[tuple[Any, ...], int] = {}
        self._context_rows: list[list[Any]] = []
        self.article_keys = self._article_level(layers)
        self._layers = [_OnPage(x, self.article_keys) for x in layers]
        self._key_refs = [self._value(k) for k in self.article_keys]
        self._quote_refs = [self._value(k) for k in QUOTE_KEYS]

    @staticmethod
    def _article_level(layers: Sequence[LayerSources]) -> list[str]:
        """Keys whose value is the same in every entry of the same article (sorted).

        Within a layer :class:`LayerSources` found them; across layers, the
        first entries of an article are compared (the same value throughout
        is the same value as the first's).
        """
        keys = set().union(*(x.keys for x in layers))
        varying = set().union(*(x.varying for x in layers))
        first: dict[Any, dict[str, Any]] = {}
        for layer in layers:
            for group, entry in layer.groups.items():
                f = first.setdefault(group, entry)
                if f is not entry:
                    for k in keys - varying:
                        if not same_json(f.get(k, ABSENT), entry.get(k, ABSENT)):
                            varying.add(k)
        return [_ARTICLE, *sorted(keys - varying)]

    def _value(self, value: Any) -> Any:
        if value is ABSENT:
            return None
        if isinstance(value, str):
            return self._strings.setdefault(value, len(self._strings))
        return [value]

    def _article_row(self, entry: dict[str, Any]) -> int:
        # The article decides the row: every other article key has one value
        # in all its entries (_article_level).
        article = entry.get(_ARTICLE, ABSENT)
        key = article if type(article) is str else tag(article)
        row = self._articles.get(key)
        if row is None:
            row = self._articles[key] = len(self._article_rows)
            self._article_rows.append(
                [self._value(entry.get(k, ABSENT)) for k in self.article_keys]
            )
        return row

    def _context_row(self, items: _Items) -> int:
        """The row of the context of these keys (every key of an entry but the article's)."""
        key = tuple([(k, t) for k, t, _ in items])
        row = self._contexts.get(key)
        if row is None:
            row = self._contexts[key] = len(self._context_rows)
            values: list[Any] = []
            for k, _, v in items:
                values += [self._value(k), self._value(v)]
            self._context_rows.append(values)
        return row

    def features(self, layer: int) -> list[dict[str, Any] | None]:
        """The page's layer ``layer``: each feature's ``{"p", "c", "q"}`` (see the
        module docstring), or ``None`` for one without provenance."""
        on = self._layers[layer]
        own, common = on.layer, on.common
        article_of, context_of = on.article_of, on.context_of
        out: list[dict[str, Any] | None] = []
        for f in own.features:
            if f is None:
                out.append(None)
                continue
            for a in f.new_articles:
                article_of[a] = self._article_row(own.articles[a])
            rows = list(map(article_of.__getitem__, f.articles))
            if common is not None:
                for c in f.new_contexts:
                    items = own.contexts[c]
                    if common:
                        items = tuple(sorted(items + common))
                    context_of[c] = self._context_row(items)
                if f.context is not None:
                    context: Any = context_of[f.context]
                else:
                    context = list(map(context_of.__getitem__, f.contexts))
            else:
                context = self._contexts_by_pair(on, f)
            quotes = [[i, *[self._value(v) for v in values]] for i, values in f.quotes]
            out.append({"p": rows, "c": context, "q": quotes})
        return out

    @staticmethod
    def _first(contexts: list[int]) -> Any:
        return contexts[0] if len(set(contexts)) == 1 else contexts

    def _contexts_by_pair(self, on: _OnPage, f: _Feature) -> Any:
        """A feature's page contexts when its layer's articles differ in the extra keys."""
        own, pairs = on.layer, on.pairs
        contexts = []
        for a, c in zip(f.articles, f.contexts, strict=True):
            pair = (c, on.extra_of[a])
            found = pairs.get(pair)
            if found is None:
                items = tuple(sorted(own.contexts[c] + on.extras[pair[1]]))
                found = pairs[pair] = self._context_row(items)
            contexts.append(found)
        return self._first(contexts)

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
