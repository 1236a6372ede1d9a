"""KML for Google Earth: one folder per layer and annotation, one placemark per place.

Countries are drawn as polygons, every scalar property the placemark does not
already say travels as ``ExtendedData`` (with ``mentions``, how often the
articles name the place, and ``article_count``, how many do; the articles' ids are
in the GeoJSON and the GeoPackage), an annotation's points as one placemark
(a MultiGeometry of Points, in number order),
each claim's period as a ``TimeSpan`` (Google Earth's time slider).  A
placemark's balloon is plain text of bounded size whatever the corpus: the
claims, the counts ("12 mentions in 7 articles") and at most
:data:`KML_QUOTES` sources with their sentences; the GeoPackage and the CSVs
(:mod:`bordermap.export`) keep every one.  Every text is XML-escaped, and a
balloon's text HTML-escaped as well: Google Earth renders descriptions as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from bordermap.layers import Annotation, Feature, Layer
from bordermap.provenance import counts

__all__ = ["KML_QUOTES", "kml_bytes"]

#: Sentences a KML placemark quotes (the rest are counted, and kept in the GeoPackage).
KML_QUOTES = 3


def _kml_color(hex_rgb: str) -> str:
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"ff{b}{g}{r}".lower()  # KML is aabbggrr


def _balloon(text: str) -> str:
    """Plain ``text`` as a balloon's content, XML-escaped: Google Earth reads a
    ``description`` as HTML (and runs its scripts), so the text is HTML-escaped first
    and its line ends become ``<br>``; an article's markup shows as the characters it is."""
    return escape(html.escape(text, quote=False).replace("\n", "<br>"))


def _balloon_style(claim: str) -> str:
    """A layer's balloon: the place's name, the layer's ``claim`` (said once here, not in
    every placemark) and the placemark's description."""
    said = f"{html.escape(claim, quote=False)}<br>" if claim else ""
    text = escape(f"<b>$[name]</b><br>{said}$[description]")
    return f"<BalloonStyle><text>{text}</text></BalloonStyle>"


def _description(
    feature: Feature, layer_claim: str = "", counted: tuple[int, int] | None = None
) -> str:
    """Plain text for a placemark's balloon: claims, counts and at most :data:`KML_QUOTES`
    sources with their sentences (the GeoPackage and the CSVs have every one). The
    layer's own claim (``layer_claim``, followed by the feature's note) is its folder's
    and its style's, so it is left out here; ``counted`` is ``counts`` of its provenance
    when the caller has it."""
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
    prov = feature.provenance
    layers = {layer_claim, " ".join(x for x in (layer_claim, feature.note) if x)} - {""}
    claims = list(dict.fromkeys(p["claim"] for p in prov if p.get("claim")))
    parts += [c for c in claims[:1] if c not in layers]
    mentions, articles = counts(feature.provenance) if counted is None else counted
    if articles:
        parts.append(f"{mentions:,} mention{'s' * (mentions != 1)} in {articles:,} "
                     f"article{'s' * (articles != 1)}")  # fmt: skip
    quoted = ([p for p in prov if p.get("sentence")] or list(prov))[:KML_QUOTES]
    for p in quoted:
        src = " · ".join(x for x in (p["article"], p["title"], p["outlet"], p["date"]) if x)
        parts.append(f'{src}: "{p["sentence"]}"' if p.get("sentence") else src)
    if len(prov) > len(quoted):
        parts.append(f"… and {len(prov) - len(quoted):,} more in bordermap.gpkg (provenance)")
    return "\n".join(parts)


def kml_bytes(
    title: str,
    layers: Sequence[Layer],
    annotations: Sequence[Annotation] = (),
) -> bytes:
    """A KML document for Google Earth named ``title``: one folder per layer and annotation.

    Every text is XML-escaped; a description's text is HTML-escaped too (Google Earth
    renders descriptions as HTML), its lines joined by ``<br>``.
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
            f"</IconStyle><LineStyle><color>{color}</color><width>3</width></LineStyle>"
            f"{_balloon_style(layer.config.claim)}</Style>"
        )
    for ann in annotations:
        color = _kml_color(ann.config.color)
        out.append(
            f"<Style id={quoteattr('s-' + ann.config.id)}><IconStyle><color>{color}</color>"
            "<scale>0.4</scale></IconStyle></Style>"
        )
    # Each feature's counts once, for its data and its balloon.
    counted = [[counts(f.provenance) for f in layer.features] for layer in layers]
    data = [
        [_data(f, layer.id, c) for f, c in zip(layer.features, cs, strict=True)]
        for layer, cs in zip(layers, counted, strict=True)
    ]
    names: dict[str, str] = {}  # each data key's opening tag, made once
    # A Schema per layer, declared once (KML 2.2 typed data), before the folders.
    for layer, rows in zip(layers, data, strict=True):
        if any(rows):
            out.append(_schema(layer.id, layer.title, rows))
    for layer, rows, per_feature in zip(layers, data, counted, strict=True):
        lid, ltitle, features = layer.id, layer.title, layer.features
        out.append(f"<Folder><name>{escape(ltitle)}</name>")
        if layer.config.claim:
            out.append(f"<description>{_balloon(layer.config.claim)}</description>")
        style = f"<styleUrl>#s-{escape(lid)}</styleUrl>"
        for f, row, n in zip(features, rows, per_feature, strict=True):
            out.append("<Placemark>")
            out.append(f"<name>{escape(f.name)}</name>")
            out.append(
                f"<description>{_balloon(_description(f, layer.config.claim, n))}</description>"
            )
            out.append(_kml_time(f.claim_props))
            out.append(style)
            out.append(_schema_data(lid, row, names))
            out.append(_kml_geometry(f.geometry))
            out.append("</Placemark>")
        out.append("</Folder>")
    for ann in annotations:
        c = ann.config
        out.append(f"<Folder><name>{escape(c.title)}</name>")
        out.append(f"<description>{_balloon(ann.label + '. ' + c.claim)}</description>")
        out.append(_kml_data(ann.claim_props))
        out.append(_points_placemark(ann))
        out.append("</Folder>")
    out += ["</Document>", "</kml>", ""]
    return "\n".join(out).encode("utf-8")


def _points_placemark(ann: Annotation) -> str:
    """An annotation's points as one placemark (a MultiGeometry of Points, in number order):
    its balloon says how they are numbered and where each one's distance is."""
    c, pts = ann.config, ann.points
    n = len(pts)
    plural = c.noun if n == 1 else c.noun + "s"
    noun = plural[:1].upper() + plural[1:]
    about = f"{n:,} {plural}, numbered from 1 in the order of this placemark's points"
    if n:
        first, last = pts.distance_m[0] / 1000, pts.distance_m[n - 1] / 1000
        about += f", {first:.1f} to {last:.1f} km from {ann.measured_from}"
    about += (f". Each one's number and distance: bordermap.gpkg (table {c.id}) and "
              f"layers/{c.id}.geojson.")  # fmt: skip
    points = "".join(
        f"<Point><coordinates>{x:.5f},{y:.5f}</coordinates></Point>"
        for x, y in zip(pts.lon, pts.lat, strict=True)
    )
    return (
        f"<Placemark><name>{escape(noun)} (1–{n:,})</name><description>{_balloon(about)}"
        f"</description><styleUrl>#s-{escape(c.id)}</styleUrl>"
        f"<MultiGeometry>{points}</MultiGeometry></Placemark>"
    )


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


#: Properties a place's placemark says elsewhere: its ``<name>``, the folder it is in (and
#: its style), the ``TimeSpan`` (``period_start``/``period_end``); the ids of its articles are
#: in the GeoJSON and the GeoPackage (the data counts them: ``article_count``), and
#: ``sources`` ("7 articles, 2 origins") is ``article_count`` and ``origins`` in words.
_SAID_ELSEWHERE = frozenset({"name", "layer", "articles", "provenance", "sources"})


def _place_data(props: dict[str, Any]) -> dict[str, Any]:
    """A place's properties for its ExtendedData, without what the placemark says otherwise."""
    timed = bool(props.get("period_start"))
    return {
        k: v for k, v in props.items()
        if k not in _SAID_ELSEWHERE and not (timed and k in ("period_start", "period_end"))
    }  # fmt: skip


def _data(
    feature: Feature, layer_id: str, counted: tuple[int, int] | None = None
) -> dict[str, Any]:
    """A place's ExtendedData values (without empty ones), with its counts (``counted``:
    ``counts`` of its provenance, when the caller has it)."""
    mentions, cited = counts(feature.provenance) if counted is None else counted
    extra = {"mentions": mentions, "article_count": cited} if cited else {}
    props = {**_place_data(feature.properties(layer_id)), **extra}
    return {k: v for k, v in props.items() if v is not None and v != "" and k != "provenance"}


def _field_type(values: Sequence[Any]) -> str:
    """The KML SimpleField type of a column: bool, int, double or string."""
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _schema(layer_id: str, title: str, rows: Sequence[dict[str, Any]]) -> str:
    """A layer's ``<Schema>``: a typed SimpleField per key its placemarks carry (first seen
    first), which each placemark's ``SchemaData`` fills."""
    columns: dict[str, list[Any]] = {}
    for row in rows:
        for key, value in row.items():
            columns.setdefault(key, []).append(value)
    fields = "".join(
        f"<SimpleField type={quoteattr(_field_type(values))} name={quoteattr(key)}/>"
        for key, values in columns.items()
    )
    return f"<Schema name={quoteattr(title)} id={quoteattr('d-' + layer_id)}>{fields}</Schema>"


def _value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _schema_data(layer_id: str, row: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """A placemark's values of its layer's Schema (``<SchemaData>``; none when empty);
    ``names`` keeps each key's opening tag for the next placemark."""
    if not row:
        return ""
    names = {} if names is None else names
    items = []
    for k, v in row.items():
        tag = names.get(k)
        if tag is None:
            tag = names[k] = f"<SimpleData name={quoteattr(k)}>"
        # A bool as 1 or 0 (xsd:boolean both ways; GDAL reads a KML bool as an integer).
        text = str(int(v)) if isinstance(v, bool) else str(v)
        # escape(), inlined: a placemark has a dozen values, a KML tens of thousands.
        text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
        items.append(f"{tag}{text}</SimpleData>")
    return (
        f"<ExtendedData><SchemaData schemaUrl={quoteattr('#d-' + layer_id)}>{''.join(items)}"
        "</SchemaData></ExtendedData>"
    )


def _kml_data(props: dict[str, Any]) -> str:
    """Every scalar property as KML ExtendedData (claim ids, origins, period, precision …)."""
    items = []
    for key, value in props.items():
        if key == "provenance" or value is None or value == "":
            continue
        items.append(f"<Data name={quoteattr(key)}><value>{escape(_value(value))}</value></Data>")
    return f"<ExtendedData>{''.join(items)}</ExtendedData>" if items else ""
