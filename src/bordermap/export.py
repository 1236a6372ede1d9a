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

import datetime as dt
import json
import re
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
    # OGC KML 2.2 wants a Document's shared styles before its folders.
    for layer in layers:
        color = _kml_color(layer.color)
        out.append(
            f"<Style id={quoteattr('s-' + layer.id)}><IconStyle><color>{color}</color>"
            f"</IconStyle><LineStyle><color>{color}</color><width>3</width></LineStyle></Style>"
        )
    for ann in annotations:
        color = _kml_color(ann.config.color)
        out.append(
            f"<Style id={quoteattr('s-' + ann.config.id)}><IconStyle><color>{color}</color>"
            "<scale>0.4</scale></IconStyle></Style>"
        )
    for layer in layers:
        lid, ltitle, features = layer.id, layer.title, layer.features
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
        out.append(f"<Folder><name>{escape(c.title)}</name>")
        out.append(f"<description>{escape(ann.label + '. ' + c.claim)}</description>")
        noun = escape(c.noun[:1].upper() + c.noun[1:])
        pts = ann.points
        for i, (x, y, d) in enumerate(zip(pts.lon, pts.lat, pts.distance_m, strict=True)):
            out.append(
                f"<Placemark><name>{noun} {i + 1}</name><description>{d / 1000:.1f} km from "
                f"{escape(ann.measured_from)}</description><styleUrl>#s-{escape(c.id)}</styleUrl>"
                f"<Point><coordinates>{x:.5f},{y:.5f}</coordinates></Point></Placemark>"
            )
        out.append("</Folder>")
    out += ["</Document>", "</kml>", ""]
    return "\n".join(out).encode("utf-8")


#: GeoPackage 1.2: what GDAL 3.6 (Debian 12, QGIS LTS) and later open without a warning.
GPKG_VERSION = "1.2"

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of an ISO day, month or year (``"2020"`` → all of 2020), else None."""
    m = _DATE_RE.match(text.strip())
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    try:
        if day:
            start = end = dt.date(year, int(month), day)
        elif month:
            start = dt.date(year, month, 1)
            end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return start, end


def _period(feature: Feature) -> tuple[dt.date | None, dt.date | None]:
    bounds = [b for p in feature.provenance if (b := date_bounds(p.get("date", "")))]
    if not bounds:
        return None, None
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


def _rgb(hex_rgb: str) -> str:
    return ",".join(str(int(hex_rgb[i : i + 2], 16)) for i in (1, 3, 5)) + ",255"


_QML_SYMBOL = {
    "line": (
        '<symbol type="line" name="0" alpha="1"><layer class="SimpleLine" enabled="1">'
        '<Option type="Map"><Option name="line_color" type="QString" value="{c}"/>'
        '<Option name="line_width" type="QString" value="0.8"/></Option></layer></symbol>'
    ),
    "point": (
        '<symbol type="marker" name="0" alpha="1"><layer class="SimpleMarker" enabled="1">'
        '<Option type="Map"><Option name="color" type="QString" value="{c}"/>'
        '<Option name="name" type="QString" value="circle"/>'
        '<Option name="size" type="QString" value="2.6"/></Option></layer></symbol>'
    ),
}

_SLD_SYMBOL = {
    "line": (
        '<se:LineSymbolizer><se:Stroke><se:SvgParameter name="stroke">{c}</se:SvgParameter>'
        "</se:Stroke></se:LineSymbolizer>"
    ),
    "point": (
        "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>"
        '<se:Fill><se:SvgParameter name="fill">{c}</se:SvgParameter></se:Fill></se:Mark>'
        "<se:Size>7</se:Size></se:Graphic></se:PointSymbolizer>"
    ),
}


def _qml(kind: str, color: str) -> str:
    """A QGIS style (QML) drawing every feature in ``color``."""
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis styleCategories="Symbology"><renderer-v2 type="singleSymbol"><symbols>'
        + _QML_SYMBOL[kind].format(c=_rgb(color))
        + "</symbols></renderer-v2></qgis>"
    )


def _sld(name: str, kind: str, color: str) -> str:
    """The same style as OGC SLD 1.1, for other GIS tools."""
    return (
        '<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" '
        'xmlns:se="http://www.opengis.net/se"><NamedLayer>'
        f"<se:Name>{escape(name)}</se:Name><UserStyle><se:FeatureTypeStyle><se:Rule>"
        + _SLD_SYMBOL[kind].format(c=color)
        + "</se:Rule></se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"
    )


def write_gpkg(
    path: Path,
    layers: Sequence[Layer],
    annotations: Sequence[Annotation] = (),
) -> None:
    """One GeoPackage (version 1.2) with a table per layer and per annotation.

    Each table carries the layer's title and claim as its GeoPackage
    identifier and description, lengths as real numbers, and ``date_start`` /
    ``date_end`` (the period of the articles' dates, for QGIS's temporal
    controller); a ``layer_styles`` table gives QGIS each layer's colour.
    An empty layer is an empty table.
    """
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely.geometry import shape

    styles: list[dict[str, Any]] = []
    options = {"dataset_options": {"VERSION": GPKG_VERSION}}
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": PINNED_DATE})
    try:
        for layer in layers:
            rows = []
            for f in layer.features:
                props = f.properties(layer.id)
                props["provenance"] = provenance_json(f.provenance)
                props["date_start"], props["date_end"] = _period(f)
                props["geometry"] = shape(f.geometry)
                rows.append(props)
            columns = [*Feature.PROPERTY_NAMES, "date_start", "date_end", "geometry"]
            frame = pd.DataFrame(rows, columns=columns)
            frame["length_km"] = pd.to_numeric(frame["length_km"], errors="coerce")
            for col in ("date_start", "date_end"):
                frame[col] = pd.to_datetime(frame[col])
            gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
            kind = "line" if any(len(f.coords) > 1 for f in layer.features) else "point"
            _write(gdf, path, layer.id, layer.title, layer.config.claim, options)
            styles.append(_style(layer.id, layer.title, kind, layer.color))
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
            c = ann.config
            _write(gdf, path, c.id, c.title, f"{ann.label}. {c.claim}".strip(), options)
            styles.append(_style(c.id, c.title, "point", c.color))
        if styles:
            pyogrio.write_dataframe(
                pd.DataFrame(styles), path, layer="layer_styles", driver="GPKG",
                layer_options={"FID": "id", "IDENTIFIER": "layer_styles",
                               "DESCRIPTION": "QGIS styles of the layers"},
            )  # fmt: skip
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def _write(
    gdf: Any, path: Path, table: str, title: str, description: str, options: dict[str, Any]
) -> None:
    import pyogrio

    pyogrio.write_dataframe(
        gdf, path, layer=table, driver="GPKG",
        layer_options={"IDENTIFIER": title, "DESCRIPTION": description},
        **(options if not path.exists() else {}),
    )  # fmt: skip


def _style(table: str, title: str, kind: str, color: str) -> dict[str, Any]:
    return {
        "f_table_catalog": "",
        "f_table_schema": "",
        "f_table_name": table,
        "f_geometry_column": "geom",
        "styleName": title,
        "styleQML": _qml(kind, color),
        "styleSLD": _sld(title, kind, color),
        "useAsDefault": True,
        "description": f"bordermap: {title}",
        "owner": "",
        "ui": "",
        "update_time": PINNED_DATE,
    }
