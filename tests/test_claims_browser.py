"""Claims on the page, as a person sees them in headless Chromium: contested claims drawn
apart and naming each other, uncertainty radii, the time filter and the text view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bordermap.build import build
from bordermap.config import load_config
from bordermap.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("claims-maps")
    build(load(load_config(ROOT / "tests" / "data" / "claims-project" / "bordermap.toml")),
          out / "test", tiles="none")  # fmt: skip
    build(load(load_config(ROOT / "bordermap.toml")), out / "seeds", tiles="none")
    return {"test": out / "test", "seeds": out / "seeds"}


SHOWN = """() => { const out = {}; for (const [id, e] of Object.entries(window.bordermapLayers)) {
  if (e.kind !== 'features') continue; let n = 0;
  e.group.eachLayer(g => { if (g.eachLayer) g.eachLayer(l => { if (l.feature) n++; }); });
  out[id] = n; } return out; }"""


def slide(page: Any, which: int, key: str, times: int) -> None:
    handle = page.get_by_label("From month" if which == 0 else "To month")
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def test_contested_claims_are_dashed_and_name_each_other(open_map: Any, maps) -> None:
    page, errors, _ = open_map(maps["test"] / "index.html")
    dashes = page.evaluate(
        """() => { const out = {}; for (const id of ['guards', 'denial'])
             window.bordermapLayers[id].group.eachLayer(g => { if (g.eachLayer)
               g.eachLayer(l => { if (l.feature) out[id] = l.options.dashArray; }); });
           return out; }"""
    )
    assert dashes == {"guards": "4 3", "denial": "4 3"}
    page.evaluate(
        """() => window.bordermapLayers.guards.group.eachLayer(g => { if (g.eachLayer)
             g.eachLayer(l => { if (l.feature) l.openPopup(); }); })"""
    )
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "Claim guards-added (contested): 2 articles, 1 origin" in text
    assert "Contested by claim no-guards (reported, 1 article, 1 origin)" in text
    assert "Officials say no guards were added" in text
    assert "within about 15 km (town precision)" in text
    # "near Sinuiju": a circle of the uncertainty radius around the point
    radii = page.evaluate(
        """() => { const r = []; window.bordermapMap.eachLayer(l => {
             if (l instanceof L.Circle) r.push(Math.round(l.getRadius())); }); return r.sort(); }"""
    )
    assert radii == [15000, 15000]
    assert errors == []


def test_the_time_filter_hides_and_shows_claims_by_period(open_map: Any, maps) -> None:
    page, errors, _ = open_map(maps["test"] / "index.html")
    status = page.get_by_role("group", name="Time filter")
    assert "2022-03 to 2022-05" in status.inner_text()
    assert page.evaluate(SHOWN) == {"guards": 1, "denial": 1}
    slide(page, 0, "ArrowRight", 1)  # from April: the March claim is out, the range stays
    assert "2022-04 to 2022-05" in status.inner_text()
    assert page.evaluate(SHOWN) == {"guards": 0, "denial": 1}
    slide(page, 0, "ArrowLeft", 1)
    slide(page, 1, "ArrowLeft", 2)  # March only: both overlap March
    assert page.evaluate(SHOWN) == {"guards": 1, "denial": 1}
    assert errors == []


VISIBLE = """() => ["timeFilter", "textView"].map(function (key) {
  var node = document.getElementsByClassName(window.bordermap.dom[key])[0];
  return Boolean(node && node.offsetParent !== null);
})"""


def test_a_readers_page_shows_the_time_filter_and_the_text_view(open_map: Any, maps) -> None:
    page, errors, _ = open_map(maps["seeds"] / "index.html")
    assert page.evaluate(VISIBLE) == [True, True]  # a slide hides them (test_snapshot.py)
    assert errors == []


def test_the_text_view_lists_every_claim_with_its_sources(open_map: Any, maps) -> None:
    page, errors, _ = open_map(maps["seeds"] / "index.html")
    page.get_by_text("Text view: every claim and place").click()
    items = page.get_by_role("list", name="Claims and places on this map").get_by_role("listitem")
    texts = items.all_inner_texts()
    ids = [t.split(":")[0] for t in texts]
    assert ids == ["border-course", "cameras-yalu", "checkpoints-5g", "arrests-mid-april",
                   "upgrades-huawei", "named-places"]  # fmt: skip
    upgrades = texts[4]
    assert "2 articles, 1 origin" in upgrades and "period early October 2021" in upgrades
    assert "Drawn at: Hamhung, Nampo, Pyongsong, Pyongyang, Sariwon, Wonsan" in upgrades
    assert "≈ 8,513 cameras if the whole Yalu is covered" in texts[1]
    page.get_by_label("Layer").select_option("arrests")
    assert items.all_inner_texts()[0].startswith("arrests-mid-april")
    assert len(items.all_inner_texts()) == 1
    assert errors == []


def test_countries_named_in_the_seeds_are_areas(open_map: Any, maps) -> None:
    page, errors, _ = open_map(maps["seeds"] / "context.html")
    kinds = page.evaluate(
        """() => { const out = {}; window.bordermapLayers.context.group.eachLayer(g => {
             if (g.eachLayer) g.eachLayer(l => { if (l.feature) out[l.feature.properties.name] =
               l instanceof L.Polygon ? 'area' : l instanceof L.Polyline ? 'line' : 'point'; }); });
           return out; }"""
    )
    assert kinds["North Korea"] == "area" and kinds["Yalu River"] == "line"
    assert kinds["Sinuiju"] == "point"
    assert errors == []


def test_every_snapshot_has_alt_text_beside_it(maps, tmp_path: Path) -> None:
    from bordermap.snapshot import snapshot

    shot = snapshot(maps["test"] / "index.html", tmp_path / "test.png", size=(800, 500), scale=1)
    alt = (tmp_path / "test.txt").read_text("utf-8")
    assert alt == shot.alt + "\n"
    assert alt.startswith(
        "Guards at Sinuiju, contested. Guards added: Sinuiju. No guards added: Sinuiju."
    )
    assert ("Claim guards-added: Border guards were added at Sinuiju in March 2022. (contested; "
            "period March 2022; 2 articles, 1 origin; contested by no-guards).") in alt  # fmt: skip
    assert "Claims shown: periods from 2022-03 to 2022-05." in alt


def test_the_legend_counts_origins(open_map: Any, maps) -> None:
    page, errors, _ = open_map(maps["seeds"] / "index.html")
    legend = page.locator(".bm-legend").inner_text()
    assert "upgrades-huawei: 2 articles, 1 origin" in legend
    assert "checkpoints-5g: 1 article, 1 origin" in legend
    assert errors == []


#: A claim narrowing the default project's camera claim (README, "Counts say what they
#: assume"): the annotation's count becomes a range from none.
HYESAN_ONLY = """
[[claims]]
id = "cameras-hyesan-only"
text = "The cameras stand only around Hyesan, not along the whole river."
layer = "cameras"
asserted_by = "expert"
narrows = ["cameras-yalu"]
scope = "around Hyesan"

[[maps]]
id = "index"
"""


def _build_seeds_with(claims: str, tmp_path: Path) -> None:
    """The default project with ``claims`` (TOML ending in the index map's header) added
    before its index map, built into ``tmp_path / "out"``."""
    text = (ROOT / "bordermap.toml").read_text("utf-8")
    assert text.count('[[maps]]\nid = "index"\n') == 1
    text = text.replace('corpus = ["seeds"]', f'corpus = ["{ROOT / "seeds"}"]')
    config = tmp_path / "bordermap.toml"
    config.write_text(text.replace('[[maps]]\nid = "index"\n', claims.lstrip()), "utf-8")
    build(load(load_config(config)), tmp_path / "out", tiles="none")


def test_a_narrowed_camera_count_is_a_range_on_the_map_and_in_the_legend(
    open_map: Any, tmp_path: Path
) -> None:
    _build_seeds_with(HYESAN_ONLY, tmp_path)
    page, errors, _ = open_map(tmp_path / "out" / "index.html")
    label = ("0 – 8,513 cameras: 100 m spacing claimed over 851.2 km of the Yalu, "
             "scope narrowed by cameras-hyesan-only")  # fmt: skip
    assert page.locator(".bm-camera-label").inner_text() == label
    legend = page.locator(".bm-legend").inner_text()
    assert label in legend and "≈ 8,513 cameras claimed" not in legend
    # The text view gives the claim's count with the same range and the same reason.
    page.get_by_text("Text view: every claim and place").click()
    items = page.get_by_role("list", name="Claims and places on this map").get_by_role("listitem")
    cameras = next(t for t in items.all_inner_texts() if t.startswith("cameras-yalu"))
    assert "0 – 8,513 cameras: " in cameras and "(scope narrowed by cameras-hyesan-only)" in cameras
    assert errors == []


#: A claim about a place the layer does not draw (its rules keep the upgraded cities).
UNDRAWN = """
[[claims]]
id = "upgrades-hyesan"
text = "Base stations were also re-equipped in Hyesan."
layer = "upgrades"
asserted_by = "anonymous source"
places = ["Hyesan"]

[[maps]]
id = "index"
"""


def test_a_claim_drawn_at_no_place_of_its_layer_says_so_in_the_legend(
    open_map: Any, tmp_path: Path
) -> None:
    _build_seeds_with(UNDRAWN, tmp_path)
    page, errors, _ = open_map(tmp_path / "out" / "index.html")
    legend = page.locator(".bm-legend").inner_text()
    assert "upgrades-hyesan: drawn at no place of this layer" in legend
    assert "upgrades-huawei: 2 articles, 1 origin" in legend  # the layer's drawn claim
    assert errors == []
