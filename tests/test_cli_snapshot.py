"""Tests for ``bordermap snapshot`` and ``bordermap build --snapshots``: exit codes, exact errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bordermap.cli import cli
from test_snapshot import CONFIG, INSTALL_HINT, NEVER_READY, png_size


def error_line(output: str) -> str:
    """The last line of click's output (the ``Error: ...`` line)."""
    return output.rstrip("\n").splitlines()[-1]


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default project's maps, built once for this module (no tiles)."""
    from bordermap.project import Project

    out = tmp_path_factory.mktemp("maps")
    Project.load(CONFIG).build(out, tiles="none")
    return out


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.browser
def test_cli_png_to_named_file(maps: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "deck" / "slide.png"
    args = ["snapshot", str(maps / "upgrades.html"), "-o", str(out), "--size", "640x360"]
    result = runner.invoke(cli, [*args, "--scale", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    assert png_size(out.read_bytes()) == (640, 360)


@pytest.mark.browser
def test_cli_jpeg(maps: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "a.jpeg"
    result = runner.invoke(
        cli,
        ["snapshot", str(maps / "arrests.html"), "-o", str(out), "--format", "jpeg"]
        + ["--size", "480x270", "--scale", "1"],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"


@pytest.mark.browser
def test_cli_pdf(maps: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "index.pdf"
    result = runner.invoke(
        cli, ["snapshot", str(maps / "index.html"), "-o", str(out), "--size", "960x540"]
    )  # the format comes from the suffix
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data[:5] == b"%PDF-"
    # One page of 960x540 CSS px = 720x405 pt (Chromium rounds to 0.01 in or so).
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert len(boxes) == 1
    assert [float(v) for v in boxes[0]] == pytest.approx([720, 405], abs=1)
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", data)) == 1


@pytest.mark.browser
def test_cli_several_maps_into_a_directory(maps: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "slides"
    result = runner.invoke(
        cli,
        ["snapshot", str(maps / "border.html"), str(maps / "cameras.html"), "-o", str(out)]
        + ["--size", "320x180", "--scale", "1", "--extent", "border", "--config", str(CONFIG)],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "border.png"), str(out / "cameras.png")]
    # each picture with its alt text beside it
    names = ["border.png", "border.txt", "cameras.png", "cameras.txt"]
    assert sorted(p.name for p in out.iterdir()) == names
    assert (out / "cameras.txt").read_text("utf-8").startswith("Claimed cameras every 100 m")


@pytest.mark.browser
def test_cli_default_output_is_beside_the_map(
    runner: CliRunner, maps: Path, tmp_path: Path
) -> None:
    page = tmp_path / "checkpoints.html"
    page.write_bytes((maps / "checkpoints.html").read_bytes())
    result = runner.invoke(cli, ["snapshot", str(page), "--size", "320x180", "--scale", "1"])
    assert result.exit_code == 0, result.output
    assert png_size((tmp_path / "checkpoints.png").read_bytes()) == (320, 180)


@pytest.mark.browser
def test_cli_never_ready_times_out(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "stuck.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "--timeout", "2"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {page}: the map did not become ready within 2 s\n"


@pytest.mark.browser
def test_build_snapshots(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["build", "--config", str(CONFIG), "--out", str(out), "--tiles", "none", "--snapshots"]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "snapshots").iterdir())
    from bordermap.project import Project

    ids = Project.load(CONFIG).map_ids()
    assert names == sorted([f"{m}.png" for m in ids] + [f"{m}.txt" for m in ids])
    assert png_size((out / "snapshots" / "index.png").read_bytes()) == (3840, 2160)


@pytest.mark.browser
def test_a_file_that_is_no_map_is_refused_at_once(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "manifest.json"
    page.write_text('{"maps": []}', encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {page}: not a map bordermap made (nothing in it says when it is drawn); "
        "give a page of `bordermap build` or `bordermap compare`\n"
    )
    assert not (tmp_path / "x.png").exists()


def test_build_snapshots_without_a_browser_changes_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pictures are taken before anything is moved in: no Chromium, no new maps either.
    out = tmp_path / "out"
    base = ["build", "--config", str(CONFIG), "--out", str(out)]
    assert runner.invoke(cli, [*base, "--tiles", "none"]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setenv("BORDERMAP_CHROMIUM", str(tmp_path / "no-chromium"))
    result = runner.invoke(cli, [*base, "--snapshots"])  # other tiles: everything made again
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Chromium" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.browser
def test_pictures_of_maps_no_longer_drawn_go_with_them(runner: CliRunner, tmp_path: Path) -> None:
    text = CONFIG.read_text("utf-8").replace('corpus = ["seeds"]',
                                             f'corpus = ["{CONFIG.parent / "seeds"}"]')  # fmt: skip
    project = tmp_path / "bordermap.toml"
    project.write_text(text, "utf-8")
    out = tmp_path / "out"
    base = ["build", "--config", str(project), "--out", str(out), "--tiles", "none"]
    assert runner.invoke(cli, [*base, "--snapshots"]).exit_code == 0
    assert (out / "snapshots" / "arrests.png").is_file()
    (out / "snapshots" / "mine.png").write_bytes(b"a user's own picture")
    renamed = text.replace('id = "arrests"', 'id = "detentions"').replace(
        '"arrests", "upgrades"', '"detentions", "upgrades"')  # fmt: skip
    project.write_text(renamed, "utf-8")  # no more arrests.html: detentions.html instead
    assert runner.invoke(cli, base).exit_code == 0  # without --snapshots
    left = sorted(p.name for p in (out / "snapshots").iterdir())
    assert "arrests.png" not in left and "arrests.txt" not in left
    assert "index.png" in left and "mine.png" in left


def test_cli_browser_not_found(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "--browser", "/nonexistent"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no Chromium at /nonexistent: {INSTALL_HINT}\n"


def test_cli_no_browser_anywhere(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(
        cli, ["snapshot", str(page)], env={"PATH": "", "BORDERMAP_CHROMIUM": None}
    )
    assert result.exit_code == 1
    assert result.stderr == f"Error: no Chromium found: {INSTALL_HINT}\n"


def test_cli_missing_map_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["snapshot", str(tmp_path / "nope.html")])
    assert result.exit_code == 2
    assert error_line(result.stderr) == (
        f"Error: Invalid value for 'MAP.html...': File '{tmp_path / 'nope.html'}' does not exist."
    )


def test_cli_bbox_and_extent_conflict(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(
        cli, ["snapshot", str(page), "--bbox", "124,39,125,40", "--extent", "border"]
    )
    assert result.exit_code == 2
    assert error_line(result.stderr) == (
        "Error: --bbox and --extent cannot be used together: give one of them"
    )


def test_cli_unknown_extent_names_the_known_ones(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(
        cli, ["snapshot", str(page), "--extent", "nowhere", "--config", str(CONFIG)]
    )
    assert result.exit_code == 2
    assert error_line(result.stderr) == (
        "Error: Invalid value for '--extent': unknown extent 'nowhere' "
        "(known: border, upgrade-cities, yalu-mouth)"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1920by1080", "expected WIDTHxHEIGHT in pixels, such as 1920x1080, got '1920by1080'"),
        ("0x100", "width and height must be between 1 and 8192 pixels, got '0x100'"),
    ],
)
def test_cli_bad_size(runner: CliRunner, tmp_path: Path, value: str, message: str) -> None:
    page = tmp_path / "m.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "--size", value])
    assert result.exit_code == 2
    assert error_line(result.stderr) == f"Error: Invalid value for '--size': {message}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "124,39,125",
            "expected W,S,E,N (four numbers in degrees), such as 124.0,39.6,130.8,43.1, "
            "got '124,39,125'",
        ),
        ("125,39,124,40", "expected -180 <= W < E <= 180 (degrees longitude), got '125,39,124,40'"),
        ("124,40,125,39", "expected -90 <= S < N <= 90 (degrees latitude), got '124,40,125,39'"),
    ],
)
def test_cli_bad_bbox(runner: CliRunner, tmp_path: Path, value: str, message: str) -> None:
    page = tmp_path / "m.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "--bbox", value])
    assert result.exit_code == 2
    assert error_line(result.stderr) == f"Error: Invalid value for '--bbox': {message}"


def test_cli_help_ends_with_an_example(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["snapshot", "--help"])
    assert result.exit_code == 0
    assert "Example:\n    bordermap snapshot output/index.html" in result.output


@pytest.mark.browser
def test_cli_tiny_timeout_is_about_the_map_not_the_browser(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = tmp_path / "stuck.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "--timeout", "0.01"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {page}: the map did not become ready within 0.01 s\n"


def test_cli_unknown_picture_suffix(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    page.write_text("<html></html>", encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "-o", str(tmp_path / "x.gif")])
    assert result.exit_code == 2
    assert error_line(result.output) == (
        f"Error: Invalid value for '-o' / '--out': {tmp_path / 'x.gif'}: bordermap writes "
        ".png, .jpg, .jpeg, .pdf pictures, not .gif; name the file with one of those suffixes"
    )
    assert not (tmp_path / "x.gif").exists()


def test_cli_suffix_and_format_must_agree(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    page.write_text("<html></html>", encoding="utf-8")
    result = runner.invoke(
        cli, ["snapshot", str(page), "-o", str(tmp_path / "x.png"), "--format", "pdf"]
    )
    assert result.exit_code == 2
    assert error_line(result.output) == (
        f"Error: -o {tmp_path / 'x.png'} is a PNG name but --format is pdf: "
        "make them agree, or leave --format out"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021-02-30", "'2021-02-30' is not a date on the calendar (2021-02-30)"),
        ("next week", "'next week' is not a date bordermap reads"),
        ("2019-2021", "'2019-2021' is a range, not one date"),
    ],
)
def test_cli_invalid_as_of_is_one_usage_error(
    runner: CliRunner, tmp_path: Path, value: str, message: str
) -> None:
    page = tmp_path / "m.html"
    page.write_text(NEVER_READY, encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(page), "--as-of", value])
    assert result.exit_code == 2
    assert error_line(result.stderr) == (
        f"Error: Invalid value for '--as-of': {message}: "
        "write a day, a month or a year (2021-03-01, 2021-03, 2021)"
    )
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["m.html"]


@pytest.mark.browser
def test_cli_as_of_names_each_picture_by_its_date(
    maps: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "slides"
    args = ["snapshot", str(maps / "index.html"), str(maps / "border.html"), "-o", f"{out}/"]
    result = runner.invoke(cli, [*args, "--as-of", "2019-06", "--size", "320x180", "--scale", "1"])
    assert result.exit_code == 0, result.output
    names = ["index-as-of-2019-06.png", "border-as-of-2019-06.png"]
    assert result.stdout.splitlines() == [str(out / n) for n in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*names, "index-as-of-2019-06.txt", "border-as-of-2019-06.txt"]
    )
    alt = (out / "index-as-of-2019-06.txt").read_text("utf-8")
    assert "As of 2019-06: 2 of the 4 dated claims had begun" in alt
    assert "Claim upgrades-huawei" not in alt
    # Beside the map by default, next to the plain snapshot, never over it.
    result = runner.invoke(cli, ["snapshot", str(maps / "border.html"), "--as-of", "2019",
                                 "--size", "320x180", "--scale", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{maps / 'border-as-of-2019.png'}\n"


@pytest.mark.browser
def test_cli_extent_alt_text_names_only_the_places_in_the_picture(
    maps: Path, runner: CliRunner, tmp_path: Path
) -> None:
    args = ["--extent", "yalu-mouth", "--config", str(CONFIG), "--size", "960x540"]
    for name in ("a.png", "b.png"):
        out = tmp_path / name
        result = runner.invoke(cli, ["snapshot", str(maps / "index.html"), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
    alt = (tmp_path / "a.txt").read_text("utf-8")
    assert alt == (tmp_path / "b.txt").read_text("utf-8")  # the same words each time
    places = alt.split(" Claim ", 1)[0]
    for name in ("Tonghua", "Pyongyang", "Wonsan", "Jilin", "Seoul", "Tumen (Tuman) River"):
        assert name not in places, name
    assert "Base-station upgrades: none in the picture (6 outside it)." in places
    assert "5G checkpoints (Chinese side): Dandong (and 1 more outside the picture)." in places
    assert "Drawn only outside the picture: claim upgrades-huawei." in alt
