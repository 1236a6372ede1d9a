"""Self-contained Leaflet pages: the map contract, its wire format and the pages.

* :mod:`~bordermap.render.spec`: what a map shows (:class:`MapSpec`,
  :class:`MapLayer`, :class:`CameraAnnotation`);
* :mod:`~bordermap.render._encode`: the one geometry wire format (quantised,
  delta-encoded, levels of detail, data blocks);
* :mod:`~bordermap.render._html`: escaping, deterministic ids, inlined
  assets, Content-Security-Policy, readiness;
* :mod:`~bordermap.render.map_page`: one map page (:func:`render`);
* :mod:`~bordermap.render.compare_page`: two layers compared on one page.

The page runtime is ``assets/bordermap.js`` (and ``compare.js``); the names of
the page's DOM (classes, panes, readiness) are declared once in
``assets/dom.js``.
"""

from __future__ import annotations

from bordermap.render._encode import BASEMAP_DETAIL_ZOOM
from bordermap.render._html import (
    READY_ATTRIBUTE,
    READY_SELECTOR,
    deterministic_ids,
    finish_page,
    inline_assets,
    js_json,
)
from bordermap.render.map_page import Legend, Panel, build_map, build_panels, render
from bordermap.render.spec import CAMERA_MIN_ZOOM, CameraAnnotation, MapLayer, MapSpec

__all__ = [
    "BASEMAP_DETAIL_ZOOM",
    "CAMERA_MIN_ZOOM",
    "READY_ATTRIBUTE",
    "READY_SELECTOR",
    "CameraAnnotation",
    "Legend",
    "MapLayer",
    "MapSpec",
    "Panel",
    "build_map",
    "build_panels",
    "deterministic_ids",
    "finish_page",
    "inline_assets",
    "js_json",
    "render",
]
