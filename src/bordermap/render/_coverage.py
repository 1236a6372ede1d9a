"""A page's "Not covered by the corpus": the payload of ``bordermap.addCoverage``
(``assets/coverage.js``) and its legend row.

The stretches travel in the one geometry wire format (:mod:`._encode`); their
tooltips and the summary are plain strings, escaped with the rest of the payload
(:func:`~bordermap.render._html.js_json`) and set with ``textContent``.
"""

from __future__ import annotations

from typing import Any

from bordermap.render._encode import _DataBlocks, _encode_geometries
from bordermap.render._html import _check_color
from bordermap.render.spec import CoverageLayer

__all__ = ["coverage_payload", "coverage_row"]


def coverage_payload(cov: CoverageLayer, blocks: _DataBlocks) -> dict[str, Any]:
    """What ``addCoverage`` reads: id, title, summary, colour, the stretches' geometries
    and their tooltips."""
    lines = [{"type": "LineString", "coordinates": [list(c) for c in s["coords"]]}
             for s in cov.stretches]  # fmt: skip
    return {
        "id": cov.id,
        "title": cov.title,
        "summary": list(cov.summary),
        "color": _check_color(cov.color, "the coverage layer"),
        "geoms": _encode_geometries(lines, blocks),
        "tips": blocks.ref([str(s["tooltip"]) for s in cov.stretches]),
    }


def coverage_row(cov: CoverageLayer) -> dict[str, str]:
    """The legend row: a dotted swatch, the title and the short summary under it."""
    return {"title": cov.title, "color": cov.color, "swatch": "dashed",
            "label": cov.label or " ".join(cov.summary)}  # fmt: skip
