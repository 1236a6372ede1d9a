"""A layer as the pages of a build draw it, prepared once for all of them.

A build's index page draws every layer and each layer's own page draws it
again (beside the border).  What a layer's payload holds that does not depend
on the page is made once per distinct layer and kept: the cleaned features,
their geometry in the wire format with its JSON text (:class:`._encode._Ref`,
put into a page's data blocks by :func:`._encode._resolve`), the properties
table, the weights and the provenance as :class:`._sources.LayerSources`
reads it.  A page then only numbers the provenance in its own tables
(:class:`._sources.PageSources`).

Layers are kept by the digest of their contents (:func:`._encode.content_digest`
of the id and the GeoJSON), never by the identity of the objects that hold
them, so a layer that changed is prepared again, and what is kept is the
prepared copy, which nothing outside this module holds.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bordermap.render._encode import (
    _LAYER_DECIMALS,
    _clean_collection,
    _encode_geometries,
    _Later,
    _records,
    _Ref,
    content_digest,
)
from bordermap.render._sources import LayerSources, entries_of
from bordermap.render.spec import MapLayer

__all__ = ["PreparedLayer", "prepare"]

#: Prepared layers kept (the most recently used): more than a project has layers,
#: so that every layer page of a build finds what the index prepared.
CACHE_SIZE = 64
_CACHE: OrderedDict[str, PreparedLayer] = OrderedDict()


@dataclass(frozen=True)
class PreparedLayer:
    """What every page that draws a layer puts in the same way."""

    id: str
    #: The geometries in the wire format, with a :class:`._encode._Ref` for each payload
    #: that a page's data blocks hold or inline.
    geoms: Any
    #: The features' properties without provenance, as :func:`._encode._records`.
    props: _Ref
    #: How many articles name each feature (``None`` for one without provenance).
    weights: _Ref
    sources: LayerSources
    #: The features' geometry types (the legend's swatch).
    types: frozenset[str]


def prepare(layer: MapLayer) -> PreparedLayer:
    """``layer`` prepared for a page, from the last ones prepared if it is one of them.

    Raises
    ------
    ValueError
        On malformed GeoJSON or NaN coordinates.
    """
    key = content_digest((layer.id, layer.geojson))
    found = _CACHE.get(key) if key is not None else None
    if found is not None:
        _CACHE.move_to_end(key)  # type: ignore[arg-type]
        return found
    prepared = _prepare(layer)
    if key is not None:
        _CACHE[key] = prepared
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return prepared


def _prepare(layer: MapLayer) -> PreparedLayer:
    """The page-independent part of ``addFeatures``' payload (see ``map_page._layer_payload``).

    The ``layer`` property (the layer's id) and ``articles`` (the provenance's
    article ids, sorted and comma-joined) are left out of the properties when
    they say only that; the page puts them back.
    """
    fc = _clean_collection(layer.geojson, _LAYER_DECIMALS, f"layer {layer.id!r}", "provenance")
    props, provenances = [], []
    for f in fc["features"]:
        p = dict(f["properties"])
        entries = entries_of(p.get("provenance"))
        if entries is not None:
            del p["provenance"]
            ids = ",".join(sorted({str(e["article"]) for e in entries if e.get("article")}))
            if p.get("articles") == ids:
                del p["articles"]
        if p.get("layer") == layer.id:
            del p["layer"]
        props.append(p)
        provenances.append(entries)
    features = fc["features"]
    return PreparedLayer(
        id=layer.id,
        geoms=_encode_geometries([f["geometry"] for f in features], _Later()),
        props=_Ref(_records(props)),
        weights=_Ref([None if e is None else len(e) for e in provenances]),
        sources=LayerSources(provenances),
        types=frozenset(f["geometry"]["type"] for f in features),
    )
