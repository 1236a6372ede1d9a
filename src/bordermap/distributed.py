"""Extraction on a Dask cluster: a ``dask.bag`` over the corpus files.

The files under the given paths are listed here, in the order (and with the
same de-duplication) as :func:`bordermap.articles.iter_articles`; a bag of
their paths, in partitions of :data:`PARTITION` files, is read and geoparsed
on the cluster's workers by the same function as the local path
(:func:`bordermap.workers.parse_one`); partitions come back in order, a few
at a time, so the results, and every byte written from them, are those of
``bordermap extract`` without Dask, and the client holds only a window of
partitions at once.

The cluster is a running ``dask.distributed`` scheduler given by its
address, or a ``LocalCluster`` of worker processes started (and stopped)
here. Workers must see the corpus at the same paths (a shared file system)
and have the same bordermap installed; each loads the gazetteer once.
Needs the ``dask`` extra (``pip install 'bordermap[dask]'``).

>>> for item in extract_dask(["corpus/"], focus, local_workers=2):  # doctest: +SKIP
...     ...
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.articles import article_paths, read_article
from bordermap.errors import ArticleError, ClusterError

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.geoparse import Mention
    from bordermap.region import Bbox

__all__ = ["extract_dask", "corpus_targets", "PARTITION"]

#: How long to wait for the scheduler before giving up.
CONNECT_TIMEOUT = "10s"
#: Files per bag partition (one task on a worker).
PARTITION = 64
#: Partitions in flight per worker thread: enough to keep workers busy, few enough to bound memory.
AHEAD = 3

_MISSING = "Dask is not installed: pip install 'bordermap[dask]' (dask[bag] and distributed)"

Item = tuple[str, str]  # ("path", p) or ("error", message)
Parsed = tuple["Article", list["Mention"]] | ArticleError


def corpus_targets(paths: Iterable[str | Path]) -> list[Item]:
    """The article files under ``paths`` in corpus order, and the errors met on the way.

    The same files, order and de-duplication as
    :func:`bordermap.articles.iter_articles` (standard input aside).
    """
    seen: set[Path] = set()
    out: list[Item] = []
    for path in paths:
        if str(path) == "-":
            raise ValueError("standard input (-) cannot be sent to a Dask cluster; give files")
        try:
            targets = article_paths(path)
        except ArticleError as exc:
            out.append(("error", str(exc)))
            continue
        for target in targets:
            real = Path(target).resolve()
            if real in seen:
                continue
            seen.add(real)
            out.append(("path", str(target)))
    return out


def _parse_partition(items: list[Item], focus: Bbox | None) -> list[Parsed]:
    """Runs on a worker: read and geoparse one partition's files, in order."""
    from bordermap.gazetteer import load_gazetteer
    from bordermap.workers import parse_one

    gaz = load_gazetteer()  # once per worker process (kept by the module)
    out: list[Parsed] = []
    for kind, value in items:
        if kind == "error":
            out.append(ArticleError(value))
            continue
        try:
            article = read_article(value)
        except ArticleError as exc:
            out.append(exc)
            continue
        out.append((article, parse_one(article, gaz, focus)))
    return out


@contextlib.contextmanager
def _client(scheduler: str | None, local_workers: int | None) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster
    except ModuleNotFoundError:
        raise ClusterError(_MISSING) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); "
                "start one with `dask scheduler` or check the address"
            ) from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=local_workers or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def extract_dask(
    paths: Iterable[str | Path],
    focus: Bbox | None,
    scheduler: str | None = None,
    local_workers: int | None = None,
    partition: int = PARTITION,
) -> Iterator[Parsed]:
    """Each article under ``paths`` with its mentions, or a bad file's error, in corpus order.

    Runs on the scheduler at ``scheduler`` (``tcp://host:8786``), else on a
    ``LocalCluster`` of ``local_workers`` processes started for the call.

    Raises
    ------
    ClusterError
        If Dask is not installed or the scheduler cannot be reached.
    ValueError
        If a path is ``-`` (standard input stays on this machine).
    """
    try:
        import dask.bag as db
    except ModuleNotFoundError:
        raise ClusterError(_MISSING) from None
    targets = corpus_targets(paths)
    if not targets:
        return
    with _client(scheduler, local_workers) as client:
        bag = db.from_sequence(targets, partition_size=max(1, partition))
        parts = bag.map_partitions(partial(_parse_partition, focus=focus)).to_delayed()
        threads = max(1, sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        for part in parts:
            pending.append(client.compute(part))
            if len(pending) >= AHEAD * threads:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
