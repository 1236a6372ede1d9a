"""How a snapshot presents a map's furniture: the Python side of ``assets/presenter.*``.

``assets/presenter.js`` and ``presenter.css`` do the work inside the page
(enlarge the title box, legend and attribution, replace the scale bar, hide
the zoom buttons and layer switcher, re-place the camera label, report the
furniture); this module computes their parameters for a frame size
(:func:`furniture_scale`, :func:`compact_frame`) and turns the report into
:class:`Furniture`.  :mod:`bordermap.snapshot` drives the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bordermap.as_of import AsOf
from bordermap.files import shipped_text

__all__ = [
    "FURNITURE_JS",
    "Furniture",
    "compact_frame",
    "furniture_scale",
    "prepare_options",
    "presenter_assets",
    "read_furniture",
]

#: The frame size (CSS px) at which the page's own furniture sizes are kept.
_BASE_FRAME = (1280, 720)
#: The smallest furniture scale, and the frame size below which it is compact.
_MIN_FURNITURE_SCALE = 0.75
_COMPACT_BELOW = (1000, 560)
#: The snapshot scale bar's maximum width at furniture scale 1, CSS px.
_SCALE_MAX_PX = 120

#: How long a step of the preparation may wait for the map to settle, ms.
_SETTLE_MS = 2000

#: Reads the visible furniture once the page is prepared (see presenter.js).
FURNITURE_JS = "() => window.bordermapPresenter.furniture()"


@dataclass(frozen=True)
class Furniture:
    """One piece of map furniture as it appears in the captured frame.

    Attributes
    ----------
    text : str
        Its visible text.
    box : (x, y, width, height)
        Where it is, in CSS pixels from the frame's top-left corner.
    font_px : float
        Its smallest font size in CSS pixels, after enlargement.
    """

    text: str
    box: tuple[float, float, float, float]
    font_px: float

    def inside(self, size: tuple[int, int]) -> bool:
        """Whether the whole box lies within a frame of ``size`` (width, height) CSS px."""
        x, y, w, h = self.box
        return x >= 0 and y >= 0 and x + w <= size[0] + 0.5 and y + h <= size[1] + 0.5


def furniture_scale(size: tuple[int, int]) -> float:
    """How much the map furniture (title, legend, scale, labels) is enlarged for ``size``.

    The page's own type sizes (12–17 px) suit a browser window of about
    1280×720; a slide keeps the same proportion of text to frame, so a
    1920×1080 frame gets 1.5, a 3840×2160 frame 3.  Smaller frames shrink the
    furniture with the frame, but never below 0.75 (text of 9 px and more):
    a small frame drops detail instead (see :func:`compact_frame`).
    """
    ratio = min(size[0] / _BASE_FRAME[0], size[1] / _BASE_FRAME[1])
    return max(_MIN_FURNITURE_SCALE, ratio) if ratio < 1 else ratio


def compact_frame(size: tuple[int, int]) -> bool:
    """Whether ``size`` is too small for the full furniture.

    Below 1000×560 CSS px the title box's sources line gives only the number
    of articles ("Sources: 4 articles") and the legend drops the annotation's
    sentence, which the camera label on the map repeats.
    """
    return size[0] < _COMPACT_BELOW[0] or size[1] < _COMPACT_BELOW[1]


def _attribution_max_px(size: tuple[int, int], k: float) -> float:
    """The attribution's width before CSS zoom: it wraps beside the scale bar, not over it."""
    return max(120.0, (size[0] - _SCALE_MAX_PX * k - 40) / k)


@lru_cache(maxsize=1)
def presenter_assets() -> tuple[str, str]:
    """presenter.css, and the function that prepares a page (presenter.js in it).

    presenter.js runs inside one function evaluated by Playwright (the maps'
    Content-Security-Policy refuses added script elements, not evaluation) and
    reads the page's DOM names from the page's own ``assets/dom.js``.
    """
    css = shipped_text("bordermap", "assets", "presenter.css")
    presenter = shipped_text("bordermap", "assets", "presenter.js")
    prepare = (
        f"async (opts) => {{\n{presenter}\n"
        "return await window.bordermapPresenter.prepare(opts);\n}"
    )
    return css, prepare


def prepare_options(
    size: tuple[int, int],
    bbox: Sequence[float] | None,
    tile_wait_ms: float,
    as_of: AsOf | None = None,
) -> dict[str, Any]:
    """The argument of ``bordermapPresenter.prepare`` for a frame of ``size`` CSS px.

    ``bbox`` (west, south, east, north) refits the view; ``tile_wait_ms`` bounds
    the wait for the tiles that a refit requests; ``as_of`` sets the page's time
    filter to that date (see :mod:`bordermap.as_of`).
    """
    k = furniture_scale(size)
    return {
        "k": k,
        "attributionMaxPx": _attribution_max_px(size, k),
        "compact": compact_frame(size),
        "scaleMaxPx": _SCALE_MAX_PX,
        "bbox": list(bbox) if bbox else None,
        "settleMs": _SETTLE_MS,
        "tileWaitMs": tile_wait_ms,
        "asOf": as_of.options() if as_of else None,
    }


def read_furniture(report: dict[str, Any]) -> dict[str, Furniture]:
    """``bordermapPresenter.furniture()``'s report as :class:`Furniture` by role."""
    return {
        role: Furniture(item["text"], tuple(item["box"]), float(item["font"]))
        for role, item in report.items()
    }
