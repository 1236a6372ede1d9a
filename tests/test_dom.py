"""The page's DOM names are declared once (assets/dom.js) and read from there.

Every page inlines dom.js before the runtime; the runtime (bordermap.js,
basemap.js, cameras.js), compare.js and presenter.js read every class name,
pane, readiness signal and window handle from ``window.bordermap.dom``.  Only
bordermap.css spells the class names again (CSS cannot read JavaScript), so
these tests check that it and dom.js agree, that no other asset and no Python
module spells a page's name, and that every page carries dom.js first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bordermap.files import shipped_text

SRC = Path(__file__).resolve().parents[1] / "src" / "bordermap"
ASSETS = SRC / "assets"
#: The two files that may spell a page's names: the declaration and the stylesheet.
DECLARING = {"dom.js", "bordermap.css"}
#: A page's own names: its classes and custom properties, its pane, its
#: readiness attribute and signals, its window handles.
PAGE_NAME_RE = re.compile(
    r"\bbm-[a-z][a-z-]*|\bbm(?:Basemap|Points)\b|\bdata-ready\b|\bdataset\.ready\b"
    r"|\bbordermap(?:Map|Maps|Layers|Ready|ReadyAt|TilesTimedOut|Camera)\b"
)


def declared() -> dict[str, str]:
    text = shipped_text("bordermap", "assets", "dom.js")
    start = text.index("Object.freeze({")
    body = text[start : text.index("});", start)]
    return dict(re.findall(r'^\s*(\w+): "([^"]+)",', body, flags=re.MULTILINE))


def code_of(name: str) -> str:
    """An asset without its comments (which may name what they describe)."""
    text = shipped_text("bordermap", "assets", name)
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.DOTALL)


def test_dom_js_declares_the_names_drivers_use() -> None:
    names = declared()
    for key in ("title", "legend", "cameraLabel", "basemapPane", "readyAttribute", "mapHandle"):
        assert key in names
    assert len(set(names.values())) == len(names)


def test_bordermap_css_and_dom_js_agree() -> None:
    css = code_of("bordermap.css")
    styled = set(re.findall(r"\.(bm-[a-z][a-z-]*)", css))
    properties = set(re.findall(r"(--bm-[a-z][a-z-]*)", css))
    values = set(declared().values())
    # Every class and custom property the stylesheet uses is declared...
    assert styled and styled <= values, styled - values
    assert properties and properties <= values, properties - values
    # ...and every declared one is either styled or read by the runtime.
    runtime = "\n".join(code_of(p.name) for p in ASSETS.glob("*.js") if p.name != "dom.js")
    for key, value in declared().items():
        if value.startswith(("bm-", "--bm-")) and value not in styled | properties:
            assert re.search(rf"\bDOM\.{key}\b", runtime), (key, value)


def test_leaflet_names_are_leaflets() -> None:
    leaflet = "\n".join(
        shipped_text("xstatic.pkg.leaflet", "data", name) for name in ("leaflet.js", "leaflet.css")
    )
    for key, value in declared().items():
        if value.startswith("leaflet-"):
            assert value in leaflet, key


def test_every_declared_name_is_read() -> None:
    """A declared name that nothing reads is a stale one."""
    readers = "\n".join(code_of(p.name) for p in ASSETS.glob("*.js") if p.name != "dom.js")
    for key in declared():
        assert re.search(rf"\b(?:DOM|names)\.{key}\b", readers), key


@pytest.mark.parametrize(
    "name", sorted(p.name for p in ASSETS.iterdir() if p.name not in DECLARING), ids=str
)
def test_no_other_asset_spells_a_page_name(name: str) -> None:
    assert not PAGE_NAME_RE.findall(code_of(name))


def test_readiness_attribute_is_declared_alike_in_python() -> None:
    from bordermap.render import READY_ATTRIBUTE, READY_SELECTOR

    assert declared()["readyAttribute"] == READY_ATTRIBUTE
    assert READY_ATTRIBUTE in READY_SELECTOR


def test_pages_carry_dom_js_before_the_runtime() -> None:
    from bordermap.render import inline_assets
    from bordermap.render._html import RUNTIME_ASSETS

    assert RUNTIME_ASSETS[:2] == ("dom.js", "bordermap.js")
    assert set(RUNTIME_ASSETS) <= {p.name for p in ASSETS.glob("*.js")}
    markup = inline_assets()
    # Each module is inlined whole, once, in the declared order.
    starts = []
    for name in RUNTIME_ASSETS:
        text = shipped_text("bordermap", "assets", name)
        assert markup.count(text) == 1, name
        starts.append(markup.index(text))
    assert starts == sorted(starts)


def test_runtime_modules_stay_small() -> None:
    for path in ASSETS.glob("*.js"):
        assert len(path.read_text("utf-8").splitlines()) < 600, path.name


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")), ids=str
)
def test_no_python_module_spells_a_page_class(path: str) -> None:
    code = (SRC / path).read_text("utf-8")
    # Data block ids ("bm-<id>-<n>") are the Python side's own, not the page's classes.
    classes = set(re.findall(r"[\"'.\s](bm-[a-z][a-z-]*)", code)) - {"bm-"}
    assert not classes, classes
