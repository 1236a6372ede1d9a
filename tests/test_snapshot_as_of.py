"""Snapshots "as of" a date (issue 14), with a real Chromium: the page's own time filter
set to the date, fewer claims and features before some claims began, the plain map's
content after every date, and a line saying so when nothing had begun yet.

Features drawn are counted as pixels of each layer's colour in the picture (the
legend's swatches are the same in every frame), claims as the alt text lists them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bordermap.build import build
from bordermap.config import load_config
from bordermap.pipeline import load
from bordermap.snapshot import Snapshot, Snapshotter
from test_snapshot import png_pixels

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_PROJECT = ROOT / "tests" / "data" / "claims-project"
pytestmark = pytest.mark.browser

#: Small frames: the pixels are decoded in pure Python.
SIZE = (480, 270)
#: A frame whose map shows between the title box and the bottom furniture.
BIG = (960, 540)

#: Layer colours of the two projects (bordermap.toml, tests/data/claims-project).
UPGRADES, CHECKPOINTS, CAMERAS = (31, 119, 180), (214, 39, 40), (148, 103, 189)
GUARDS, DENIAL = (214, 39, 40), (31, 119, 180)
LAYER_COLOURS = (UPGRADES, CHECKPOINTS, CAMERAS)  # GUARDS and DENIAL are among them


def _copy_claims_project(root: Path) -> Path:
    """The claims project with "no-guards" a month later than "guards-added"."""
    folder = root / "claims-later"
    (folder / "articles").mkdir(parents=True)
    for article in (CLAIMS_PROJECT / "articles").iterdir():
        (folder / "articles" / article.name).write_bytes(article.read_bytes())
    text = (CLAIMS_PROJECT / "bordermap.toml").read_text("utf-8")
    assert 'period = "2022-03/2022-05"' in text
    later = text.replace('period = "2022-03/2022-05"', 'period = "2022-04/2022-05"')
    (folder / "bordermap.toml").write_text(later, encoding="utf-8")
    return folder / "bordermap.toml"


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """index.html of the default project, the claims project and its shifted copy."""
    out = tmp_path_factory.mktemp("as-of-maps")
    configs = {
        "seeds": ROOT / "bordermap.toml",
        "claims": CLAIMS_PROJECT / "bordermap.toml",
        "later": _copy_claims_project(out),
    }
    for name, config in configs.items():
        build(load(load_config(config)), out / name, tiles="none")
    return {name: out / name / "index.html" for name in configs}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("as-of-shots")


def shoot(shooter: Snapshotter, html: Path, out: Path, as_of: str | None = None) -> Snapshot:
    name = f"{html.parent.name}-{as_of or 'plain'}.png"
    return shooter.snapshot(html, out / name, size=SIZE, scale=1, as_of=as_of)


#: How far (in any channel) a pixel may be from a layer's colour and count as drawn in it:
#: points are painted a little translucent over the basemap.
NEAR = 40


def colours(shot: Snapshot) -> Counter[tuple[int, ...]]:
    """Pixels near each layer colour (of :data:`LAYER_COLOURS`) in the picture."""
    _, channels, rows = png_pixels(shot.path.read_bytes())
    exact: Counter[tuple[int, ...]] = Counter()
    for row in rows:
        for x in range(0, len(row), channels):
            exact[tuple(row[x : x + 3])] += 1
    count: Counter[tuple[int, ...]] = Counter()
    for px, n in exact.items():
        for colour in LAYER_COLOURS:
            if max(abs(a - b) for a, b in zip(px, colour, strict=True)) <= NEAR:
                count[colour] += n
    return count


def claims_listed(alt: str) -> list[str]:
    return re.findall(r"Claim ([a-z0-9-]+): ", alt)


def without_last_sentence(alt: str, starts: str) -> str:
    """``alt`` up to its closing sentence (the time filter's or the as-of one)."""
    at = alt.rindex(starts)
    return alt[:at]


def test_default_project_before_some_claims_shows_fewer(
    maps: dict[str, Path], shooter: Snapshotter, shots: Path
) -> None:
    plain = shoot(shooter, maps["seeds"], shots)
    early = shoot(shooter, maps["seeds"], shots, "2019-06-01")
    assert early.path.name.endswith("2019-06-01.png")
    listed, all_claims = claims_listed(early.alt), claims_listed(plain.alt)
    assert set(listed) < set(all_claims)
    # Begun by 2019-06-01: "2019" (from 2019-01-01) and "mid-April 2019" (from
    # 2019-04-11); not "2020" (cameras) nor "early October 2021" (upgrades).
    assert "checkpoints-5g" in listed and "arrests-mid-april" in listed
    assert "cameras-yalu" not in listed and "upgrades-huawei" not in listed
    assert "Base-station upgrades:" in plain.alt and "Base-station upgrades:" not in early.alt
    assert "Claimed cameras every 100 m along the Yalu." not in early.alt
    assert early.begun == (2, 4) and early.as_of is not None and early.as_of.label == "2019-06-01"
    sentence = "As of 2019-06-01: 2 of the 4 dated claims had begun; later ones are not shown."
    assert sentence in early.alt
    assert sentence in " ".join(early.furniture["title"].text.split())
    drawn, drawn_early = colours(plain), colours(early)
    assert drawn_early[UPGRADES] < drawn[UPGRADES]
    assert drawn_early[CAMERAS] < drawn[CAMERAS]  # the annotation follows its claim's period
    assert drawn_early[CHECKPOINTS] > 0


def test_claims_project_before_one_claim_began(
    maps: dict[str, Path], shooter: Snapshotter, shots: Path
) -> None:
    plain = shoot(shooter, maps["later"], shots)
    march = shoot(shooter, maps["later"], shots, "2022-03-15")
    assert claims_listed(plain.alt) == ["guards-added", "no-guards"]
    assert claims_listed(march.alt) == ["guards-added"]
    assert "Guards added: Sinuiju." in march.alt and "No guards added:" not in march.alt
    assert march.begun == (1, 2)
    drawn, drawn_march = colours(plain), colours(march)
    assert drawn_march[DENIAL] < drawn[DENIAL]
    assert drawn_march[GUARDS] >= drawn[GUARDS]  # no longer under the denial's point


@pytest.mark.parametrize(("project", "date"), [("seeds", "2023"), ("claims", "2022-06-01")])
def test_after_every_date_the_content_is_the_plain_snapshots(
    maps: dict[str, Path], shooter: Snapshotter, shots: Path, project: str, date: str
) -> None:
    plain = shoot(shooter, maps[project], shots)
    late = shoot(shooter, maps[project], shots, date)
    assert without_last_sentence(late.alt, f"As of {date}:") == without_last_sentence(
        plain.alt, "Claims shown:"
    )
    assert late.begun is not None and late.begun[0] == late.begun[1] > 0
    assert f"As of {date}: all {late.begun[1]} dated claims had begun." in late.alt
    # The map itself, between the title box (one line taller as of a date) and the
    # furniture at the bottom, is the same picture.
    big_plain = shooter.snapshot(maps[project], shots / "big.png", size=BIG, scale=1)
    big_late = shooter.snapshot(maps[project], shots / "big-late.png", size=BIG, scale=1,
                                as_of=date)  # fmt: skip
    # (Twice the title box's height: a margin, as the box is the one measured before CSS zoom.)
    top = 2 * max(s.furniture["title"].box[1] + s.furniture["title"].box[3]
                  for s in (big_plain, big_late))  # fmt: skip
    bottom = min(s.furniture[r].box[1] for s in (big_plain, big_late) for r in ("scale", "legend"))
    assert bottom - top > BIG[1] / 3
    rows = [png_pixels(s.path.read_bytes())[2][int(top) + 2 : int(bottom) - 2]
            for s in (big_plain, big_late)]  # fmt: skip
    assert rows[0] == rows[1]


def test_before_every_article_the_snapshot_says_nothing_is_shown_yet(
    maps: dict[str, Path], shooter: Snapshotter, shots: Path
) -> None:
    plain = shoot(shooter, maps["claims"], shots)
    shot = shoot(shooter, maps["claims"], shots, "2021")
    said = "As of 2021: none of the 2 dated claims had begun (the first begins 2022-03-01); "
    # What the corpus does not cover is said whatever the day (it is the corpus's).
    summary = json.loads((maps["claims"].parent / "manifest.json").read_text("utf-8"))
    uncovered = "Not covered by the corpus: " + " ".join(summary["coverage"]["summary"])
    assert shot.alt == f"Guards at Sinuiju, contested. {uncovered} {said}nothing is shown yet."
    assert shot.begun == (0, 2)
    assert said + "nothing is shown yet." in " ".join(shot.furniture["title"].text.split())
    drawn, drawn_none = colours(plain), colours(shot)
    assert drawn_none[GUARDS] + drawn_none[DENIAL] < drawn[GUARDS] + drawn[DENIAL]
    # In a compact frame the line stays (the sources line is shortened, not this).
    small = shooter.snapshot(maps["claims"], shots / "small.png", size=(640, 360), scale=1,
                             as_of="2021")  # fmt: skip
    assert "As of 2021: none of the 2 dated claims" in " ".join(
        small.furniture["title"].text.split()
    )
    assert small.furniture["title"].inside((640, 360))


def test_an_as_of_snapshot_is_the_same_bytes_each_time(
    maps: dict[str, Path], shooter: Snapshotter, tmp_path: Path
) -> None:
    first = shooter.snapshot(maps["seeds"], tmp_path / "a.png", size=SIZE, scale=1, as_of="2020")
    again = shooter.snapshot(maps["seeds"], tmp_path / "b.png", size=SIZE, scale=1, as_of="2020")
    assert first.path.read_bytes() == again.path.read_bytes()
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()


def test_default_project_before_every_article_keeps_only_what_is_undated(
    maps: dict[str, Path], shooter: Snapshotter, shots: Path
) -> None:
    # The border's course is claimed with no date: it stays, and the line says why.
    shot = shoot(shooter, maps["seeds"], shots, "2018")
    assert claims_listed(shot.alt) == ["border-course"]
    assert shot.alt.endswith(
        "As of 2018: none of the 4 dated claims had begun (the first begins 2019-01-01); "
        "only undated claims and places are shown."
    )
    assert "China–North Korea border: " in shot.alt
    for title in ("5G checkpoints", "Smuggling arrests", "Base-station upgrades",
                  "Other places the articles name", "Claimed cameras"):  # fmt: skip
        assert title not in shot.alt, title
    assert shot.begun == (0, 4)
