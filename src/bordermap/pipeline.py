"""A project's pipeline, stage by stage: articles → mentions → layers and annotations.

:func:`load` returns the :class:`Parts` of a project; each stage is computed
on first use and kept, so asking for the layers reads and geoparses the
corpus once, and asking only for the articles does not load the gazetteer.
Maps (:mod:`bordermap.maps`), the build (:mod:`bordermap.build`), comparisons
and the Python API (:mod:`bordermap.project`) all start from these parts.

>>> from bordermap.config import load_config
>>> parts = load(load_config("bordermap.toml"))      # doctest: +SKIP
>>> parts.layer("upgrades").articles                 # doctest: +SKIP
['003', '004']
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.articles import Article, iter_articles, meant_key
from bordermap.config import ProjectConfig
from bordermap.errors import ArticleError, BadArticles, ConfigError, UnknownLayerError, counted
from bordermap.region import DEFAULT_FOCUS, Bbox

if TYPE_CHECKING:
    from bordermap.cache import MentionCache
    from bordermap.claims import Claim
    from bordermap.coverage import Coverage
    from bordermap.geoparse import Mention
    from bordermap.layers import Annotation, Layer
    from bordermap.origins import Origins

__all__ = ["Parts", "load", "read_corpus", "find_mentions", "extract_files"]

log = logging.getLogger("bordermap")


def read_corpus(paths: Iterable[str | Path], skip_bad: bool = False) -> dict[str, Article]:
    """The articles under ``paths`` (files or folders), by article id, in corpus order.

    Every file is read before anything is decided, so that all bad ones are
    named at once.  With ``skip_bad`` they are left out, each with a warning
    on the ``bordermap`` logger.

    Raises
    ------
    ArticleError
        Naming every unreadable article and every duplicated article id
        (one per line), unless ``skip_bad``.
    """
    out: dict[str, Article] = {}
    bad: list[str] = []
    for item in iter_articles(paths):
        if isinstance(item, ArticleError):
            bad.append(str(item))
        elif item.id in out:
            bad.append(f"{item.path}: article id {item.id!r} is also used by {out[item.id].path}")
        else:
            out[item.id] = item
    for line in _unread_keys(out.values()):
        log.warning("%s", line)
    if bad and skip_bad:
        for line in bad:
            log.warning("skipped %s", line)
    elif len(bad) == 1:
        raise ArticleError(bad[0])
    elif bad:
        raise BadArticles(bad)
    return out


def _unread_keys(articles: Iterable[Article]) -> list[str]:
    """A line per front matter key the articles use that bordermap does not read but
    seems meant for one it does ("Date", "source"): its first file and how many more."""
    seen: dict[str, list[Any]] = {}  # key -> [first file, articles, meant]
    for a in articles:
        for key in a.meta:
            if key in seen:
                seen[key][1] += 1
            else:
                seen[key] = [a.path or a.id, 1, meant_key(key)]
    more = {
        key: f" (and {counted(n - 1, 'more article')})" if n > 1 else ""
        for key, (_, n, _) in seen.items()
    }
    return [
        f"{path}{more[key]}: front matter key "
        f"{key!r} is not one bordermap reads; did you mean {meant!r}?"
        for key, (path, n, meant) in seen.items()
        if meant
    ]


def find_mentions(
    articles: Iterable[Article],
    focus: Bbox,
    jobs: int = 1,
    cache: MentionCache | None = None,
    tick: Callable[[], None] | None = None,
) -> list[Mention]:
    """Every place mention of ``articles``, in corpus order, then text order.

    ``focus`` is the project's ``focus.bbox``; ``jobs`` processes parse at once
    (the result is the same whatever their number); ``cache`` keeps each
    article's mentions for the next run; ``tick`` is called once per article.
    """
    from bordermap.workers import parse_all

    out: list[Mention] = []
    for item in parse_all(articles, focus, jobs, cache, tick):
        assert not isinstance(item, ArticleError)
        out.extend(item[1])
    if cache is not None:
        log.info("geoparsed %s, %s more from the cache", counted(cache.misses, "article"),
                 f"{cache.hits:,}")  # fmt: skip
    return out


def extract_files(
    paths: Iterable[str | Path],
    focus: Bbox = DEFAULT_FOCUS,
    jobs: int = 1,
    cache: MentionCache | None = None,
    tick: Callable[[], None] | None = None,
) -> Iterator[tuple[Article, list[Mention]] | ArticleError]:
    """Each article under ``paths`` with its mentions, or the error of a bad file, in order.

    ``paths`` are files, folders (searched recursively) or ``"-"`` for
    standard input. Errors are yielded, not raised, so one bad file never
    stops the others (``bordermap extract`` prints them and goes on).
    ``jobs`` processes parse at once; the order and the mentions are the same
    whatever their number. With ``cache``, articles parsed before are not
    parsed again; ``tick`` is called once per item (a progress bar).
    """
    from bordermap.workers import parse_all

    yield from parse_all(iter_articles(paths), focus, jobs, cache, tick)


def correct(
    config: ProjectConfig, articles: dict[str, Article], mentions: list[Mention]
) -> list[Mention]:
    """``mentions`` with the project's ``[[places]]`` and ``[[corrections]]`` applied.

    Raises
    ------
    ConfigError
        If a correction pins a reference the gazetteer does not have.
    """
    from bordermap.corrections import Corrector, unknown_refs
    from bordermap.gazetteer import load_gazetteer
    from bordermap.references import unused_corrections

    gaz = load_gazetteer()
    missing = unknown_refs(config.corrections, gaz)
    if missing:
        raise ConfigError(
            f"{config.file}: corrections: no place {missing[0]!r} in the gazetteer; "
            "look it up with `bordermap geocode NAME`"
        )
    by_article: dict[str, list[Mention]] = {}
    for m in mentions:
        by_article.setdefault(m.article, []).append(m)
    corrector = Corrector(config.places, config.corrections, gaz)  # indexed once
    out = [m for a in articles.values() for m in corrector.apply(a, by_article.get(a.id, []))]
    for line in unused_corrections(config, corrector.used, mentions, corrector.shadowed):
        log.warning("%s", line)
    return out


class Parts:
    """The stages of one project, each computed on first use.

    Attributes
    ----------
    config : ProjectConfig
        The validated project file.
    articles : dict of str to Article
        The corpus by article id (raises :class:`ArticleError` on a bad one).
    mentions : list of Mention
        Every mention of every article, in corpus order.
    mention_keys : list of str
        Per article, a hash of the inputs of its mentions (what a rebuild compares).
    layers : dict of str to Layer
        Every layer by id, in file order (annotations excluded).
    annotations : dict of str to Annotation
        Every annotation by id, in file order.
    coverage : Coverage
        What the corpus does not cover: line stretches without a named place near,
        gaps in its dates (:mod:`bordermap.coverage`).
    """

    def __init__(
        self,
        config: ProjectConfig,
        skip_bad: bool = False,
        jobs: int = 1,
        cache: MentionCache | None = None,
        tick: Callable[[int, int], None] | None = None,
    ) -> None:
        self.config = config
        self.skip_bad = skip_bad
        self.jobs = jobs
        self.cache = cache
        self.tick = tick

    @cached_property
    def articles(self) -> dict[str, Article]:
        self.config.check_corpus()
        return read_corpus(self.config.corpus, self.skip_bad)

    @cached_property
    def mentions(self) -> list[Mention]:
        total, done = len(self.articles), 0

        def tick() -> None:
            nonlocal done
            done += 1
            if self.tick:
                self.tick(done, total)

        cfg = self.config
        found = find_mentions(self.articles.values(), cfg.focus, self.jobs, self.cache, tick)
        if not (self.config.places or self.config.corrections):
            return found
        return correct(self.config, self.articles, found)

    @cached_property
    def mention_keys(self) -> list[str]:
        """Per article, in corpus order, a hash of all its mentions depend on: the
        article, the focus, the geoparser and the project's places and corrections."""
        import hashlib

        from bordermap.cache import article_key

        cfg = self.config
        own = hashlib.sha256(repr((cfg.places, cfg.corrections)).encode()).hexdigest()
        return [f"{article_key(a, cfg.focus)}:{own}" for a in self.articles.values()]

    # Claims and origins (issue 14): the articles' derived_from links, and each
    # claim's quoted sentences found in its articles.

    @cached_property
    def origins(self) -> Origins:
        from bordermap.origins import group

        return group(self.articles)

    @cached_property
    def claims(self) -> dict[str, Claim]:
        from bordermap.claims import locate

        return locate(str(self.config.path), self.config.claims, self.articles, self.origins)

    # The layers stage imports the geometry libraries: only when asked for,
    # so that `bordermap extract` (which uses this module) stays light.

    @cached_property
    def layers(self) -> dict[str, Layer]:
        from bordermap.layers import make_layers
        from bordermap.references import undrawn_claims, unknown_articles, unnamed_places

        # What the project file names that the corpus lacks (a typo, most often).
        for line in [*unknown_articles(self.config, self.articles),
                     *unnamed_places(self.config, self.mentions)]:  # fmt: skip
            log.warning("%s", line)
        layers = make_layers(self.config, self.mentions, self.articles, self.claims, self.origins)
        for line in undrawn_claims(self.config, layers):  # in the legend, on no feature
            log.warning("%s", line)
        return layers

    @cached_property
    def annotations(self) -> dict[str, Annotation]:
        from bordermap.layers import make_annotations

        return make_annotations(self.config, self.articles, self.claims, self.origins)

    # What the corpus does not cover (issue 14): along the lines, in time.

    @cached_property
    def coverage(self) -> Coverage:
        from bordermap.coverage import measure

        return measure(self.config, self.mentions, self.articles)

    @cached_property
    def covered_annotations(self) -> dict[str, Annotation]:
        """The annotations, each count also given on the stretches the corpus covers
        (so it needs the mentions; :attr:`annotations` does not)."""
        from bordermap.coverage import recount

        return recount(self.annotations, self.coverage, self.config, self.claims)

    def layer(self, layer_id: str) -> Layer | Annotation:
        """The layer or annotation ``layer_id``.

        Raises
        ------
        UnknownLayerError
            (a :class:`LayerError`) if the project has no such layer; the
            message names the project file and the known ids.
        """
        if layer_id not in self.config.layer_ids:
            known = ", ".join(sorted(self.config.layer_ids))
            raise UnknownLayerError(
                f"unknown layer {layer_id!r} in {self.config.path.name} (known: {known})"
            )
        if any(a.id == layer_id for a in self.config.annotations):
            return self.annotations[layer_id]  # no geoparsing needed
        return self.layers[layer_id]


def load(
    config: ProjectConfig,
    skip_bad: bool = False,
    jobs: int = 1,
    cache: MentionCache | None = None,
    tick: Callable[[int, int], None] | None = None,
) -> Parts:
    """The parts of the project ``config`` (nothing is read until asked for).

    ``skip_bad`` leaves unreadable articles out with a warning instead of
    failing; ``jobs`` processes geoparse the corpus at once; ``cache`` keeps
    each article's mentions between runs (:mod:`bordermap.cache`); ``tick``
    is called with (articles parsed, articles) as the geoparser goes.
    """
    return Parts(config, skip_bad, jobs, cache, tick)
