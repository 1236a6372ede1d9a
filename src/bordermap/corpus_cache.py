"""A whole corpus's mentions in one file: a rebuild reads one file, not one per article.

The per-article entries of :mod:`bordermap.cache` stay the source of truth:
this file only repeats them in bulk.  After a corpus's mentions are found,
:class:`CorpusMentions` keeps, under ``mentions/corpora/`` in the cache
folder, one file for that corpus: its articles' mentions in blocks of
:data:`BLOCK` articles (each block a column per field, its strings once,
like an entry), an index of the articles' keys (:meth:`MentionCache.key`, so
a changed article, focus, gazetteer or geoparser never matches) and the
SHA-256 of every block and of the index.  The next run over a corpus with
the same first article looks each article's key up in that index: an
article found there takes its mentions from its block; any other is read
from its entry or parsed, as without this file.  Blocks are read one at a
time, in the order the corpus asks for them, so memory stays a block's
whatever the size of the corpus.

The file is written again only when the corpus differs from it, and then
only the blocks whose articles changed are encoded again: a block whose
articles all come back, consecutively and in order, is copied as it was.
So a rebuild after ten more articles re-encodes the last, partial block and
the ten.  Files are written to a temporary name and renamed into place
(concurrent runs each leave a whole file; the last wins).  A file that is
missing, damaged or of another layout is ignored and replaced, never an
error; deleting it, or the whole cache folder, is always safe.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from bordermap.articles import Article
from bordermap.cache import (
    COLUMNS,
    MentionCache,
    encode_columns,
    make_mentions,
    resolve_columns,
    shared,
)

if TYPE_CHECKING:
    from bordermap.geoparse import Mention

__all__ = ["BLOCK", "CorpusMentions"]

log = logging.getLogger("bordermap")

#: Articles per block: what is decoded at once, and re-encoded when one of them changes.
BLOCK = 256
#: The first line of a corpus file; the layout's version is part of it.
MAGIC = b"bordermap corpus mentions 1\n"
#: Decoding a block again costs a block: a corpus whose order jumps between the
#: blocks more than this many times reads the rest from the entries instead.
REDECODES = 16

#: An unfinished corpus file not written to for this long was left by a run that was killed.
STALE_SECONDS = 3600

_ERRORS = (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError, OSError)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_block(articles: list[tuple[str, str, list[Mention]]]) -> bytes:
    """One block: per article its key, id and mention count, then the columns of all
    its mentions (strings and sentences each once, as in an entry)."""
    strings, sentences, body = encode_columns(
        itertools.chain.from_iterable(mentions for _, _, mentions in articles)
    )
    block = {
        "keys": [key for key, _, _ in articles],
        "ids": [article for _, article, _ in articles],
        "counts": [len(mentions) for _, _, mentions in articles],
        "strings": strings,
        "sentences": sentences,
        **body,
    }
    return json.dumps(block, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_block(data: bytes) -> tuple[list[str], list[list[Mention]]]:
    """The keys of a block's articles and each one's mentions; raises on a bad block."""
    body: Any = json.loads(data.decode("utf-8"))
    keys, ids, counts = body["keys"], body["ids"], body["counts"]
    strings = [shared(s) for s in body["strings"]]
    sentences = body["sentences"]
    if not all(type(s) is str for s in sentences):
        raise ValueError("sentences must be strings")
    columns = [body[c] for c in COLUMNS]
    total = sum(counts)
    if any(len(c) != total for c in columns) or not len(keys) == len(ids) == len(counts):
        raise ValueError("the columns do not fit the counts")
    if min(counts, default=0) < 0 or not all(type(i) is str for i in ids):
        raise ValueError("bad counts or ids")
    ids = [shared(i) for i in ids]
    owners = itertools.chain.from_iterable(map(itertools.repeat, ids, counts))
    made = make_mentions(owners, resolve_columns(columns, strings, sentences))
    out, start = [], 0
    for n in counts:
        out.append(made[start : start + n])
        start += n
    return keys, out


def sweep(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the unfinished corpus files of runs that were killed (``.corpus-*.tmp`` not
    written to for :data:`STALE_SECONDS`: a live run adds a block every few seconds);
    return them. A file another run is still writing is left alone."""
    now = time.time() if now is None else now
    gone = []
    for tmp in sorted(folder.glob(".corpus-*.tmp")):
        try:
            if now - tmp.stat().st_mtime > STALE_SECONDS:
                tmp.unlink()
                gone.append(tmp)
        except OSError:  # removed meanwhile, or not ours to remove
            continue
    if gone:
        log.info("removed %d unfinished corpus mention files in %s", len(gone), folder)
    return gone


class _Reader:
    """The last corpus file of a slot: its index, and its blocks decoded on demand."""

    def __init__(self, fh: IO[bytes], index: dict[str, Any]) -> None:
        self.fh = fh
        self.blocks: list[dict[str, Any]] = index["blocks"]
        self.where: dict[str, tuple[int, int]] = {}
        for b, block in enumerate(self.blocks):
            if not (isinstance(block["offset"], int) and isinstance(block["length"], int)):
                raise ValueError("bad block entry")
            for p, key in enumerate(block["keys"]):
                self.where[str(key)] = (b, p)
        self.current: tuple[int, list[list[Mention]]] | None = None
        self.decoded = 0

    @classmethod
    def open(cls, path: Path, fingerprint: str) -> _Reader | None:
        try:
            fh = open(path, "rb")
        except OSError:
            return None
        try:
            if fh.read(len(MAGIC)) != MAGIC:
                raise ValueError("not a corpus file")
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - 512))
            trailer = json.loads(fh.read().rstrip(b"\n").rsplit(b"\n", 1)[-1])
            fh.seek(trailer["index"])
            data = fh.read(trailer["length"])
            if _sha(data) != trailer["sha256"]:
                raise ValueError("the index does not match its checksum")
            index = json.loads(data)
            if index["fingerprint"] != fingerprint:
                raise ValueError("another geoparser, gazetteer or focus")
            return cls(fh, index)
        except (*_ERRORS, AttributeError):
            log.debug("ignoring an unusable corpus mention file %s", path)
            fh.close()
            return None

    def raw(self, b: int) -> bytes:
        """Block ``b``'s bytes, checked against its SHA-256."""
        block = self.blocks[b]
        self.fh.seek(block["offset"])
        data = self.fh.read(block["length"])
        if _sha(data) != block["sha256"]:
            raise ValueError(f"block {b} does not match its checksum")
        return data

    def mentions(self, key: str) -> list[Mention] | None:
        """The mentions of the article with ``key``, or None."""
        found = self.where.get(key)
        if found is None:
            return None
        b, p = found
        if self.current is None or self.current[0] != b:
            if self.decoded >= len(self.blocks) + REDECODES:
                return None  # the corpus jumps around: its entries are cheaper
            self.decoded += 1
            self.current = None
            keys, articles = decode_block(self.raw(b))
            if keys != self.blocks[b]["keys"]:
                raise ValueError(f"block {b} does not match the index")
            self.current = (b, articles)
        return self.current[1][p]


class CorpusMentions:
    """A corpus's mentions in one file, read and written around ``cache``'s entries.

    :meth:`get` is :meth:`MentionCache.get` that looks in the last corpus file
    first; :meth:`record` takes each article's mentions in corpus order;
    :meth:`finish` writes the corpus file when the corpus was not the file's
    (call it only once every article was recorded); :meth:`close` always.
    """

    def __init__(self, cache: MentionCache) -> None:
        self.cache = cache
        self.folder = cache.folder / "corpora"
        self.reader: _Reader | None = None
        self.slot: Path | None = None
        self._writer: _Writer | None = None
        self._opened = False
        self.reading = False
        self._seen: dict[int, tuple[str, tuple[int, int] | None]] = {}

    def _open(self, first: Article) -> None:
        self._opened = True
        fingerprint = self.cache.version()
        name = hashlib.sha256(f"{fingerprint}\0{first.path or first.id}".encode()).hexdigest()
        self.slot = self.folder / f"{name[:32]}.mentions"
        self.reader = _Reader.open(self.slot, fingerprint)
        self.reading = self.reader is not None
        self._writer = _Writer(self.reader, fingerprint)

    def missing(self, articles: Iterable[Article]) -> list[Article]:
        """Those of ``articles`` that neither the corpus file nor an entry has, as far as
        their keys tell (a damaged block or entry shows only when read): what a run can
        start parsing before it reads the rest (the cache keeps the keys it hashed)."""
        out = []
        for article in articles:
            if not self._opened:
                self._open(article)
            key = self.cache.key(article)
            in_file = self.reader is not None and key in self.reader.where
            if not in_file and not self.cache.path(article, key).exists():
                out.append(article)
        return out

    def get(self, article: Article) -> list[Mention] | None:
        """The mentions of ``article`` from the corpus file or its entry, or None."""
        if not self._opened:
            self._open(article)
        key = self.cache.key(article)
        found, where = None, None
        if self.reader is not None and self.reading:
            try:
                found = self.reader.mentions(key)
            except _ERRORS:
                log.debug("ignoring the damaged corpus mention file %s", self.slot)
                self.reading = False
                assert self._writer is not None
                self._writer.lost()
        if found and found[0].article != article.id:  # the key hashes the id and text
            found = None
        if found is not None:
            assert self.reader is not None
            where = self.reader.where[key]
            self.cache.hits += 1
        # Until recorded: its key, and where in the last file it came from (a block is
        # copied into the next file only when each of its articles came from it).
        self._seen[id(article)] = (key, where)
        return found if found is not None else self.cache.get(article, key)

    def record(self, article: Article, mentions: list[Mention]) -> None:
        """Take the mentions of the next article of the corpus."""
        if not self._opened:
            self._open(article)
        assert self._writer is not None
        seen = self._seen.pop(id(article), None)
        key, where = seen if seen is not None else (self.cache.key(article), None)
        try:
            self._writer.add(key, article.id, mentions, where, self.folder)
        except _ERRORS as exc:
            self._writer.failed(exc, self.folder)

    def finish(self) -> None:
        """Put the corpus file in place, unless it already held exactly this corpus."""
        if self._writer is not None and self.slot is not None:
            try:
                self._writer.finish(self.slot)
            except _ERRORS as exc:
                self._writer.failed(exc, self.folder)

    def close(self) -> None:
        """Drop a file left unfinished and let go of the last one."""
        if self._writer is not None:
            self._writer.discard()
        if self.reader is not None:
            self.reader.fh.close()


class _Writer:
    """The next corpus file, written as the articles come; blocks of the last one that
    come back whole are copied, the rest encoded. Nothing is written while the corpus
    is still the last file's, so an unchanged corpus costs no write."""

    def __init__(self, reader: _Reader | None, fingerprint: str) -> None:
        self.reader = reader
        self.fingerprint = fingerprint
        self.fh: IO[bytes] | None = None
        self.tmp: Path | None = None
        self.index: list[dict[str, Any]] = []
        self.copies: list[int] = []  # whole blocks of the last file, not written yet
        self.run: list[tuple[str, str, list[Mention]]] = []  # the start of a block of the last file
        self.run_block = -1
        self.todo: list[tuple[str, str, list[Mention]]] = []  # to encode
        self.same = reader is not None  # the corpus is the last file's so far
        self.reading = reader is not None  # blocks of the last file may still come back
        self.broken = False

    def _size(self, b: int) -> int:
        assert self.reader is not None
        return len(self.reader.blocks[b]["keys"])

    def add(
        self, key: str, article: str, mentions: list[Mention], where: tuple[int, int] | None,
        folder: Path,
    ) -> None:  # fmt: skip
        """Take the next article: its key, id, mentions and place in the last file."""
        if self.broken:
            return
        if not self.reading:
            where = None
        item = (key, article, mentions)
        if self.run and where == (self.run_block, len(self.run)):
            self.run.append(item)
            if len(self.run) == self._size(self.run_block) == BLOCK:
                self._copy(self.run_block, folder)
                self.run = []
            return  # a partial block (the last file's last) waits to see what follows
        self.todo.extend(self.run)  # a block left before its end: encoded again
        self.run = []
        if where is not None and where[1] == 0:
            self.run, self.run_block = [item], where[0]
        else:
            self.todo.append(item)
        self._encode(folder, whole=True)

    def lost(self) -> None:
        """The last file turned out damaged: no more of it is copied (the blocks held
        back were read and checked whole, so they still are)."""
        self.reading, self.same = False, False
        self.todo.extend(self.run)
        self.run = []

    def failed(self, exc: Exception, folder: Path) -> None:
        if not self.broken and isinstance(exc, OSError):  # a read-only cache is no failure
            log.warning("could not write the corpus mention file in %s (%s)", folder, exc)
        elif not self.broken:  # the last file is damaged: the next run writes a whole one
            log.debug("not writing the corpus mention file in %s (%s)", folder, exc)
        self.broken = True
        self.discard()

    def _start(self, folder: Path) -> IO[bytes]:
        if self.fh is None:
            folder.mkdir(parents=True, exist_ok=True)
            sweep(folder)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".corpus-", suffix=".tmp")
            self.fh, self.tmp = os.fdopen(fd, "wb"), Path(tmp)
            self.fh.write(MAGIC)
        return self.fh

    def _put(self, data: bytes, keys: list[str], folder: Path) -> None:
        fh = self._start(folder)
        self.index.append(
            {"offset": fh.tell(), "length": len(data), "sha256": _sha(data), "keys": keys}
        )
        fh.write(data)
        fh.write(b"\n")

    def _copy(self, b: int, folder: Path) -> None:
        if self.same and not self.todo and b == len(self.copies):
            self.copies.append(b)  # still the last file: written only if it turns out not to be
            return
        self._encode(folder)  # what comes before it in the corpus, even a partial block
        self._divert(folder)
        assert self.reader is not None
        self._put(self.reader.raw(b), list(self.reader.blocks[b]["keys"]), folder)

    def _divert(self, folder: Path) -> None:
        """The corpus is not the last file's: write the blocks held back so far."""
        self.same = False
        assert self.reader is not None or not self.copies
        for b in self.copies:
            assert self.reader is not None
            self._put(self.reader.raw(b), list(self.reader.blocks[b]["keys"]), folder)
        self.copies = []

    def _encode(self, folder: Path, whole: bool = False) -> None:
        """Write what waits to be encoded, in blocks of :data:`BLOCK` (``whole``: only
        whole ones, the rest waits), so that every block but the last is whole."""
        while self.todo and (len(self.todo) >= BLOCK or not whole):
            self._divert(folder)
            part, self.todo = self.todo[:BLOCK], self.todo[BLOCK:]
            self._put(encode_block(part), [key for key, _, _ in part], folder)

    def finish(self, slot: Path) -> None:
        if self.broken:
            return
        if self.run and len(self.run) == self._size(self.run_block) and not self.todo:
            self._copy(self.run_block, slot.parent)  # the last file's last block, whole
        else:
            self.todo.extend(self.run)
        self.run = []
        if self.same and not self.todo and self.reader is not None:
            if len(self.copies) == len(self.reader.blocks):
                return  # exactly the last file's corpus: nothing to write
        self._encode(slot.parent)
        self._divert(slot.parent)
        fh = self._start(slot.parent)
        index = json.dumps(
            {"fingerprint": self.fingerprint, "blocks": self.index}, separators=(",", ":")
        ).encode("utf-8")
        offset = fh.tell()
        fh.write(index + b"\n")
        trailer = {"index": offset, "length": len(index), "sha256": _sha(index)}
        fh.write(json.dumps(trailer).encode() + b"\n")
        fh.close()
        assert self.tmp is not None
        os.replace(self.tmp, slot)
        self.fh = self.tmp = None

    def discard(self) -> None:
        if self.fh is not None:
            self.fh.close()
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
        self.fh = self.tmp = None
