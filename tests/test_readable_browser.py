"""Maps stay readable for any corpus and any screen, as a person sees them in Chromium.

The sources list is a bounded panel behind a "Sources (N)" button; on a phone
the legend and the layer switcher collapse to buttons; point layers take
their own clicks over the annotation line; popups open clear of the controls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bordermap import Project
from support import CONFIG, many_sources_project

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1280, 720)
HOSTILE = "<img src=x onerror=window.__pwned=1> & </script><b>"
MANY = 80

Box = dict[str, float]


def box_of(locator: Any) -> Box:
    b = locator.bounding_box()
    assert b is not None, locator
    return dict(b)


def area(b: Box) -> float:
    return b["width"] * b["height"]


def meets(a: Box, b: Box) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def inside(b: Box, size: tuple[int, int]) -> bool:
    return (
        b["x"] >= 0
        and b["y"] >= 0
        and b["x"] + b["width"] <= size[0] + 0.5
        and b["y"] + b["height"] <= size[1] + 0.5
    )


def control_boxes(page: Any) -> list[Box]:
    """Every visible Leaflet control: title box, zoom, switcher, legend, scale, attribution."""
    return [box_of(c) for c in page.locator(".leaflet-control").all() if c.is_visible()]


@pytest.fixture(scope="module")
def default_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default")
    Project.load(CONFIG).build(out, tiles="none")
    return out


@pytest.fixture(scope="module")
def many_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("many")
    project = many_sources_project(root, MANY, hostile_title=HOSTILE)
    Project.load(project).build(root / "out", tiles="none")
    return root / "out"


# --------------------------------------------------------------- sources


def test_the_sources_list_is_a_bounded_panel(open_map: Any, many_maps: Path) -> None:
    page, errors, _ = open_map(many_maps / "index.html", viewport=DESKTOP)
    title = page.locator(".bm-title")
    # Closed, the title box is the title and one button, whatever the corpus.
    assert box_of(title)["height"] < 110
    attribution = page.locator(".leaflet-control-attribution")
    line_px = attribution.evaluate("e => parseFloat(getComputedStyle(e).fontSize) * 1.6")
    assert box_of(attribution)["height"] <= line_px  # one line: data credits
    assert "a000" not in attribution.inner_text() and "GeoNames" in attribution.inner_text()

    button = page.get_by_role("button", name=f"Sources ({MANY})")
    panel = page.locator(".bm-panel")
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == panel.get_attribute("id")
    assert not panel.is_visible()
    # A keyboard user opens it...
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert panel.is_visible()
    assert panel.locator("li").count() == MANY
    assert HOSTILE in panel.inner_text()  # as text, literally
    assert page.evaluate("() => window.__pwned === undefined")
    # ...and it is bounded: it scrolls, and the title box stays on the map.
    scroll, client = panel.evaluate("p => [p.scrollHeight, p.clientHeight]")
    assert scroll > client
    assert inside(box_of(title), DESKTOP)
    assert box_of(title)["height"] < 0.75 * DESKTOP[1]
    for other in control_boxes(page):
        if other != box_of(title) and other["y"] > box_of(title)["y"] + 1:
            # Nothing it shares the left edge with is pushed off the map.
            assert inside(other, DESKTOP), other
    # Escape closes it and gives the focus back to its button.
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not panel.is_visible()
    assert page.evaluate("() => document.activeElement.textContent") == f"Sources ({MANY})"
    assert errors == []


def test_the_panel_fits_a_phone(open_map: Any, many_maps: Path) -> None:
    page, errors, _ = open_map(many_maps / "index.html", viewport=PHONE)
    page.get_by_role("button", name=f"Sources ({MANY})").click()
    panel = page.locator(".bm-panel")
    assert panel.is_visible()
    for b in control_boxes(page):
        assert inside(b, PHONE), b
    scroll, client = panel.evaluate("p => [p.scrollHeight, p.clientHeight]")
    assert scroll > client
    assert errors == []


# ---------------------------------------------------------------- phones


def test_on_a_phone_the_furniture_leaves_most_of_the_map_visible(
    open_map: Any, default_maps: Path
) -> None:
    page, errors, _ = open_map(default_maps / "index.html", viewport=PHONE)
    title = page.locator(".bm-title")
    legend = page.locator(".bm-legend")
    switcher = page.locator(".leaflet-control-layers")
    covered = sum(area(box_of(x)) for x in (title, legend, switcher))
    assert covered < 0.25 * PHONE[0] * PHONE[1], covered
    assert not page.locator(".bm-legend-row").first.is_visible()
    assert not page.locator(".leaflet-control-layers-list").is_visible()
    assert "Surveillance and telecom" in title.inner_text()

    buttons = {
        name: page.get_by_role("button", name=name) for name in ("Legend", "Layers", "Sources (5)")
    }
    for name, button in buttons.items():
        assert button.get_attribute("aria-expanded") == "false", name
        button.click()
        assert button.get_attribute("aria-expanded") == "true", name
        # One panel at a time; an open one stays on the screen and off the title.
        others = [b for n, b in buttons.items() if n != name]
        assert all(b.get_attribute("aria-expanded") == "false" for b in others), name
        for control in (title, legend, switcher):
            assert inside(box_of(control), PHONE), (name, box_of(control))
        if name != "Sources (5)":
            opened = legend if name == "Legend" else switcher
            assert not meets(box_of(opened), box_of(title)), name
    # What the legend button opened is the legend.
    buttons["Legend"].click()
    assert page.locator(".bm-legend-row").count() == 7  # and "Not covered by the corpus"
    assert page.locator(".bm-legend-row").first.is_visible()
    page.keyboard.press("Escape")
    assert buttons["Legend"].get_attribute("aria-expanded") == "false"
    assert not page.locator(".bm-legend-row").first.is_visible()
    # The switcher's checkboxes work once it is open.
    buttons["Layers"].click()
    page.get_by_label("Smuggling arrests").uncheck()
    assert not page.evaluate(
        "() => window.bordermapMap.hasLayer(window.bordermapLayers.arrests.group)"
    )
    assert errors == []


def test_on_a_desktop_the_furniture_stays_open(open_map: Any, default_maps: Path) -> None:
    page, errors, _ = open_map(default_maps / "index.html", viewport=DESKTOP)
    rows = page.locator(".bm-legend-row")
    assert rows.count() == 7 and all(r.is_visible() for r in rows.all())
    assert page.locator(".leaflet-control-layers-list").is_visible()
    assert page.get_by_role("button", name="Legend").count() == 0
    assert page.get_by_role("button", name="Layers").count() == 0
    title = box_of(page.locator(".bm-title"))
    switcher = box_of(page.locator(".leaflet-control-layers"))
    legend = box_of(page.locator(".bm-legend"))
    assert title["x"] < 20 and title["y"] < 20
    assert switcher["x"] + switcher["width"] > DESKTOP[0] - 20 and switcher["y"] < 20
    assert legend["x"] + legend["width"] > DESKTOP[0] - 20 and legend["y"] > DESKTOP[1] / 2
    assert errors == []


def test_the_layout_follows_a_resized_window(open_map: Any, default_maps: Path) -> None:
    page, errors, _ = open_map(default_maps / "index.html", viewport=DESKTOP)
    switcher = page.locator(".leaflet-control-layers")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.get_by_role("button", name="Legend").wait_for()
    assert not page.locator(".bm-legend-row").first.is_visible()
    assert box_of(switcher)["y"] > PHONE[1] / 2  # with the legend, at the bottom
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    page.get_by_role("button", name="Legend").wait_for(state="hidden")
    assert page.locator(".bm-legend-row").first.is_visible()
    assert page.locator(".leaflet-control-layers-list").is_visible()
    assert box_of(switcher)["y"] < 20  # back at the top right
    assert errors == []


# ---------------------------------------------------------------- popups

OPEN_EXTREME = """(which) => {
  let best = null;
  for (const entry of Object.values(window.bordermapLayers)) {
    if (entry.kind !== "features") continue;
    entry.group.eachLayer(g => g.eachLayer(l => {
      if (!l.getLatLng || !l.feature) return;
      const p = l.getLatLng();
      const key = which === "westernmost" ? -p.lng : p.lat;
      if (best === null || key > best[0]) best = [key, l];
    }));
  }
  best[1].openPopup();
  return best[1].feature.properties.name;
}"""


def popup_is_clear(page: Any, size: tuple[int, int]) -> None:
    popup = box_of(page.locator(".leaflet-popup"))
    assert inside(popup, size), popup
    for control in control_boxes(page):
        assert not meets(popup, control), (popup, control)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("which", ["westernmost", "northernmost"])
def test_popups_open_clear_of_the_controls(
    open_map: Any, default_maps: Path, size: tuple[int, int], which: str
) -> None:
    page, errors, _ = open_map(default_maps / "index.html", viewport=size)
    name = page.evaluate(OPEN_EXTREME, which)
    assert name in page.locator(".leaflet-popup-content").inner_text()
    popup_is_clear(page, size)
    assert errors == []


def test_a_popup_clears_the_open_sources_panel(open_map: Any, many_maps: Path) -> None:
    page, errors, _ = open_map(many_maps / "index.html", viewport=DESKTOP)
    page.get_by_role("button", name=f"Sources ({MANY})").click()
    page.evaluate(OPEN_EXTREME, "westernmost")
    popup_is_clear(page, DESKTOP)
    assert page.locator(".bm-panel").is_visible()  # a large map keeps it open
    assert errors == []


# ------------------------------------------------------ points over lines

PIXEL_OF = """([lat, lon, id]) => {
  const map = window.bordermapMap;
  const r = map.getContainer().getBoundingClientRect();
  const p = map.latLngToContainerPoint([lat, lon]);
  const line = window.bordermapLayers[id].line;
  return [p.x + r.left, p.y + r.top, line._containsPoint(map.latLngToLayerPoint([lat, lon]))];
}"""


def test_a_point_under_the_annotation_line_takes_its_own_click(
    open_map: Any, tmp_path: Path
) -> None:
    from bordermap.geometry import border_lines

    yalu = list(border_lines()["yalu"].coords)
    lon, lat = yalu[len(yalu) // 2]
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "pier.md").write_text(
        "---\nid: pier\ntitle: Trade at the pier\noutlet: Test\ndate: 2024-01-01\n---\n"
        "Traders met at Ferry Pier Nine on the Yalu, upstream from Sinuiju.\n",
        encoding="utf-8",
    )
    project = tmp_path / "bordermap.toml"
    project.write_text(
        '[project]\ntitle = "Piers"\ncorpus = ["articles"]\n'
        '[[layers]]\nid = "piers"\ntitle = "Piers"\nplaces = ["Ferry Pier Nine"]\n'
        '[[annotations]]\nid = "posts"\ntitle = "Claimed posts"\nline = "yalu"\n'
        'spacing_m = 1000\nnoun = "post"\narticles = ["pier"]\n'
        '[[places]]\nid = "pier-nine"\nname = "Ferry Pier Nine"\nkind = "landmark"\n'
        f'country = "CN"\nlat = {lat}\nlon = {lon}\n',
        encoding="utf-8",
    )
    Project.load(project).build(tmp_path / "out", tiles="none")
    page, errors, _ = open_map(tmp_path / "out" / "index.html", viewport=(1200, 800))
    # Zoom 11: the annotation is its line (the posts are drawn from zoom 12).
    page.evaluate(f"() => window.bordermapMap.setView([{lat}, {lon}], 11, {{animate: false}})")
    x, y, on_line = page.evaluate(PIXEL_OF, [lat, lon, "posts"])
    assert on_line, "the annotation line passes through the point's pixel"
    page.mouse.move(x, y)
    assert "Ferry Pier Nine" in page.locator(".leaflet-tooltip").last.inner_text()
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    assert "Ferry Pier Nine" in popup.inner_text()
    assert "Claimed posts" not in popup.inner_text()
    page.evaluate("() => window.bordermapMap.closePopup()")
    # Away from the point, the line still takes its clicks.
    far = next(c for c in yalu[len(yalu) // 2 + 1 :] if abs(c[1] - lat) + abs(c[0] - lon) > 0.03)
    fx, fy, far_on_line = page.evaluate(PIXEL_OF, [far[1], far[0], "posts"])
    assert far_on_line and abs(fx - x) + abs(fy - y) > 20
    page.mouse.click(fx, fy)
    assert "Claimed posts" in page.locator(".leaflet-popup-content").inner_text()
    assert errors == []


# ---------------------------------------------------------------- compare


def test_compare_titles_list_their_sources_in_a_panel(
    open_map: Any, upgrades_vs_checkpoints: Any, tmp_path: Path
) -> None:
    from bordermap.render.compare_page import write

    html, _ = write(upgrades_vs_checkpoints, tmp_path / "c.html")
    page, errors, _ = open_map(html, viewport=DESKTOP)
    subtitles = page.locator(".bm-title-sub").all_inner_texts()
    assert subtitles and not any("Sources:" in s for s in subtitles)
    button = page.get_by_role("button", name="Sources (2)")
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert [x.split(" ")[0] for x in page.locator(".bm-source").all_inner_texts()] == [
        "003",
        "004",
    ]
    assert page.get_by_role("button", name="Sources (1)").get_attribute("aria-expanded") == (
        "false"
    )
    assert errors == []


@pytest.mark.parametrize("mode", ["overlay", "side-by-side"])
def test_on_a_phone_the_compare_legend_is_a_button(
    open_map: Any, upgrades_vs_checkpoints: Any, tmp_path: Path, mode: str
) -> None:
    from bordermap.render.compare_page import write

    html, _ = write(upgrades_vs_checkpoints, tmp_path / "c.html", mode=mode)
    page, errors, _ = open_map(html, viewport=PHONE)
    legends = page.locator(".bm-legend").all()
    rows = page.locator(".bm-legend-row")
    assert legends and not any(r.is_visible() for r in rows.all())
    assert sum(area(box_of(x)) for x in legends) < 0.05 * PHONE[0] * PHONE[1]
    button = page.get_by_role("button", name="Legend").first
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert rows.first.is_visible() and inside(box_of(legends[0]), PHONE)
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not rows.first.is_visible()
    # On a desktop the legend is open with no button unless its map is still compact,
    # as furniture.js decides (each half of a side-by-side page is about 640 px wide).
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    page.wait_for_function(SETTLED)  # furniture.js lays out again on resize
    compact = page.evaluate(
        "() => document.querySelector('.bmc-legend').closest('.bm-compact') !== null"
    )
    assert rows.first.is_visible() is not compact and button.is_visible() is compact
    if mode == "overlay":
        assert not compact
    assert errors == []


# Every map's compact class agrees with its size (furniture.js's rule).
SETTLED = """() => [...document.querySelectorAll('.leaflet-container')].every(m =>
  m.classList.contains('bm-compact') === (m.clientWidth < 640 || m.clientHeight < 500))"""


# ------------------------------------------------------------ camera label


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_the_camera_label_is_whole_on_the_map_and_clear_of_the_controls(
    open_map: Any, default_maps: Path, viewport: tuple[int, int]
) -> None:
    # Drawn to the right of the river's middle, it ran off a phone's screen and
    # under a desktop's layer switcher; it now takes the first side that is clear.
    page, errors, _ = open_map(default_maps / "index.html", viewport=viewport)
    label = box_of(page.locator(".bm-camera-label"))
    assert inside(label, viewport), label
    for control in control_boxes(page):
        assert not meets(label, control), (label, control)
    assert "cameras claimed at 100 m" in page.locator(".bm-camera-label").inner_text()
    assert errors == []
