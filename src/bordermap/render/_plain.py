"""Page data as plain JSON: property values made plain, records sent as columns.

What a page's layers hold comes from geopandas tables, the library's features
or a user's GeoJSON: :func:`_plain` turns numpy scalars, NaN and dates into
JSON values, :func:`_plain_rows` passes a layer's provenance (thousands of
small dicts, plain already) without copying it, :func:`_clean_collection`
copies a FeatureCollection with its coordinates rounded, and :func:`_records`
sends a list of records as columns (``bordermap.records`` in
``assets/bordermap.js`` gives the list back). The geometry itself travels in
the wire format of :mod:`._encode`.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable, Sequence
from itertools import chain, compress, repeat
from typing import Any

from bordermap.render._html import tag


def _records(items: Sequence[dict[str, Any] | None]) -> Any:
    """A list of records (dicts, or ``None``) as columns, when they share their keys.

    ``{"keys", "rows"}``: each row the values of ``keys`` in order (``null``
    for a ``None`` record); with at least two rows, ``"same"`` holds the
    columns whose value every record shares, left out of the rows.  A
    layer's properties repeat a dozen such columns (kind, precision, the
    claim fields a place without a claim leaves empty) and its provenance
    references their context, so this is about a third of their size.
    Records with different keys stay a plain list.  ``bordermap.records``
    (``assets/bordermap.js``) gives back the list.
    """
    present = [r for r in items if r is not None]
    keys = list(present[0]) if present else []
    if any(list(r) != keys for r in present):
        return list(items)
    same: dict[str, Any] = {}
    if len(items) >= 2 and present and len(present) == len(items):
        first = present[0]
        for k in keys:
            if _shared(first[k], (r[k] for r in present[1:])):
                same[k] = first[k]
    varying = [k for k in keys if k not in same]
    out: dict[str, Any] = {"keys": keys}
    if same:
        out["same"] = same
    out["rows"] = [None if r is None else [r[k] for k in varying] for r in items]
    return out


def _shared(value: Any, others: Iterable[Any]) -> bool:
    """Whether every one of ``others`` has the JSON text of ``value`` (by :func:`tag`)."""
    t = tag(value)
    if type(t) is str:  # most columns: compared as strings, no JSON text built
        return all((x == t) if type(x) is str else tag(x) == t for x in others)
    return all(tag(x) == t for x in others)


#: Types whose values are plain JSON data as they are.
_PLAIN = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    """Property values as plain JSON data.

    Layer tables usually come from geopandas: missing numbers are NaN (shown as
    absent, not rejected), numbers may be numpy scalars, dates may be objects.
    A layer's provenance is thousands of small dicts of strings and ints, so
    those are copied without a call per value; anything else goes through
    :func:`_plain_other`.
    """
    t = type(value)
    if t in _PLAIN:
        return value
    if t is dict:
        return {(k if type(k) is str else str(k)): (v if type(v) in _PLAIN else _plain(v))
                for k, v in value.items()}  # fmt: skip
    if t is list or t is tuple:
        return [v if type(v) in _PLAIN else _plain(v) for v in value]
    if t is float:
        return value if math.isfinite(value) else None
    return _plain_other(value)


def _plain_other(value: Any) -> Any:
    """:func:`_plain` of a value of any other type (subclasses, numpy, dates)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar -> Python scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _round_coords(coords: Any, ndigits: int) -> Any:
    if type(coords) is float:
        return round(coords, ndigits)
    if isinstance(coords, numbers.Real):  # includes numpy scalars
        return round(float(coords), ndigits)
    return [round(c, ndigits) if type(c) is float else _round_coords(c, ndigits) for c in coords]


def _clean_collection(
    fc: dict[str, Any], ndigits: int, where: str, lean: str | None = None
) -> dict[str, Any]:
    """Copy a FeatureCollection keeping geometry (rounded) and properties.

    The property ``lean`` (a layer's provenance: most of its data), when it is a
    list of dicts that are plain already (:func:`_plain_rows`), is not copied:
    the cleaned collection holds the caller's list, which its user must copy
    what it keeps of (:class:`._sources.LayerSources` does).
    """
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        raise ValueError(f"{where}: expected a GeoJSON FeatureCollection")
    features = []
    for i, feature in enumerate(fc.get("features") or []):
        geometry = feature.get("geometry")
        if not geometry or "type" not in geometry:
            raise ValueError(f"{where}: feature {i} has no geometry")
        if geometry["type"] == "GeometryCollection":
            raise ValueError(f"{where}: feature {i}: GeometryCollection is not supported")
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round_coords(geometry["coordinates"], ndigits),
                },
                "properties": _properties(feature.get("properties") or {}, lean),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _properties(props: Any, lean: str | None) -> Any:
    if lean is None or type(props) is not dict or lean not in props:
        return _plain(props)
    plain = _PLAIN
    return {(k if type(k) is str else str(k)):
            (_plain_rows(v) if k == lean else v if type(v) in plain else _plain(v))
            for k, v in props.items()}  # fmt: skip


_STR = frozenset({str})
_DICT = frozenset({dict})
_PLAIN_OR_LIST = _PLAIN | {list}


def _plain_rows(value: Any) -> Any:
    """``value`` itself if it is a list of dicts of plain values (str keys; str, int,
    bool, ``None`` or lists of those), else :func:`_plain` of it.  The types are
    looked at in C (``set(map(type, ...))`` over every row's keys and values at once,
    the lists among the values picked by ``compress``), many times faster than a copy."""
    if type(value) is not list:
        return _plain(value)
    if not _DICT.issuperset(map(type, value)) or not _STR.issuperset(
        map(type, chain.from_iterable(value))  # every row's keys
    ):
        return _plain(value)
    values = list(chain.from_iterable(map(dict.values, value)))
    kinds = list(map(type, values))
    types = set(kinds)
    if types <= _PLAIN:
        return value
    if not types <= _PLAIN_OR_LIST:
        return _plain(value)
    lists = compress(values, map(operator.is_, kinds, repeat(list)))
    if _PLAIN.issuperset(map(type, chain.from_iterable(lists))):
        return value
    return _plain(value)
