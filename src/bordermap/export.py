"""Open-format outputs beside the maps: GeoJSON, GeoPackage and KML of layers.

Each writer takes :class:`~bordermap.layers.Layer` and
:class:`~bordermap.layers.Annotation` objects (their GeoJSON comes from
:meth:`~bordermap.layers.Layer.geojson`); mentions are written by
:mod:`bordermap.formats`, the manifest by :mod:`bordermap.files`.

Every writer is deterministic: keys sorted, coordinates rounded to 5
decimals (about 1 m), no timestamps (GeoPackage's ``last_change`` is pinned
through GDAL's ``OGR_CURRENT_DATE``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from bordermap.layers import Annotation, Feature, Layer, provenance_json

__all__ = [
    "geojson_bytes",
    "kml_bytes",
    "write_gpkg",
]

PINNED_DATE = "2000-01-01T00:00:00Z"


def geojson_bytes(collection: dict[str, Any]) -> bytes:
    """Serialise with sorted keys, one feature a line (small diffs, stable bytes)."""
    feats = collection["features"]
    head = '{"type": "FeatureCollection", "features": [\n'
    body = ",\n".join(json.dumps(f, ensure_ascii=False, sort_keys=True) for f in feats)
    return (head + body + ("\n" if feats else "") + "]}\n").encode("utf-8")


def _kml_color(hex_rgb: str) -> str:
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"ff{b}{g}{r}".lower()  # KML is aabbggrr


def _description(feature: Feature) -> str:
    parts = []
    if feature.length_km is not None:
        parts.append(f"Length: {feature.length_km:,.1f} km")
    if feature.note:
        parts.append(feature.note)
    for p in feature.provenance:
        src = " · ".join(x for x in (p["article"], p["title"], p["outlet"], p["date"]) if x)
        parts.append(f"{src}: {p['claim']}")
    return "\n".join(parts)


def kml_bytes(
    title: str,
    layers: Sequence[Layer],
    annotations: Sequence[Annotation] = (),
) -> bytes:
    """A KML document for Google Earth named ``title``: one folder per layer and annotation.

    Every text is XML-escaped; descriptions are plain text, never HTML.
    """
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2">',
        "<Document>",
        f"<name>{escape(title)}</name>",
    ]
    for layer in layers:
        lid, ltitle, color, features = layer.id, layer.title, layer.color, layer.features
        out.append(f"<Style id={quoteattr('s-' + lid)}><IconStyle><color>{_kml_color(color)}"
                   f"</color></IconStyle><LineStyle><color>{_kml_color(color)}</color>"
                   "<width>3</width></LineStyle></Style>")  # fmt: skip
        out.append(f"<Folder><name>{escape(ltitle)}</name>")
        for f in features:
            out.append("<Placemark>")
            out.append(f"<name>{escape(f.name)}</name>")
            out.append(f"<description>{escape(_description(f))}</description>")
            out.append(f"<styleUrl>#s-{escape(lid)}</styleUrl>")
            coords = " ".join(f"{x:.5f},{y:.5f}" for x, y in f.coords)
            if len(f.coords) == 1:
                out.append(f"<Point><coordinates>{coords}</coordinates></Point>")
            else:
                out.append(f"<LineString><coordinates>{coords}</coordinates></LineString>")
            out.append("</Placemark>")
        out.append("</Folder>")
    for ann in annotations:
        c = ann.config
        out.append(f"<Style id={quoteattr('s-' + c.id)}><IconStyle><color>{_kml_color(c.color)}"
                   "</color><scale>0.4</scale></IconStyle></Style>")  # fmt: skip
        out.append(f"<Folder><name>{escape(c.title)}</name>")
        out.append(f"<description>{escape(ann.label + '. ' + c.claim)}</description>")
        pts = ann.points
        for i, (x, y, d) in enumerate(zip(pts.lon, pts.lat, pts.distance_m, strict=True)):
            out.append(
                f"<Placemark><name>Camera {i + 1}</name><description>{d / 1000:.1f} km from "
                f"the river mouth</description><styleUrl>#s-{escape(c.id)}</styleUrl>"
                f"<Point><coordinates>{x:.5f},{y:.5f}</coordinates></Point></Placemark>"
            )
        out.append("</Folder>")
    out += ["</Document>", "</kml>", ""]
    return "\n".join(out).encode("utf-8")


def write_gpkg(
    path: Path,
    layers: Sequence[Layer],
    annotations: Sequence[Annotation] = (),
) -> None:
    """One GeoPackage with a table per layer (and per annotation)."""
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import shape

    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": PINNED_DATE})
    try:
        for layer in layers:
            rows = []
            for f in layer.features:
                props = f.properties(layer.id)
                props["provenance"] = provenance_json(f.provenance)
                props["geometry"] = shape(f.geometry)
                rows.append(props)
            gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
            gdf.to_file(path, layer=layer.id, driver="GPKG", engine="pyogrio")
        for ann in annotations:
            pts = ann.points
            gdf = gpd.GeoDataFrame(
                {
                    "number": range(1, len(pts) + 1),
                    "distance_m": pts.distance_m.round(1),
                },
                geometry=gpd.points_from_xy(pts.lon.round(5), pts.lat.round(5)),
                crs="EPSG:4326",
            )
            gdf.to_file(path, layer=ann.config.id, driver="GPKG", engine="pyogrio")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
