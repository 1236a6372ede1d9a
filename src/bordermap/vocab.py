"""The closed vocabularies of bordermap's outputs, named once: import-light.

The CLI validates options against these at parse time; the library checks
the same tuples, so a choice added here is accepted everywhere at once.
"""

from __future__ import annotations

__all__ = [
    "TILES",
    "COMPARE_MODES",
    "SNAPSHOT_FORMATS",
    "SNAPSHOT_SUFFIXES",
    "MENTION_FORMATS",
    "TILE_TIMEOUT_MS",
]

#: Basemap tiles a map can load (``none``: no network at all).
TILES = ("OpenStreetMap", "none")

#: How ``bordermap compare`` shows two layers.
COMPARE_MODES = ("side-by-side", "swipe", "overlay")

#: Picture formats of ``bordermap snapshot``.
SNAPSHOT_FORMATS = ("png", "jpeg", "pdf")

#: File suffix → snapshot format, for ``-o FILE`` without ``--format``.
SNAPSHOT_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".pdf": "pdf"}

#: Output formats of ``bordermap extract``.
MENTION_FORMATS = ("table", "jsonl", "csv", "geojson", "parquet")

#: Tiles that have not finished after this long no longer hold back a page's readiness.
TILE_TIMEOUT_MS = 15_000
