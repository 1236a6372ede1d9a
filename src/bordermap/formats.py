"""Writing mentions as a table, JSON Lines, CSV, GeoJSON or Parquet (deterministic).

JSON Lines, CSV and Parquet are written as the mentions come, so memory stays
flat whatever the size of the corpus; Parquet goes to a binary stream in row
groups of :data:`PARQUET_ROWS` (pyarrow, the ``parquet`` extra).  A build's
``mentions.csv`` (:func:`write_mentions_csv`) names each mention's place and
sentence by their ids in ``places.csv`` and the GeoPackage's ``sentences``
instead of repeating them.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import IO, Any

from bordermap.articles import Article
from bordermap.errors import counted
from bordermap.geoparse import Mention

__all__ = [
    "MENTION_FIELDS",
    "REFERENCED_FIELDS",
    "place_key",
    "place_keys",
    "write_mentions",
    "write_mentions_csv",
    "write_parquet",
    "mentions_geojson",
    "PARQUET_ROWS",
]

MENTION_FIELDS = (
    "article", "start", "end", "text", "name", "kind", "country",
    "lat", "lon", "ref", "score", "match", "precision", "sentence",
)  # fmt: skip

#: The columns of a build's ``mentions.csv``: the place by its id in ``places.csv`` (whose
#: ``match`` says how it was found; empty for a phrase that resolved to nothing), the sentence
#: by its id in the GeoPackage's ``sentences``; the mention ends at ``start + len(text)``.
REFERENCED_FIELDS = ("article", "start", "text", "place_id", "score", "sentence_id")

Results = Iterable[tuple[Article, Sequence[Mention]]]

#: Mentions per Parquet row group (what is held in memory at a time).
PARQUET_ROWS = 50_000
_INTS = ("start", "end")
_FLOATS = ("lat", "lon", "score")


def _rows(results: Results) -> Iterator[dict[str, Any]]:
    return (m.as_dict() for _, mentions in results for m in mentions)


def mentions_geojson(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection, one Point per mention (null geometry when unresolved)."""
    features = []
    for row in rows:
        props = {k: row[k] for k in MENTION_FIELDS if k not in ("lat", "lon")}
        geometry = (
            {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
            if row["lat"] is not None
            else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_mentions(results: Results, fmt: str, out: IO[str]) -> None:
    """Write every mention of ``results`` to ``out`` in format ``fmt``.

    JSON Lines and CSV are written as ``results`` come (memory stays flat
    however large the corpus); the table and GeoJSON need every row first.
    """
    rows = _rows(results)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps({k: row[k] for k in MENTION_FIELDS}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=MENTION_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row[k] is None else row[k] for k in MENTION_FIELDS})
    elif fmt == "parquet":
        raise ValueError("Parquet is binary: use write_parquet with a binary stream")
    elif fmt == "geojson":
        json.dump(mentions_geojson(rows), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        _write_table(list(rows), out)


def place_key(m: Mention) -> tuple[Any, ...] | None:
    """What ``m`` resolved to and how, ``(ref, name, kind, country, lat, lon, precision,
    match)``, or None for a phrase that resolved to nothing (the places table's row but its
    id)."""
    key = (m.ref, m.name, m.kind, m.country, m.lat, m.lon, m.precision, m.match)
    return None if m.ref is None and m.lat is None and m.name is None else key


#: A mention's :func:`place_key` fields, read in one C call.
_PLACE_FIELDS = attrgetter("ref", "name", "kind", "country", "lat", "lon", "precision", "match")


def place_keys(mentions: Iterable[Mention]) -> list[tuple[Any, ...]]:
    """The distinct :func:`place_key` of ``mentions`` (None aside), in first-seen order.

    The same keys as calling :func:`place_key` per mention, found by C-level passes
    (an attribute getter and ``dict.fromkeys``): a rebuild numbers the places of
    every mention it keeps, hundreds of thousands at corpus scale.
    """
    return [
        key
        for key in dict.fromkeys(map(_PLACE_FIELDS, mentions))
        if not (key[0] is None and key[4] is None and key[1] is None)
    ]


def write_mentions_csv(
    results: Results,
    out: IO[str],
    sentence_id: Callable[[str], int],
    place_id: Callable[[tuple[Any, ...]], int],
    header: bool = True,
) -> int:
    """Write every mention of ``results`` to ``out`` as CSV with :data:`REFERENCED_FIELDS`.

    ``sentence_id`` gives the id of a sentence (``Sentences.add``), ``place_id``
    that of a :func:`place_key` (``Places.add``); the rows are written as
    ``results`` come (after the header unless ``header`` is false, to continue
    a file).  Returns the number of mentions.
    """
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(REFERENCED_FIELDS)
    count = 0
    for _, mentions in results:
        for m in mentions:
            key = place_key(m)
            writer.writerow((
                m.article, m.start, m.text, "" if key is None else place_id(key), m.score,
                sentence_id(m.sentence),
            ))  # fmt: skip
        count += len(mentions)
    return count


def write_parquet(results: Results, out: IO[bytes]) -> int:
    """Write every mention of ``results`` to ``out`` as one Parquet table; return the count.

    The columns are :data:`MENTION_FIELDS` (``start``/``end`` int64, ``lat``,
    ``lon``, ``score`` float64 with nulls for unresolved phrases, the rest
    strings); the same mentions give the same bytes.

    Raises
    ------
    ModuleNotFoundError
        If pyarrow is not installed (``pip install 'bordermap[parquet]'``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    def kind(name: str) -> pa.DataType:
        return pa.int64() if name in _INTS else pa.float64() if name in _FLOATS else pa.string()

    schema = pa.schema([pa.field(name, kind(name)) for name in MENTION_FIELDS])
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        columns: dict[str, list[Any]] = {name: [] for name in MENTION_FIELDS}
        for row in _rows(results):
            for name in MENTION_FIELDS:
                columns[name].append(row[name])
            count += 1
            if len(columns["article"]) >= PARQUET_ROWS:
                writer.write_table(pa.table(columns, schema=schema))
                columns = {name: [] for name in MENTION_FIELDS}
        if columns["article"] or not count:
            writer.write_table(pa.table(columns, schema=schema))
    return count


def _width(text: str) -> int:
    """Terminal columns: Hangul and Han characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _write_table(rows: list[dict[str, Any]], out: IO[str]) -> None:
    header = ("article", "offsets", "text", "name", "kind", "cc", "lat", "lon", "score")
    table = [header]
    for r in rows:
        table.append((
            r["article"], f"{r['start']}-{r['end']}", r["text"], r["name"] or "?",
            r["kind"] or "?", r["country"] or "--",
            "" if r["lat"] is None else f"{r['lat']:.4f}",
            "" if r["lon"] is None else f"{r['lon']:.4f}",
            f"{r['score']:.2f}",
        ))  # fmt: skip
    widths = [max(_width(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        cells = (str(c) + " " * (w - _width(str(c))) for c, w in zip(row, widths, strict=True))
        out.write("  ".join(cells).rstrip())
        out.write("\n")
    places = {(r["name"], r["ref"]) for r in rows if r["ref"]}
    out.write(f"{counted(len(rows), 'mention')} of {counted(len(places), 'place')}\n")
