"""A non-editable install finds its data through importlib.resources, not the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_the_data_and_works_outside_the_tree(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("bordermap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("border.geojson", "countries.geojson", "regional.csv", "stopwords.txt"):
        assert f"bordermap/data/{data}" in names
    assert {"bordermap/assets/bordermap.js", "bordermap/py.typed"} <= names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    article = tmp_path / "a.md"
    article.write_text("Trucks crossed from Dandong to Sinuiju.", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import bordermap, json, sys\n"
        "from bordermap.articles import read_article\n"
        "from bordermap.gazetteer import load_gazetteer\n"
        "from bordermap.geoparse import extract\n"
        "from bordermap.geometry import border_lines\n"
        f"ms = extract(read_article({str(article)!r}), load_gazetteer())\n"
        "print(json.dumps([bordermap.__file__, [m.name for m in ms], sorted(border_lines())]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    where, names_found, lines = json.loads(out.stdout)
    assert where.startswith(str(target))
    assert names_found == ["Dandong", "Sinuiju"]
    assert lines == ["land", "tumen", "yalu"]
