"""A layer as the pages of a build draw it, prepared once for all of them.

A build's index page draws every layer and each layer's own page draws it
again (beside the border).  What a layer's payload holds that does not depend
on the page is made once per distinct layer and kept: the cleaned features,
their geometry in the wire format with its JSON text (:class:`._encode._Ref`,
put into a page's data blocks by :func:`._encode._resolve`), the properties
table, the weights and the provenance as :class:`._sources.LayerSources`
reads it.  A page then only numbers the provenance in its own tables
(:class:`._sources.PageSources`).

What is kept lives as long as the :class:`Pages` of one build (a build makes
one and drops it at its end): a layer is found again by the digest of its
contents (:func:`._encode.content_digest` of its id and GeoJSON), and that
digest is computed once per GeoJSON object and serves the page's rebuild key
too (:meth:`Pages.key`), so a page's layers are pickled once per build, not
once for the key and again for the lookup.  The objects a :class:`Pages` has
seen must not change in place while it is in use (it remembers their digests
by identity); :func:`prepare` without one keeps nothing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from bordermap.render._encode import (
    _LAYER_DECIMALS,
    _encode_geometries,
    _Later,
    _Ref,
    content_digest,
)
from bordermap.render._plain import _clean_collection, _records
from bordermap.render._sources import LayerSources, entries_of
from bordermap.render.spec import MapLayer, MapSpec

__all__ = ["Pages", "PreparedLayer", "prepare"]

_STR = frozenset({str})

T = TypeVar("T")


@dataclass(frozen=True)
class PreparedLayer:
    """What every page that draws a layer puts in the same way."""

    id: str
    #: The geometries in the wire format, with a :class:`._encode._Ref` for each payload
    #: that a page's data blocks hold or inline.
    geoms: Any
    #: The features' properties without provenance, as :func:`._plain._records`.
    props: _Ref
    #: How many articles name each feature (``None`` for one without provenance).
    weights: _Ref
    sources: LayerSources
    #: The features' geometry types (the legend's swatch).
    types: frozenset[str]


class Pages:
    """What the pages of one build share: values made once for all of them, the digest
    of each layer's contents and each distinct layer prepared (:class:`PreparedLayer`).

    A build makes one, passes it to every :func:`~bordermap.render.render` (and to
    :func:`bordermap.maps.spec`, which shares each layer's GeoJSON between the pages
    that draw it) and drops it; nothing is kept past it.
    """

    def __init__(self) -> None:
        # By id() of an object, with the object itself (so that the id stays its own).
        self._made: dict[tuple[str, int], tuple[Any, Any]] = {}
        self._digests: dict[int, tuple[Any, str | None]] = {}
        self._prepared: dict[tuple[str, str], PreparedLayer] = {}
        #: Each packed data block's data by its text: several pages of a build may pack
        #: the same text (a sources list), compressed once.
        self.packed: dict[str, str] = {}

    def shared(self, what: str, owner: Any, make: Callable[[Any], T]) -> T:
        """``make(owner)`` the first time ``what`` of ``owner`` (an object) is asked for, then
        the same value (the pages must not change it)."""
        key = (what, id(owner))
        found = self._made.get(key)
        if found is None or found[0] is not owner:
            found = self._made[key] = (owner, make(owner))
        value: T = found[1]
        return value

    def digest(self, value: Any) -> str | None:
        """:func:`._encode.content_digest` of ``value``, once per object."""
        found = self._digests.get(id(value))
        if found is None or found[0] is not value:
            found = self._digests[id(value)] = (value, content_digest(value))
        return found[1]

    def prepare(self, layer: MapLayer) -> PreparedLayer:
        """``layer`` prepared for a page, the same object for every page that draws it."""
        digest = self.digest(layer.geojson)
        key = None if digest is None else (layer.id, digest)
        found = self._prepared.get(key) if key is not None else None
        if found is None:
            found = _prepare(layer)
            if key is not None:
                self._prepared[key] = found
        return found

    def key(self, spec: MapSpec) -> Any:
        """What of ``spec`` a page's rebuild key hashes: ``spec`` with its layers' GeoJSON,
        its basemap and its coverage standing as their digests (equal for equal contents,
        as the objects themselves would be)."""
        layers = [(x.id, x.title, x.color, x.shown, self.digest(x.geojson) or x.geojson)
                  for x in spec.layers]  # fmt: skip
        rest = replace(spec, layers=[], basemap={}, coverage=None)
        return (rest, layers, self.digest(spec.basemap) or spec.basemap,
                self.digest(spec.coverage) or spec.coverage)  # fmt: skip


def prepare(layer: MapLayer, pages: Pages | None = None) -> PreparedLayer:
    """``layer`` prepared for a page, from what ``pages`` prepared if it is one of them.

    Raises
    ------
    ValueError
        On malformed GeoJSON or NaN coordinates.
    """
    return _prepare(layer) if pages is None else pages.prepare(layer)


_ARTICLE_OF = operator.itemgetter("article")


def _article_ids(entries: list[dict[str, Any]]) -> str:
    """The entries' article ids, sorted and comma-joined (entries without one left out).

    Looked at in C when every entry names its article as a str (the common case)."""
    try:
        found = set(map(_ARTICLE_OF, entries))
    except KeyError:
        found = None
    if found is None or not _STR.issuperset(map(type, found)):
        return ",".join(sorted({str(e["article"]) for e in entries if e.get("article")}))
    found.discard("")
    return ",".join(sorted(found))


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
            if p.get("articles") == _article_ids(entries):
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
