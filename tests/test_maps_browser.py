"""The built maps of the default project, as a person sees them in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bordermap import Project

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">`${window.__pwned=2}`\\</script><b>'


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("maps")
    Project.load(ROOT / "bordermap.toml").build(out / "none", tiles="none")
    Project.load(ROOT / "bordermap.toml").build(out / "osm", tiles="OpenStreetMap")
    return {"none": out / "none", "osm": out / "osm"}


def test_overview_shows_everything(open_map: Any, maps: dict[str, Path]) -> None:
    page, errors, requests = open_map(maps["none"] / "index.html")
    assert page.locator(".leaflet-container").count() == 1
    assert "Surveillance and telecom" in page.locator(".bm-title").inner_text()
    legend = page.locator(".bm-legend").inner_text()
    for title in (
        "5G checkpoints",
        "Smuggling arrests",
        "Base-station upgrades",
        "Claimed cameras",
    ):
        assert title in legend
    # every layer, the annotation, and what the corpus does not cover
    assert page.locator(".leaflet-control-layers-overlays label").count() == 7
    label = page.locator(".bm-camera-label")
    assert label.is_visible()
    assert label.inner_text().startswith("≈ 8,5") and "km of the Yalu" in label.inner_text()
    # At country scale the cameras are a line and a label, not thousands of markers.
    cams = page.evaluate("() => window.bordermapLayers.cameras.group.getLayers().length")
    assert cams <= 3
    assert page.locator(".leaflet-control-scale").count() == 1
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    page.wait_for_timeout(300)
    assert requests == [(maps["none"] / "index.html").as_uri()]
    assert errors == []


def test_zoomed_in_cameras_carry_number_and_distance(open_map: Any, maps: dict[str, Path]) -> None:
    page, errors, _ = open_map(maps["none"] / "cameras.html")
    page.evaluate("() => { window.bordermapMap.setView([40.10, 124.40], 14, {animate: false}); }")
    n = page.evaluate("() => window.bordermapLayers.cameras.drawn().length")
    assert 10 < n < 2000
    text = page.evaluate(
        """() => { const c = window.bordermapLayers.cameras;
                   c.open(c.drawn()[0].number);
                   return document.querySelector('.leaflet-popup-content').innerText; }"""
    )
    assert text.startswith("Camera ") and "km from the river mouth" in text
    assert errors == []


def test_popup_shows_provenance(open_map: Any, maps: dict[str, Path]) -> None:
    page, errors, _ = open_map(maps["none"] / "checkpoints.html")
    page.evaluate(
        """() => window.bordermapLayers.checkpoints.group.eachLayer(
               g => g.eachLayer(l => { if (l.feature && l.feature.properties.name === 'Tonghua') l.openPopup(); }))"""
    )
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "Tonghua" in text and "001" in text and "Daily NK" in text
    assert "first 5G checkpoint" in text
    assert errors == []


def test_tiles_are_the_only_outside_requests(open_map: Any, maps: dict[str, Path]) -> None:
    page, errors, requests = open_map(maps["osm"] / "index.html")
    outside = [u for u in requests if not u.startswith("file://")]
    assert outside, "an OSM map asks for tiles"
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in outside), outside
    # Offline the tiles fail, and the vector basemap still shows.
    assert page.locator(".leaflet-bmBasemap-pane canvas").count() >= 1
    assert not [e for e in errors if "tile" not in e.lower() and "ERR_" not in e]


def test_hostile_article_text_never_runs(open_map: Any, tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "evil.md").write_text(
        f'---\nid: "x{HOSTILE}"\ntitle: "{HOSTILE.replace(chr(34), chr(39))}"\noutlet: "{HOSTILE.replace(chr(34), chr(39))}"\n---\n'
        f"Guards in Hyesan said {HOSTILE} while smugglers crossed near Hyesan.\n",
        encoding="utf-8",
    )
    project = tmp_path / "p.toml"
    project.write_text(
        '[project]\ntitle = "Evil <script>alert(1)</script> ${alert(2)}"\ncorpus = ["articles"]\n'
        '[[layers]]\nid = "towns"\ntitle = "<img src=x onerror=alert(3)>"\nplaces = ["Hyesan"]\n'
        'claim = "`${alert(4)}` </script><script>alert(5)</script>"\n',
        encoding="utf-8",
    )
    Project.load(project).build(tmp_path / "out", tiles="none")
    page, errors, _ = open_map(tmp_path / "out" / "index.html")
    page.evaluate(
        "() => window.bordermapLayers.towns.group.eachLayer(g => g.eachLayer(l => l.openPopup()))"
    )
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "<img src=x onerror=" in popup  # shown as text, literally
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator(".bm-title").inner_text().startswith("Evil <script>")
    assert page.locator(".leaflet-container").count() == 1
    assert errors == []


def test_camera_label_follows_the_view(open_map: Any, maps: dict[str, Path]) -> None:
    """Zoomed on the Yalu mouth (far from the river's midpoint) the claim is still on screen."""
    page, errors, _ = open_map(maps["none"] / "cameras.html")
    page.evaluate("() => { window.bordermapMap.setView([40.0, 124.4], 10, {animate: false}); }")
    label = page.locator(".bm-camera-label")
    assert label.is_visible()
    box = label.bounding_box()
    assert box is not None and 0 <= box["x"] < 1200 and 0 <= box["y"] < 800
    assert errors == []
