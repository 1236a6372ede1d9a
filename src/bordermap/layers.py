"""Layers: mentions grouped by the project's readable rules, with provenance.

A mention layer keeps one feature per place, drawn as precisely as it is named
(:mod:`bordermap.areas`), with the articles that name it, the sentence each
stands in and the properties of the claims it draws (:mod:`bordermap.claims`). The border
layer holds the three shipped stretches with their geodesic lengths; an
annotation holds points at a claimed spacing along one stretch.

A :class:`Layer` is a layer's configuration and its features; it makes its
own GeoJSON (:meth:`Layer.geojson`) and table (:meth:`Layer.frame`). An
:class:`Annotation` does likewise. :func:`make_layers` applies the rules of
every layer of a project (:mod:`bordermap.rules`), including the context rule
(``rest``: only places no other layer shows; ``within_focus``: only places
inside ``focus.bbox``).

>>> layers = make_layers(config, mentions, articles)     # doctest: +SKIP
>>> layers["upgrades"].geojson()["features"][0]["properties"]["name"]  # doctest: +SKIP
'Hamhung'
"""

from __future__ import annotations

import json
import logging
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from bordermap.areas import drawn_as
from bordermap.articles import Article
from bordermap.claims import (
    CLAIM_PROPERTY_NAMES,
    Cited,
    Claim,
    count_note,
    feature_properties,
    scope_note,
)
from bordermap.collector import paused_gc
from bordermap.config import AnnotationConfig, LayerConfig, ProjectConfig
from bordermap.errors import ConfigError
from bordermap.geometry import (
    SpacedPoints,
    country_shape,
    cut,
    length_km,
    points_along,
    share_inside,
    side_of,
)
from bordermap.geoparse import Mention
from bordermap.lines import (
    Line,
    Locator,
    StretchError,
    place_finder,
    project_lines,
    shipped,
    stretch_of,
)
from bordermap.origins import Origins
from bordermap.region import ISO3
from bordermap.rules import (
    context_exclusions,
    in_focus,
    matches_place,
    missing_places,
    resolved,
    select,
    unmatched,
)

log = logging.getLogger("bordermap")

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "Feature",
    "Layer",
    "Annotation",
    "select",
    "in_focus",
    "context_exclusions",
    "make_layers",
    "make_annotations",
    "mention_layer",
    "border_layer",
    "annotation",
    "feature_collection",
    "provenance_json",
]


_ARTICLE_OF = operator.itemgetter("article")


@dataclass(frozen=True)
class Feature:
    """One map feature: a point (``coords`` has one pair), a line, or an ``area`` (a
    GeoJSON geometry replacing the point: a country's outline, a river's line), with the
    geoparser's ``precision``, an uncertainty ``radius_km`` and its ``claim_props``."""

    id: str
    name: str
    kind: str
    country: str
    coords: tuple[tuple[float, float], ...]
    provenance: tuple[dict[str, str], ...]
    length_km: float | None = None
    note: str = ""
    precision: str = ""
    radius_km: float | None = None
    area: dict[str, Any] | None = None
    claim_props: dict[str, Any] = field(default_factory=dict)

    @property
    def geometry(self) -> dict[str, Any]:
        if self.area is not None:
            return self.area
        if len(self.coords) == 1:
            return {"type": "Point", "coordinates": list(self.coords[0])}
        return {"type": "LineString", "coordinates": [list(c) for c in self.coords]}

    #: The keys of :meth:`properties`, in order (an empty layer's table has these columns).
    PROPERTY_NAMES = ("id", "layer", "name", "kind", "country", "length_km", "note", "articles",
                      "provenance", "precision", "radius_km", *CLAIM_PROPERTY_NAMES)  # fmt: skip

    def properties(self, layer: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "layer": layer,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "length_km": self.length_km,
            "note": self.note,
            "articles": ",".join(sorted(set(map(_ARTICLE_OF, self.provenance)))),
            "provenance": list(self.provenance),
            "precision": self.precision,
            "radius_km": self.radius_km,
            **{k: self.claim_props.get(k, "") for k in CLAIM_PROPERTY_NAMES},
        }


def feature_collection(layer_id: str, features: Sequence[Feature]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection (WGS84 lon/lat, no ``crs`` member)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": f.geometry, "properties": f.properties(layer_id)}
            for f in features
        ],
    }


def _frame(fc: dict[str, Any]) -> gpd.GeoDataFrame:
    import geopandas as gpd

    if not fc["features"]:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
    return gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")


class _Named:
    """``id``, ``title`` and ``color``, read from the ``config`` of a layer or annotation."""

    config: LayerConfig | AnnotationConfig

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def color(self) -> str:
        return self.config.color


@dataclass(frozen=True)
class Layer(_Named):
    """A layer of the project: its configuration and its features.

    ``features`` are points (one per place, in name order) for a mention
    layer, or the three border stretches for the border layer.
    """

    config: LayerConfig
    features: list[Feature]

    @property
    def articles(self) -> list[str]:
        """The article ids the features cite, sorted (none for the border)."""
        ids = {p["article"] for f in self.features for p in f.provenance if p["article"]}
        return sorted(ids)

    @property
    def claims_drawn(self) -> set[str]:
        """The ids of the claims some feature carries (a claim whose places are none of
        the features is drawn nowhere on the layer)."""
        return {c for f in self.features for c in str(f.claim_props.get("claims", "")).split(",")
                if c}  # fmt: skip

    def geojson(self) -> dict[str, Any]:
        """The features as an RFC 7946 FeatureCollection (a new dict each call)."""
        return feature_collection(self.id, self.features)

    def frame(self) -> gpd.GeoDataFrame:
        """The features as a GeoDataFrame in EPSG:4326 (a new frame each call)."""
        return _frame(self.geojson())


@dataclass(frozen=True)
class Annotation(_Named):
    """Points at a claimed spacing along a border stretch, and what they imply."""

    config: AnnotationConfig
    line: tuple[tuple[float, float], ...]
    points: SpacedPoints
    share_on_side: float
    provenance: tuple[dict[str, str], ...]
    #: How the label names the line ("the Tumen") and where distances start.
    line_label: str = ""
    measured_from: str = "the river mouth"
    #: The stretch, when not the whole line: "between Hoeryong and Onsong, 98.1–131.3 km
    #: from the river mouth".
    stretch: str = ""
    claim_props: dict[str, Any] = field(default_factory=dict)

    @property
    def articles(self) -> list[str]:
        """The article ids the claim is attributed to (``annotations.articles``), sorted."""
        return sorted(set(self.config.articles))

    def geojson(self) -> dict[str, Any]:
        """The points as a FeatureCollection: ``number`` from 1, ``distance_m`` along the line."""
        pts = self.points
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(x, 5), round(y, 5)]},
                "properties": {"number": i + 1, "distance_m": round(float(d), 1)},
            }
            for i, (x, y, d) in enumerate(zip(pts.lon, pts.lat, pts.distance_m, strict=True))
        ]
        return {"type": "FeatureCollection", "features": features}

    def frame(self) -> gpd.GeoDataFrame:
        """The points as a GeoDataFrame in EPSG:4326 (a new frame each call)."""
        return _frame(self.geojson())

    @property
    def count(self) -> int:
        return len(self.points)

    @property
    def length_km(self) -> float:
        return self.points.length_m / 1000.0

    @property
    def disputed_by(self) -> tuple[str, ...]:
        """The claims that dispute the annotation's claims or narrow their scope, sorted,
        as :func:`~bordermap.claims.count_note` names them (from ``claim_props``)."""
        return tuple(sorted({*self._claim_ids("contests"), *self._claim_ids("narrowed_by")}))

    def _claim_ids(self, key: str) -> list[str]:
        """The claim ids of ``claim_props[key]`` (a comma-separated string)."""
        return [i for i in str(self.claim_props.get(key, "")).split(",") if i]

    @property
    def label(self) -> str:
        """ "≈ 8,513 cameras claimed at 100 m spacing over 851.2 km of the Yalu", and the
        stretch when the annotation covers only part of its line.

        When another claim disputes the annotation's or narrows its scope
        (:attr:`disputed_by`), the count is a range from none, naming them, as the
        claim's count in ``claims.csv`` and the alt text is: "0 – 8,513 cameras: 100 m
        spacing claimed over 851.2 km of the Yalu, scope narrowed by cameras-hyesan-only"
        (:func:`~bordermap.claims.scope_note`: "disputed by" for a claim that contests it).
        """
        where = f", {self.stretch}" if self.stretch else ""
        spacing = f"{self.config.spacing_m:g} m spacing"
        over = f"{self.length_km:,.1f} km of {self.line_label}{where}"
        if not self.disputed_by:
            return f"≈ {self.count:,} {self.config.nouns} claimed at {spacing} over {over}"
        note = scope_note(self._claim_ids("contests"), self._claim_ids("narrowed_by"))
        return f"0 – {self.count:,} {self.config.nouns}: {spacing} claimed over {over}, {note}"


def _provenance(
    article: Article | None, article_id: str, claim: str, sentence: str = ""
) -> dict[str, str]:
    return {
        "article": article_id,
        "title": article.title if article else "",
        "outlet": article.outlet if article else "",
        "date": article.date if article else "",
        "claim": claim,
        "sentence": sentence,
    }


def mention_layer(
    mentions: Sequence[Mention],
    layer: LayerConfig,
    articles: dict[str, Article],
    claims: Sequence[Claim] = (),
    origins: Origins | None = None,
    cited: Cited | None = None,
) -> list[Feature]:
    """One feature per place among ``mentions`` (already selected), in name order, drawn
    as precisely as named, with the properties of the layer's ``claims`` (and origins).

    ``cited`` (:class:`~bordermap.claims.Cited` of ``articles`` and ``origins``) looks
    each article up once for all the layers of a project.
    """
    if cited is None:
        cited = Cited(articles, origins or Origins({}))
    by_ref: dict[str, list[Mention]] = {}
    for m in mentions:
        ref = m.ref or ""
        same = by_ref.get(ref)
        if same is None:
            by_ref[ref] = [m]
        else:
            same.append(m)
    front, origin = cited.front, cited.origin
    features = []
    for ref, group in by_ref.items():
        first = group[0]
        note = _note(layer, group)
        claim = " ".join(x for x in (layer.claim, note) if x)
        # One entry per article, made at its first mention of the place (the keys in
        # the order the exports and pages have always seen them).
        prov: dict[str, dict[str, Any]] = {}
        for m in group:
            aid = m.article
            entry = prov.get(aid)
            if entry is None:
                title, outlet, date = front(aid)
                entry = {"article": aid, "title": title, "outlet": outlet, "date": date}
                entry["claim"], entry["sentence"] = claim, m.sentence
                prov[aid] = entry
                if (mark := _mark(m, articles.get(aid))) is not None:
                    entry["mark"] = mark
                entry["mentions"] = 1
            else:
                entry["mentions"] += 1
            if m.match == "project":
                entry["corrected"] = "in the project file"
        ids = sorted(prov)
        entries = [prov[k] for k in ids]
        if origins:  # what origins.mark adds, added in place: the entries are this feature's
            for e in entries:
                if e["article"]:
                    e["origin"] = origin(e["article"])
        features.append(
            Feature(
                id=ref,
                name=first.name or first.text,
                kind=first.kind or "",
                country=first.country or "",
                coords=((float(first.lon or 0.0), float(first.lat or 0.0)),),
                provenance=tuple(entries),
                note=note,
                **drawn_as(group, articles, _claims_at(group, claims), origins, cited, ids),
            )
        )
    features.sort(key=lambda f: (f.name, f.id))
    return features


def _claims_at(group: Sequence[Mention], claims: Sequence[Claim]) -> list[Claim]:
    """The claims of a layer that are about this place (a claim naming no place: all)."""
    return [c for c in claims if not c.config.places or matches_place(group[0], c.config.places)]


def _mark(m: Mention, article: Article | None) -> list[int] | None:
    """``[start, end]``: where ``m``'s surface text stands in ``m.sentence`` (code points).

    The sentence is the article's with its whitespace collapsed, so the name is
    looked for in it; of several occurrences, the one whose preceding words
    end the article's text before the mention (else the first).
    """
    needle = " ".join(m.text.split())
    if not needle:
        return None
    sentence = m.sentence
    at = sentence.find(needle)
    if at < 0:
        return None
    if sentence.find(needle, at + 1) < 0:  # the one occurrence (most names)
        return [at, at + len(needle)]
    hits = []  # every start of the needle, overlapping ones too, in order
    while at >= 0:
        hits.append(at)
        at = m.sentence.find(needle, at + 1)
    if not hits:
        return None
    if len(hits) > 1 and article is not None:
        before = " ".join(article.text[max(0, m.start - len(m.sentence) - 1) : m.start].split())
        hits = [i for i in hits[::-1] if before.endswith(m.sentence[:i].rstrip())] or hits
    return [hits[0], hits[0] + len(needle)]


def _note(layer: LayerConfig, group: Sequence[Mention]) -> str:
    for key, note in layer.notes.items():
        if matches_place(group[0], [key]):
            return note
    return ""


def border_layer(layer: LayerConfig, lines: dict[str, Line], ids: Sequence[str]) -> list[Feature]:
    """The lines ``ids`` of ``lines`` (a border layer's ``lines``, else the project's
    ``border.lines``) with their geodesic lengths; a line of several parts gives one
    feature per part."""
    feats = []
    for lid in ids:
        line = lines[lid]
        for k, part in enumerate(line.parts):
            feats.append(
                Feature(
                    id=f"border:{lid}" + (f":{k + 1}" if len(line.parts) > 1 else ""),
                    name=line.name,
                    kind=line.kind,
                    country="",
                    coords=tuple((round(x, 5), round(y, 5)) for x, y in part.coords),
                    provenance=(
                        {
                            "article": "",
                            "title": line.source,
                            "outlet": line.outlet,
                            "date": "",
                            "claim": layer.claim,
                            "sentence": "",
                        },
                    ),
                    length_km=round(length_km(part), 1),
                )
            )
    return feats


def annotation(
    config: AnnotationConfig,
    articles: dict[str, Article],
    lines: dict[str, Line] | None = None,
    find_place: Locator | None = None,
) -> Annotation:
    """Points at ``config.spacing_m`` along a line (or a stretch of it) on ``config.side``.

    The line is oriented from the ``count_from`` end; a stretch (``between`` two
    places, projected onto the line, or ``from_km``–``to_km``) is cut from it, and its
    points are numbered from 1 at the end nearer ``count_from`` with distances from
    that end of the *whole* line. ``lines`` defaults to the shipped ones;
    ``find_place`` resolves ``between`` names.

    Raises
    ------
    StretchError
        A place that is unknown or far from the line, a stretch beyond the line's
        end, of zero length, or a line of several separate parts.
    """
    item = (lines or shipped())[config.line]
    whole = item.oriented(config.count_from)
    measured_from = item.measured_from(config.count_from)
    start_m, end_m, stretch = stretch_of(config, whole, item, find_place)
    line = cut(whole, start_m, end_m) if stretch else whole
    area = country_shape(ISO3[config.side]) if config.side in ISO3 else None
    side = side_of(line, area) if area is not None else config.side
    points = points_along(line, config.spacing_m, config.offset_m, side)
    lead = item.lead(config.count_from)  # the river beyond the line, to the sea
    points = replace(points, distance_m=points.distance_m + start_m + lead)
    share = share_inside(points, area) if config.offset_m and area is not None else 0.0
    prov = tuple(_provenance(articles.get(a), a, config.claim) for a in (config.articles or ("",)))
    coords = tuple((round(x, 5), round(y, 5)) for x, y in line.coords)
    return Annotation(config, coords, points, share, prov, item.label, measured_from, stretch)


def provenance_json(provenance: Sequence[dict[str, str]]) -> str:
    """Provenance as compact, key-sorted JSON (for table formats)."""
    return json.dumps(list(provenance), ensure_ascii=False, sort_keys=True)


def make_layers(
    config: ProjectConfig,
    mentions: Sequence[Mention],
    articles: dict[str, Article],
    claims: dict[str, Claim] | None = None,
    origins: Origins | None = None,
) -> dict[str, Layer]:
    """Every layer of the project (annotations excluded), by id, in file order.

    A ``rest`` layer (the context layer) keeps, of the mentions its own rules
    select, the places no non-rest layer shows. A layer with ``within_focus``, of
    either kind, keeps only the places inside ``focus.bbox``.
    """
    with paused_gc():  # its entries hold no cycles
        return _make_layers(config, mentions, articles, claims, origins)


def _make_layers(
    config: ProjectConfig,
    mentions: Sequence[Mention],
    articles: dict[str, Article],
    claims: dict[str, Claim] | None,
    origins: Origins | None,
) -> dict[str, Layer]:
    selected: dict[str, list[Mention]] = {}
    folded: dict[str, str] = {}  # each sentence folded once for every layer's keywords
    passed: dict[Any, list[Any]] = {}  # what rules but keywords kept, once per such rules
    found = resolved(mentions)
    for layer in config.layers:
        if layer.source == "mentions" and not layer.rest:
            chosen = select(found, layer, folded, all_resolved=True, passed=passed)
            if layer.within_focus:
                chosen = [m for m in chosen if in_focus(m, config.focus)]
            selected[layer.id] = chosen
    taken = context_exclusions(config, selected)
    lines = project_lines(config) if any(x.source == "border" for x in config.layers) else {}
    cited = Cited(articles, origins or Origins({}))  # each article looked up once
    out: dict[str, Layer] = {}
    for layer in config.layers:
        drawn = [claims[c.id] for c in config.claims_of(layer.id) if claims and c.id in claims]
        if layer.source == "border":
            props = feature_properties(drawn, [], articles, origins or Origins({}))
            feats = border_layer(layer, lines, layer.lines or config.border)
            out[layer.id] = Layer(layer, [replace(f, claim_props=props) for f in feats])
            continue
        if layer.rest:
            chosen = [
                m
                for m in select(found, layer, folded, all_resolved=True, passed=passed)
                if m.ref not in taken and (not layer.within_focus or in_focus(m, config.focus))
            ]
        else:
            chosen = selected[layer.id]
            if not chosen:
                why = unmatched(layer, mentions) or (
                    f"layer {layer.id!r}: every place it selects lies outside focus.bbox "
                    "(within_focus); it is built empty"
                )
                log.warning("%s: %s", config.file, why)
            for line in missing_places(layer, chosen, mentions):
                log.warning("%s: %s", config.file, line)
        feats = mention_layer(chosen, layer, articles, drawn, origins, cited)
        out[layer.id] = Layer(layer, feats)
    return out


def make_annotations(
    config: ProjectConfig,
    articles: dict[str, Article],
    claims: dict[str, Claim] | None = None,
    origins: Origins | None = None,
) -> dict[str, Annotation]:
    """Every annotation of the project (the claimed cameras), by id, in file order,
    with the properties of the claims that name it.

    The gazetteer is loaded only when an annotation names places (``between``).

    Raises
    ------
    ConfigError
        Naming the project file and the annotation's key when a stretch cannot be made.
    """
    lines = project_lines(config)
    finder = place_finder(config) if any(a.between for a in config.annotations) else None
    out = {}
    for i, a in enumerate(config.annotations):
        try:
            ann = annotation(a, articles, lines, finder)
        except StretchError as exc:
            raise ConfigError(f"{config.file}: annotations[{i}].{exc.key}: {exc}") from None
        drawn = [claims[c.id] for c in config.claims_of(a.id) if claims and c.id in claims]
        props = feature_properties(drawn, ann.articles, articles, origins or Origins({}))
        props["count"] = count_note(ann, drawn)
        prov = tuple(origins.mark(p) if origins else p for p in ann.provenance)
        out[a.id] = replace(ann, provenance=prov, claim_props=props)
    return out
