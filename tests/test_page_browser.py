"""A map page at corpus scale, as a person sees it in headless Chromium.

Popups quote the sentence that names the place (the name marked, non-BMP
text included) and count what they leave out; point layers cluster at low
zoom with counts, draw names that avoid each other, and redraw with only the
features a filter (``bordermap.setFeatureFilter``) keeps.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import pytest

from bordermap.render import MapLayer, render
from test_render import _fc, _feature, make_spec

pytestmark = pytest.mark.browser

OUTLETS = ["Daily NK", "RFA", "NK News"]


def _towns(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` towns at random in the Yalu's region, each named by 1–6 articles."""
    rng = random.Random(seed)
    features = []
    for t in range(n):
        name = f"Town {t}"
        sentence = f"𝔸 Guards 😀 in {name} said the fence was new."
        mark = [len("𝔸 Guards 😀 in "), len("𝔸 Guards 😀 in ") + len(name)]
        provenance = [
            {
                "article": f"a{a:03d}",
                "title": f"Article {a}",
                "outlet": OUTLETS[a % 3],
                "date": f"202{a % 4}-05-01",
                "claim": "Named in the articles.",
                "sentence": sentence,
                "mark": mark,
                "mentions": 1 + a % 2,
            }
            for a in sorted(rng.sample(range(40), 1 + t % 6))
        ]
        lon, lat = round(rng.uniform(124.0, 128.5), 5), round(rng.uniform(39.6, 42.2), 5)
        features.append(_feature({"type": "Point", "coordinates": [lon, lat]}, name=name,
                                 kind="city", provenance=provenance))  # fmt: skip
    return features


@pytest.fixture(scope="module")
def towns() -> list[dict[str, Any]]:
    return _towns(1500)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory, towns: list[dict[str, Any]]) -> Path:
    spec = make_spec()
    layer = MapLayer("towns", "Towns", "#d62728", _fc(towns))
    path = tmp_path_factory.mktemp("page") / "towns.html"
    path.write_text(render(dataclasses.replace(spec, layers=[*spec.layers, layer])), "utf-8")
    return path


CLUSTERS = "() => window.bordermapLayers.towns.clusters()"
LABELS = "() => window.bordermap.labelsOf(window.bordermapMap)"


def overlapping(labels: list[dict[str, float]]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
    ]  # fmt: skip


def test_popup_quotes_the_sentence_with_the_name_marked(open_map: Any, tmp_path: Path) -> None:
    features = _towns(6)
    spec = dataclasses.replace(
        make_spec(), layers=[MapLayer("towns", "Towns", "#d62728", _fc(features))]
    )
    path = tmp_path / "p.html"
    path.write_text(render(spec), "utf-8")
    page, errors, _ = open_map(path)
    # Town 5 is named by six articles: three are quoted, three counted.
    page.evaluate(
        """() => window.bordermapLayers.towns.markers.eachLayer(
               l => { if (l.feature && l.feature.properties.name === 'Town 5') l.openPopup(); })"""
    )
    popup = page.locator(".leaflet-popup-content")
    marks = popup.locator("mark").evaluate_all("ns => ns.map(n => n.textContent)")
    assert marks == ["Town 5"] * 3
    quote = popup.locator(".bm-prov-quote").first
    assert quote.evaluate("n => n.firstChild.textContent") == "𝔸 Guards 😀 in "
    assert quote.inner_text() == "𝔸 Guards 😀 in Town 5 said the fence was new."
    text = popup.inner_text()
    entries = features[5]["properties"]["provenance"]
    mentions = sum(e["mentions"] for e in entries)
    assert f"{mentions} mentions in 6 articles" in text
    assert "and 3 more in the exports" in text
    # The claim, shared by every source, beside the quotes once.
    assert popup.locator(".bm-prov-claim").count() == 1
    assert errors == []


def test_clusters_count_every_place_at_low_zoom(
    open_map: Any, page_file: Path, towns: list
) -> None:
    page, errors, _ = open_map(page_file)
    page.evaluate("void window.bordermapMap.setView([40.9, 126.2], 6, {animate: false})")
    clusters = page.evaluate(CLUSTERS)
    assert any(c["count"] > 1 for c in clusters)
    # The whole layer is in the padded view: every town is in exactly one cluster.
    names = [n for c in clusters for n in c["names"]]
    assert sorted(names) == sorted(f["properties"]["name"] for f in towns)
    assert sum(c["count"] for c in clusters) == len(towns)
    # Fewer markers than towns: the layer is aggregated, not drawn one by one.
    assert len(clusters) < len(towns) / 3
    # A click on a cluster zooms in on it.
    big = max(clusters, key=lambda c: c["count"])
    point = page.evaluate(
        "ll => { const p = window.bordermapMap.latLngToContainerPoint(ll); return [p.x, p.y]; }",
        big["latlng"],
    )
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_function("() => window.bordermapMap.getZoom() > 6")
    page.wait_for_timeout(500)  # the zoom animation ends
    # From zoom 13 every place stands alone.
    page.evaluate("void window.bordermapMap.setView([40.9, 126.2], 13, {animate: false})")
    assert all(c["count"] == 1 for c in page.evaluate(CLUSTERS))
    assert errors == []


def test_names_avoid_each_other_and_follow_the_view(open_map: Any, page_file: Path) -> None:
    page, errors, _ = open_map(page_file, viewport=(1000, 700))
    page.evaluate("void window.bordermapMap.setView([40.6, 125.0], 9, {animate: false})")
    page.evaluate("() => window.bordermap.redrawLabels(window.bordermapMap)")
    labels = page.evaluate(LABELS)
    assert len(labels) >= 10
    assert overlapping(labels) == []
    assert all(0 <= x["x"] and x["x"] + x["w"] <= 1000 and 0 <= x["y"] and x["y"] + x["h"] <= 700
               for x in labels)  # fmt: skip
    # The names are drawn: the canvas has ink where the first one stands.
    first = labels[0]
    ink = page.evaluate(
        """(r) => { const c = document.querySelector('.bm-labels');
                    const k = c.width / c.clientWidth;
                    const d = c.getContext('2d').getImageData(r.x * k, r.y * k, r.w * k, r.h * k).data;
                    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""",
        first,
    )
    assert ink > 20
    # After a pan the names are placed again, for what is now in view.
    page.evaluate("void window.bordermapMap.panBy([300, 200], {animate: false})")
    page.evaluate("() => window.bordermap.redrawLabels(window.bordermapMap)")
    moved = page.evaluate(LABELS)
    assert moved != labels and overlapping(moved) == []
    assert errors == []


def test_a_filter_redraws_layers_clusters_and_labels(
    open_map: Any, page_file: Path, towns: list
) -> None:
    page, errors, _ = open_map(page_file)
    page.evaluate("void window.bordermapMap.setView([40.9, 126.2], 6, {animate: false})")
    # The predicate sees every provenance entry, not only the quoted ones, and
    # the layer's id.
    keep = {
        f["properties"]["name"]
        for f in towns
        if any(e["date"] >= "2023" for e in f["properties"]["provenance"])
    }
    assert 0 < len(keep) < len(towns)
    page.evaluate(
        """() => window.bordermap.setFeatureFilter(window.bordermapMap,
                   p => p.layer === 'towns' && p.provenance.some(e => e.date >= '2023'))"""
    )
    names = [n for c in page.evaluate(CLUSTERS) for n in c["names"]]
    assert sorted(names) == sorted(keep)
    page.evaluate("void window.bordermapMap.setView([40.6, 125.0], 9, {animate: false})")
    page.evaluate("() => window.bordermap.redrawLabels(window.bordermapMap)")
    labels = {x["text"] for x in page.evaluate(LABELS)}
    assert labels and labels <= keep
    # Lines follow the filter too: the fence layer's one line goes and comes back.
    fences = "() => window.bordermapLayers.fences.group.getLayers()[0].getLayers().length"
    assert page.evaluate(fences) == 0
    page.evaluate("() => window.bordermap.setFeatureFilter(window.bordermapMap, null)")
    assert page.evaluate(fences) == 1
    page.evaluate("void window.bordermapMap.setView([40.9, 126.2], 6, {animate: false})")
    assert sum(c["count"] for c in page.evaluate(CLUSTERS)) == len(towns)
    assert errors == []


MARKERS = """() => { const out = []; window.bordermapLayers.towns.markers.eachLayer(l => {
  if (l.feature) out.push([L.stamp(l), l.feature.properties.name, Boolean(l.getPopup()),
                           Boolean(l.getTooltip())]); }); return out; }"""
SCREEN = """(name) => { let at = null; window.bordermapLayers.towns.markers.eachLayer(l => {
  if (l.feature && l.feature.properties.name === name) {
    const p = window.bordermapMap.latLngToContainerPoint(l.getLatLng()); at = [p.x, p.y]; } });
  return at; }"""


def test_a_place_is_bound_on_first_hover_or_click(open_map: Any, tmp_path: Path) -> None:
    features = _towns(6)
    spec = dataclasses.replace(
        make_spec(), layers=[MapLayer("towns", "Towns", "#d62728", _fc(features))]
    )
    path = tmp_path / "p.html"
    path.write_text(render(spec), "utf-8")
    page, errors, _ = open_map(path)
    page.evaluate("""() => { const all = window.bordermapLayers.towns.features;
      window.bordermapMap.fitBounds(L.latLngBounds(all.map(f => f.geometry.coordinates))
        .pad(0.2), {animate: false}); }""")  # fmt: skip
    drawn = page.evaluate(MARKERS)
    assert len(drawn) == 6
    # Drawn, but no popup or tooltip made yet.
    assert not any(popup or tip for _, _, popup, tip in drawn)
    box = page.locator(".leaflet-container").bounding_box()
    for name in ("Town 5", "Town 2"):
        x, y = page.evaluate(SCREEN, name)
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = page.locator(".leaflet-tooltip:not(.bm-camera-label)").filter(has_text=name)
        assert tip.inner_text() == name
        page.mouse.click(box["x"] + x, box["y"] + y)
        # (The popup of the place before fades out meanwhile.)
        page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
        assert page.locator(".leaflet-popup-content .bm-popup-title").inner_text() == name
    bound = {n: (popup, tip) for _, n, popup, tip in page.evaluate(MARKERS)}
    assert bound["Town 5"] == bound["Town 2"] == (True, True)
    assert bound["Town 1"] == (False, False)
    # Once bound, a second click goes to the place's own popup.
    page.evaluate("() => window.bordermapMap.closePopup()")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")  # faded out
    x, y = page.evaluate(SCREEN, "Town 5")
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert page.locator(".leaflet-popup-content .bm-popup-title").inner_text() == "Town 5"
    assert errors == []


CIRCLES = """() => { const out = []; window.bordermapMap.eachLayer(l => {
  if (l instanceof L.Circle) out.push(Math.round(l.getRadius())); }); return out; }"""
ALONE = """() => window.bordermapLayers.towns.clusters().filter(c => c.count === 1)
  .map(c => c.names[0])"""


def test_radii_are_drawn_around_the_places_drawn_alone(open_map: Any, tmp_path: Path) -> None:
    features = _towns(300)
    for f in features[::2]:
        f["properties"]["radius_km"] = 15.0  # "near X"
    radius = {f["properties"]["name"] for f in features[::2]}
    spec = dataclasses.replace(
        make_spec(), layers=[MapLayer("towns", "Towns", "#d62728", _fc(features))]
    )
    path = tmp_path / "p.html"
    path.write_text(render(spec), "utf-8")
    page, errors, _ = open_map(path)
    drawn = []
    for zoom in (6, 8, 10, 13):
        page.evaluate(
            f"void window.bordermapMap.setView([40.9, 126.2], {zoom}, {{animate: false}})"
        )
        alone = set(page.evaluate(ALONE))
        circles = page.evaluate(CIRCLES)
        assert circles == [15000] * len(alone & radius), zoom
        drawn.append(len(circles))
    # Clustered or out of view, a place has no circle drawn; alone in view, it has.
    assert any(0 < n < len(radius) for n in drawn), drawn
    assert errors == []


def test_a_filter_that_keeps_the_drawn_places_redraws_nothing(
    open_map: Any, page_file: Path
) -> None:
    page, errors, _ = open_map(page_file)
    page.evaluate("void window.bordermapMap.setView([40.6, 125.0], 9, {animate: false})")
    before = page.evaluate(MARKERS)
    page.evaluate("() => window.bordermap.setFeatureFilter(window.bordermapMap, p => true)")
    assert page.evaluate(MARKERS) == before  # the same marker objects
    page.evaluate(
        "() => window.bordermap.setFeatureFilter(window.bordermapMap, p => p.name !== 'Town 3')"
    )
    after = page.evaluate(MARKERS)
    assert "Town 3" not in {n for _, n, _, _ in after}
    assert {s for s, *_ in after}.isdisjoint({s for s, *_ in before})  # drawn again
    assert errors == []


NEAR_VIEW = """(edge) => { const m = window.bordermapMap, s = m.getSize(); const out = [0, 0];
  window.bordermapLayers.towns.markers.eachLayer(l => { if (l instanceof L.Circle) return;
    const p = m.latLngToContainerPoint(l.getLatLng());
    out[p.x >= -edge && p.y >= -edge && p.x <= s.x + edge && p.y <= s.y + edge ? 0 : 1]++; });
  return out; }"""
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def test_the_first_draw_makes_markers_for_the_view_and_looks_the_same(
    open_map: Any, tmp_path: Path
) -> None:
    # Towns well beyond the view the map opens on (the region's bounds).
    rng = random.Random(3)
    features = [
        _feature({"type": "Point", "coordinates": [round(rng.uniform(110, 140), 4),
                                                   round(rng.uniform(30, 50), 4)]},
                 name=f"Far {i}", kind="city")
        for i in range(600)
    ] + _towns(300)  # fmt: skip
    spec = dataclasses.replace(
        make_spec(), layers=[MapLayer("towns", "Towns", "#d62728", _fc(features))]
    )
    path = tmp_path / "p.html"
    path.write_text(render(spec), "utf-8")
    page, errors, _ = open_map(path)
    near, beyond = page.evaluate(NEAR_VIEW, 32)
    assert near > 0 and beyond == 0
    before = page.locator(".leaflet-container").screenshot()
    # A move that ends where it began: from now on the view is padded.
    page.evaluate(
        "() => { const m = window.bordermapMap; m.setView(m.getCenter(), m.getZoom(), {animate: false}); }"
    )
    page.evaluate("() => window.bordermap.redrawLabels(window.bordermapMap)")
    page.evaluate(FRAMES)
    assert page.evaluate(NEAR_VIEW, 32)[0] == near
    assert page.evaluate(NEAR_VIEW, 32)[1] > 0
    assert page.locator(".leaflet-container").screenshot() == before
    # Properties read as before: a shared column, the layer, the articles.
    props = page.evaluate("""() => { const f = window.bordermapLayers.towns.features;
      const p = f[f.length - 1].properties;
      return [p.kind, p.layer, p.name, p.articles, p.provenance.length]; }""")
    entries = features[-1]["properties"]["provenance"]
    assert props == ["city", "towns", "Town 299",
                     ",".join(sorted({e["article"] for e in entries})), len(entries)]  # fmt: skip
    assert errors == []


def test_a_filter_that_keeps_a_line_layer_adds_nothing_again(
    open_map: Any, page_file: Path
) -> None:
    page, errors, _ = open_map(page_file)
    count = """(pred) => { const geo = window.bordermapLayers.fences.group.getLayers()[0];
      let added = 0; const on = () => added++; geo.on('layeradd', on);
      window.bordermap.setFeatureFilter(window.bordermapMap, pred ? (p => p.name !== 'none') : null);
      geo.off('layeradd', on); return [added, geo.getLayers().length]; }"""
    assert page.evaluate(count, True) == [0, 1]
    assert page.evaluate(count, False) == [0, 1]
    page.evaluate("() => window.bordermap.setFeatureFilter(window.bordermapMap, p => false)")
    assert page.evaluate(count, False) == [1, 1]  # drawn again when it comes back
    assert errors == []


def test_a_place_two_layers_draw_shows_both_markers_each_with_its_popup(
    open_map: Any, tmp_path: Path
) -> None:
    both, alone = _towns(2, seed=3)
    layers = [
        MapLayer("towns", "Towns", "#d62728", _fc([both, alone])),
        MapLayer("smuggling", "Smuggling", "#1f77b4", _fc([both])),
    ]
    path = tmp_path / "p.html"
    path.write_text(render(dataclasses.replace(make_spec(), layers=layers)), "utf-8")
    page, errors, _ = open_map(path)
    lon, lat = both["geometry"]["coordinates"]
    page.evaluate(f"void window.bordermapMap.setView([{lat}, {lon}], 14, {{animate: false}})")
    at = page.evaluate(
        """() => ["towns", "smuggling"].map(id => {
               const out = [];
               window.bordermapLayers[id].markers.eachLayer(l => {
                 if (l.feature && l.feature.properties.name === 'Town 0') {
                   out.push([l._point.x, l._point.y]);
                 }
               });
               return out; })"""
    )
    (cam,), (smug,) = at
    # The later layer's marker is beside the earlier one, not on it (markers are 6 px).
    assert smug[0] - cam[0] == pytest.approx(11, abs=0.5) and smug[1] == cam[1]
    centre = page.evaluate(f"() => window.bordermapMap.latLngToContainerPoint([{lat}, {lon}])")
    for dx, title in ((0, "Towns"), (11, "Smuggling")):
        page.mouse.click(centre["x"] + dx, centre["y"])
        layer_of = page.evaluate(
            """() => Object.keys(window.bordermapLayers).filter(id =>
                 window.bordermapLayers[id].markers && (() => { let open = false;
                   window.bordermapLayers[id].markers.eachLayer(l => {
                     if (l.isPopupOpen && l.isPopupOpen()) open = true; });
                   return open; })())"""
        )
        assert layer_of == [title.lower()]
        assert "Town 0" in page.locator(".leaflet-popup-content").last.inner_text()
        page.evaluate(
            """() => Object.values(window.bordermapLayers).forEach(layer =>
                 layer.markers && layer.markers.eachLayer(l => l.closePopup && l.closePopup()))"""
        )
    assert errors == []
