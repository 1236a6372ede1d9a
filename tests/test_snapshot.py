"""Snapshots: the library (bordermap.snapshot) and ``bordermap snapshot``, with a real Chromium.

The default project's maps are built once per module (tiles "none", so
nothing is fetched); browser tests share one :class:`Snapshotter`.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from bordermap.errors import BrowserError
from bordermap.snapshot import (
    Snapshot,
    Snapshotter,
    compact_frame,
    find_browser,
    furniture_scale,
)

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "bordermap.toml"
INSTALL_HINT = (
    "install Debian's chromium (apt-get install chromium) or pass --browser PATH / "
    "set BORDERMAP_CHROMIUM"
)
NEVER_READY = """<!doctype html>
<html><head><title>never ready</title></head>
<body><p>This page never sets window.bordermapReady.</p></body></html>
"""


# ----------------------------------------------------------------- helpers


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA PNG into (width, channels, rows of raw bytes)."""
    width, height = png_size(data)
    depth, colour = data[24], data[25]
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, channels, rows


def region_colours(
    data: bytes, box: tuple[int, int, int, int]
) -> tuple[set[tuple[int, ...]], float]:
    """Distinct colours and the luminance variance inside ``box`` (x0, y0, x1, y1 pixels)."""
    _, channels, rows = png_pixels(data)
    x0, y0, x1, y1 = box
    colours: set[tuple[int, ...]] = set()
    lum: list[float] = []
    for row in rows[y0:y1]:
        for x in range(x0, x1):
            px = tuple(row[x * channels : x * channels + 3])
            colours.add(px)
            lum.append(0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2])
    mean = sum(lum) / len(lum)
    return colours, sum((v - mean) ** 2 for v in lum) / len(lum)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default project's maps, built once for this module (no tiles)."""
    from bordermap.project import Project

    out = tmp_path_factory.mktemp("maps")
    Project.load(CONFIG).build(out, tiles="none")
    return out


@pytest.fixture(scope="module")
def slide(maps: Path, shooter: Snapshotter, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The index map at the default slide size (1920x1080, scale 2)."""
    return shooter.snapshot(maps / "index.html", tmp_path_factory.mktemp("slide") / "index.png")


# ------------------------------------------------------------ library tests


@pytest.mark.browser
def test_default_slide_is_size_times_scale(slide: Snapshot) -> None:
    data = slide.path.read_bytes()
    assert png_size(data) == (3840, 2160)
    assert slide.size == (1920, 1080) and slide.scale == 2 and slide.fmt == "png"


@pytest.mark.browser
@pytest.mark.parametrize(("size", "scale"), [((480, 270), 2), ((640, 480), 1), ((500, 300), 1.5)])
def test_image_size_equals_size_times_scale(
    maps: Path, shooter: Snapshotter, tmp_path: Path, size: tuple[int, int], scale: float
) -> None:
    shot = shooter.snapshot(maps / "border.html", tmp_path / "b.png", size=size, scale=scale)
    assert png_size(shot.path.read_bytes()) == (round(size[0] * scale), round(size[1] * scale))


@pytest.mark.browser
def test_map_area_is_not_blank(maps: Path, shooter: Snapshotter, tmp_path: Path) -> None:
    shot = shooter.snapshot(maps / "index.html", tmp_path / "i.png", size=(480, 270), scale=1)
    # The middle of the frame: land, sea, the border and points, clear of the furniture.
    colours, variance = region_colours(shot.path.read_bytes(), (150, 100, 330, 200))
    assert len(colours) > 20
    assert variance > 20


@pytest.mark.browser
def test_title_sources_legend_scale_and_attribution_are_in_the_frame(slide: Snapshot) -> None:
    from bordermap.project import Project

    project = Project.load(CONFIG)
    parts = slide.furniture
    assert set(parts) >= {"title", "legend", "scale", "attribution", "camera_label"}
    assert project.config.title.replace("–", "") in parts["title"].text.replace("–", "")
    assert "Sources: 000 North Korea May Be Monitoring" in parts["title"].text
    assert "Sources (4)" not in parts["title"].text  # the page's button, not on slides
    for layer in project.config.layers:
        assert layer.title in parts["legend"].text
    assert "OpenStreetMap contributors" in parts["attribution"].text
    assert "GeoNames" in parts["attribution"].text
    assert parts["scale"].text.endswith("km")
    assert "cameras claimed" in parts["camera_label"].text
    for role, part in parts.items():
        assert part.inside(slide.size), (role, part.box)


@pytest.mark.browser
def test_text_is_enlarged_for_a_slide(slide: Snapshot) -> None:
    # The page's smallest text is 11-12 px for a browser window; on a 1920x1080
    # slide every piece of furniture is at least 16 px.
    for role, part in slide.furniture.items():
        assert part.font_px >= 16, (role, part.font_px)
    assert slide.furniture["camera_label"].font_px >= 18


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two (x, y, width, height) boxes overlap."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_furniture_scale_follows_the_frame() -> None:
    assert furniture_scale((1920, 1080)) == 1.5
    assert furniture_scale((1280, 720)) == 1.0
    assert furniture_scale((960, 540)) == 0.75
    assert furniture_scale((320, 180)) == 0.75  # never below
    assert compact_frame((640, 360)) and compact_frame((1600, 500))
    assert not compact_frame((1280, 720))


@pytest.mark.browser
def test_small_frame_keeps_the_map_visible(
    maps: Path, shooter: Snapshotter, tmp_path: Path
) -> None:
    size = (640, 360)
    shot = shooter.snapshot(maps / "index.html", tmp_path / "s.png", size=size, scale=1)
    parts = shot.furniture
    assert set(parts) >= {"title", "legend", "scale", "attribution", "camera_label"}
    # Compact: the sources line gives only their number, and there is no
    # sentence under the camera legend row (the label on the map says it).
    assert "Sources: 5 articles"  # 002 names North Korea, drawn as an area in parts["title"].text
    assert "000" not in parts["title"].text and "000" not in parts["attribution"].text
    assert "cameras claimed" not in parts["legend"].text
    assert "cameras claimed" in parts["camera_label"].text
    roles = ["title", "legend", "scale", "attribution", "camera_label"]
    for i, role in enumerate(roles):
        assert parts[role].inside(size), (role, parts[role].box)
        assert parts[role].font_px >= 9, (role, parts[role].font_px)
        for other in roles[i + 1 :]:
            assert not overlaps(parts[role].box, parts[other].box), (role, other)
    covered = sum(parts[r].box[2] * parts[r].box[3] for r in roles)
    assert covered < 0.4 * size[0] * size[1]


@pytest.mark.browser
def test_a_slide_sums_up_many_sources_in_one_line(
    shooter: Snapshotter, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from bordermap.project import Project
    from support import many_sources_project

    root = tmp_path_factory.mktemp("many")
    Project.load(many_sources_project(root, 40)).build(root / "out", tiles="none")
    for size, line in (
        ((1920, 1080), "Sources: 40 articles from 4 outlets, 2019–2022"),
        ((640, 360), "Sources: 40 articles"),
    ):
        shot = shooter.snapshot(root / "out" / "index.html", root / "i.png", size=size, scale=1)
        title = shot.furniture["title"]
        assert title.text.splitlines()[-1] == line  # a line, not the page's button or panel
        assert "a000" not in title.text and "Sources (40)" not in title.text
        assert title.inside(size) and title.box[3] < 0.25 * size[1]


@pytest.mark.browser
def test_zoom_buttons_and_layer_switcher_are_hidden(slide: Snapshot) -> None:
    assert "zoom_buttons" not in slide.furniture
    assert "layer_switcher" not in slide.furniture


@pytest.mark.browser
def test_the_claims_controls_are_for_readers_not_slides(slide: Snapshot) -> None:
    # A reader's page shows both (test_claims_browser.py); a slide leaves them out.
    assert "time_filter" not in slide.furniture
    assert "text_view" not in slide.furniture


@pytest.mark.browser
def test_camera_label_clears_title_and_legend(slide: Snapshot) -> None:
    label = slide.furniture["camera_label"].box
    for role in ("title", "legend", "scale", "attribution"):
        assert not overlaps(label, slide.furniture[role].box), role


@pytest.mark.browser
def test_bbox_refits_the_view(
    maps: Path, shooter: Snapshotter, slide: Snapshot, tmp_path: Path
) -> None:
    from bordermap.config import load_config

    bbox = load_config(CONFIG).extents["yalu-mouth"]
    shot = shooter.snapshot(
        maps / "index.html", tmp_path / "y.png", size=(960, 540), scale=1, bbox=bbox
    )
    w, s, e, n = shot.bounds
    assert w <= bbox[0] and s <= bbox[1] and e >= bbox[2] and n >= bbox[3]
    assert shot.zoom > slide.zoom
    assert (e - w) < (slide.bounds[2] - slide.bounds[0]) / 4


def places_part(alt: str) -> str:
    """The alt text's layer sentences (before its first claim)."""
    return alt.split(" Claim ", 1)[0]


@pytest.mark.browser
def test_alt_text_names_only_what_the_picture_shows(
    maps: Path, shooter: Snapshotter, slide: Snapshot, tmp_path: Path
) -> None:
    from bordermap.config import load_config

    every = places_part(slide.alt)  # the page's own view shows every place
    assert "Base-station upgrades: Hamhung, Nampo, Pyongsong, Pyongyang, Sariwon, Wonsan." in every
    assert "outside" not in slide.alt
    bbox = load_config(CONFIG).extents["yalu-mouth"]
    shot = shooter.snapshot(maps / "index.html", tmp_path / "y.png", size=(960, 540), scale=1,
                            bbox=bbox)  # fmt: skip
    places = places_part(shot.alt)
    assert places == (
        "Surveillance and telecom on the China–North Korea border. "
        "China–North Korea border: Yalu (Amnok) River boundary (and 2 more outside the "
        "picture). 5G checkpoints (Chinese side): Dandong (and 1 more outside the picture). "
        "Smuggling arrests: Donggang, Hushan Great Wall. "
        "Base-station upgrades: none in the picture (6 outside it). "
        "Other places the articles name: Liaoning, North Korea, Sinuiju, Yalu River (and 2 "
        "more outside the picture). Claimed cameras every 100 m along the Yalu."
    )
    assert "Claim upgrades-huawei:" not in shot.alt and "Claim cameras-yalu:" in shot.alt
    assert "Drawn only outside the picture: claim upgrades-huawei." in shot.alt
    assert (tmp_path / "y.txt").read_text("utf-8") == shot.alt + "\n"
    # Inside North Korea, away from every line and point: its outline is around the picture.
    inland = shooter.snapshot(maps / "index.html", tmp_path / "i.png", size=(960, 540), scale=1,
                              bbox=(126.6, 40.0, 126.9, 40.2))  # fmt: skip
    assert "Other places the articles name: North Korea (and 5 more outside the picture)." in (
        places_part(inland.alt)
    )
    assert "Claimed cameras every 100 m along the Yalu: none in the picture." in inland.alt
    assert "China–North Korea border: none in the picture (3 outside it)." in inland.alt


@pytest.mark.browser
def test_page_that_never_becomes_ready_raises(shooter: Snapshotter, tmp_path: Path) -> None:
    page = tmp_path / "stuck.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    with pytest.raises(BrowserError, match=r"stuck\.html: the map did not become ready within 1 s"):
        shooter.snapshot(page, tmp_path / "stuck.png", timeout_s=1)
    assert not (tmp_path / "stuck.png").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["stuck.html"]  # no temporary left over


def test_find_browser_explicit_missing() -> None:
    with pytest.raises(BrowserError) as err:
        find_browser("/nonexistent/chromium")
    assert str(err.value) == f"no Chromium at /nonexistent/chromium: {INSTALL_HINT}"


def test_find_browser_nothing_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BORDERMAP_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(BrowserError) as err:
        find_browser(None)
    assert str(err.value) == f"no Chromium found: {INSTALL_HINT}"
