"""Mentions cached per article, so that a grown corpus re-parses only its new articles.

An entry's key is a hash of everything the mentions of one article depend
on: the article's id and text, the focus region, the gazetteer's data
version (its index fingerprint) and the geoparser's own code (the source of
the modules that find and resolve names). Changing any of them gives new
keys; the old entries are simply never read again.

Entries live in ``mentions/`` under the gazetteer's cache folder
(``$BORDERMAP_CACHE``, else ``~/.cache/bordermap``), one small JSON file per
article (a column per field of its mentions, each distinct string once),
written atomically. An entry that cannot be read, does not parse or
does not fit its article is ignored and rewritten, never an error; a cache
folder that cannot be written is a warning, not a failure. Deleting the
folder is always safe.

>>> cache = MentionCache.default(focus)                    # doctest: +SKIP
>>> cache.get(article) or cache.put(article, extract(article, gaz, focus))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.articles import Article
from bordermap.collector import paused_gc

if TYPE_CHECKING:
    from bordermap.geoparse import Mention
    from bordermap.region import Bbox

__all__ = [
    "encode_columns",
    "MentionCache",
    "article_key",
    "build_mentions",
    "mentions_folder",
    "FORMAT",
]

log = logging.getLogger("bordermap")

#: Version of the entry layout; part of every key.
FORMAT = 2

#: Modules whose code decides what an article's mentions are.
PARSER_MODULES = ("text", "gazetteer", "resolve", "recognise", "context", "geoparse")


def mentions_folder() -> Path:
    """Where mention entries are kept: ``mentions/`` in the gazetteer's cache folder."""
    from bordermap.gazetteer import cache_dir

    return cache_dir() / "mentions"


@lru_cache(maxsize=1)
def _parser_fingerprint() -> str:
    """The gazetteer's data version and the geoparser's source, hashed once per process."""
    import importlib

    from bordermap.gazetteer import cache_path

    h = hashlib.sha256(f"format={FORMAT}\0{cache_path().name}\0".encode())
    for name in PARSER_MODULES:
        module = importlib.import_module(f"bordermap.{name}")
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


#: The columns of an entry, one list each, a value per mention; those in
#: ``STRING_COLUMNS`` hold indexes into the entry's ``strings`` (each distinct value
#: once, ``null`` included), ``sentence`` indexes into its ``sentences``.
COLUMNS = ("start", "end", "text", "name", "kind", "country", "lat", "lon", "ref",
           "score", "sentence", "match", "precision")  # fmt: skip
STRING_COLUMNS = ("text", "name", "kind", "country", "ref", "match", "precision")
_TEXT = COLUMNS.index("text")


def encode_columns(
    mentions: Iterable[Mention],
) -> tuple[list[str | None], list[str], dict[str, list[Any]]]:
    """The columns of ``mentions`` (:data:`COLUMNS` order): the string columns as
    indexes into the distinct strings, the sentences into the distinct sentences, each
    list in order of first use (a mention's columns in turn).

    Column by column in C (``attrgetter``, ``dict.fromkeys``, ``map``), not value by
    value: a cold build encodes every mention of the corpus this way.
    """
    rows = list(mentions)
    body = {column: list(map(attrgetter(column), rows)) for column in COLUMNS}
    in_turn = itertools.chain.from_iterable(zip(*(body[c] for c in STRING_COLUMNS), strict=True))
    strings = list(dict.fromkeys(in_turn))
    sentences = list(dict.fromkeys(body["sentence"]))
    for names, column_names in ((strings, STRING_COLUMNS), (sentences, ("sentence",))):
        index = {value: i for i, value in enumerate(names)}
        for column in column_names:
            body[column] = list(map(index.__getitem__, body[column]))
    return strings, sentences, body


def _encode(mentions: list[Mention]) -> bytes:
    strings, sentences, body = encode_columns(mentions)
    entry = {"strings": strings, "sentences": sentences, **body}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode(data: bytes, article: Article) -> list[Mention]:
    """The mentions of an entry; raises ValueError (or a subclass) if it is not one.

    The work is per column and per distinct string, not per mention and field:
    a warm build of a large corpus reads every entry.
    """
    body: Any = json.loads(data.decode("utf-8"))
    # A corpus names the same places again and again: their strings are shared
    # across articles, not one copy per mention (less than half the memory of a
    # 100,000-article build's mentions).
    strings = [shared(s) for s in body["strings"]]
    sentences = body["sentences"]
    if not all(type(s) is str for s in sentences):
        raise ValueError("sentences must be strings")
    columns = [body[c] for c in COLUMNS]
    if len({len(c) for c in columns}) > 1:
        raise ValueError("the columns differ in length")
    found = build_mentions(article, resolve_columns(columns, strings, sentences))
    if found is None:
        raise ValueError("the entry does not fit the article")
    return found


def resolve_columns(
    columns: list[list[Any]], strings: list[str | None], sentences: list[str]
) -> list[list[Any]]:
    """``columns`` (:data:`COLUMNS` order) with their indexes replaced by the strings
    and sentences they stand for; raises IndexError or ValueError on a bad index."""
    out = list(columns)
    for i, name in enumerate(COLUMNS):
        if name in STRING_COLUMNS or name == "sentence":
            if out[i] and min(out[i]) < 0:
                raise ValueError(f"negative {name} index")
            table = sentences if name == "sentence" else strings
            out[i] = list(map(table.__getitem__, out[i]))
    return out


def shared(value: Any) -> str | None:
    """``value`` (a string or None) as the one copy of it in this process (interned)."""
    if value is None:
        return None
    if type(value) is not str:
        raise ValueError("strings must be strings or null")
    return sys.intern(value)


class _Open:
    """A :class:`~bordermap.geoparse.Mention`'s slots without its frozen ``__setattr__``.

    A frozen dataclass sets each field through ``object.__setattr__``, six times
    the cost of a plain slot store, and a warm build makes every mention of the
    corpus again (746,464 at 10,000 articles). So cached mentions are made as
    this class, whose slots are the same in the same order, and then become
    Mentions (``__class__`` assignment, which Python allows between classes of
    one layout): the same objects as ``Mention(...)`` makes, frozen as they are.
    """

    __slots__ = ("article", "start", "end", "text", "name", "kind", "country", "lat", "lon",
                 "ref", "score", "sentence", "match", "precision")  # fmt: skip

    def __init__(self, article: str, start: int, end: int, text: str, name: str | None,
                 kind: str | None, country: str | None, lat: float | None, lon: float | None,
                 ref: str | None, score: float, sentence: str, match: str,
                 precision: str | None) -> None:  # fmt: skip
        self.article = article
        self.start = start
        self.end = end
        self.text = text
        self.name = name
        self.kind = kind
        self.country = country
        self.lat = lat
        self.lon = lon
        self.ref = ref
        self.score = score
        self.sentence = sentence
        self.match = match
        self.precision = precision


@lru_cache(maxsize=1)
def _mention_class() -> type:
    """Mention, checked to have :class:`_Open`'s layout and nothing run on construction."""
    from bordermap.geoparse import Mention

    if Mention.__slots__ != _Open.__slots__ or hasattr(Mention, "__post_init__"):
        raise RuntimeError("Mention's fields changed: update cache._Open to match")
    return Mention


def make_mentions(articles: Iterable[str], columns: list[list[Any]]) -> list[Mention]:
    """Mentions from their article ids and columns (:data:`COLUMNS` order, strings resolved).

    The garbage collector is paused meanwhile: the new objects hold only strings
    and numbers (no cycle to find), and its passes, triggered by their number,
    would cost twice the making.
    """
    mention = _mention_class()
    with paused_gc():
        out: list[Any] = list(map(_Open, articles, *columns))
        for m in out:
            m.__class__ = mention
    return out


def build_mentions(article: Article, columns: list[list[Any]]) -> list[Mention] | None:
    """The mentions of ``article`` from their columns (:data:`COLUMNS` order, strings
    resolved), or None when they do not fit its text (the offsets' text differs)."""
    text = article.text
    if [text[a:b] for a, b in zip(columns[0], columns[1], strict=True)] != columns[_TEXT]:
        return None
    return make_mentions(itertools.repeat(article.id), columns)


class MentionCache:
    """Per-article mention entries in ``folder`` for one focus region.

    ``hits`` and ``misses`` count lookups in this process (a worker's own
    cache counts its own).
    """

    def __init__(self, folder: Path, focus: Bbox | None) -> None:
        self.folder = Path(folder)
        self.focus = None if focus is None else tuple(float(v) for v in focus)
        self.hits = 0
        self.misses = 0
        self._warned = False

    @classmethod
    def default(cls, focus: Bbox | None) -> MentionCache:
        """The cache in :func:`mentions_folder`."""
        return cls(mentions_folder(), focus)

    def version(self) -> str:
        """A hash of what every key shares: the entry layout, gazetteer, geoparser and focus."""
        return hashlib.sha256(f"{_parser_fingerprint()}\0{self.focus!r}".encode()).hexdigest()

    def key(self, article: Article) -> str:
        """The entry key of ``article``: a hash of all the inputs of its mentions."""
        h = hashlib.sha256(_parser_fingerprint().encode())
        h.update(f"\0{self.focus!r}\0".encode())
        h.update(article.id.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(article.text_sha256)  # hashed once per article, however many keys
        return h.hexdigest()

    def path(self, article: Article, key: str | None = None) -> Path:
        """Where the entry of ``article`` is (``key``: its :meth:`key`, when known)."""
        key = key or self.key(article)
        return self.folder / key[:2] / f"{key}.json"

    def get(self, article: Article, key: str | None = None) -> list[Mention] | None:
        """The cached mentions of ``article``, or None (missing or unusable entry);
        ``key``: its :meth:`key`, when the caller has it already."""
        path = self.path(article, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            found = _decode(data, article)
        except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
            log.debug("ignoring a damaged mention cache entry %s", path)
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, article: Article, mentions: list[Mention]) -> list[Mention]:
        """Store the mentions of ``article`` (atomically) and return them."""
        path = self.path(article)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_encode(mentions))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            if not self._warned:  # a read-only cache is no reason to fail
                log.warning("could not write the mention cache in %s (%s)", self.folder, exc)
                self._warned = True
        return mentions


def article_key(article: Article, focus: Bbox | None) -> str:
    """The key of ``article``'s mentions (:meth:`MentionCache.key`), with or without a cache."""
    return MentionCache(Path(), focus).key(article)
