"""Option values and parameter types shared by several commands."""

from __future__ import annotations

FORMATS = ("table", "jsonl", "csv", "geojson")
