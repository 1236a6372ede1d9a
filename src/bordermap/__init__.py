"""bordermap: maps of the China–North Korea border from news articles.

The library reads like a pipeline: :mod:`~bordermap.articles` →
:mod:`~bordermap.gazetteer` → :mod:`~bordermap.geoparse` → layers → render →
snapshot / export / compare. Heavy modules are imported lazily, so importing
``bordermap`` is cheap.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

try:
    __version__ = metadata.version("bordermap")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

__all__ = ["Project", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Project":
        from bordermap.project import Project

        return Project
    raise AttributeError(f"module 'bordermap' has no attribute {name!r}")
