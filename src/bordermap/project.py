"""The Python API: a project file, its corpus, layers and maps.

>>> from bordermap import Project
>>> p = Project.load("bordermap.toml")          # doctest: +SKIP
>>> p.mentions().head()                          # doctest: +SKIP
>>> p.layers()["upgrades"]                       # doctest: +SKIP
>>> p.map("index")                               # doctest: +SKIP

A façade for notebooks and scripts: the work is done by
:mod:`bordermap.pipeline` (articles, mentions, layers), :mod:`bordermap.maps`
(what each map draws), :mod:`bordermap.render` and :mod:`bordermap.build`.
Nothing in the library imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap import maps
from bordermap.config import ProjectConfig, load_config
from bordermap.pipeline import Parts, load

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

    from bordermap.articles import Article
    from bordermap.claims import Claim
    from bordermap.coverage import Coverage
    from bordermap.geoparse import Mention
    from bordermap.layers import Annotation, Feature
    from bordermap.origins import Origins
    from bordermap.render import MapSpec

__all__ = ["Project"]


class Project:
    """A loaded project: configuration, articles, mentions, layers and maps.

    ``parts`` holds the pipeline's stages (:class:`bordermap.pipeline.Parts`),
    each computed on first use.
    """

    def __init__(self, config: ProjectConfig) -> None:
        self.config = config
        self.parts: Parts = load(config)

    @classmethod
    def load(cls, path: str | Path = "bordermap.toml") -> Project:
        """Load and validate a project file.

        Raises
        ------
        ConfigError
            If the file is missing or wrong (the message names file and key).
        """
        return cls(load_config(path))

    # --- corpus -------------------------------------------------------------

    @property
    def articles(self) -> dict[str, Article]:
        """The corpus, by article id.

        Raises
        ------
        ArticleError
            On the first unreadable article (named in the message) or a
            duplicated article id.
        """
        return self.parts.articles

    def mention_list(self) -> list[Mention]:
        """Every mention of every article, in corpus order."""
        return list(self.parts.mentions)

    def mentions(self) -> pd.DataFrame:
        """The mentions as a table (one row per mention)."""
        import pandas as pd

        from bordermap.formats import MENTION_FIELDS

        return pd.DataFrame(
            [m.as_dict() for m in self.parts.mentions], columns=list(MENTION_FIELDS)
        )

    # --- claims -------------------------------------------------------------

    @property
    def claims(self) -> dict[str, Claim]:
        """The project's ``[[claims]]``, each with its sentences found in its articles, by id.

        Raises
        ------
        ConfigError
            If a quoted sentence is not in its article, or an article is unknown.
        """
        return self.parts.claims

    @property
    def origins(self) -> Origins:
        """Which report each article retells (``derived_from`` groups)."""
        return self.parts.origins

    # --- layers -------------------------------------------------------------

    @cached_property
    def features(self) -> dict[str, list[Feature]]:
        """Each layer's features, by layer id (annotations excluded)."""
        return {lid: layer.features for lid, layer in self.parts.layers.items()}

    @property
    def annotations(self) -> dict[str, Annotation]:
        """Each annotation (the claimed cameras), by id."""
        return self.parts.annotations

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every layer and annotation as a GeoDataFrame (EPSG:4326), by id."""
        out = {lid: layer.frame() for lid, layer in self.parts.layers.items()}
        return out | {aid: ann.frame() for aid, ann in self.parts.annotations.items()}

    @property
    def coverage(self) -> Coverage:
        """What the corpus does not cover: stretches of the lines with no named place
        near, gaps in its dates (``.summary()`` as the maps say it)."""
        return self.parts.coverage

    # --- maps ---------------------------------------------------------------

    def map_ids(self) -> list[str]:
        """The maps a build writes: the configured ones, then one per layer."""
        return maps.map_ids(self.config)

    def spec(self, name: str, tiles: str | None = None) -> MapSpec:
        """What map ``name`` (a map id or a layer id) draws.

        ``tiles`` overrides the project's basemap tiles ("none" for none).

        Raises
        ------
        LayerError
            If ``name`` is neither.
        """
        return maps.spec(self.parts, name, tiles)

    def source_line(self, article_ids: list[str]) -> str:
        """ "Sources: 000 Title (Outlet, date); …" for the articles a map draws on."""
        return maps.source_line(self.articles, article_ids)

    def map(self, name: str = "index", tiles: str | None = None) -> folium.Map:
        """Map ``name`` as a folium.Map (for notebooks: it displays inline)."""
        from bordermap.render import build_map

        return build_map(self.spec(name, tiles))

    def html(self, name: str = "index", tiles: str | None = None) -> str:
        """Map ``name`` as one self-contained HTML page."""
        from bordermap.render import render

        return render(self.spec(name, tiles))

    # --- build --------------------------------------------------------------

    def build(
        self,
        out: Path | None = None,
        tiles: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> dict[str, Any]:
        """Write every map and export into ``out`` (default: the project's output).

        Returns the manifest. See :func:`bordermap.build.build`.
        """
        from bordermap.build import build

        return build(self.parts, out or self.config.output, tiles=tiles, progress=progress)
