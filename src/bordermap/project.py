"""The Python API: a project file, its corpus, layers and maps.

>>> from bordermap import Project
>>> p = Project.load("bordermap.toml")          # doctest: +SKIP
>>> p.mentions().head()                          # doctest: +SKIP
>>> p.layers()["upgrades"]                       # doctest: +SKIP
>>> p.map("index")                               # doctest: +SKIP

The CLI's ``bordermap build`` calls :meth:`Project.build`; notebooks and tests
use the same objects.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.articles import Article, iter_articles
from bordermap.config import ProjectConfig, load_config
from bordermap.errors import ArticleError, LayerError
from bordermap.layers import (
    Annotation,
    Feature,
    annotation,
    border_layer,
    context_exclusions,
    mention_layer,
    select,
)
from bordermap.region import ATTRIBUTION

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

    from bordermap.geoparse import Mention
    from bordermap.render import MapSpec

__all__ = ["Project"]


class Project:
    """A loaded project: configuration, articles, mentions, layers and maps."""

    def __init__(self, config: ProjectConfig) -> None:
        self.config = config

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

    @cached_property
    def articles(self) -> dict[str, Article]:
        """The corpus, by article id.

        Raises
        ------
        ArticleError
            On the first unreadable article (named in the message) or a
            duplicated article id.
        """
        out: dict[str, Article] = {}
        for item in iter_articles(self.config.corpus):
            if isinstance(item, ArticleError):
                raise item
            if item.id in out:
                raise ArticleError(
                    f"{item.path}: article id {item.id!r} is also used by {out[item.id].path}"
                )
            out[item.id] = item
        return out

    @cached_property
    def _mentions(self) -> list[Mention]:
        from bordermap.gazetteer import load_gazetteer
        from bordermap.geoparse import extract

        gaz = load_gazetteer()
        return [m for a in self.articles.values() for m in extract(a, gaz)]

    def mention_list(self) -> list[Mention]:
        """Every mention of every article, in corpus order."""
        return list(self._mentions)

    def mentions(self) -> pd.DataFrame:
        """The mentions as a table (one row per mention)."""
        import pandas as pd

        from bordermap.formats import MENTION_FIELDS

        return pd.DataFrame([m.as_dict() for m in self._mentions], columns=list(MENTION_FIELDS))

    # --- layers -------------------------------------------------------------

    @cached_property
    def features(self) -> dict[str, list[Feature]]:
        """Each layer's features, by layer id (annotations excluded)."""
        selected: dict[str, list[Mention]] = {}
        for layer in self.config.layers:
            if layer.source == "mentions" and not layer.rest:
                selected[layer.id] = select(self._mentions, layer)
        taken = context_exclusions(self.config, selected)
        out: dict[str, list[Feature]] = {}
        for layer in self.config.layers:
            if layer.source == "border":
                out[layer.id] = border_layer(layer)
                continue
            if layer.rest:
                w, s, e, n = self.config.focus
                chosen = [
                    m
                    for m in select(self._mentions, layer)
                    if m.ref not in taken
                    and (
                        not layer.within_focus
                        or (w <= (m.lon or 0) <= e and s <= (m.lat or 0) <= n)
                    )
                ]
            else:
                chosen = selected[layer.id]
            out[layer.id] = mention_layer(chosen, layer, self.articles)
        return out

    def _in_focus(self, m: Mention) -> bool:
        w, s, e, n = self.config.focus
        return w <= (m.lon or 0.0) <= e and s <= (m.lat or 0.0) <= n

    @cached_property
    def annotations(self) -> dict[str, Annotation]:
        """Each annotation (the claimed cameras), by id."""
        return {a.id: annotation(a, self.articles) for a in self.config.annotations}

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every layer and annotation as a GeoDataFrame (EPSG:4326), by id."""

        from bordermap.export import annotation_collection, feature_collection

        out: dict[str, gpd.GeoDataFrame] = {}
        for lid, feats in self.features.items():
            fc = feature_collection(lid, feats)
            out[lid] = _frame(fc)
        for aid, ann in self.annotations.items():
            out[aid] = _frame(annotation_collection(ann))
        return out

    # --- maps ---------------------------------------------------------------

    def map_ids(self) -> list[str]:
        """The maps a build writes: the configured ones, then one per layer."""
        ids = [m.id for m in self.config.maps]
        return ids + [lid for lid in self.config.layer_ids if lid not in ids]

    def spec(self, name: str, tiles: str | None = None) -> MapSpec:
        """What map ``name`` (a map id or a layer id) draws.

        ``tiles`` overrides the project's basemap tiles ("none" for none).

        Raises
        ------
        LayerError
            If ``name`` is neither.
        """
        from bordermap.export import feature_collection
        from bordermap.geometry import countries
        from bordermap.render import CameraAnnotation, MapLayer, MapSpec

        cfg = self.config
        maps = {m.id: m for m in cfg.maps}
        if name in maps:
            title, ids = maps[name].title, list(maps[name].layers)
        elif name in cfg.layer_ids:
            title = f"{cfg.title_of(name)} · {cfg.title}"
            ids = [name] if name == "border" or "border" not in cfg.layer_ids else ["border", name]
        else:
            known = ", ".join(self.map_ids())
            raise LayerError(f"{cfg.path.name}: no map or layer {name!r} (known: {known})")
        layer_cfg = {x.id: x for x in cfg.layers}
        layers, anns, used_articles = [], [], set()
        for lid in ids:
            if lid in layer_cfg:
                feats = self.features[lid]
                for f in feats:
                    used_articles |= {p["article"] for p in f.provenance if p["article"]}
                lc = layer_cfg[lid]
                layers.append(MapLayer(lid, lc.title, lc.color, feature_collection(lid, feats)))
            else:
                ann = self.annotations[lid]
                c = ann.config
                used_articles |= set(c.articles)
                pts = ann.points
                anns.append(
                    CameraAnnotation(
                        layer_id=c.id,
                        title=c.title,
                        label=ann.label,
                        color=c.color,
                        line=list(ann.line),
                        points=[
                            (round(float(x), 5), round(float(y), 5), round(float(d), 1))
                            for x, y, d in zip(pts.lon, pts.lat, pts.distance_m, strict=True)
                        ],
                        provenance=[dict(p) for p in ann.provenance],
                    )
                )
        tiles_value = cfg.tiles if tiles is None else tiles
        return MapSpec(
            title=title,
            subtitle=self.source_line(sorted(used_articles)),
            layers=layers,
            annotations=anns,
            basemap=countries(),
            bounds=cfg.focus,
            tiles=None if tiles_value == "none" else tiles_value,
            attribution=ATTRIBUTION
            + (
                f" · Articles: {', '.join(sorted(used_articles))} (see Sources)"
                if used_articles
                else ""
            ),
        )

    def source_line(self, article_ids: list[str]) -> str:
        """ "Sources: 000 Title (Outlet, date); …" for the articles a map draws on."""
        parts = []
        for aid in article_ids:
            a = self.articles.get(aid)
            if a is None:
                continue
            bits = ", ".join(x for x in (a.outlet, a.date) if x and not x.startswith("unknown"))
            parts.append(f"{aid} {a.title}" + (f" ({bits})" if bits else ""))
        return "Sources: " + "; ".join(parts) if parts else ""

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

        return build(self, out or self.config.output, tiles=tiles, progress=progress)


def _frame(fc: dict[str, Any]) -> gpd.GeoDataFrame:
    import geopandas as gpd

    if not fc["features"]:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
    gdf = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")
    return gdf
