"""The geoparser over many articles: in this process or in several, results in input order.

:func:`parse_all` is the one place that runs :func:`bordermap.geoparse.extract`
over a corpus.  With ``jobs > 1`` the articles go to a pool of worker
processes in chunks and come back in input order, so the mentions, and every
file made from them, are identical whatever the number of jobs.  The
gazetteer is loaded only when an article has to be parsed: a build whose
mentions all come from the cache never loads it (330 MB and a second less).
When the first articles are not in the cache, it is loaded before the
workers are forked, so that they share its memory instead of loading it
again (where fork is not available, or when only later articles miss the
cache, a worker loads it once, when it first needs it).

>>> from bordermap.workers import parse_all
>>> for article, mentions in parse_all(articles, focus, jobs=2):  # doctest: +SKIP
...     ...
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from bordermap.articles import Article
from bordermap.cache import MentionCache
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


def _parse(item: Item, focus: Bbox | None, cache: MentionCache | None) -> Parsed:
    if isinstance(item, ArticleError):
        return item
    if cache is None:
        return item, parse_one(item, _gazetteer(), focus)
    found = cache.get(item)
    if found is None:
        found = cache.put(item, parse_one(item, _gazetteer(), focus))
    return item, found


def _work(chunk: list[Item]) -> tuple[list[Parsed], int, int]:
    """A chunk's results, with the cache hits and misses they took."""
    hits, misses = (_CACHE.hits, _CACHE.misses) if _CACHE else (0, 0)
    out = [_parse(i, _FOCUS, _CACHE) for i in chunk]
    if _CACHE is None:
        return out, 0, 0
    return out, _CACHE.hits - hits, _CACHE.misses - misses


def _will_parse(head: list[Item], cache: MentionCache | None) -> bool:
    """Whether any of the first articles has to be parsed (not in the cache)."""
    articles = [i for i in head if isinstance(i, Article)]
    return cache is None or any(not cache.path(a).exists() for a in articles)


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
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
    an article whose entry is there is not parsed again and a parsed one is
    stored (in the workers, so that the cache's work is spread too); its
    ``hits`` and ``misses`` count them all.  ``tick`` is called once per item
    yielded (a progress bar).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
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
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if _will_parse(head, cache):
        _gazetteer()  # before the fork: the workers inherit it
    folder = cache.folder if cache else None

    def done(future: Future[tuple[list[Parsed], int, int]]) -> list[Parsed]:
        results, hits, misses = future.result()
        if cache is not None:
            cache.hits += hits
            cache.misses += misses
        return results

    with ProcessPoolExecutor(jobs, context, initializer=_init, initargs=(focus, folder)) as pool:
        pending: deque[Future[tuple[list[Parsed], int, int]]] = deque()
        for chunk in _chunks(stream, CHUNK):
            pending.append(pool.submit(_work, chunk))
            while len(pending) >= 4 * jobs:
                for result in done(pending.popleft()):
                    yield result
                    if tick:
                        tick()
        while pending:
            for result in done(pending.popleft()):
                yield result
                if tick:
                    tick()
