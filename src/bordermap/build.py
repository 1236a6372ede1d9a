"""``bordermap build``: every map and export of a project, written atomically.

Outputs (relative to the output folder)::

    index.html, <layer>.html        self-contained Leaflet maps
    layers/<layer>.geojson          RFC 7946, one file per layer and annotation
    bordermap.gpkg                  one table per layer and annotation
    bordermap.kml                   for Google Earth
    mentions.csv                    every mention of every article
    manifest.json                   counts, lengths, sizes and sha256 of the above

Everything is staged in a hidden folder and moved into place only when all of
it was written, so a failed build leaves the folder as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.export import (
    annotation_collection,
    feature_collection,
    geojson_bytes,
    kml_bytes,
    write_gpkg,
)
from bordermap.files import manifest_bytes, staged
from bordermap.formats import write_mentions

if TYPE_CHECKING:
    from bordermap.project import Project

__all__ = ["build"]


def _geometry_type(features: list[Any]) -> str:
    kinds = sorted({"Point" if len(f.coords) == 1 else "LineString" for f in features})
    return "/".join(kinds) if kinds else "none"


def build(
    project: Project,
    out: Path,
    tiles: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Write all maps and exports of ``project`` into ``out``; return the manifest.

    Raises
    ------
    BordermapError
        If an article or the project file is bad; nothing is written then.
    """
    say = progress or (lambda _step: None)
    cfg = project.config
    say("reading articles")
    articles = project.articles
    say("finding places")
    mentions = project.mention_list()
    say("computing layers")
    features = project.features
    annotations = project.annotations

    manifest: dict[str, Any] = {
        "project": cfg.title,
        "articles": [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "date": a.date}
            for a in articles.values()
        ],
        "mentions": len(mentions),
        "layers": {},
        "annotations": {},
        "maps": [],
        "files": [],
    }
    layer_cfg = {x.id: x for x in cfg.layers}
    with staged(out) as stage:
        for lid, feats in features.items():
            lengths = [f.length_km for f in feats if f.length_km is not None]
            manifest["layers"][lid] = {
                "title": layer_cfg[lid].title,
                "features": len(feats),
                "geometry": _geometry_type(feats),
                "length_km": round(sum(lengths), 1) if lengths else None,
            }
            stage.write(f"layers/{lid}.geojson", geojson_bytes(feature_collection(lid, feats)))
        for aid, ann in annotations.items():
            manifest["annotations"][aid] = {
                "title": ann.config.title,
                "label": ann.label,
                "count": ann.count,
                "spacing_m": ann.config.spacing_m,
                "offset_m": ann.config.offset_m,
                "line": ann.config.line,
                "length_km": round(ann.length_km, 1),
                "share_on_claimed_side": round(ann.share_on_side, 4),
            }
            stage.write(f"layers/{aid}.geojson", geojson_bytes(annotation_collection(ann)))
        say("writing GeoPackage, KML and CSV")
        write_gpkg(
            stage.path("bordermap.gpkg"),
            list(features.items()),
            list(annotations.values()),
        )
        stage.write(
            "bordermap.kml",
            kml_bytes(
                cfg.title,
                [
                    (lid, layer_cfg[lid].title, layer_cfg[lid].color, f)
                    for lid, f in features.items()
                ],
                list(annotations.values()),
            ),
        )
        buf = io.StringIO()
        write_mentions([(a, [m for m in mentions if m.article == a.id]) for a in articles.values()],
                       "csv", buf)  # fmt: skip
        stage.write("mentions.csv", buf.getvalue().encode("utf-8"))
        for name in project.map_ids():
            say(f"drawing map {name}")
            stage.write(f"{name}.html", project.html(name, tiles).encode("utf-8"))
            manifest["maps"].append(f"{name}.html")
        manifest["files"] = list(stage.entries())
        stage.write("manifest.json", manifest_bytes(manifest))
    return manifest
