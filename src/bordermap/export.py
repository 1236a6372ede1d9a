"""Open-format outputs beside the maps: GeoJSON, GeoPackage and KML of layers.

Each writer takes :class:`~bordermap.layers.Layer` and
:class:`~bordermap.layers.Annotation` objects (their GeoJSON comes from
:meth:`~bordermap.layers.Layer.geojson`); mentions are written by
:mod:`bordermap.formats`, the manifest by :mod:`bordermap.files`.

Provenance is kept whole but by reference (:mod:`bordermap.provenance`):
each entry names its article and its sentence by id, and the articles and
sentences are written once (``articles.csv`` beside the files, the
``articles`` and ``sentences`` tables in the GeoPackage, which holds every
sentence ``mentions.csv`` names).  The GeoPackage keeps the entries by id,
and a view joins them back into one row per feature and article, whole, for
QGIS and GDAL (:mod:`bordermap.gpkg_provenance`); a layer's GeoJSON gives
each feature its counts and its articles' ids and says where the entries are
(``article_provenance``); the KML, for Google Earth's balloons, gives each
place its counts and at most
:data:`KML_QUOTES` of its sentences.

Every writer is deterministic: keys sorted, coordinates rounded to 5
decimals (about 1 m), no timestamps (GeoPackage's ``last_change`` is pinned
through GDAL's ``OGR_CURRENT_DATE``).
"""

from __future__ import annotations

import csv
import io
import json
import operator
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bordermap.claims import Claim
from bordermap.gpkg_provenance import (
    ENTRY_COLUMNS,
    FEATURE_COLUMNS,
    PROVENANCE_COLUMNS,
    provenance_tables,
    register_view,
    table_names,
)
from bordermap.kml import KML_QUOTES, kml_bytes
from bordermap.layers import Annotation, Feature, Layer
from bordermap.provenance import (
    ARTICLE_COLUMNS,
    SENTENCE_COLUMNS,
    References,
    counts,
    entry_claim,
)

__all__ = [
    "ARTICLE_PROVENANCE",
    "claims_csv",
    "geojson_bytes",
    "kml_bytes",
    "KML_QUOTES",
    "layer_collection",
    "table_csv",
    "write_gpkg",
    "PROVENANCE_COLUMNS",
]

PINNED_DATE = "2000-01-01T00:00:00Z"


def geojson_bytes(collection: dict[str, Any]) -> bytes:
    """Serialise with sorted keys, one feature a line (small diffs, stable bytes), with
    no space after the separators (a seventh of a point layer's bytes).

    Members beside ``type`` and ``features`` (a layer's ``title`` and ``claim``)
    come first, in key order.
    """
    feats = collection["features"]
    members = "".join(
        f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False, sort_keys=True, separators=_TIGHT)},"
        for k, v in sorted(collection.items())
        if k not in ("type", "features")
    )
    head = '{"type":"FeatureCollection",' + members + '"features":[\n'
    body = ",\n".join(
        json.dumps(f, ensure_ascii=False, sort_keys=True, separators=_TIGHT) for f in feats
    )
    return (head + body + ("\n" if feats else "") + "]}\n").encode("utf-8")


_TIGHT = (",", ":")


#: Where a layer's GeoJSON says its per-article provenance is (its ``article_provenance``).
ARTICLE_PROVENANCE = (
    "One row per feature and article in bordermap.gpkg's view provenance (layer = {layer}, "
    "feature = the feature's id), with its article and sentence; every mention in "
    "mentions.csv (place_id -> places.csv, whose ref is the feature's id)."
)


def layer_collection(layer: Layer, refs: References) -> dict[str, Any]:
    """A layer's FeatureCollection with its ``title``, ``claim`` and ``article_provenance``
    (where the entries of each article are: :data:`ARTICLE_PROVENANCE`) as members.

    A feature carries its counts (``mentions``, and ``articles``: the ids of the articles
    that name it) instead of an entry per article; its ``provenance`` keeps only the entries
    that cite no article (a line's data source), by reference.
    """
    features = []
    for f in layer.features:
        props = f.properties(layer.id)
        own = [e for e in f.provenance if not e.get("article")]
        props["provenance"] = refs.entries(own, entry_claim(layer.config.claim, f.note))
        props["mentions"] = counts(f.provenance)[0]
        features.append({"type": "Feature", "geometry": f.geometry, "properties": props})
    return {"type": "FeatureCollection", "title": layer.title, "claim": layer.config.claim,
            "article_provenance": ARTICLE_PROVENANCE.format(layer=layer.id),
            "features": features}  # fmt: skip


def annotation_collection(ann: Annotation) -> dict[str, Any]:
    """An annotation's points as a FeatureCollection with, as members, its ``title``,
    ``claim``, ``label`` (the count as the map states it: a range when a claim narrows or
    contests it), ``count``, ``spacing_m``, ``line`` and the ``articles`` that claim it."""
    return {"type": "FeatureCollection", "title": ann.title, "claim": ann.config.claim,
            "label": ann.label, "count": ann.count, "spacing_m": ann.config.spacing_m,
            "line": ann.config.line, "articles": list(ann.config.articles),
            "features": ann.geojson()["features"]}  # fmt: skip


def table_csv(columns: Sequence[str] | None, rows: Sequence[Sequence[Any]]) -> bytes:
    """A CSV file (UTF-8, RFC 4180, ``\\n`` line ends) of ``rows`` under ``columns``
    (``None``: rows only, to continue a file)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if columns is not None:
        writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


#: GeoPackage 1.2: what GDAL 3.6 (Debian 12, QGIS LTS) and later open without a warning.
GPKG_VERSION = "1.2"


def article_periods(articles: Mapping[str, Mapping[str, str]]) -> dict[str, tuple[str, str]]:
    """Each article's known period, ``(first day, last day)`` as ISO days, by article id.

    ``articles`` is the articles table (:func:`~bordermap.provenance.article_rows`), whose
    ``period_start``/``period_end`` are the article's :attr:`~bordermap.articles.Article.period`
    (its front matter date, parsed and checked when it was read: "March 3, 2021",
    "mid-2022"); an article whose date is unknown is left out.
    """
    return {
        aid: (row["period_start"], row.get("period_end") or row["period_start"])
        for aid, row in articles.items()
        if row.get("period_start")
    }


def feature_period(
    feature: Feature, periods: Mapping[str, tuple[str, str]]
) -> tuple[str | None, str | None]:
    """The first and last day (ISO) of the periods of the articles ``feature``'s provenance
    cites (``periods``: :func:`article_periods`): the earliest start and the latest end,
    ``None, None`` when no cited article's date is known.  An entry costs a look-up, never
    a parse (ISO days compare as the days do)."""
    known = list(filter(None, map(periods.get, map(_ARTICLE, feature.provenance))))
    if not known:
        return None, None
    starts, ends = zip(*known, strict=True)
    return min(starts), max(ends)


#: An entry's article id (a line's source has ``""``), read in C: a build has 219,000 entries
#: at 10,000 articles.
_ARTICLE = operator.itemgetter("article")


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


def _attributes(
    path: Path, data: dict[str, list[Any]], columns: Sequence[str], table: str, about: str,
    ints: Sequence[str] = (), options: dict[str, Any] | None = None, key: str | None = None,
    arrow: bool = False,
) -> None:  # fmt: skip
    """An attribute table (no geometry): ``data`` (a list of values per column, the same
    length each; a column it lacks is NULL) under ``columns``; ``ints`` may be NULL;
    ``key``, an integer column, is the table's primary key (its FID) instead of a ``fid``;
    ``arrow``: written through Arrow (:func:`can_write_arrow`)."""
    import pyogrio

    frame = _frame(data, columns, ints)
    pyogrio.write_dataframe(
        frame, path, layer=table, driver="GPKG", use_arrow=arrow and len(frame) > 0,
        layer_options={"IDENTIFIER": table, "DESCRIPTION": about, **({"FID": key} if key else {})},
        **(options or {} if not path.exists() else {}),
    )  # fmt: skip


def _frame(data: dict[str, list[Any]], columns: Sequence[str], ints: Sequence[str]) -> Any:
    """``data`` as the DataFrame of an attribute table (see :func:`_attributes`): each
    column of ``ints`` as nullable integers, every other as text."""
    import pandas as pd

    n = len(next(iter(data.values()))) if data else 0
    frame = pd.DataFrame({c: data.get(c, [None] * n) for c in columns}, columns=list(columns))
    for col in frame.columns:  # text unless said otherwise, even where every value is NULL
        frame[col] = frame[col].astype("Int64" if col in ints else "string")
    return frame


def _columns(rows: Sequence[Sequence[Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    """Rows of values in the order of ``names`` as a list per column."""
    if not rows:
        return {}
    return {name: list(col) for name, col in zip(names, zip(*rows, strict=True), strict=True)}


def can_write_arrow() -> bool:
    """Whether pyogrio can hand GDAL the tables as Arrow batches (pyarrow is installed, GDAL
    is 3.8 or later): the same GeoPackage, byte for byte, for about a fifth less CPU than
    a feature at a time (GDAL converts the columns itself, in C).  An empty table is
    written a feature at a time even so: through Arrow, GDAL commits it in more
    transactions, and the file's change counter (bytes 24-27) would differ."""
    import importlib.util

    import pyogrio

    gdal: tuple[int, ...] = tuple(pyogrio.__gdal_version__)
    return importlib.util.find_spec("pyarrow") is not None and gdal >= (3, 8, 0)


def write_gpkg(
    path: Path,
    layers: Sequence[Layer],
    annotations: Sequence[Annotation] = (),
    refs: References | None = None,
    arrow: bool | None = None,
) -> None:
    """One GeoPackage (version 1.2) with a table per layer and per annotation.

    Each table carries the layer's title and claim as its GeoPackage
    identifier and description, lengths as real numbers, ``mentions`` (how
    often the articles name the place) and ``date_start`` / ``date_end`` (the
    first and last day of the periods of the articles it cites, as their front
    matter dates were parsed: :func:`feature_period`; for QGIS's temporal controller); a
    ``layer_styles`` table gives QGIS each layer's colour.  An empty layer is
    an empty table.  Attribute tables hold the provenance by reference
    (:func:`~bordermap.gpkg_provenance.table_names`): ``articles``
    (:data:`~bordermap.provenance.ARTICLE_COLUMNS`), ``sentences`` (every
    sentence of ``refs``, by id), ``provenance_features``
    and ``provenance_entries`` (:mod:`bordermap.gpkg_provenance`), and the
    view ``provenance`` joins them (:data:`PROVENANCE_COLUMNS`, then the
    entries' other keys).  ``arrow`` writes the tables through Arrow (the same file;
    default: when :func:`can_write_arrow`).
    """
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely.geometry import shape

    refs = refs or References({})
    arrow = can_write_arrow() if arrow is None else arrow
    names = table_names([*(x.id for x in layers), *(a.id for a in annotations)])
    # A GeoPackage's identifiers are unique: a title two layers share (or a table's
    # name) gets its layer's id after it, "Towns (again)".
    used = {n.casefold() for n in [*names.values(), "layer_styles"]}

    def identifier(title: str, table: str) -> str:
        name = title if title.casefold() not in used else f"{title} ({table})"
        used.add(name.casefold())
        return name

    styles: list[dict[str, Any]] = []
    options = {"dataset_options": {"VERSION": GPKG_VERSION}}
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": PINNED_DATE})
    try:
        periods = article_periods(refs.articles)  # each article's, once
        for layer in layers:
            rows = []
            for f in layer.features:
                props = f.properties(layer.id)
                del props["provenance"]
                props["mentions"] = counts(f.provenance)[0]
                props["date_start"], props["date_end"] = feature_period(f, periods)
                props["geometry"] = shape(f.geometry)
                rows.append(props)
            # A layer's feature class may add columns (the uncovered stretches' km).
            keys = layer.features[0].PROPERTY_NAMES if layer.features else Feature.PROPERTY_NAMES
            columns = [*(k for k in keys if k != "provenance"), "mentions",
                       "date_start", "date_end", "geometry"]  # fmt: skip
            frame = pd.DataFrame(rows, columns=columns)
            frame["length_km"] = pd.to_numeric(frame["length_km"], errors="coerce")
            frame["mentions"] = frame["mentions"].astype("int64")
            for col in ("date_start", "date_end"):
                frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")  # ISO days
            gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
            # The style follows the geometry written: points, lines, outlines, or a mix.
            kinds = _families([f.geometry["type"] for f in layer.features])
            _write(gdf, path, layer.id, identifier(layer.title, layer.id), layer.config.claim,
                   options, arrow)  # fmt: skip
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
            _write(gdf, path, c.id, identifier(c.title, c.id), about, options, arrow)
            styles.append(_style(c.id, c.title, ("point",), c.color))
        cited, entries = provenance_tables(layers, refs)
        others = sorted(set(entries) - set(ENTRY_COLUMNS))
        _attributes(path, cited, FEATURE_COLUMNS, names["provenance_features"],
                    "The features the provenance cites (fid: provenance_entries.feature_fid)",
                    ints=("fid",), options=options, key="fid", arrow=arrow)  # fmt: skip
        _attributes(path, entries, [*ENTRY_COLUMNS, *others], names["provenance_entries"],
                    "Every feature's sources by id, one row per feature and article "
                    "(read them joined in the view provenance)",
                    ints=("feature_fid", "sentence", "mark_start", "mark_end",
                          "mentions"), arrow=arrow)  # fmt: skip
        articles = list(refs.articles.values())
        _attributes(path, {c: [r.get(c) for r in articles] for c in ARTICLE_COLUMNS},
                    ARTICLE_COLUMNS, names["articles"],
                    "The articles of the corpus", arrow=arrow)  # fmt: skip
        _attributes(path, _columns(refs.sentences.rows(), SENTENCE_COLUMNS),
                    SENTENCE_COLUMNS, names["sentences"],
                    "Every sentence a mention stands in, once (mentions.csv's sentence_id, "
                    "the provenance's sentence)", ints=("id",), key="id", arrow=arrow)  # fmt: skip
        if styles:
            pyogrio.write_dataframe(
                pd.DataFrame(styles), path, layer="layer_styles", driver="GPKG",
                use_arrow=arrow,
                layer_options={"FID": "id", "IDENTIFIER": "layer_styles",
                               "DESCRIPTION": "QGIS styles of the layers"},
            )  # fmt: skip
        register_view(path, names, others, PINNED_DATE)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def _write(
    gdf: Any, path: Path, table: str, title: str, description: str, options: dict[str, Any],
    arrow: bool = False,
) -> None:  # fmt: skip
    import pyogrio

    pyogrio.write_dataframe(
        gdf, path, layer=table, driver="GPKG", use_arrow=arrow and len(gdf) > 0,
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
