"""What the corpus does not cover, as a person sees it in headless Chromium: the legend
row and the text view say it, the uncovered stretches are drawn faintly under the
lines, in their own switcher entry, with a tooltip; hostile names stay text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bordermap.build import build
from bordermap.config import load_config
from bordermap.pipeline import load
from support import HOSTILE_LINE, coverage_project

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.browser
TITLE = "Not covered by the corpus"


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("coverage-maps")
    build(load(load_config(ROOT / "bordermap.toml")), out / "seeds", tiles="none")
    project, _ = coverage_project(out / "own")
    build(load(load_config(project)), out / "own" / "output", tiles="none")
    return {"seeds": out / "seeds", "own": out / "own" / "output"}


def manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return data


# Where each uncovered stretch stands in the map's canvas, against the other lines:
# Leaflet draws a canvas's paths in the order of its list, first at the bottom.
DRAW_ORDER = """() => { const map = window.bordermapMap; const out = [];
  for (let o = map.getRenderer(L.polyline([])) ._drawFirst; o; o = o.next) {
    const p = (o.layer.feature || {}).properties || {};
    out.push(p.tooltip ? 'uncovered' : (p.id || '').startsWith('border:') ? 'border' : 'other'); }
  return out; }"""


def test_the_default_map_says_what_the_corpus_does_not_cover(open_map: Any, maps) -> None:
    summary = manifest(maps["seeds"])["coverage"]["summary"]
    page, errors, _ = open_map(maps["seeds"] / "index.html")
    legend = " ".join(page.locator(".bm-legend").inner_text().split("\n"))
    total = sum(x["length_km"] for x in manifest(maps["seeds"])["coverage"]["lines"].values())
    assert f"{TITLE} 1,347 of {total:,.0f} km with no place within 10 km" in legend
    assert summary[0].startswith("Yalu: 790 of 851 km have no place named within 10 km (km 15–41")
    page.get_by_text("Text view: every claim and place").click()
    items = page.get_by_role("list", name=TITLE).get_by_role("listitem").all_inner_texts()
    assert items == summary
    claims = page.get_by_role("list", name="Claims and places on this map").inner_text()
    assert (
        "≈ 611 cameras on the 61 km the corpus names places along; ≈ 8,513 cameras if the "
        "whole Yalu is covered" in claims
    )
    alt = page.evaluate("() => window.bordermap.altText()")
    assert f"{TITLE}: {' '.join(summary)}" in alt
    assert errors == []


def test_the_uncovered_stretches_are_drawn_under_the_lines_and_toggle(open_map: Any, maps) -> None:
    fc = json.loads((maps["seeds"] / "layers" / "uncovered.geojson").read_text("utf-8"))
    expected = [f"{TITLE}: {f['properties']['name']} (" for f in fc["features"]]
    assert len(expected) == 4  # two on the Yalu, the land stretch, the Tumen
    page, errors, _ = open_map(maps["seeds"] / "index.html")
    drawn = page.evaluate("() => window.bordermapLayers.uncovered.stretches()")
    assert [d["tooltip"][: len(e)] for d, e in zip(drawn, expected, strict=True)] == expected
    for d, f in zip(drawn, fc["features"], strict=True):  # simplified by zoom, same ends
        ends = [[p["lng"], p["lat"]] for p in (d["latlngs"][0], d["latlngs"][-1])]
        coords = f["geometry"]["coordinates"]
        assert ends == [pytest.approx(coords[0], abs=1e-5), pytest.approx(coords[-1], abs=1e-5)]
    order = page.evaluate(DRAW_ORDER)
    assert order.count("uncovered") == len(expected) and "border" in order
    assert order.index("border") > max(i for i, x in enumerate(order) if x == "uncovered")
    switch = page.get_by_role("checkbox", name=TITLE)
    switch.uncheck()
    assert "uncovered" not in page.evaluate(DRAW_ORDER)
    switch.check()  # back, and still under the border
    order = page.evaluate(DRAW_ORDER)
    assert order.index("border") > max(i for i, x in enumerate(order) if x == "uncovered")
    assert errors == []


def test_a_stretch_has_its_tooltip_under_the_pointer(open_map: Any, maps) -> None:
    page, errors, _ = open_map(maps["seeds"] / "index.html")
    # A point of the Tumen's stretch, 3 px aside (on the dotted band, off the border line).
    points = page.evaluate(
        """() => { const map = window.bordermapMap; const s = window.bordermapLayers
             .uncovered.stretches().find(x => x.tooltip.includes('Tumen'));
           const ll = s.latlngs[Math.floor(s.latlngs.length / 2)];
           const p = map.latLngToContainerPoint(ll); const r = map.getContainer()
             .getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }"""
    )
    shown = ""
    for dx, dy in ((3, 0), (-3, 0), (0, 3), (0, -3), (2, 2), (-2, -2), (2, -2), (-2, 2)):
        page.mouse.move(points[0] + dx, points[1] + dy)
        tip = page.locator(".leaflet-tooltip", has_text=TITLE)
        if tip.count():
            shown = tip.inner_text()
            break
    assert shown.startswith(f"{TITLE}: Tumen, km 21–537 (515.9 km with no place named within")
    assert errors == []


def test_every_map_of_a_build_says_it_and_hostile_names_stay_text(open_map: Any, maps) -> None:
    summary = manifest(maps["own"])["coverage"]["summary"]
    assert any(s.startswith(HOSTILE_LINE.capitalize()) for s in summary)
    for name in ("index.html", "cameras.html", "posts.html"):
        page, errors, _ = open_map(maps["own"] / name)
        assert errors == []  # no dialog: the markup in the line's name never ran
        page.get_by_text("Text view: every claim and place").click()
        items = page.get_by_role("list", name=TITLE).get_by_role("listitem").all_inner_texts()
        assert items == summary
        assert page.locator(".bm-legend img").count() == 0
    tips = page.evaluate("() => window.bordermapLayers.uncovered.stretches().map(s => s.tooltip)")
    assert any(HOSTILE_LINE.capitalize() in t for t in tips)
