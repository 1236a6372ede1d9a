"""Still images of built maps for slides: PNG, JPEG or PDF, rendered by headless Chromium.

A snapshot opens a map page written by ``bordermap build`` in an installed
Chromium (found by :mod:`bordermap.browser`, driven through Playwright), waits
until the page reports ``window.bordermapReady``, makes the map furniture
presentable (:mod:`bordermap.presenter` with ``assets/presenter.js``
and ``presenter.css``) and captures the frame:

* the title box (with the article sources line), the legend, the scale bar and
  the attribution stay in the picture, enlarged for big frames so that they can
  be read on a slide (see :func:`furniture_scale`);
* the zoom buttons, the layer switcher, the time filter and the text view, which
  mean nothing on paper, are hidden;
* with ``bbox`` the view is refitted to that box (no animation) and the
  snapshot waits until the view settled and any tiles loaded or failed.
* with ``as_of`` (:mod:`bordermap.as_of`) the page's own time filter is set to
  that date first (``bordermap.showAsOf`` in ``assets/claims.js``), which adds
  a line saying so to the title box and to the alt text.

Every wait is bounded: a page that never becomes ready raises
:class:`~bordermap.errors.BrowserError` after ``timeout_s`` seconds, and tiles
that cannot be fetched (no network) only delay the snapshot a little; the offline
vector basemap is drawn beneath them anyway.

>>> from bordermap.snapshot import Snapshotter
>>> with Snapshotter() as shooter:                          # doctest: +SKIP
...     shooter.snapshot("output/index.html", "index.png")
...     shooter.snapshot("output/cameras.html", "cameras.pdf", fmt="pdf")
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from bordermap.as_of import AsOf, parse_as_of
from bordermap.browser import (
    BROWSER_NAMES,
    CHROMIUM_ARGS,
    INSTALL_HINT,
    LAUNCH_TIMEOUT_S,
    find_browser,
)
from bordermap.errors import BrowserError, SnapshotError
from bordermap.files import write_atomic
from bordermap.presenter import (
    FURNITURE_JS,
    Furniture,
    compact_frame,
    furniture_scale,
    prepare_options,
    presenter_assets,
    read_furniture,
)
from bordermap.region import bbox_problem
from bordermap.render._html import READY_SELECTOR
from bordermap.vocab import SNAPSHOT_FORMATS

__all__ = [
    "AsOf",
    "BROWSER_NAMES",
    "CHROMIUM_ARGS",
    "DEFAULT_SIZE",
    "FORMATS",
    "Furniture",
    "Snapshot",
    "SnapshotError",
    "Snapshotter",
    "find_browser",
    "compact_frame",
    "furniture_scale",
    "snapshot",
    "snapshot_many",
]

log = logging.getLogger(__name__)

#: Output formats, also used as file extensions.
FORMATS = SNAPSHOT_FORMATS

#: Frame size in CSS pixels: a 16:9 slide.
DEFAULT_SIZE = (1920, 1080)

#: Tiles still loading after this long do not hold the snapshot back any longer.
_TILE_WAIT_S = 10.0

#: The page's own alt text (assets/claims.js) of what lies inside the picture's bounds
#: (west, south, east, north), or "" on a page without it.
_ALT_JS = "(b) => (window.bordermap && window.bordermap.altText) ? window.bordermap.altText(b) : ''"

#: JPEG quality: 90 keeps thin lines and small text free of visible ringing.
_JPEG_QUALITY = 90

_T = TypeVar("_T")


@dataclass(frozen=True)
class Snapshot:
    """What :meth:`Snapshotter.snapshot` wrote.

    Attributes
    ----------
    path : Path
        The image or PDF file.
    size : (width, height)
        Frame size in CSS pixels; a PNG or JPEG is ``size × scale`` pixels.
    scale : float
        Device pixels per CSS pixel.
    fmt : str
        One of :data:`FORMATS`.
    bounds : (west, south, east, north)
        The area the frame shows, in degrees.
    zoom : float
        The Leaflet zoom level of the frame.
    seconds : float
        Wall time from opening the page to the file being in place.
    furniture : dict
        Visible furniture by role (``"title"``, ``"legend"``, ``"scale"``,
        ``"attribution"``, ``"camera_label"``; ``"zoom_buttons"``,
        ``"layer_switcher"``, ``"time_filter"`` and ``"text_view"`` only if they
        were not hidden), each a :class:`Furniture`.
    alt : str
        Alt text: the map's title, layers, places and claims as plain text (the
        page's ``bordermap.altText(bounds)``), written beside the picture as
        ``<name>.txt``. Only the places and claims inside ``bounds`` are named; each
        layer says how many of its places lie outside the picture.
    as_of : AsOf or None
        The date the map is shown as of, if one was asked for.
    begun : (begun, dated) or None
        With ``as_of``: how many of the map's dated claims had begun by then (on a map
        without dated claims: of its places dated by their articles).
    """

    path: Path
    size: tuple[int, int]
    scale: float
    fmt: str
    bounds: tuple[float, float, float, float]
    zoom: float
    seconds: float
    furniture: dict[str, Furniture] = field(default_factory=dict)
    alt: str = ""  # the picture's content as text, also written beside it (<name>.txt)
    as_of: AsOf | None = None
    begun: tuple[int, int] | None = None


def _check(
    size: tuple[int, int], scale: float, fmt: str, bbox: Sequence[float] | None
) -> tuple[float, float, float, float] | None:
    if fmt not in FORMATS:
        raise SnapshotError(
            f"unknown snapshot format {fmt!r}: expected one of {', '.join(FORMATS)}"
        )
    if len(size) != 2 or min(size) < 1:
        raise SnapshotError(f"snapshot size must be two positive pixel counts, got {size!r}")
    if not scale > 0:
        raise SnapshotError(f"snapshot scale must be positive, got {scale!r}")
    if bbox is None:
        return None
    if len(bbox) != 4:
        raise SnapshotError(f"bbox must be (west, south, east, north), got {bbox!r}")
    w, s, e, n = (float(v) for v in bbox)
    if bbox_problem((w, s, e, n)) is not None:
        raise SnapshotError(
            f"bbox must have -180 <= west < east <= 180 and -90 <= south < north <= 90, "
            f"got {tuple(bbox)!r}"
        )
    return w, s, e, n


class Snapshotter:
    """One headless Chromium that renders any number of snapshots.

    Starting the browser costs more than a snapshot, so a batch shares one.
    Use it as a context manager; the browser is closed on exit.

    Parameters
    ----------
    browser : str, optional
        Chromium executable (path or name); see :func:`find_browser`.
    timeout_s : float
        Default time limit, in seconds, for the browser to start and for each
        map to become ready.

    Raises
    ------
    BrowserError
        On entry, if no Chromium is found or it does not start.

    Notes
    -----
    Uses Playwright's synchronous API, which refuses to run inside an asyncio
    event loop (a Jupyter kernel); there, call :func:`snapshot` or
    :func:`snapshot_many`, which move the work to a worker thread.
    """

    def __init__(self, browser: str | None = None, *, timeout_s: float = 30.0) -> None:
        self.executable = find_browser(browser)
        self.timeout_s = timeout_s
        self._playwright: Any = None
        self._browser: Any = None
        self._current: tuple[tuple[int, int, float], Any, Any] | None = None
        self._html = Path()  # the map being rendered, for log messages

    def __enter__(self) -> Snapshotter:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the browser (done by ``with``; calling it twice does nothing)."""
        if self._browser is not None:
            return
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable,
                headless=True,
                args=list(CHROMIUM_ARGS),
                # The per-map time limit is for pages; starting the browser gets its own.
                timeout=LAUNCH_TIMEOUT_S * 1000,
            )
        except PlaywrightError as exc:
            self._playwright.stop()
            self._playwright = None
            if "Timeout" in type(exc).__name__:
                raise BrowserError(
                    f"{self.executable} did not start within {LAUNCH_TIMEOUT_S:g} s; "
                    "the machine may be overloaded: try again"
                ) from None
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserError(
                f"could not start {self.executable}: {first}; {INSTALL_HINT}"
            ) from None

    def close(self) -> None:
        """Close the browser; safe to call more than once."""
        try:
            self._drop_page()
            if self._browser is not None:
                self._browser.close()
        finally:
            self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None

    def _page(self, size: tuple[int, int], scale: float, html: Path) -> Any:
        """A page with this viewport and pixel ratio, reused across a batch.

        A fresh browser context costs about as much as rendering a map, and
        navigating replaces all of a page's state anyway, so consecutive
        snapshots of one size share a page.
        """
        key = (size[0], size[1], scale)
        if self._current is not None and self._current[0] == key:
            page = self._current[2]
        else:
            self._drop_page()
            context = self._browser.new_context(
                viewport={"width": size[0], "height": size[1]}, device_scale_factor=scale
            )
            page = context.new_page()
            # Printing (PDF) should look like the screen, not a print style sheet.
            page.emulate_media(media="screen")
            page.on("pageerror", self._on_page_error)
            self._current = (key, context, page)
        self._html = html
        return page

    def _on_page_error(self, exc: Any) -> None:
        log.warning("%s: page error: %s", self._html, exc)

    def _drop_page(self) -> None:
        current, self._current = self._current, None
        if current is not None:
            try:
                current[1].close()
            except Exception:  # the browser may already be gone; nothing to keep
                log.debug("closing a browser context failed", exc_info=True)

    def snapshot(
        self,
        html_path: str | os.PathLike[str],
        out_path: str | os.PathLike[str],
        size: tuple[int, int] = DEFAULT_SIZE,
        scale: float = 2,
        fmt: str = "png",
        bbox: Sequence[float] | None = None,
        timeout_s: float | None = None,
        as_of: AsOf | str | None = None,
    ) -> Snapshot:
        """Render map page ``html_path`` into ``out_path``.

        Parameters
        ----------
        html_path : path
            A map page written by ``bordermap build``.
        out_path : path
            The file to write (its folder is created); replaced atomically.
        size : (width, height)
            Frame size in CSS pixels.
        scale : float
            Device pixels per CSS pixel: a PNG or JPEG is ``size × scale`` pixels.
        fmt : {"png", "jpeg", "pdf"}
            A PDF page is ``size`` CSS pixels (at 96 per inch) and keeps text as
            text; the map itself is drawn on canvases, so it is raster there.
        bbox : (west, south, east, north), optional
            Degrees; fit the view to this box instead of the page's own view.
        timeout_s : float, optional
            Seconds the page may take to become ready (default: the
            snapshotter's).
        as_of : AsOf or str, optional
            Show the map as it stood on this date (a day, month or year, see
            :mod:`bordermap.as_of`): the page's own time filter is set to it,
            the title box and the alt text say so.

        Returns
        -------
        Snapshot

        Raises
        ------
        BrowserError
            If the page does not become ready in time, or the browser fails.
        SnapshotError
            If ``size``, ``scale``, ``fmt``, ``bbox`` or ``as_of`` is invalid.
        """
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        box = _check(size, scale, fmt, bbox)
        when = _as_of(as_of)
        if self._browser is None:
            raise BrowserError("the snapshotter is not started: use it as `with Snapshotter():`")
        limit = self.timeout_s if timeout_s is None else timeout_s
        started = time.perf_counter()
        deadline = started + limit
        html = Path(html_path)
        out = Path(out_path)

        def remaining_ms() -> float:
            # Playwright treats 0 as "no limit": never pass it.
            return max(1.0, (deadline - time.perf_counter()) * 1000)

        _check_page(html)
        ok = False
        try:
            page = self._page(size, scale, html)
            try:
                # "commit" returns once the new document replaced the old one;
                # readiness (below) is the real signal and comes after "load".
                page.goto(html.resolve().as_uri(), wait_until="commit", timeout=remaining_ms())
                # The page sets <html data-ready="1"> with window.bordermapReady.  A
                # selector wait, unlike wait_for_function, needs no eval in the page,
                # which the maps' Content-Security-Policy forbids (Playwright's
                # workaround for that races and fails now and then).
                page.wait_for_selector(READY_SELECTOR, state="attached", timeout=remaining_ms())
            except PlaywrightTimeout:
                raise BrowserError(
                    f"{html}: the map did not become ready within {limit:g} s"
                ) from None
            css, prepare = presenter_assets()
            page.add_style_tag(content=css)
            wait_ms = min(_TILE_WAIT_S * 1000, remaining_ms())
            result = page.evaluate(prepare, prepare_options(size, box, wait_ms, when))
            if result["problem"]:
                raise BrowserError(f"{html}: not a bordermap map page ({result['problem']})")
            if result.get("asOfProblem"):
                raise BrowserError(
                    f"{html}: {result['asOfProblem']}; rebuild it with this bordermap"
                )
            if result["tilesPending"]:
                log.warning("%s: tiles still loading; snapshot taken without them", html)
            furniture = read_furniture(page.evaluate(FURNITURE_JS))
            alt = str(page.evaluate(_ALT_JS, result["bounds"]) or "")
            if fmt == "pdf":
                # One page exactly the frame's size; the page was set to screen media.
                page.add_style_tag(content=f"@page {{ size: {size[0]}px {size[1]}px; margin: 0; }}")
                data = page.pdf(
                    width=f"{size[0]}px",
                    height=f"{size[1]}px",
                    print_background=True,
                    margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
                    page_ranges="1",
                )
            elif fmt == "jpeg":
                data = page.screenshot(type="jpeg", quality=_JPEG_QUALITY, timeout=remaining_ms())
            else:
                data = page.screenshot(type="png", timeout=remaining_ms())
            ok = True
        except PlaywrightTimeout:
            raise BrowserError(f"{html}: the snapshot did not finish within {limit:g} s") from None
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserError(f"{html}: {first}") from None
        finally:
            if not ok:
                # A page that failed may still be busy (a script in a loop): do not reuse it.
                self._drop_page()
        write_atomic(out, data)
        if alt:
            write_atomic(out.with_suffix(".txt"), (alt + "\n").encode("utf-8"))
        seconds = time.perf_counter() - started
        log.info("%s -> %s (%.2f s)", html, out, seconds)
        west, south, east, north = (float(v) for v in result["bounds"])
        return Snapshot(
            path=out,
            size=(size[0], size[1]),
            scale=scale,
            fmt=fmt,
            bounds=(west, south, east, north),
            zoom=float(result["zoom"]),
            seconds=seconds,
            furniture=furniture,
            alt=alt,
            as_of=when,
            begun=(int(result["asOf"]["begun"]), int(result["asOf"]["dated"])) if when else None,
        )


def _as_of(value: AsOf | str | None) -> AsOf | None:
    return parse_as_of(value) if isinstance(value, str) else value


def _outside_event_loop(work: Callable[[], _T]) -> _T:
    """Run ``work`` here, or in a worker thread if this thread runs an asyncio loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    # Playwright's sync API refuses to run on a thread with a running loop (Jupyter).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def snapshot(
    html_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    size: tuple[int, int] = DEFAULT_SIZE,
    scale: float = 2,
    fmt: str = "png",
    bbox: Sequence[float] | None = None,
    timeout_s: float = 30,
    browser: str | None = None,
    as_of: AsOf | str | None = None,
) -> Snapshot:
    """Render one map page into one image or PDF, with a browser of its own.

    For several maps use :class:`Snapshotter` or :func:`snapshot_many`, which
    start the browser once.  Parameters, return value and errors are those of
    :meth:`Snapshotter.snapshot`; ``browser`` is passed to :func:`find_browser`.

    Examples
    --------
    >>> snapshot("output/index.html", "index.png", size=(1920, 1080), scale=2)  # doctest: +SKIP
    >>> snapshot("output/index.html", "index-as-of-2021-03.png", as_of="2021-03")  # doctest: +SKIP
    """
    _check(size, scale, fmt, bbox)
    when = _as_of(as_of)

    def work() -> Snapshot:
        with Snapshotter(browser, timeout_s=timeout_s) as shooter:
            return shooter.snapshot(html_path, out_path, size, scale, fmt, bbox, as_of=when)

    return _outside_event_loop(work)


def _check_page(html: Path) -> None:
    """Refuse at once a file that is no page of bordermap's (it would never say it is
    drawn, and the wait for it would run to its time limit)."""
    try:
        data = html.read_bytes()
    except OSError as exc:
        raise BrowserError(f"{html}: cannot be read ({exc.strerror or exc})") from None
    if b"bordermapReady" not in data:
        raise BrowserError(
            f"{html}: not a map bordermap made (nothing in it says when it is drawn); "
            "give a page of `bordermap build` or `bordermap compare`"
        )


def snapshot_many(
    jobs: Iterable[tuple[str | os.PathLike[str], str | os.PathLike[str]]],
    size: tuple[int, int] = DEFAULT_SIZE,
    scale: float = 2,
    fmt: str = "png",
    bbox: Sequence[float] | None = None,
    timeout_s: float = 30,
    browser: str | None = None,
    progress: Callable[[Snapshot], None] | None = None,
    as_of: AsOf | str | None = None,
) -> list[Snapshot]:
    """Render each ``(html_path, out_path)`` pair with one shared browser.

    ``progress`` is called with each :class:`Snapshot` as soon as its file is
    written.  Stops at the first failure (files already written stay).
    Other parameters and errors as for :meth:`Snapshotter.snapshot`.

    Examples
    --------
    >>> snapshot_many([("output/index.html", "slides/index.png")])  # doctest: +SKIP
    """
    _check(size, scale, fmt, bbox)
    when = _as_of(as_of)
    pairs = list(jobs)

    def work() -> list[Snapshot]:
        done = []
        with Snapshotter(browser, timeout_s=timeout_s) as shooter:
            for html, out in pairs:
                done.append(shooter.snapshot(html, out, size, scale, fmt, bbox, as_of=when))
                if progress is not None:
                    progress(done[-1])
        return done

    return _outside_event_loop(work) if pairs else []
