"""The page's DOM names are declared once (assets/dom.js) and match the runtime.

bordermap.js and bordermap.css still spell the names themselves (their text is
inlined into every built map, which must stay byte-identical), so these tests
are what stops a renamed class from silently breaking snapshots and the
compare page: every name declared in dom.js must be spelled by the runtime,
and nothing that drives a page may spell a page's class name itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bordermap.files import shipped_text

SRC = Path(__file__).resolve().parents[1] / "src" / "bordermap"


def declared() -> dict[str, str]:
    text = shipped_text("bordermap", "assets", "dom.js")
    start = text.index("Object.freeze({")
    body = text[start : text.index("});", start)]
    return dict(re.findall(r'^\s*(\w+): "([^"]+)",', body, flags=re.MULTILINE))


def test_dom_js_declares_the_names_drivers_use() -> None:
    names = declared()
    for key in ("title", "legend", "cameraLabel", "basemapPane", "readyAttribute", "mapHandle"):
        assert key in names
    assert len(set(names.values())) == len(names)


def test_every_declared_name_is_the_runtimes() -> None:
    assert declared()
    runtime = "\n".join(
        shipped_text("bordermap", "assets", name) for name in ("bordermap.js", "bordermap.css")
    )
    leaflet = "\n".join(
        shipped_text("xstatic.pkg.leaflet", "data", name) for name in ("leaflet.js", "leaflet.css")
    )
    for key, value in declared().items():
        if key == "mapsHandle":
            continue  # the compare page's: compare.js sets it from bordermap.dom
        if value.startswith("leaflet-"):
            assert value in leaflet, key
        elif key == "readyAttribute":
            # bordermap.js sets it as document.documentElement.dataset.ready.
            assert value.removeprefix("data-") in re.findall(r"dataset\.(\w+) =", runtime)
        else:
            assert re.search(rf"[\"'.\s]{re.escape(value)}[\"'\s,{{:]", runtime), (key, value)


def test_readiness_attribute_is_declared_alike_in_python() -> None:
    from bordermap.render import READY_ATTRIBUTE, READY_SELECTOR

    assert declared()["readyAttribute"] == READY_ATTRIBUTE
    assert READY_ATTRIBUTE in READY_SELECTOR


@pytest.mark.parametrize("name", ["presenter.js", "presenter.css", "compare.js"])
def test_drivers_spell_no_page_class(name: str) -> None:
    text = shipped_text("bordermap", "assets", name)
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.DOTALL)
    assert not re.findall(r"\bbm-[a-z-]+|bmBasemap|bordermapMaps?\b", code)


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")), ids=str
)
def test_no_python_module_spells_a_page_class(path: str) -> None:
    code = (SRC / path).read_text("utf-8")
    # Data block ids ("bm-<id>-<n>") are the Python side's own, not the page's classes.
    classes = set(re.findall(r"[\"'.\s](bm-[a-z][a-z-]*)", code)) - {"bm-"}
    assert not classes, classes
