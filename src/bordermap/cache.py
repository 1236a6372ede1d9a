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
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.articles import Article

if TYPE_CHECKING:
    from bordermap.geoparse import Mention
    from bordermap.region import Bbox

__all__ = ["MentionCache", "article_key", "mentions_folder", "FORMAT"]

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
#: ``_STRINGS`` hold indexes into the entry's ``strings`` (each distinct value
#: once, ``null`` included), ``sentence`` indexes into its ``sentences``.
_COLUMNS = ("start", "end", "text", "name", "kind", "country", "lat", "lon", "ref",
            "score", "sentence", "match", "precision")  # fmt: skip
_STRINGS = ("text", "name", "kind", "country", "ref", "match", "precision")


def _encode(mentions: list[Mention]) -> bytes:
    strings: dict[str | None, int] = {}
    sentences: dict[str, int] = {}
    body: dict[str, list[Any]] = {column: [] for column in _COLUMNS}
    for m in mentions:
        for column in _COLUMNS:
            value = getattr(m, column)
            if column in _STRINGS:
                value = strings.setdefault(value, len(strings))
            elif column == "sentence":
                value = sentences.setdefault(value, len(sentences))
            body[column].append(value)
    entry = {"strings": list(strings), "sentences": list(sentences), **body}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode(data: bytes, article: Article) -> list[Mention]:
    """The mentions of an entry; raises ValueError (or a subclass) if it is not one.

    The work is per column and per distinct string, not per mention and field:
    a warm build of a large corpus reads every entry.
    """
    from bordermap.geoparse import Mention

    body: Any = json.loads(data.decode("utf-8"))
    # A corpus names the same places again and again: their strings are shared
    # across articles, not one copy per mention (less than half the memory of a
    # 100,000-article build's mentions).
    strings = [_shared(s) for s in body["strings"]]
    sentences = body["sentences"]
    if not all(type(s) is str for s in sentences):
        raise ValueError("sentences must be strings")
    columns = [body[c] for c in _COLUMNS]
    if len({len(c) for c in columns}) > 1:
        raise ValueError("the columns differ in length")
    by_name = dict(zip(_COLUMNS, columns, strict=True))
    for name in (*_STRINGS, "sentence"):
        if by_name[name] and min(by_name[name]) < 0:
            raise ValueError(f"negative {name} index")
    values = {n: list(map(strings.__getitem__, by_name[n])) for n in _STRINGS}
    text = article.text
    if [text[a:b] for a, b in zip(by_name["start"], by_name["end"], strict=True)] != values["text"]:
        raise ValueError("the entry does not fit the article")
    return list(
        map(
            Mention, itertools.repeat(article.id), by_name["start"], by_name["end"],
            values["text"], values["name"], values["kind"], values["country"], by_name["lat"],
            by_name["lon"], values["ref"], by_name["score"],
            map(sentences.__getitem__, by_name["sentence"]), values["match"], values["precision"],
        )
    )  # fmt: skip


def _shared(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise ValueError("strings must be strings or null")
    return sys.intern(value)


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

    def key(self, article: Article) -> str:
        """The entry key of ``article``: a hash of all the inputs of its mentions."""
        h = hashlib.sha256(_parser_fingerprint().encode())
        h.update(f"\0{self.focus!r}\0".encode())
        h.update(article.id.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(article.text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def path(self, article: Article) -> Path:
        key = self.key(article)
        return self.folder / key[:2] / f"{key}.json"

    def get(self, article: Article) -> list[Mention] | None:
        """The cached mentions of ``article``, or None (missing or unusable entry)."""
        path = self.path(article)
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
