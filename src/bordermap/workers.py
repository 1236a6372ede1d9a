"""The geoparser over many articles: in this process or in several, results in input order.

:func:`parse_all` is the one place that runs :func:`bordermap.geoparse.extract`
over a corpus.  With ``jobs > 1`` the articles the cache does not have go to
a pool of worker processes in chunks and come back in input order, so the
mentions, and every file made from them, are identical whatever the number of
jobs.  Cached entries are read in this process (a worker would read them and
send them back pickled: twice the work), so a build whose mentions all come
from the cache starts no pool and never loads the gazetteer (330 MB and a
second less).  The pool starts when the first article has to be parsed, after
the gazetteer is loaded here, so that the forked workers share its memory
instead of loading it again (where fork is not available, each worker loads it
once, when it first needs it).  A corpus held in memory (a build's) is first
looked over for the articles the cache lacks (their keys against the corpus
file's index and the entries); those go to the pool at once and are parsed
while this process reads the rest from the cache.  When they are few (a
rebuild after some new articles), one worker loads the gazetteer itself,
meanwhile, instead of this process loading it first.

>>> from bordermap.workers import parse_all
>>> for article, mentions in parse_all(articles, focus, jobs=2):  # doctest: +SKIP
...     ...
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bordermap.articles import Article
from bordermap.cache import MentionCache
from bordermap.corpus_cache import CorpusMentions
from bordermap.errors import ArticleError

if TYPE_CHECKING:
    from bordermap.gazetteer import Gazetteer
    from bordermap.geoparse import Mention
    from bordermap.region import Bbox

__all__ = ["default_jobs", "parse_all", "parse_one"]

#: Below this many articles a pool costs more than it saves.
MIN_ARTICLES_PER_JOB = 8

#: Articles sent to a worker at a time.
CHUNK = 16

Item = Article | ArticleError
_T = TypeVar("_T")
Parsed = tuple[Article, list["Mention"]] | ArticleError

_FOCUS: Bbox | None = None
_CACHE: MentionCache | None = None


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_one(article: Article, gaz: Gazetteer, focus: Bbox | None) -> list[Mention]:
    """The mentions of one article: a pure function of the article, gazetteer and focus."""
    from bordermap.geoparse import extract

    # The one call of the geoparser for a project or a command. ``focus`` is
    # the project's ``focus.bbox``.
    return extract(article, gaz, focus)


def _gazetteer() -> Gazetteer:
    """The gazetteer, loaded on first use in this process (inherited when forked after it)."""
    from bordermap.gazetteer import load_gazetteer

    return load_gazetteer()


def _init(focus: Bbox | None, cache_folder: Path | None) -> None:
    global _FOCUS, _CACHE
    _FOCUS = focus
    _CACHE = None if cache_folder is None else MentionCache(cache_folder, focus)


def _parse(item: Item, focus: Bbox | None, cache: CorpusMentions | None) -> Parsed:
    if isinstance(item, ArticleError):
        return item
    if cache is None:
        return item, parse_one(item, _gazetteer(), focus)
    found = cache.get(item)
    if found is None:
        found = cache.cache.put(item, parse_one(item, _gazetteer(), focus))
    return item, found


def _work(chunk: list[Article]) -> list[Parsed]:
    """The mentions of articles the cache does not have (the main process looked),
    stored in the cache when there is one."""
    gaz = _gazetteer()
    out: list[Parsed] = []
    for article in chunk:
        found = parse_one(article, gaz, _FOCUS)
        out.append((article, _CACHE.put(article, found) if _CACHE else found))
    return out


def _chunks(items: Iterator[_T], size: int) -> Iterator[list[_T]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def parse_all(
    items: Iterable[Article | ArticleError],
    focus: Bbox | None,
    jobs: int = 1,
    cache: MentionCache | None = None,
    tick: Callable[[], None] | None = None,
) -> Iterator[tuple[Article, list[Mention]] | ArticleError]:
    """Each article with its mentions (errors passed through), in input order.

    ``jobs`` processes parse at once (1: this process only); a batch of fewer
    than ``MIN_ARTICLES_PER_JOB`` articles per job is parsed here.  Articles
    are read as they are needed: at most a few chunks per job are in flight,
    so memory stays bounded whatever the size of the corpus.  With ``cache``,
    an article whose entry is there is not parsed again (its entry is read in
    this process) and a parsed one is stored (by the worker that parsed it);
    its ``hits`` and ``misses`` count them all.  ``tick`` is called once per item
    yielded (a progress bar).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if cache is None:
        yield from _parse_all(items, focus, jobs, None, tick)
        return
    corpus = CorpusMentions(cache)
    try:
        for result in _parse_all(items, focus, jobs, corpus, tick):
            if not isinstance(result, ArticleError):
                corpus.record(*result)
            yield result
        corpus.finish()  # every article was seen: the corpus file can stand for it
    finally:
        corpus.close()


def _parse_all(
    items: Iterable[Article | ArticleError],
    focus: Bbox | None,
    jobs: int,
    cache: CorpusMentions | None,
    tick: Callable[[], None] | None,
) -> Iterator[Parsed]:
    # A corpus held in memory (a build's) is looked over first for the articles the
    # cache lacks, so that the pool parses them while this process reads the rest.
    stream = iter(items)
    head = list(itertools.islice(stream, jobs * MIN_ARTICLES_PER_JOB))
    jobs = min(jobs, len(head) // MIN_ARTICLES_PER_JOB)
    stream = itertools.chain(head, stream)
    if jobs <= 1:
        for item in stream:
            yield _parse(item, focus, cache)
            if tick:
                tick()
        return
    ahead: list[Article] = []
    if cache is not None and isinstance(items, Collection):  # can be read twice
        ahead = cache.missing(a for a in items if isinstance(a, Article))
    yield from _pooled(stream, focus, jobs, cache, tick, ahead)


#: A result in the output: parsed, or where the pool's future (of a chunk of the
#: articles the cache did not have) holds it, and at which place of that chunk.
_Slot = tuple["Parsed | None", "Future[list[Parsed]] | None", int]

#: Below this many articles to parse, the pool's workers load the gazetteer themselves
#: while this process reads the cache, instead of this process loading it first for
#: them to share (a rebuild after a few new articles).
FEW = 4 * CHUNK


class _Pool:
    """Worker processes, started on first use (after the gazetteer is loaded here, for
    the forked workers to share it, unless only ``few`` articles are to be parsed)."""

    def __init__(self, jobs: int, focus: Bbox | None, cache: CorpusMentions | None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self.fork = "fork" in methods
        self.context = multiprocessing.get_context("fork" if self.fork else "spawn")
        self.jobs, self.focus = jobs, focus
        self.folder = cache.cache.folder if cache else None
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, chunk: list[Article], few: bool = False) -> Future[list[Parsed]]:
        if self.pool is None:
            if self.fork and not few:
                _gazetteer()  # before the fork: the workers inherit it
            # The objects made so far (the gazetteer, the mentions read from the
            # cache) stay out of the workers' garbage collection, so that their
            # pages stay shared instead of being copied by its visits.
            gc.freeze()
            init = (self.focus, self.folder)
            self.pool = ProcessPoolExecutor(self.jobs, self.context, _init, init)
            self.pool.submit(int).result()  # the workers are forked now, then unfreeze
            gc.unfreeze()
        return self.pool.submit(_work, chunk)

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _pooled(
    stream: Iterator[Item],
    focus: Bbox | None,
    jobs: int,
    cache: CorpusMentions | None,
    tick: Callable[[], None] | None,
    ahead: list[Article],
) -> Iterator[Parsed]:
    """:func:`parse_all` with ``jobs`` worker processes, started when first needed.

    The cache is read here, in this process: a worker would read the same entry
    and send its mentions back pickled, twice the work. Only the articles that
    have no entry go to the pool, so a build whose mentions all come from the
    cache starts no pool. Those of ``ahead`` (the articles the cache is known to
    lack) are sent first, and parsed while this process reads the others.
    """
    pool = _Pool(min(jobs, max(1, -(-len(ahead) // CHUNK))) if ahead else jobs, focus, cache)
    early: dict[int, tuple[Future[list[Parsed]], int]] = {}
    for chunk in _chunks(iter(ahead), CHUNK):
        future = pool.submit(chunk, few=len(ahead) < FEW)
        early.update((id(a), (future, i)) for i, a in enumerate(chunk))
    pending: deque[list[_Slot]] = deque()  # at most 4 chunks a job, read or in the pool

    def finish(slots: list[_Slot]) -> Iterator[Parsed]:
        for result, future, i in slots:
            if future is not None:
                result = future.result()[i]
            assert result is not None
            yield result
            if tick:
                tick()

    try:
        for batch in _chunks(stream, CHUNK):
            slots: list[_Slot] = []
            todo: list[Article] = []
            for item in batch:
                if isinstance(item, ArticleError):
                    slots.append((item, None, 0))
                elif id(item) in early:
                    if cache is not None:
                        cache.cache.misses += 1
                    slots.append((None, *early.pop(id(item))))
                elif (found := cache.get(item) if cache else None) is not None:
                    slots.append(((item, found), None, 0))
                else:
                    slots.append((None, None, len(todo)))
                    todo.append(item)
            if todo:
                future = pool.submit(todo)
                slots = [(r, future, i) if r is None and f is None else (r, f, i)
                         for r, f, i in slots]  # fmt: skip
            pending.append(slots)
            while pending and len(pending) >= 4 * jobs:
                yield from finish(pending.popleft())
        while pending:
            yield from finish(pending.popleft())
    finally:
        pool.shutdown()
