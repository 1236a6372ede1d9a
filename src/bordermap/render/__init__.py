"""Self-contained Leaflet pages: the map contract, its wire format and the pages.

* :mod:`~bordermap.render.spec`: what a map shows (:class:`MapSpec`,
  :class:`MapLayer`, :class:`CameraAnnotation`, :class:`CoverageLayer`);
* :mod:`~bordermap.render._encode`: the one geometry wire format (quantised,
  delta-encoded, levels of detail, data blocks);
* :mod:`~bordermap.render._html`: escaping, deterministic ids, inlined
  assets, Content-Security-Policy, readiness;
* :mod:`~bordermap.render.map_page`: one map page (:func:`render`);
* :mod:`~bordermap.render.compare_page`: two layers compared on one page.

The page runtime is ``assets/bordermap.js`` (the core) with ``basemap.js`` and
``cameras.js`` (and ``compare.js`` on a compare page); the names of the page's
DOM (classes, panes, readiness, window handles) are declared once in
``assets/dom.js``, which every page inlines first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bordermap.render._encode import BASEMAP_DETAIL_ZOOM
    from bordermap.render._html import (
        READY_ATTRIBUTE,
        READY_SELECTOR,
        deterministic_ids,
        finish_page,
        inline_assets,
        js_json,
    )
    from bordermap.render._layer import Pages
    from bordermap.render.map_page import Legend, Panel, build_map, build_panels, render
    from bordermap.render.spec import (
        CAMERA_MIN_ZOOM,
        CameraAnnotation,
        CoverageLayer,
        MapLayer,
        MapSpec,
    )

# Public name -> the module that defines it.  Imported on first use, so that
# the contract (spec) and the readiness names (_html) cost no folium import.
_HOMES = {
    "BASEMAP_DETAIL_ZOOM": "_encode",
    "READY_ATTRIBUTE": "_html",
    "READY_SELECTOR": "_html",
    "deterministic_ids": "_html",
    "finish_page": "_html",
    "inline_assets": "_html",
    "js_json": "_html",
    "Legend": "map_page",
    "Pages": "_layer",
    "Panel": "map_page",
    "build_map": "map_page",
    "build_panels": "map_page",
    "render": "map_page",
    "CAMERA_MIN_ZOOM": "spec",
    "CameraAnnotation": "spec",
    "CoverageLayer": "spec",
    "MapLayer": "spec",
    "MapSpec": "spec",
}

__all__ = [
    "BASEMAP_DETAIL_ZOOM",
    "CAMERA_MIN_ZOOM",
    "CameraAnnotation",
    "CoverageLayer",
    "Legend",
    "MapLayer",
    "MapSpec",
    "Pages",
    "Panel",
    "READY_ATTRIBUTE",
    "READY_SELECTOR",
    "build_map",
    "build_panels",
    "deterministic_ids",
    "finish_page",
    "inline_assets",
    "js_json",
    "render",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
