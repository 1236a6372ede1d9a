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

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from bordermap.claims import Claim
from bordermap.layers import Annotation, Feature, Layer, provenance_json

__all__ = [
    "claims_csv",
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
    c = feature.claim_props
    if c.get("claims"):
        bits = [f"Claims: {c['claims']} ({c['status']})", c.get("sources", ""),
                f"period {c['period']}" if c.get("period_start") else ""]  # fmt: skip
        parts.append(" · ".join(b for b in bits if b))
        if c.get("contests"):
            parts.append(f"Contested: see claims {c['contests']}")
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
            out.append(_kml_time(f.claim_props))
            out.append(f"<styleUrl>#s-{escape(lid)}</styleUrl>")
            out.append(_kml_data(f.properties(lid)))
            out.append(_kml_geometry(f.geometry))
            out.append("</Placemark>")
        out.append("</Folder>")
    for ann in annotations:
        c = ann.config
        out.append(f"<Folder><name>{escape(c.title)}</name>")
        out.append(f"<description>{escape(ann.label + '. ' + c.claim)}</description>")
        out.append(_kml_data(ann.claim_props))
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


def _kml_coords(coords: Sequence[Sequence[float]]) -> str:
    return " ".join(f"{c[0]:.5f},{c[1]:.5f}" for c in coords)


def _kml_geometry(geometry: dict[str, Any]) -> str:
    """A Point, LineString, or a MultiGeometry of Polygons (a country's outline)."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return f"<Point><coordinates>{_kml_coords([coords])}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><coordinates>{_kml_coords(coords)}</coordinates></LineString>"
    polys = coords if kind == "MultiPolygon" else [coords]
    out = ["<MultiGeometry>"]
    for rings in polys:
        out.append("<Polygon>")
        for i, ring in enumerate(rings):
            tag = "outerBoundaryIs" if i == 0 else "innerBoundaryIs"
            out.append(f"<{tag}><LinearRing><coordinates>{_kml_coords(ring)}</coordinates>"
                       f"</LinearRing></{tag}>")  # fmt: skip
        out.append("</Polygon>")
    out.append("</MultiGeometry>")
    return "".join(out)


def _kml_time(props: dict[str, Any]) -> str:
    """The period a feature's claims describe, as a KML TimeSpan (for Google Earth's slider)."""
    start, end = props.get("period_start", ""), props.get("period_end", "")
    if not start:
        return ""
    return f"<TimeSpan><begin>{start}</begin><end>{end}</end></TimeSpan>"


def _kml_data(props: dict[str, Any]) -> str:
    """Every scalar property as KML ExtendedData (claim ids, origins, period, precision …)."""
    items = []
    for key, value in props.items():
        if key == "provenance" or value is None or value == "":
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        items.append(f"<Data name={quoteattr(key)}><value>{escape(text)}</value></Data>")
    return f"<ExtendedData>{''.join(items)}</ExtendedData>" if items else ""


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


#: GeoJSON geometry type -> the family a style draws it as (QGIS's geometry_type() names).
_FAMILY = {"Point": "point", "MultiPoint": "point", "LineString": "line",
           "MultiLineString": "line", "Polygon": "polygon", "MultiPolygon": "polygon"}  # fmt: skip
#: QGIS's name of each family, for a mixed table's rule filters.
_QGIS_TYPE = {"point": "Point", "line": "Line", "polygon": "Polygon"}
#: Each family's topological dimension (SLD's ``dimension()`` of a geometry).
_DIMENSION = {"point": 0, "line": 1, "polygon": 2}

_QML_SYMBOL = {
    "line": (
        '<symbol type="line" name="{n}" alpha="1"><layer class="SimpleLine" enabled="1">'
        '<Option type="Map"><Option name="line_color" type="QString" value="{c}"/>'
        '<Option name="line_width" type="QString" value="0.8"/></Option></layer></symbol>'
    ),
    "point": (
        '<symbol type="marker" name="{n}" alpha="1"><layer class="SimpleMarker" enabled="1">'
        '<Option type="Map"><Option name="color" type="QString" value="{c}"/>'
        '<Option name="name" type="QString" value="circle"/>'
        '<Option name="size" type="QString" value="2.6"/></Option></layer></symbol>'
    ),
    # An outline drawn as the page draws it: the colour's line over a light fill.
    "polygon": (
        '<symbol type="fill" name="{n}" alpha="1"><layer class="SimpleFill" enabled="1">'
        '<Option type="Map"><Option name="color" type="QString" value="{f}"/>'
        '<Option name="style" type="QString" value="solid"/>'
        '<Option name="outline_color" type="QString" value="{c}"/>'
        '<Option name="outline_width" type="QString" value="0.6"/></Option></layer></symbol>'
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
    "polygon": (
        '<se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">{c}</se:SvgParameter>'
        '<se:SvgParameter name="fill-opacity">0.25</se:SvgParameter></se:Fill><se:Stroke>'
        '<se:SvgParameter name="stroke">{c}</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
    ),
}


def _families(geometry_types: Sequence[str]) -> tuple[str, ...]:
    """The style families (``"point"``, ``"line"``, ``"polygon"``) of a table's geometry
    types, in that order; an empty table is styled as points."""
    found = {_FAMILY[t] for t in geometry_types}
    return tuple(f for f in _DIMENSION if f in found) or ("point",)


def _qml(kinds: Sequence[str], color: str) -> str:
    """A QGIS style (QML) drawing every feature in ``color``: one symbol of the table's
    geometry family, or for a table of several families a rule per family (QGIS opens
    such a table as one sublayer per geometry type, each taking the rule of its own)."""
    rgb = _rgb(color)
    fill = rgb.rsplit(",", 1)[0] + ",64"
    symbols = "".join(_QML_SYMBOL[k].format(n=i, c=rgb, f=fill) for i, k in enumerate(kinds))
    if len(kinds) == 1:
        renderer = f'<renderer-v2 type="singleSymbol"><symbols>{symbols}</symbols>'
    else:
        rules = "".join(
            f'<rule key="{k}" symbol="{i}" label="{k}" '
            f"filter=\"geometry_type(@geometry) = '{_QGIS_TYPE[k]}'\"/>"
            for i, k in enumerate(kinds)
        )
        renderer = (
            f'<renderer-v2 type="RuleRenderer"><rules key="root">{rules}</rules>'
            f"<symbols>{symbols}</symbols>"
        )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        f'<qgis styleCategories="Symbology">{renderer}</renderer-v2></qgis>'
    )


def _sld(name: str, kinds: Sequence[str], color: str) -> str:
    """The same style as OGC SLD 1.1, for other GIS tools (a rule per family, filtered
    by the geometry's dimension, when the table holds several)."""
    if len(kinds) == 1:
        rules = f"<se:Rule>{_SLD_SYMBOL[kinds[0]].format(c=color)}</se:Rule>"
    else:
        rules = "".join(
            f"<se:Rule><se:Name>{k}</se:Name><ogc:Filter><ogc:PropertyIsEqualTo>"
            '<ogc:Function name="dimension"><ogc:PropertyName>geom</ogc:PropertyName>'
            f"</ogc:Function><ogc:Literal>{_DIMENSION[k]}</ogc:Literal>"
            f"</ogc:PropertyIsEqualTo></ogc:Filter>{_SLD_SYMBOL[k].format(c=color)}</se:Rule>"
            for k in kinds
        )
    return (
        '<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" '
        'xmlns:se="http://www.opengis.net/se" xmlns:ogc="http://www.opengis.net/ogc">'
        f"<NamedLayer><se:Name>{escape(name)}</se:Name><UserStyle><se:FeatureTypeStyle>"
        f"{rules}</se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"
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
            names = layer.features[0].PROPERTY_NAMES if layer.features else Feature.PROPERTY_NAMES
            columns = [*names, "date_start", "date_end", "geometry"]
            frame = pd.DataFrame(rows, columns=columns)
            frame["length_km"] = pd.to_numeric(frame["length_km"], errors="coerce")
            for col in ("date_start", "date_end"):
                frame[col] = pd.to_datetime(frame[col])
            gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
            # The style follows the geometry written: points, lines, outlines, or a mix.
            kinds = _families([f.geometry["type"] for f in layer.features])
            _write(gdf, path, layer.id, layer.title, layer.config.claim, options)
            styles.append(_style(layer.id, layer.title, kinds, layer.color))
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
            count = ann.claim_props.get("count", "")
            about = f"{ann.label}. {c.claim}".strip() + (f" Count: {count}." if count else "")
            _write(gdf, path, c.id, c.title, about, options)
            styles.append(_style(c.id, c.title, ("point",), c.color))
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


def _style(table: str, title: str, kinds: Sequence[str], color: str) -> dict[str, Any]:
    return {
        "f_table_catalog": "",
        "f_table_schema": "",
        "f_table_name": table,
        "f_geometry_column": "geom",
        "styleName": title,
        "styleQML": _qml(kinds, color),
        "styleSLD": _sld(title, kinds, color),
        "useAsDefault": True,
        "description": f"bordermap: {title}",
        "owner": "",
        "ui": "",
        "update_time": PINNED_DATE,
    }


#: The columns of ``claims.csv``, one row per claim.
CLAIM_COLUMNS = ("id", "text", "layers", "status", "contested", "contests", "narrows",
                 "narrowed_by", "asserted_by", "asserter", "reliability", "credibility", "scope",
                 "period", "period_start", "period_end", "period_precision", "line", "places",
                 "articles", "origins", "sources", "sentences", "features", "count")  # fmt: skip


def claims_csv(
    claims: dict[str, Claim], layers: Sequence[Layer], annotations: Sequence[Annotation] = ()
) -> bytes:
    """Every claim of the project as one CSV row (UTF-8, RFC 4180, ``\\n`` line ends).

    ``sentences`` gives each source as ``article:start-end "sentence"`` (offsets into
    the article's body), separated by `` | ``; ``features`` counts what the map draws
    for the claim; ``count`` is an annotation's count with its assumption.
    """
    drawn: dict[str, list[str]] = {}
    features: dict[str, int] = {}
    counts: dict[str, str] = {}
    for layer in layers:
        for f in layer.features:
            for cid in filter(None, f.claim_props.get("claims", "").split(",")):
                features[cid] = features.get(cid, 0) + 1
                drawn.setdefault(cid, [])
                if layer.id not in drawn[cid]:
                    drawn[cid].append(layer.id)
    for ann in annotations:
        for cid in filter(None, ann.claim_props.get("claims", "").split(",")):
            features[cid] = features.get(cid, 0) + ann.count
            drawn.setdefault(cid, []).append(ann.id)
            counts[cid] = ann.claim_props.get("count", "")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for claim in claims.values():
        c = claim.config
        sentences = " | ".join(
            f'{s.article}:{s.start}-{s.end} "{s.sentence}"' if s.start >= 0 else s.article
            for s in claim.sources
        )
        period = c.period.as_dict()
        writer.writerow([
            c.id, c.text, ",".join(drawn.get(c.id, [])), c.status, str(claim.contested).lower(),
            ",".join(claim.rivals), ",".join(c.narrows), ",".join(claim.narrowed_by),
            c.asserted_by, c.asserter, c.reliability, c.credibility or "", c.scope,
            period["period"], period["period_start"], period["period_end"],
            period["period_precision"], c.line, ",".join(c.places), ",".join(c.articles),
            ",".join(claim.origins), claim.counted, sentences, features.get(c.id, 0),
            counts.get(c.id, ""),
        ])  # fmt: skip
    return buf.getvalue().encode("utf-8")
