"""The page's side of a snapshot "as of" a date, in headless Chromium: bordermap.showAsOf
(claims.js) sets the same time filter a person moves, to the same features.

(Separate from tests/test_snapshot_as_of.py: Playwright's sync API allows one driver per
thread at a time, and the snapshotter there starts its own.)
"""

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
    from test_snapshot_as_of import _copy_claims_project

    out = tmp_path_factory.mktemp("as-of-page")
    build(load(load_config(_copy_claims_project(out))), out / "later", tiles="none")
    return {"later": out / "later" / "index.html"}


SHOWN = """() => { const out = {}; for (const [id, e] of Object.entries(window.bordermapLayers)) {
  if (e.kind !== 'features') continue; out[id] = e.features.filter(f =>
    window.bordermap.featureFilter(window.bordermapMap)(f.properties)).length; } return out; }"""


def test_the_page_shows_as_of_a_date_as_its_own_filter_does(
    open_map: Any, maps: dict[str, Path]
) -> None:
    # A person sets the To handle at March 2022; the snapshot's as-of 2022-03 must
    # give the same features, through the same filter.
    page, errors, _ = open_map(maps["later"])
    handle = page.get_by_label("To month")
    handle.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    by_hand = page.evaluate(SHOWN)
    assert by_hand == {"guards": 1, "denial": 0}
    page2, errors2, _ = open_map(maps["later"])
    state = page2.evaluate(
        "() => window.bordermap.showAsOf(window.bordermapMap, '2022-03-31', '2022-03')"
    )
    assert page2.evaluate(SHOWN) == by_hand
    assert state == {"dated": 2, "begun": 1, "first": "2022-03-01", "shown": 1, "counted": "claims"}
    status = page2.get_by_role("group", name="Time filter").inner_text()
    assert "Claims begun by 2022-03-31" in status
    assert page2.get_by_label("To month").input_value() == handle.input_value()
    assert errors == [] and errors2 == []


def test_a_map_without_dated_claims_counts_its_dated_places(open_map: Any, tmp_path: Path) -> None:
    corpus = '"' + str(ROOT / "seeds").replace("\\", "\\\\") + '"'
    (tmp_path / "bordermap.toml").write_text(
        f'[project]\ntitle = "No claims"\ncorpus = [{corpus}]\n[basemap]\ntiles = "none"\n'
        '[[layers]]\nid = "towns"\ntitle = "Towns"\ncolor = "#d62728"\nkinds = ["city"]\n',
        encoding="utf-8",
    )
    build(load(load_config(tmp_path / "bordermap.toml")), tmp_path / "out", tiles="none")
    page, errors, _ = open_map(tmp_path / "out" / "index.html")
    every = page.evaluate(SHOWN)["towns"]
    before = page.evaluate(
        "() => window.bordermap.showAsOf(window.bordermapMap, '2018-12-31', '2018')"
    )
    assert before["counted"] == "places" and before["dated"] > 0 and before["begun"] == 0
    assert before["shown"] == page.evaluate(SHOWN)["towns"] < every
    title = page.locator(".bm-title").inner_text()
    assert f"As of 2018: none of the {before['dated']} dated places had been reported" in title
    after = page.evaluate(
        "() => window.bordermap.showAsOf(window.bordermapMap, '2030-12-31', '2030')"
    )
    assert after["begun"] == after["dated"] and page.evaluate(SHOWN)["towns"] == every
    assert "As of 2030: all" in page.locator(".bm-title").inner_text()
    assert errors == []


def test_an_annotation_without_a_dated_claim_follows_its_articles_dates(
    open_map: Any, tmp_path: Path
) -> None:
    """The cameras claimed by seed 000 (dated 2020), with no claim of their own: not on a
    map as of 2018, on one as of 2021."""
    corpus = '"' + str(ROOT / "seeds").replace("\\", "\\\\") + '"'
    (tmp_path / "bordermap.toml").write_text(
        f'[project]\ntitle = "Cameras"\ncorpus = [{corpus}]\n[basemap]\ntiles = "none"\n'
        '[[layers]]\nid = "towns"\ntitle = "Towns"\ncolor = "#d62728"\nkinds = ["city"]\n'
        '[[annotations]]\nid = "cams"\ntitle = "Cameras"\ncolor = "#9467bd"\nline = "yalu"\n'
        'spacing_m = 1000\narticles = ["000"]\n',
        encoding="utf-8",
    )
    build(load(load_config(tmp_path / "bordermap.toml")), tmp_path / "out", tiles="none")
    page, errors, _ = open_map(tmp_path / "out" / "index.html")
    on = "() => window.bordermapMap.hasLayer(window.bordermapLayers.cams.group)"
    assert page.evaluate(on)
    page.evaluate("() => window.bordermap.showAsOf(window.bordermapMap, '2018-12-31', '2018')")
    assert not page.evaluate(on)
    page.evaluate("() => window.bordermap.showAsOf(window.bordermapMap, '2021-12-31', '2021')")
    assert page.evaluate(on)
    assert errors == []


def test_a_place_two_layers_draw_counts_once_as_of_a_date(open_map: Any, tmp_path: Path) -> None:
    corpus = '"' + str(ROOT / "seeds").replace("\\", "\\\\") + '"'
    towns = 'title = "Towns"\ncolor = "#d62728"\nkinds = ["city"]\n'
    (tmp_path / "bordermap.toml").write_text(
        f'[project]\ntitle = "Twice"\ncorpus = [{corpus}]\n[basemap]\ntiles = "none"\n'
        f'[[layers]]\nid = "towns"\n{towns}[[layers]]\nid = "again"\n{towns}',
        encoding="utf-8",
    )
    build(load(load_config(tmp_path / "bordermap.toml")), tmp_path / "out", tiles="none")
    page, errors, _ = open_map(tmp_path / "out" / "index.html")
    places = page.evaluate(
        """() => { const ids = new Set(); for (const e of Object.values(window.bordermapLayers))
             if (e.kind === 'features') for (const f of e.features)
               if (f.properties.period_start) ids.add(f.properties.id);
           return ids.size; }"""
    )
    state = page.evaluate(
        "() => window.bordermap.showAsOf(window.bordermapMap, '2030-12-31', '2030')"
    )
    assert places > 0 and state["dated"] == places  # not twice as many
    assert errors == []
