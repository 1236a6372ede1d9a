"""Tests for ``bordermap compare``: exit codes, exact messages, files written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from bordermap.cli import cli
from support import (
    CONFIG,
    DANDONG,
    KNOWN_LAYERS,
    point_file,
)

# ------------------------------------------------------------- distances


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["compare", "--config", str(CONFIG), *args])


def test_cli_writes_page_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "cmp.html"
    result = run("upgrades", "checkpoints", "-o", str(out), "--tiles", "none")
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "cmp.csv").exists()
    assert "within 10 km of border" in result.stdout
    assert result.stderr == f"wrote {out} and {tmp_path / 'cmp.csv'}\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # staging cleaned up


def test_cli_unknown_layer() -> None:
    result = run("upgrades", "x")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for 'B': unknown layer 'x' in bordermap.toml "
        f"(known: {KNOWN_LAYERS})\n"
    )


def test_cli_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.geojson"
    result = run(str(missing), "upgrades")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for 'A': no such file: '{missing}'\n")


def test_cli_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.geojson"
    bad.write_bytes(b"\x00\x01 this is not json")
    result = run("upgrades", str(bad), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot read {bad}: ")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "x.html").exists()


def test_cli_bad_mode() -> None:
    result = run("upgrades", "checkpoints", "--mode", "diagonal")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--mode': 'diagonal' is not one of "
        "'side-by-side', 'swipe', 'overlay'.\n"
    )


def test_cli_bad_within() -> None:
    result = run("upgrades", "checkpoints", "--within", "10,far")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--within': expected comma-separated distances in km, "
        "got '10,far'\n"
    )


def test_cli_help_ends_with_example() -> None:
    result = CliRunner().invoke(cli, ["compare", "--help"])
    assert result.exit_code == 0
    lines = [line.strip() for line in result.output.splitlines()]
    at = lines.index("Example:")
    assert lines[at + 1].startswith("bordermap compare upgrades checkpoints")


# ------------------------------------------------------------------ the page


def test_cli_output_identical_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed / "c.html"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [sys.executable, "-m", "bordermap", "compare", "--config", str(CONFIG),
             "upgrades", "checkpoints", "--mode", "swipe", "-o", str(out)],
            check=True, env=env, capture_output=True, cwd=tmp_path,
        )  # fmt: skip
        outputs.append((out.read_bytes(), out.with_suffix(".csv").read_bytes()))
    assert outputs[0] == outputs[1]


def test_cli_page_named_csv_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = run("upgrades", "checkpoints", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: Invalid value for '-o' / '--out': '{out}' ends in .csv: name the HTML page "
        "(the statistics are written beside it as .csv), e.g. -o compare.html\n"
    )
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_unknown_geopackage_table_is_a_usage_error(tmp_path: Path) -> None:
    import geopandas as gpd

    gpkg = tmp_path / "b.gpkg"
    towns = gpd.read_file(point_file(tmp_path / "t.geojson", [("Dandong", DANDONG)]))
    towns.to_file(gpkg, layer="towns", driver="GPKG")
    result = run("upgrades", f"{gpkg}:roads", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for 'B': unknown table 'roads' in b.gpkg (tables: towns)\n"
    )


def test_cli_out_of_range_coordinates(tmp_path: Path) -> None:
    projected = point_file(tmp_path / "utm.geojson", [("Dandong", (500000.0, 4440000.0))])
    result = run("upgrades", str(projected), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {projected}: coordinates outside longitude -180..180 / latitude -90..90; "
        "if the file is in a projected CRS, say which (GeoJSON must be WGS 84 lon/lat)\n"
    )
