"""What every bordermap page shares: escaping, ids, inlined assets, CSP, readiness.

* **Safety.**  Every data string travels as JSON in which ``<``, ``>``, ``&``,
  quotes, backticks, ``$`` and U+2028/9 are ``\\u`` escapes (:func:`js_json`);
  text for Leaflet's ``innerHTML`` sinks is HTML-escaped (:func:`_html_text`).
  :func:`finish_page` adds a Content-Security-Policy that allows only the
  page's own scripts (by hash).
* **Determinism.**  branca draws element ids from ``os.urandom``;
  :func:`deterministic_ids` replaces them with a counter for one build.
* **Offline.**  Leaflet and the page's own JS/CSS are inlined from installed
  package files (:func:`_inline_css`, :func:`_inline_js`, :func:`_inline_asset`);
  the runtime is :data:`RUNTIME_ASSETS`, DOM names (``assets/dom.js``) first.
* **Readiness.**  A page sets ``<html data-ready="1">`` once drawn:
  :data:`READY_ATTRIBUTE` names the attribute for everything that waits for it.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import html
import itertools
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from branca.element import Element

from bordermap.files import shipped_bytes, shipped_text
from bordermap.vocab import TILE_TIMEOUT_MS

__all__ = [
    "ABSENT",
    "READY_ATTRIBUTE",
    "READY_SELECTOR",
    "deterministic_ids",
    "finish_options",
    "finish_page",
    "inline_assets",
    "js_json",
    "same_json",
    "tag",
]

#: The attribute a page sets on ``<html>`` (to ``"1"``) once it is drawn; the
#: page's script declares the same name (``readyAttribute`` in ``assets/dom.js``).
READY_ATTRIBUTE = "data-ready"
#: A CSS selector that matches once the page is ready (no eval in the page needed).
READY_SELECTOR = f"html[{READY_ATTRIBUTE}='1']"

# Hex, functional rgb()/hsl() or a bare colour keyword: nothing that could
# close a string or carry markup.
_COLOR_RE = re.compile(
    r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(?:rgb|rgba|hsl|hsla)\([0-9.,%\s/deg]{3,60}\)"
)

_SEED_RE = re.compile(r"[A-Za-z0-9_]{1,32}")

# ------------------------------------------------------ deterministic ids


class _IdCounter:
    """Hands out ids for one build: ``sha256(seed:n)`` truncated, like branca's hex ids."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._counter = itertools.count(1)

    def next_id(self) -> str:
        n = next(self._counter)
        return hashlib.sha256(f"{self._seed}:{n}".encode()).hexdigest()[:32]


# A ContextVar rather than a global: each thread (and asyncio task) sees only
# its own build, and threads outside any build keep branca's random ids.
_ACTIVE_IDS: contextvars.ContextVar[_IdCounter | None] = contextvars.ContextVar(
    "bordermap_active_ids", default=None
)
_PATCH_LOCK = threading.Lock()
_patch_users = 0
_ORIGINAL_GENERATE_ID = Element.__dict__["_generate_id"]


def _generate_id(cls: type[Element]) -> str:
    counter = _ACTIVE_IDS.get()
    if counter is None:
        return str(_ORIGINAL_GENERATE_ID.__func__(cls))
    return counter.next_id()


@contextmanager
def deterministic_ids(seed: str = "bordermap") -> Iterator[None]:
    """Give every branca/folium element created inside the block a reproducible id.

    Inside the block, ``Element._generate_id`` returns ids derived from ``seed``
    and a counter that starts afresh for each outermost block, so building the
    same map twice yields the same ids.  The override is installed only while
    at least one block is active (reference-counted under a lock) and consults
    a context variable, so other threads keep branca's random ids and nothing
    leaks after the last block exits.  Nested blocks continue the outer
    counter.  Use a distinct ``seed`` per map when several maps share one page.

    Parameters
    ----------
    seed : str
        Letters, digits and underscores; mixed into every id.

    Yields
    ------
    None
    """
    if not _SEED_RE.fullmatch(seed):
        raise ValueError(f"seed must match {_SEED_RE.pattern}, got {seed!r}")
    if _ACTIVE_IDS.get() is not None:
        yield
        return
    global _patch_users
    with _PATCH_LOCK:
        if _patch_users == 0:
            Element._generate_id = classmethod(_generate_id)  # type: ignore[method-assign,assignment]
        _patch_users += 1
    token = _ACTIVE_IDS.set(_IdCounter(seed))
    try:
        yield
    finally:
        _ACTIVE_IDS.reset(token)
        with _PATCH_LOCK:
            _patch_users -= 1
            if _patch_users == 0:
                Element._generate_id = _ORIGINAL_GENERATE_ID  # type: ignore[method-assign]


# ------------------------------------------------------------ escaping


# Characters that are legal inside JSON strings but dangerous in a page:
# `<`/`>` could close the <script> element, `&` and quotes matter in HTML
# attributes, U+2028/9 end lines in pre-2019 JS, and backtick/`$`/backslash
# matter if a value is ever pasted into a template literal.  JSON already
# escapes backslashes inside strings; these structural-free characters only
# ever occur inside strings, so replacing them keeps the JSON valid.
_JS_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "`": "\\u0060",
        "$": "\\u0024",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


# folium renders every macro's output as a Jinja template a second time, so a
# "{{", "{%" or "{#" in article text would be evaluated at build time.  In
# compact JSON a "{" followed by one of those characters can only sit inside a
# string, where "\u007b" means the same.
_JINJA_OPEN_RE = re.compile(r"\{(?=[{%#])")


def js_json(value: Any) -> str:
    """Serialise ``value`` as compact, key-sorted JSON safe to inline in ``<script>``.

    Parameters
    ----------
    value : Any
        JSON-serialisable data; NaN and infinities are rejected.

    Returns
    -------
    str
        A JavaScript expression (and a JSON text) equal to ``value``, in
        ASCII: non-ASCII characters are ``\\u`` escapes, which keeps the page
        a one-byte string for the browser's parsers.
    """
    text = json.dumps(
        value, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False
    )
    return _JINJA_OPEN_RE.sub(r"\\u007b", text.translate(_JS_ESCAPES))


#: A key an entry lacks, as :func:`tag` tells it apart from ``None``.
ABSENT: Any = object()
#: The first item of every :func:`tag` that is not a string itself.
_JSON = object()
_TAG_ABSENT = (_JSON, None)


def tag(value: Any) -> Any:
    """A hashable stand-in for ``value``: equal exactly when their JSON texts are.

    A string stands for itself (no JSON text is built for the common case); an
    int, float, bool or ``None`` for a pair holding its JSON text, built
    directly; anything else (lists, dicts, subclasses) for the pair of its
    compact, key-sorted JSON text (as :func:`js_json` sorts keys).
    :data:`ABSENT` (a key an entry lacks) has a tag of its own.
    """
    t = type(value)
    if t is str:
        return value
    if t is int:
        return (_JSON, int.__repr__(value))
    if t is float:  # json writes a float as its repr ("NaN" and "nan" are both unique)
        return (_JSON, float.__repr__(value))
    if value is None:
        return (_JSON, "null")
    if t is bool:
        return (_JSON, "true" if value else "false")
    if value is ABSENT:
        return _TAG_ABSENT
    if isinstance(value, str):  # a subclass: its JSON text is that of its characters
        return str.__str__(value)
    return (_JSON, json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def same_json(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` have the same JSON text (:func:`tag`), strings compared first."""
    if a is b:
        return True
    if type(a) is str and type(b) is str:
        return a == b
    return bool(tag(a) == tag(b))


# Beyond html.escape: backtick, dollar and backslash become character
# references too, so escaped text is inert even if a later step (folium's own
# JSON filter, which leaves them alone) put it into a JS template literal.
# Braces too: folium re-renders macro output as a Jinja template.
_HTML_EXTRA = str.maketrans(
    {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"}
)


def _html_text(value: str) -> str:
    """Escape plain text for HTML, including Leaflet sinks that assign ``innerHTML``.

    Non-ASCII characters become character references, so the page stays ASCII.
    """
    escaped = html.escape(str(value), quote=True).translate(_HTML_EXTRA)
    return escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _check_color(color: str, where: str) -> str:
    if not isinstance(color, str) or not _COLOR_RE.fullmatch(color.strip()):
        raise ValueError(f"{where}: not a CSS colour: {color!r}")
    return color.strip()


# ------------------------------------------------------------- assets


def _script_safe(code: str) -> str:
    # Inlined code must not contain "</script" (it would end the element early);
    # "<\/script" means the same thing inside JS strings and regexes.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def _inline_css() -> str:
    """Leaflet's CSS with its images as data: URIs, followed by bordermap.css."""
    css = shipped_text("xstatic.pkg.leaflet", "data", "leaflet.css").replace("\r\n", "\n")

    def to_data_uri(match: re.Match[str]) -> str:
        data = shipped_bytes("xstatic.pkg.leaflet", "data", "images", match.group(1))
        return f'url("data:image/png;base64,{base64.b64encode(data).decode("ascii")}")'

    css = re.sub(r"url\(\s*['\"]?images/([A-Za-z0-9_.-]+\.png)['\"]?\s*\)", to_data_uri, css)
    # IE-only VML behaviour; drop it so the page holds no url() at all but data: ones.
    css = css.replace("behavior: url(#default#VML);", "")
    own = shipped_text("bordermap", "assets", "bordermap.css")
    return (css + "\n" + own).replace("</", "<\\/")


#: The page runtime's modules, inlined after Leaflet in this order: the DOM
#: names first (everything else reads them), then the core (helpers, data,
#: decoding, setup, readiness), then the modules that extend its namespace
#: (furniture.js: title box, sources panel, legend, compact layout, the
#: points' pane, popups placed clear of the furniture; sources.js: provenance
#: tables and popups; labels.js: names of point layers; points.js: point
#: layers; basemap.js; cameras.js; picture.js: what a snapshot's bounds show;
#: claims.js: radii, contested claims, time filter, text view, alt text; as_of.js:
#: the map as of a day).
RUNTIME_ASSETS = ("dom.js", "bordermap.js", "packed.js", "furniture.js", "sources.js",
                  "labels.js", "points.js", "basemap.js", "cameras.js", "coverage.js",
                  "picture.js", "claims.js", "as_of.js")  # fmt: skip


@lru_cache(maxsize=1)
def _inline_js() -> str:
    """Leaflet (without its source-map comment) followed by :data:`RUNTIME_ASSETS`."""
    leaflet = shipped_text("xstatic.pkg.leaflet", "data", "leaflet.js")
    leaflet = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", leaflet)
    own = [shipped_text("bordermap", "assets", name) for name in RUNTIME_ASSETS]
    return "\n".join(_script_safe(text) for text in [leaflet, *own])


class _RawHeader(Element):
    """Inserts pre-built, trusted markup (the inlined assets) verbatim."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "RawHeader"
        self._markup = markup

    def render(self, **kwargs: Any) -> str:
        return self._markup


def _inline_asset(name: str) -> str:
    """``assets/<name>`` as text safe to inline in ``<style>`` or ``<script>``."""
    text = shipped_text("bordermap", "assets", name)
    if name.endswith(".css"):
        return text.replace("</", "<\\/")
    return _script_safe(text)


def inline_assets() -> str:
    """Leaflet and bordermap's runtime as inline ``<style>`` and ``<script>`` markup.

    What every map page carries in its head (also handy for a benchmark's
    folium page that must load the same Leaflet offline).
    """
    return f"<style>\n{_inline_css()}\n</style>\n<script>\n{_inline_js()}\n</script>"


def finish_options() -> dict[str, Any]:
    """Options of ``bordermap.finish`` (readiness), the same on every page."""
    return {"tileTimeoutMs": TILE_TIMEOUT_MS}


def _swatch(geometry_types: set[str]) -> str:
    """The legend swatch for a layer with these geometry types (``Multi`` ignored)."""
    kinds = {t.removeprefix("Multi") for t in geometry_types}
    if kinds == {"Point"}:
        return "point"
    if kinds == {"LineString"}:
        return "line"
    return "mixed"


# -------------------------------------------------------- post-processing

_EXTERNAL_RE = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*['\"]?(?:https?:)?//", re.IGNORECASE
)
_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _content_security_policy(page: str, tiles: bool) -> str:
    """A CSP allowing exactly this page's inline scripts (by hash) and, if needed, tiles.

    Inline event handlers (``onerror=``) and injected scripts are refused even
    if some escaping were ever missed; with no tiles, nothing may be fetched.
    """
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in _SCRIPT_RE.findall(page)
        }
    )
    images = "data: https:" if tiles else "data:"
    return (
        f"default-src 'none'; script-src {' '.join(hashes)}; style-src 'unsafe-inline'; "
        f"img-src {images}; base-uri 'none'; form-action 'none'"
    )


def finish_page(page: str, tiles: bool) -> str:
    """A rendered figure made final: checked offline, ``lang`` set, CSP added.

    Raises
    ------
    RuntimeError
        If the page would still reference an external script or stylesheet.
    """
    if _EXTERNAL_RE.search(page):
        raise RuntimeError("rendered page still references an external resource")
    csp = _content_security_policy(page, tiles=tiles)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}" />'
    return page.replace("<html>", '<html lang="en">', 1).replace("<head>", "<head>\n" + meta, 1)
