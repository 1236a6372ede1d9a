"""Which map draws what: the maps of a project, the spec of one, its sources.

A build writes the configured ``[[maps]]`` (by default one ``index`` with
every layer), then one map per layer and annotation, which also draws the
border for orientation. :func:`spec` says what one of them shows, as the
:class:`~bordermap.render.MapSpec` that :mod:`bordermap.render` draws.

>>> from bordermap.config import load_config
>>> from bordermap.pipeline import load
>>> parts = load(load_config("bordermap.toml"))          # doctest: +SKIP
>>> map_ids(parts.config)                                # doctest: +SKIP
['index', 'border', 'checkpoints', 'arrests', 'upgrades', 'context', 'cameras']
>>> spec(parts, "upgrades").title                        # doctest: +SKIP
'Base-station upgrades · Surveillance and telecom on the China–North Korea border'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from bordermap.articles import Article
from bordermap.config import ProjectConfig
from bordermap.errors import LayerError
from bordermap.region import ATTRIBUTION, Bbox

if TYPE_CHECKING:
    from bordermap.pipeline import Parts
    from bordermap.render import CoverageLayer, MapSpec, Pages

__all__ = [
    "coverage_layer",
    "map_ids",
    "map_layers",
    "slide_sources_line",
    "source_line",
    "sources",
    "spec",
]


def map_ids(config: ProjectConfig) -> list[str]:
    """The maps a build writes: the configured ones, then one per layer."""
    ids = [m.id for m in config.maps]
    return ids + [lid for lid in config.layer_ids if lid not in ids]


def map_layers(config: ProjectConfig, name: str) -> tuple[str, list[str]]:
    """The title of map ``name`` (a map id or a layer id) and the layer ids it draws.

    Raises
    ------
    LayerError
        If ``name`` is neither.
    """
    maps = {m.id: m for m in config.maps}
    if name in maps:
        return maps[name].title, list(maps[name].layers)
    if name in config.layer_ids:
        title = f"{config.title_of(name)} · {config.title}"
        ids = [name] if name == "border" or "border" not in config.layer_ids else ["border", name]
        return title, ids
    known = ", ".join(map_ids(config))
    raise LayerError(f"{config.path.name}: no map or layer {name!r} (known: {known})")


#: Margin around features a map is fitted to, as a share of their extent (at least 0.1°).
_MARGIN = 0.1


def _coords(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        yield coords[0], coords[1]
    elif geometry["type"] == "LineString":
        yield from ((c[0], c[1]) for c in coords)


def view(cfg: ProjectConfig, name: str, layers: list[Any], anns: list[Any]) -> Bbox:
    """Where map ``name`` opens: its own ``bbox``; else the extent of the features it
    draws, with a margin (the border layer, drawn for orientation, does not
    count, unless it names its own ``lines``); the focus when it draws nothing else."""
    own = next((m.bbox for m in cfg.maps if m.id == name), None)
    if own is not None:
        return own
    # A border layer of its own lines (a DMZ map's MDL) is content, not orientation.
    border = {x.id for x in cfg.layers if x.source == "border" and not x.lines}
    points = [xy for lay in layers if lay.id not in border
              for f in lay.geojson["features"] for xy in _coords(f["geometry"])]  # fmt: skip
    points += [(x, y) for a in anns for x, y in (a.line or [(p[0], p[1]) for p in a.points])]
    if not points:
        return cfg.focus
    xs, ys = [x for x, _ in points], [y for _, y in points]
    dx = max((max(xs) - min(xs)) * _MARGIN, 0.1)
    dy = max((max(ys) - min(ys)) * _MARGIN, 0.1)
    return (
        round(max(min(xs) - dx, -180.0), 5),
        round(max(min(ys) - dy, -85.0), 5),
        round(min(max(xs) + dx, 180.0), 5),
        round(min(max(ys) + dy, 85.0), 5),
    )


def spec(
    parts: Parts,
    name: str,
    tiles: str | None = None,
    coverage: bool = True,
    pages: Pages | None = None,
) -> MapSpec:
    """What map ``name`` (a map id or a layer id) of ``parts`` draws.

    ``tiles`` overrides the project's basemap tiles ("none" for none). With
    ``coverage`` (as every map a build writes) the map says what the corpus does not
    cover and counts an annotation on what it does, which needs the corpus
    geoparsed; without it, a map of annotations alone reads no more than their
    articles' front matter.  With ``pages`` (what the pages of one build share:
    :class:`bordermap.render.Pages`), the specs of one build share each layer's
    GeoJSON, its articles and the coverage, made once (they must not be changed).

    Raises
    ------
    LayerError
        If ``name`` is neither a map nor a layer of the project.
    """
    from bordermap.collector import paused_gc

    with paused_gc():
        return _spec(parts, name, tiles, coverage, pages)


def _spec(
    parts: Parts, name: str, tiles: str | None, coverage: bool, pages: Pages | None
) -> MapSpec:
    from bordermap.geometry import countries
    from bordermap.render import CameraAnnotation, MapLayer, MapSpec

    cfg = parts.config
    title, ids = map_layers(cfg, name)
    layer_ids = {x.id for x in cfg.layers}
    layers, anns, used_articles = [], [], set()
    for lid in ids:
        if lid in layer_ids:  # else an annotation: a map of those alone needs no geoparsing
            layer = parts.layers[lid]
            if pages is None:
                used_articles.update(layer.articles)
                fc = layer.geojson()
            else:
                used_articles.update(pages.shared("articles", layer, lambda x: x.articles))
                fc = pages.shared("geojson", layer, lambda x: x.geojson())
            layers.append(MapLayer(lid, layer.title, layer.color, fc))
        else:
            ann = parts.annotations[lid]
            used_articles |= set(ann.articles)
            pts = ann.points
            anns.append(
                CameraAnnotation(
                    layer_id=ann.id,
                    title=ann.title,
                    label=ann.label,
                    color=ann.color,
                    line=list(ann.line),
                    points=[
                        (round(float(x), 5), round(float(y), 5), round(float(d), 1))
                        for x, y, d in zip(pts.lon, pts.lat, pts.distance_m, strict=True)
                    ],
                    provenance=[dict(p) for p in ann.provenance],
                    noun=ann.config.noun[:1].upper() + ann.config.noun[1:],
                    measured_from=ann.measured_from,
                    period=(
                        str(ann.claim_props.get("period_start") or ""),
                        str(ann.claim_props.get("period_end") or ""),
                    ),  # fmt: skip
                )
            )
    tiles_value = cfg.tiles if tiles is None else tiles
    cited = sorted(used_articles)
    return MapSpec(
        title=title,
        subtitle="",
        layers=layers,
        annotations=anns,
        basemap=countries(),
        bounds=view(cfg, name, layers, anns),
        tiles=None if tiles_value == "none" else tiles_value,
        attribution=ATTRIBUTION,
        sources=sources(parts.articles, cited),
        sources_line=slide_sources_line(parts.articles, cited),
        claims=claims_payload(parts, ids, coverage),
        coverage=None if not coverage else coverage_layer(parts) if pages is None
        else pages.shared("coverage", parts.coverage, lambda _: coverage_layer(parts)),
    )  # fmt: skip


def coverage_layer(parts: Parts) -> CoverageLayer:
    """What a map says the corpus does not cover: the summary and the uncovered
    stretches, each with its tooltip (the same on every map of a build)."""
    from bordermap.coverage import TITLE
    from bordermap.render import CoverageLayer

    cov = parts.coverage
    layer = cov.layer()
    stretches = [
        {"name": f.name, "coords": list(f.coords), "tooltip": f"{TITLE}: {f.name} "
         f"({f.length_km:,.1f} km with no place named within {cov.distance_km:g} km)"}
        for f in layer.features
    ]  # fmt: skip
    return CoverageLayer(TITLE, cov.summary(), stretches, cov.legend(), layer.color, layer.id)


def claims_payload(parts: Parts, ids: Iterable[str], coverage: bool = True) -> list[dict[str, Any]]:
    """The claims drawn by the layers ``ids``, and those contesting them, in file order:
    what the page's popups, time filter and text view say about each (with
    ``coverage``, an annotation's count also on what the corpus covers)."""
    cfg = parts.config
    if not cfg.claims:
        return []
    drawn = {c.id: [lid] for lid in ids for c in cfg.claims_of(lid)}
    for lid in ids:
        for c in cfg.claims_of(lid):
            drawn[c.id] = list(dict.fromkeys([*drawn[c.id], lid]))
    claims = parts.claims
    wanted = set(drawn) | {r for cid in drawn for r in claims[cid].rivals}
    anns = {a.id for a in cfg.annotations}
    counted = parts.covered_annotations if coverage and anns & set(ids) else parts.annotations
    carried = {lid: parts.layers[lid].claims_drawn for lid in ids
               if lid not in anns and lid in parts.layers}  # fmt: skip
    out = []
    for cid, claim in claims.items():
        if cid not in wanted:
            continue
        c = claim.config
        count = next((counted[lid].claim_props.get("count", "")
                      for lid in drawn.get(cid, []) if lid in anns), "")  # fmt: skip
        out.append({
            "id": cid, "text": c.text, "status": c.status, "contested": claim.contested,
            "rivals": list(claim.rivals), "narrows": list(c.narrows), "period": c.period.text
            if c.period.known else "", "start": c.period.start.isoformat() if c.period.start
            else "", "end": c.period.end.isoformat() if c.period.end else "",
            "sources": claim.counted, "scope": c.scope, "asserted_by": c.asserted_by,
            "grade": c.grade, "count": count, "layers": drawn.get(cid, []),
            # The layers that draw it at no place (its places are none of their features).
            "undrawn": [lid for lid in drawn.get(cid, [])
                        if lid in carried and cid not in carried[lid]],
        })  # fmt: skip
    return out


def source_line(articles: dict[str, Article], ids: Iterable[str]) -> str:
    """ "Sources: 000 Title (Outlet, date); …" for the articles ``ids``, in that order.

    Ids not in ``articles`` are left out; an outlet or date starting with
    "unknown" is not shown. Empty when no id is known.
    """
    parts = []
    for aid in ids:
        a = articles.get(aid)
        if a is None:
            continue
        bits = ", ".join(x for x in (a.outlet, a.date) if x and not x.startswith("unknown"))
        parts.append(f"{aid} {a.title}" + (f" ({bits})" if bits else ""))
    return "Sources: " + "; ".join(parts) if parts else ""


def _shown(value: str) -> str:
    """An outlet or date as a page shows it: nothing for "unknown…"."""
    return "" if not value or value.startswith("unknown") else value


def sources(articles: dict[str, Article], ids: Iterable[str]) -> list[dict[str, str]]:
    """The articles ``ids`` as a map's sources panel lists them, in that order.

    Each is ``{"id", "title"}`` with ``"outlet"`` and ``"date"`` when known;
    ids not in ``articles`` are left out.
    """
    out = []
    for aid in ids:
        a = articles.get(aid)
        if a is None:
            continue
        entry = {"id": aid, "title": a.title, "outlet": _shown(a.outlet), "date": _shown(a.date)}
        out.append({k: v for k, v in entry.items() if v or k == "title"})
    return out


#: A slide lists the sources one by one up to this many, else sums them up.
SLIDE_SOURCES_MAX = 5


def slide_sources_line(articles: dict[str, Article], ids: Iterable[str]) -> str:
    """The one line a snapshot shows for the articles ``ids`` (the page has a panel).

    Up to :data:`SLIDE_SOURCES_MAX` articles, :func:`source_line`; more, their
    number, outlets and period: "Sources: 66 articles from 4 outlets, 2019–2023".
    The period is the years of the dates as :func:`bordermap.dates.parse_period`
    reads them ("March 3, 2021", "mid-2022", "2016–2020"); undated articles add none.
    """
    known = [articles[aid] for aid in ids if aid in articles]
    if len(known) <= SLIDE_SOURCES_MAX:
        return source_line(articles, [a.id for a in known])
    outlets = {_shown(a.outlet) for a in known} - {""}
    line = f"Sources: {len(known)} articles"
    if outlets:
        line += f" from {len(outlets)} outlet" + ("" if len(outlets) == 1 else "s")
    if years := _years(known):
        line += ", " + years
    return line


def _years(known: Iterable[Article]) -> str:
    """ "2019–2023": the first and last year the articles' periods fall in ("2021" for
    one year), or "" when none is dated."""
    years = [d.year for a in known for d in (a.period.start, a.period.end) if d is not None]
    if not years:
        return ""
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"
