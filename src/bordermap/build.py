"""``bordermap build``: every map and export of a project, written atomically.

Outputs (relative to the output folder)::

    index.html, <layer>.html        self-contained Leaflet maps
    layers/<layer>.geojson          RFC 7946, one file per layer and annotation
    bordermap.gpkg                  one table per layer and annotation; provenance,
                                    articles and sentences tables
    bordermap.kml                   for Google Earth
    layers/uncovered.geojson        the stretches of the lines no named place lies near
    mentions.csv                    every mention of every article, its place and sentence by id
    places.csv, sentences.csv,      each place, each sentence and each article once
    articles.csv
    claims.csv                      every claim: sources by offset, origins, period, status
    manifest.json                   counts, lengths, coverage, sizes and sha256 of the above

Everything is staged in a hidden folder and moved into place only when all of
it was written, so a failed build leaves the folder as it was. A build whose
inputs are all those of the last build into the folder (:func:`~bordermap.reuse.build_key`)
keeps that build's files, once they are intact, and computes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap import pictures
from bordermap.collector import paused_gc
from bordermap.config import load_config
from bordermap.export import (
    annotation_collection,
    claims_csv,
    geojson_bytes,
    kml_bytes,
    layer_collection,
    table_csv,
    write_gpkg,
)
from bordermap.files import Staging, file_entry, manifest_bytes, staged
from bordermap.forked import start
from bordermap.formats import place_keys, write_mentions_csv
from bordermap.layers import Annotation, Feature, Layer
from bordermap.maps import map_ids, spec
from bordermap.pipeline import Parts, load
from bordermap.provenance import (
    ARTICLE_COLUMNS,
    PLACE_COLUMNS,
    Places,
    References,
    Sentences,
    article_rows,
)
from bordermap.render import Pages, render
from bordermap.reuse import (
    Previous,
    Said,
    build_key,
    chain_keys,
    content_key,
    keep_all,
    write_inputs,
)

if TYPE_CHECKING:
    from bordermap.articles import Article
    from bordermap.cache import MentionCache
    from bordermap.geoparse import Mention

__all__ = ["build", "build_file"]

#: The tables of ids ``mentions.csv`` refers to, with their columns (its sentences are the
#: GeoPackage's ``sentences`` table, written with the layers).
_NUMBERED = {"places.csv": PLACE_COLUMNS}


def _geometry_type(features: list[Feature]) -> str:
    kinds = sorted({"Point" if len(f.coords) == 1 else "LineString" for f in features})
    return "/".join(kinds) if kinds else "none"


def _article_entry(a: Article) -> dict[str, Any]:
    """An article in the manifest: its id and the SHA-256 of its file (its front matter,
    period and origin are in ``articles.csv``, whose own SHA-256 the manifest lists)."""
    return {"id": a.id, "sha256": a.sha256}


def _layer_entry(layer: Layer) -> dict[str, Any]:
    """A layer in the manifest: its title, feature count, geometry and length."""
    feats = layer.features
    lengths = [f.length_km for f in feats if f.length_km is not None]
    return {
        "title": layer.title,
        "features": len(feats),
        "geometry": _geometry_type(feats),
        "length_km": round(sum(lengths), 1) if lengths else None,
    }


def _annotation_entry(ann: Annotation) -> dict[str, Any]:
    """An annotation in the manifest: its count and what it was counted on."""
    return {
        "title": ann.title,
        "label": ann.label,
        "count": ann.count,
        "spacing_m": ann.config.spacing_m,
        "offset_m": ann.config.offset_m,
        "line": ann.config.line,
        "length_km": round(ann.length_km, 1),
        "share_on_claimed_side": round(ann.share_on_side, 4),
    }


def _kept_references(refs: References, kept: list[Mention]) -> None:
    """Number the sentences and places of ``kept`` (mentions whose rows the last build
    wrote) as :func:`write_mentions_csv` numbered them: each once, in first-seen order."""
    for sentence in dict.fromkeys(map(_SENTENCE, kept)):
        refs.sentences.add(sentence)
    for key in place_keys(kept):
        refs.places.add(key)


_SENTENCE = attrgetter("sentence")
_ARTICLE = attrgetter("article")


def _by_article(mentions: list[Mention]) -> dict[str, list[Mention]]:
    """``mentions`` grouped by article, a step per run of one article's mentions."""
    out: dict[str, list[Mention]] = {}
    for article, group in groupby(mentions, key=_ARTICLE):
        out.setdefault(article, []).extend(group)
    return out


def _splits(mentions: list[Mention], split: int, kept: set[str]) -> bool:
    """Whether the first ``split`` mentions are those of the ``kept`` articles' and no more."""
    if split > len(mentions):
        return False
    return (split == 0 or mentions[split - 1].article in kept) and (
        split == len(mentions) or mentions[split].article not in kept
    )


def _mention_tables(
    stage: Staging, previous: Previous, parts: Parts, refs: References, keys: dict[str, Any]
) -> None:
    """``mentions.csv`` and ``places.csv``, streamed in corpus order, numbering the sentences
    for the GeoPackage; when the corpus only grew at its end since the last build, continued
    from that build's files."""
    articles = list(parts.articles.values())
    mentions = parts.mentions
    chain = chain_keys(parts.mention_keys)
    done = previous.prefix("mentions.csv", chain)
    tables = {name: previous.prefix(name, chain) for name in _NUMBERED}
    kept = done.articles if done else 0
    if any(t is None or t.articles != kept for t in tables.values()):
        kept = 0
    # The mentions are in corpus order: those of the kept articles are the first
    # ``done.rows`` (the rows the last build wrote for them, with the same inputs).
    split = done.rows if kept and done else 0
    if kept and not _splits(mentions, split, {a.id for a in articles[:kept]}):
        kept = split = 0
    if kept:  # their rows are kept: only their sentences and places are numbered
        _kept_references(refs, mentions[:split])
    numbered = {"places.csv": refs.places}
    if kept and any(len(numbered[n]) != t.rows for n, t in tables.items() if t):
        kept = split = 0  # not what the last build numbered: write everything again
        refs.sentences, refs.places = Sentences(), Places()
        numbered = {"places.csv": refs.places}
    by_article = _by_article(mentions[split:])  # never a scan per article
    path = previous.copy(stage, "mentions.csv") if kept else stage.path("mentions.csv")
    with open(path, "a" if kept else "w", encoding="utf-8", newline="") as fh:
        results = ((a, by_article.get(a.id, [])) for a in articles[kept:])
        rows = write_mentions_csv(results, fh, refs.sentences.add, refs.places.add, header=not kept)
    rows += split
    for name, table in numbered.items():
        last = tables[name]
        start = last.rows if kept and last else 0
        new = table.rows(range(start + 1, len(table) + 1))
        if kept:
            with open(previous.copy(stage, name), "ab") as fh:
                fh.write(table_csv(None, new))
        else:
            stage.write(name, table_csv(_NUMBERED[name], new))
    if chain:
        keys["mentions.csv"] = {"articles": len(chain), "chain": chain[-1], "rows": rows}
        for name, table in numbered.items():
            keys[name] = {"articles": len(chain), "chain": chain[-1], "rows": len(table)}


#: The step a build reports (``progress``) when nothing changed since the last build
#: into its folder and every file was kept.
KEPT = "nothing changed since the last build: every file kept"


def build(
    parts: Parts,
    out: Path,
    tiles: str | None = None,
    progress: Callable[[str], None] | None = None,
    snapshots: bool = False,
) -> dict[str, Any]:
    """Write all maps and exports of the project ``parts`` into ``out``; return the manifest.

    ``tiles`` overrides the project's basemap tiles ("none" for none);
    ``progress`` is called with the name of each step (:data:`KEPT` last when every
    file of the last build into ``out`` was kept); ``snapshots`` also renders each
    map as a 1920x1080 PNG at scale 2 into ``out/snapshots/`` (with its alt text beside
    it), before anything is moved into place. The pictures of maps the build no
    longer draws are removed.

    Raises
    ------
    BordermapError
        If an article or the project file is bad; nothing is written then.
    BrowserError
        With ``snapshots``, if no Chromium is found or a map never becomes ready;
        nothing is written then either.
    """
    # The exports make hundreds of thousands of rows beside the corpus's mentions:
    # no collections walking them all meanwhile (bordermap.collector).
    with paused_gc():
        return _build(parts, out, tiles, progress, snapshots)


def _build(
    parts: Parts,
    out: Path,
    tiles: str | None,
    progress: Callable[[str], None] | None,
    snapshots: bool,
) -> dict[str, Any]:
    say = progress or (lambda _step: None)
    cfg = parts.config
    say("reading articles")
    articles = parts.articles
    whole = build_key(cfg, list(articles.values()), parts.mention_keys, tiles)

    def then(stage: Staging, kept: dict[str, Any]) -> None:
        if snapshots:
            pictures.shoot(stage, kept.get("maps"))

    kept = keep_all(out, whole, then)
    if kept is not None:
        say(KEPT)
        return kept
    with Said() as said:  # a build that keeps this one's files says its warnings again
        return _make(parts, out, tiles, say, snapshots, whole, said)


def _make(
    parts: Parts,
    out: Path,
    tiles: str | None,
    say: Callable[[str], None],
    snapshots: bool,
    whole: str,
    said: Said,
) -> dict[str, Any]:
    """:func:`build` when something changed since the last build into ``out``."""
    cfg, articles = parts.config, parts.articles
    say("finding places")
    mentions = parts.mentions
    say("computing layers")
    layers = parts.layers
    # Each count also on what the corpus covers; the uncovered stretches are exported
    # as a line layer of their own (README, "Mapping claims honestly").
    annotations = parts.covered_annotations
    exported = [*layers.values(), parts.coverage.layer()]

    manifest: dict[str, Any] = {
        "project": cfg.title,
        "articles": [_article_entry(a) for a in articles.values()],
        "mentions": len(mentions),
        "layers": {},
        "annotations": {},
        "maps": [],
        "files": [],
    }
    manifest["layers"] = {lid: _layer_entry(layer) for lid, layer in layers.items()}
    manifest["annotations"] = {aid: _annotation_entry(a) for aid, a in annotations.items()}
    manifest["coverage"] = parts.coverage.manifest()
    with staged(out, tracked="manifest.json") as stage:
        previous = Previous.load(out)
        say("writing the tables, GeoJSON, GeoPackage, KML and CSV")
        # The tables, the GeoPackage and the KML are written by a forked copy of this
        # process while this one writes the pages (with one job, here and now, before
        # the rest: the same bytes either way).
        side = start(lambda: _write_tables(stage, previous, parts, exported), parts.jobs)
        keys: dict[str, Any] = {"build": whole}
        try:
            _write_rest(stage, parts, previous, keys, manifest, tiles, say)
            names, found = side.result()
        except BaseException:
            side.cancel()
            raise
        for name in names:  # what the child staged, in this process's record
            stage.path(name)
        keys.update(found)
        manifest["files"] = list(stage.entries())
        stage.write("manifest.json", manifest_bytes(manifest))
        keys["manifest.json"] = file_entry(stage.path("manifest.json"), "manifest.json")["sha256"]
        stage.retired += pictures.stale(previous.manifest.get("maps"), manifest["maps"])
        if snapshots:  # not outputs the manifest lists either: pictures of the maps
            say("rendering snapshots")
            pictures.shoot(stage, manifest["maps"])
        keys["warnings"] = said.lines
        write_inputs(stage, keys)  # not an output: the manifest does not list it
    return manifest


def _write_tables(
    stage: Staging, previous: Previous, parts: Parts, exported: list[Layer]
) -> tuple[list[str], dict[str, Any]]:
    """``mentions.csv``, ``places.csv``, ``articles.csv``, the layers' GeoJSON and the
    GeoPackage (what refers to the build's numbered sentences and places), and the KML
    (which evens the two processes' shares). Returns the names it staged and the input
    keys of the tables (see :func:`_mention_tables`)."""
    before = len(stage.names)
    keys: dict[str, Any] = {}
    refs = References(article_rows(parts.articles, parts.origins))
    # The mentions first: they number the sentences (in corpus order) that
    # the layers' provenance then refers to.
    _mention_tables(stage, previous, parts, refs, keys)
    stage.write(
        "articles.csv",
        table_csv(ARTICLE_COLUMNS, [list(r.values()) for r in refs.articles.values()]),
    )
    *layers, uncovered = exported
    for layer in layers:
        stage.write(f"layers/{layer.id}.geojson", geojson_bytes(layer_collection(layer, refs)))
    annotations = list(parts.covered_annotations.values())
    for ann in annotations:
        stage.write(f"layers/{ann.id}.geojson", geojson_bytes(annotation_collection(ann)))
    stage.write(f"layers/{uncovered.id}.geojson", geojson_bytes(layer_collection(uncovered, refs)))
    write_gpkg(stage.path("bordermap.gpkg"), exported, annotations, refs)
    stage.write("bordermap.kml", kml_bytes(parts.config.title, exported, annotations))
    return stage.names[before:], keys


def _write_rest(
    stage: Staging,
    parts: Parts,
    previous: Previous,
    keys: dict[str, Any],
    manifest: dict[str, Any],
    tiles: str | None,
    say: Callable[[str], None],
) -> None:
    """``claims.csv`` and the map pages (an unchanged page taken from the last build)."""
    cfg, layers, annotations = parts.config, parts.layers, parts.covered_annotations
    # Claims (issue 14): one row per claim, with its sentences by offset.
    stage.write(
        "claims.csv",
        claims_csv(parts.claims, list(layers.values()), list(annotations.values())),
    )
    manifest["claims"] = {
        cid: {"status": c.config.status, "articles": list(c.config.articles),
              "origins": list(c.origins), "sources": c.counted}
        for cid, c in parts.claims.items()
    }  # fmt: skip
    pages = Pages()  # what the pages share: each layer's GeoJSON, digest, prepared copy
    for name in map_ids(cfg):
        say(f"drawing map {name}")
        page, drawn = f"{name}.html", spec(parts, name, tiles, pages=pages)
        keys[page] = content_key("page", pages.key(drawn))
        if not previous.take(stage, page, keys[page]):
            stage.write(page, render(drawn, pages).encode("utf-8"))
        manifest["maps"].append(page)


def build_file(
    config: str | Path,
    out: Path | None = None,
    tiles: str | None = None,
    progress: Callable[[str], None] | None = None,
    skip_bad: bool = False,
    jobs: int = 1,
    cache: MentionCache | None = None,
    tick: Callable[[int, int], None] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Load the project file ``config`` and build it into ``out`` (default: its output).

    Returns the output folder and the manifest. With ``skip_bad``, bad articles
    are left out, each with a warning on the ``bordermap`` logger; ``cache``
    keeps each article's mentions between builds, so that only new or changed
    articles are parsed; ``tick(done, total)`` follows the geoparser.

    Raises
    ------
    ConfigError
        If the project file is bad; nothing is written then.
    BordermapError
        As :func:`build`.
    """
    parts = load(load_config(config), skip_bad=skip_bad, jobs=jobs, cache=cache, tick=tick)
    target = out or parts.config.output
    return target, build(parts, target, tiles=tiles, progress=progress)
