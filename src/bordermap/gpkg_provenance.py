"""The GeoPackage's provenance: every entry by id, and the view that joins them back.

A feature's provenance entries (one per article that names its place) are
written as ``provenance_entries`` rows of ids and numbers (the feature by its
number in ``provenance_features``, the article and the sentence by id, the
mark and the count; a title, an outlet, a date, an origin or a claim only
where the entry says otherwise than the article's row or the feature's
claim), and the SQL view ``provenance``, registered in ``gpkg_contents`` as an
attribute table, joins them with ``articles``, ``sentences`` and the layer
table's description (its claim) into one row per feature and article, whole:
what QGIS, ``ogrinfo`` and ``ogr2ogr`` list and read.  The tables and the
view are written by :func:`bordermap.export.write_gpkg`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from itertools import chain, compress, repeat
from pathlib import Path
from typing import Any

from bordermap.layers import Layer
from bordermap.provenance import ARTICLE_LEVEL, References, entry_claim

__all__ = [
    "ENTRY_COLUMNS",
    "FEATURE_COLUMNS",
    "PROVENANCE_COLUMNS",
    "REFERENCE_TABLES",
    "provenance_tables",
    "register_view",
    "table_names",
]

#: The leading columns of the GeoPackage's view ``provenance`` (other entry keys follow), one
#: row per feature and article: the entry whole, its article's ``title``, ``outlet``, ``date``
#: and ``origin``, its ``claim`` (the layer's, then the feature's note, unless the entry says
#: otherwise), its ``sentence`` by id and as ``sentence_text``.
PROVENANCE_COLUMNS = ("layer", "feature", "article", "title", "outlet", "date", "origin",
                      "claim", "sentence", "sentence_text", "mark_start", "mark_end",
                      "mentions")  # fmt: skip


def table_names(layer_ids: Sequence[str]) -> dict[str, str]:
    """The GeoPackage's reference tables and view (:data:`REFERENCE_TABLES`), each prefixed
    with ``bordermap_`` when a layer already has its name."""
    taken = set(layer_ids)
    return {t: t if t not in taken else f"bordermap_{t}" for t in REFERENCE_TABLES}


#: The GeoPackage's attribute tables beside the layers (see :func:`table_names`): the
#: articles and sentences once each, the cited features and the entries by id, and the view
#: ``provenance`` that joins them into one row per feature and article.
REFERENCE_TABLES = ("articles", "sentences", "provenance_features", "provenance_entries",
                    "provenance")  # fmt: skip

#: The columns of ``provenance_entries``, one row per entry by reference (other keys of an
#: entry follow, such as ``corrected``, or a ``title`` the article's row does not say).
ENTRY_COLUMNS = ("feature_fid", "article", "sentence", "mark_start", "mark_end", "mentions",
                 "claim")  # fmt: skip
#: The columns of ``provenance_features``: each feature that has entries, once (``fid`` is
#: what an entry's ``feature_fid`` names); ``claim`` is set only where the feature's note
#: adds to the layer's claim (the layer table's description in ``gpkg_contents``).
FEATURE_COLUMNS = ("fid", "layer", "feature", "claim")


def provenance_tables(
    layers: Sequence[Layer], refs: References
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The columns of ``provenance_features`` and ``provenance_entries`` (each a list per
    column, a row per cited feature and per entry; ``None`` where a row has no value):
    every provenance entry of every feature by reference (its article and sentence by id,
    its feature by number).  A ``mark`` of two numbers is ``mark_start`` and ``mark_end``;
    a value that is not a string, a number or ``None`` is written as JSON.

    An export has hundreds of thousands of entries, so the entries are read key by key
    (a column at a time) rather than entry by entry; an entry whose keys would land in
    the same column twice (a ``mark`` beside a ``mark_start``) is read entry by entry.
    """
    fids: list[int] = []
    layer_ids: list[str] = []
    feature_ids: list[str] = []
    own_claims: list[str | None] = []
    flat: list[Mapping[str, Any]] = []  # every entry, in feature order
    entry_fids: list[int] = []
    claims: list[str] = []  # per entry, the claim its feature's entries say by default
    for layer in layers:
        for f in layer.features:
            if not f.provenance:
                continue
            fid = len(fids) + 1
            claim = entry_claim(layer.config.claim, f.note)
            fids.append(fid)
            layer_ids.append(layer.id)
            feature_ids.append(f.id)
            own_claims.append(claim if claim != layer.config.claim else None)
            flat.extend(f.provenance)
            entry_fids.extend(repeat(fid, len(f.provenance)))
            claims.extend(repeat(claim, len(f.provenance)))
    cited: dict[str, list[Any]] = {
        "fid": fids, "layer": layer_ids, "feature": feature_ids, "claim": own_claims
    }  # fmt: skip
    keys = set(chain.from_iterable(flat))  # in C
    if keys & _CLASHING:
        return cited, _entries_by_row(flat, entry_fids, claims, refs)
    return cited, _entries_by_column(flat, entry_fids, claims, refs, keys)


#: Entry keys that name a column the entries' other keys also fill: such entries are
#: read one by one (:func:`_entries_by_row`), where the later key wins, as in a dict.
_CLASHING = frozenset({"feature_fid", "mark_start", "mark_end"})
#: Types of values written as they are (a bool is an int); any other is written as JSON.
_AS_IS = (str, int, float)
#: The exact types of those, with ``None``'s and ``object`` (that of :data:`_GONE`).
_AS_IS_TYPES = frozenset({str, int, float, bool, type(None), object})
#: The keys an entry leaves out where the article's row says the same.
_LEVEL = frozenset(ARTICLE_LEVEL)
#: Stands for a key an entry lacks or that its reference leaves out.
_GONE: Any = object()


def _cell(value: Any) -> Any:
    if isinstance(value, _AS_IS) or value is None:
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _entries_by_column(
    flat: list[Mapping[str, Any]], fids: list[int], claims: list[str], refs: References,
    keys: set[str],
) -> dict[str, list[Any]]:  # fmt: skip
    """The entries' columns (:func:`provenance_tables`), each made in one pass over the
    entries: a key's column is there when one entry keeps the key."""
    n = len(flat)
    out: dict[str, list[Any]] = {"feature_fid": fids}
    articles, gone = refs.articles, _GONE
    rows = [articles.get(str(e.get("article", ""))) for e in flat] if keys & _LEVEL else []
    for key in keys:
        if key == "sentence":  # numbered as the entries first name them
            add = refs.sentences.add
            ids = [add(v) if v else None for v in [e.get(key) for e in flat]]
            if any(ids):  # an empty sentence is left out
                out[key] = ids
            continue
        values = [e.get(key, gone) for e in flat]
        if key == "claim":
            values = [gone if v == c else v for v, c in zip(values, claims, strict=True)]
        elif key in _LEVEL:
            values = [gone if r is not None and v is not gone and r.get(key) == v else v
                      for v, r in zip(values, rows, strict=True)]  # fmt: skip
        if key == "mark":  # a pair is mark_start and mark_end; anything else, a mark
            pairs = [isinstance(v, list) and len(v) == 2 for v in values]
            if any(pairs):
                starts: list[Any] = [None] * n
                ends: list[Any] = [None] * n
                for i in compress(range(n), pairs):
                    starts[i], ends[i] = values[i]
                out["mark_start"], out["mark_end"] = starts, ends
                values = [gone if p else v for v, p in zip(values, pairs, strict=True)]
        if all(v is gone for v in values):
            continue  # no entry keeps the key: no column
        if _AS_IS_TYPES.issuperset(map(type, values)):  # in C: the values are cells
            out[key] = [None if v is gone else v for v in values]
        else:
            out[key] = [None if v is gone else _cell(v) for v in values]
    return out


def _entries_by_row(
    flat: list[Mapping[str, Any]], fids: list[int], claims: list[str], refs: References
) -> dict[str, list[Any]]:
    """The entries' columns (:func:`provenance_tables`), made entry by entry."""
    rows: list[dict[str, Any]] = []
    for entry, fid, claim in zip(flat, fids, claims, strict=True):
        row: dict[str, Any] = {"feature_fid": fid}
        for key, value in refs.entries([entry], claim)[0].items():
            if key == "mark" and isinstance(value, list) and len(value) == 2:
                row["mark_start"], row["mark_end"] = value
            else:
                row[key] = _cell(value)
        rows.append(row)
    keys = dict.fromkeys(k for r in rows for k in r)
    return {k: [r.get(k) for r in rows] for k in keys}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def register_view(
    path: Path, names: dict[str, str], others: Sequence[str], last_change: str
) -> None:
    """Register the view ``provenance`` (:data:`PROVENANCE_COLUMNS`, then ``others``): every
    entry joined with its feature, article and sentence, as the entries were before they were
    written by reference; an attribute table in ``gpkg_contents``, so GDAL and QGIS list it."""
    import sqlite3

    e, f, a, s = (_quoted(names[t]) for t in ("provenance_entries", "provenance_features",
                                              "articles", "sentences"))  # fmt: skip
    level = [k for k in others if k in ARTICLE_LEVEL]
    rest = [k for k in others if k not in ARTICLE_LEVEL]
    columns = [
        "e.fid AS fid", "f.layer AS layer", "f.feature AS feature", "e.article AS article",
        *(f"COALESCE(e.{_quoted(k)}, a.{_quoted(k)}, '') AS {_quoted(k)}" if k in level
          else f"COALESCE(a.{_quoted(k)}, '') AS {_quoted(k)}" for k in ARTICLE_LEVEL),
        "COALESCE(e.claim, f.claim, c.description, '') AS claim",
        "e.sentence AS sentence", "s.text AS sentence_text", "e.mark_start AS mark_start",
        "e.mark_end AS mark_end", "e.mentions AS mentions",
        *(f"e.{_quoted(k)} AS {_quoted(k)}" for k in rest),
    ]  # fmt: skip
    view = _quoted(names["provenance"])
    sql = (
        f"CREATE VIEW {view} AS SELECT {', '.join(columns)} FROM {e} e "
        f"JOIN {f} f ON f.fid = e.feature_fid LEFT JOIN {a} a ON a.id = e.article "
        f"LEFT JOIN {s} s ON s.id = e.sentence "
        "LEFT JOIN gpkg_contents c ON c.table_name = f.layer"
    )
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(sql)
            db.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
                "last_change) VALUES (?, 'attributes', ?, ?, ?)",
                (names["provenance"], names["provenance"],
                 "Every feature's sources, one row per feature and article: the entries "
                 "joined with their features, articles and sentences", last_change),
            )  # fmt: skip
    finally:
        db.close()
