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
from collections.abc import Sequence
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
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of ``provenance_features`` and ``provenance_entries``: every provenance entry
    of every feature by reference (its article and sentence by id, its feature by number)."""
    cited: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for layer in layers:
        for f in layer.features:
            if not f.provenance:
                continue
            fid = len(cited) + 1
            claim = entry_claim(layer.config.claim, f.note)
            own = claim if claim != layer.config.claim else None
            cited.append({"fid": fid, "layer": layer.id, "feature": f.id, "claim": own})
            for entry in refs.entries(f.provenance, claim):
                row: dict[str, Any] = {"feature_fid": fid}
                for key, value in entry.items():
                    if key == "mark" and isinstance(value, list) and len(value) == 2:
                        row["mark_start"], row["mark_end"] = value
                    elif isinstance(value, (str, int, float)) or value is None:
                        row[key] = value
                    else:
                        row[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
                entries.append(row)
    return cited, entries


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
