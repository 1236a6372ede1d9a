"""Packed data blocks: what the first draw does not read travels compressed.

A map page's sources list, its layers' provenance references and its
provenance tables are written as zlib-compressed, base64 data blocks
(``render/_encode.py``) and inflated by ``assets/packed.js`` when first read:
checked here against Python's own zlib, in real headless Chromium, on every
kind of deflate block, and on a page whose popups and filter read them.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import random
import zlib
from pathlib import Path
from typing import Any

import pytest

from bordermap.render import MapLayer, render
from support import PACKED_BLOCK, unpacked
from test_page_browser import _towns
from test_render import _fc, make_spec

PACKED = PACKED_BLOCK


def _page(n: int = 400) -> str:
    spec = make_spec()
    layer = MapLayer("towns", "Towns", "#d62728", _fc(_towns(n)))
    return render(dataclasses.replace(spec, layers=[*spec.layers, layer]))


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("packed") / "towns.html"
    path.write_text(_page(), "utf-8")
    return path


def test_packed_blocks_hold_the_provenance_as_compressed_json() -> None:
    page = _page()
    packed = PACKED.findall(page)
    assert len(packed) >= 2  # the layer's references and the page's tables
    script = page.rsplit("<script>", 1)[1]
    for size, block_id, data in packed:
        raw = zlib.decompress(base64.b64decode(data, validate=True))
        assert len(raw) == int(size) and len(data) < len(raw) / 2
        value = json.loads(raw)
        assert isinstance(value, dict | list)
        assert f'"{block_id}"' in script  # referenced by the page's payloads
    tables = [json.loads(zlib.decompress(base64.b64decode(d))) for _, _, d in packed]
    assert any("articles" in t and "strings" in t for t in tables if isinstance(t, dict))
    # Unpacked, the page holds the strings again (a title, a quoted sentence).
    assert "Article 3" not in page and "Article 3" in unpacked(page)
    # Same inputs, same bytes (zlib at a fixed level has no timestamps).
    assert _page() == page


@pytest.mark.browser
def test_the_runtime_inflates_what_pythons_zlib_compresses(open_map: Any, page_file: Path) -> None:
    page, errors, _ = open_map(page_file)
    rng = random.Random(13)
    cases = []
    for level in (0, 1, 6, 9):  # stored, fixed and dynamic blocks
        for n in (0, 1, 7, 300, 40_000, 150_001):
            if n % 2:
                raw = bytes(rng.choice(b'{"a":[1,2,3]}, xyz') for _ in range(n))
            else:
                raw = rng.randbytes(n)
            cases.append([base64.b64encode(zlib.compress(raw, level)).decode(), n,
                          base64.b64encode(raw).decode()])  # fmt: skip
        chunk = rng.randbytes(32_000)  # a match 32,000 bytes back, near the window's end
        text = "𝔸 Guards 😀 in Sinŭiju — 新义州, said «the fence was new».".encode() * 50
        for raw in (b"abc" * 20_000, bytes(70_000), b"x" * 300 + bytes(range(256)) * 40,
                    chunk + b"--" + chunk, text):  # fmt: skip
            cases.append([base64.b64encode(zlib.compress(raw, level)).decode(), len(raw),
                          base64.b64encode(raw).decode()])  # fmt: skip
    got = page.evaluate(
        """cases => cases.map(([z, n, raw]) => {
            const bytes = Uint8Array.from(atob(z), c => c.charCodeAt(0));
            const out = window.bordermap.inflate(bytes, n);
            let s = "";
            for (let i = 0; i < out.length; i += 8192) {
              s += String.fromCharCode.apply(null, out.subarray(i, i + 8192));
            }
            return s === atob(raw);
        })""",
        cases,
    )
    assert got == [True] * len(cases)
    # A stream that is not zlib, or is cut short, or is longer than said, is refused.
    whole = base64.b64encode(zlib.compress(b"x" * 1000 + bytes(range(256)) * 9, 9)).decode()
    refused = page.evaluate(
        """([z, size]) => {
            const bytes = Uint8Array.from(atob(z), c => c.charCodeAt(0));
            const tries = [[bytes.slice(1), size], [bytes.slice(0, bytes.length - 8), size],
                           [bytes, size - 1]];
            return tries.map(([b, n]) => {
              try { window.bordermap.inflate(b, n); return "inflated"; }
              catch (e) { return String(e.message); }
            });
        }""",
        [whole, 1000 + 256 * 9],
    )
    assert all(r.startswith("bordermap: a packed data block") for r in refused), refused
    assert errors == []


@pytest.mark.browser
def test_packed_blocks_read_the_same_inflated_in_page_or_by_the_browser(
    open_map: Any, page_file: Path
) -> None:
    page, errors, _ = open_map(page_file)
    # Once drawn, the browser inflates the packed blocks in the background; a
    # copy of each block (which it has not seen) is inflated by packed.js.
    same = page.evaluate(
        """async () => {
            const nodes = [...document.querySelectorAll("script[data-encoding]")];
            await new Promise(r => setTimeout(r, 300));
            return nodes.map(n => {
              const own = window.bordermap.blockText(n.cloneNode(true));
              return [own.length, own === window.bordermap.blockText(n), JSON.parse(own) !== null];
            });
        }"""
    )
    assert len(same) >= 2 and all(ok and parsed and n > 0 for n, ok, parsed in same)
    assert errors == []


@pytest.mark.browser
def test_a_popup_opened_at_once_reads_its_packed_sources(open_map: Any, page_file: Path) -> None:
    page, errors, _ = open_map(page_file)
    # The most-named place's popup, opened as soon as the page is drawn.
    title = page.evaluate(
        """() => {
            const layer = window.bordermapLayers.towns;
            let best = null;
            layer.markers.eachLayer(l => { if (l.feature && (!best || l.feature.weight > best.feature.weight)) best = l; });
            best.openPopup();
            const popup = document.querySelector(".leaflet-popup-content");
            return [best.feature.properties.name, popup.querySelector(".bm-popup-title").textContent,
                    popup.querySelectorAll(".bm-prov-quote mark").length,
                    best.feature.properties.provenance.length];
        }"""
    )
    name, shown, marks, entries = title
    assert shown == name and marks >= 1 and entries >= 1
    # A filter on provenance reads them too.
    kept = page.evaluate(
        """() => {
            window.bordermap.setFeatureFilter(window.bordermapMap,
                p => p.provenance.some(e => e.outlet === "RFA"));
            return window.bordermapLayers.towns.clusters().reduce((n, c) => n + c.count, 0);
        }"""
    )
    assert 0 < kept < 400
    assert errors == []


@pytest.mark.browser
def test_a_damaged_packed_block_is_said_on_the_page(
    open_map: Any, page_file: Path, tmp_path: Path
) -> None:
    html = page_file.read_text("utf-8")
    # The page's provenance tables, cut short (as a truncated copy would be).
    size, block_id, data = max(PACKED.findall(html), key=lambda m: int(m[0]))
    damaged = tmp_path / "damaged.html"
    damaged.write_text(html.replace(data, data[: len(data) // 2]), "utf-8")
    page, errors, _ = open_map(damaged)
    line = page.locator(".bm-data-error")
    assert line.count() == 0  # drawn without it: the first draw does not read it
    page.evaluate(
        """() => {
            const layer = window.bordermapLayers.towns;
            let one = null;
            layer.markers.eachLayer(l => { if (l.feature && !one) one = l; });
            try { one.openPopup(); } catch (e) { /* the popup needed the damaged block */ }
        }"""
    )
    assert line.count() == 1 and line.get_attribute("role") == "alert"
    text = line.inner_text()
    assert block_id in text and "could not be read" in text and "build the map again" in text
    assert line.is_visible()
    assert any("could not be read" in e for e in errors)
    # The map itself still works: the layer draws and the filter still runs.
    kept = page.evaluate(
        """() => {
            window.bordermap.setFeatureFilter(window.bordermapMap, p => p.name !== "Town 0");
            return window.bordermapLayers.towns.clusters().length;
        }"""
    )
    assert kept > 0
