"""The analyst notebook runs from top to bottom without errors and writes nothing into the repo."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analyst-walkthrough.ipynb"


SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache",
             ".ruff_cache"}  # fmt: skip


def _written_since(start: float) -> list[Path]:
    """Files in the repo the notebook could have written, modified since ``start``.

    Other work may be going on in the checkout, so only the notebook's own
    folder and files named like its outputs count.
    """
    found = []
    for path in ROOT.rglob("*"):
        if SKIP_DIRS & set(path.relative_to(ROOT).parts) or not path.is_file():
            continue
        ours = path.parent == NOTEBOOK.parent or "comparison" in path.name
        if ours and path.stat().st_mtime >= start and path != NOTEBOOK:
            found.append(path)
    return found


def test_notebook_is_stored_without_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text("utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_notebook_matches_its_generator() -> None:
    sys.path.insert(0, str(ROOT / "notebooks"))
    try:
        import make_notebook
    finally:
        sys.path.pop(0)
    import nbformat

    assert NOTEBOOK.read_text("utf-8") == nbformat.writes(make_notebook.build()) + "\n"


#: A second project, not the default one: its own articles (the test corpus of
#: issue 12, on the Tumen, Rason and the DMZ), layer ids of its own, a fence-post
#: stretch of the Tumen and the MDL and the Tumen's Russian stretch as its border.
OTHER = """\
[project]
title = "Another project"
corpus = ["articles"]
[basemap]
tiles = "none"
[border]
lines = ["mdl", "tumen-ru", "tumen"]
[[layers]]
id = "lines"
title = "Lines"
source = "border"
lines = ["mdl", "tumen-ru"]
[[layers]]
id = "dmz-places"
title = "At the DMZ"
places = ["Panmunjom", "Kaesong"]
[[layers]]
id = "tumen-places"
title = "On the Tumen"
places = ["Hoeryong", "Onsong", "Namyang"]
[[annotations]]
id = "posts"
title = "Fence posts"
line = "tumen"
spacing_m = 500
noun = "fence post"
between = ["Hoeryong", "Onsong"]
"""


def _run(tmp_path: Path, env: dict[str, str] | None = None) -> tuple[str, list[Path]]:
    """Execute the notebook (with ``env`` set in the kernel's environment); its text
    output and the files it wrote into the repository."""
    nbclient = pytest.importorskip("nbclient")
    import os

    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager

    # The kernel must be this interpreter (the venv with bordermap installed):
    # jupyter_client runs a bare "python" in a kernel spec as sys.executable.
    argv0 = KernelSpecManager().get_kernel_spec("python3").argv[0]
    assert argv0 in ("python", "python3") or Path(argv0).resolve() == Path(sys.executable).resolve()
    nb = nbformat.read(NOTEBOOK, as_version=4)
    start = time.time() - 1
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(ROOT)}},
    )
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        client.execute()  # raises CellExecutionError on the first failing cell
    finally:
        os.environ.clear()
        os.environ.update(saved)
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("output_type") == "error"
    ]
    assert errors == []
    text = "".join(
        out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for out in c.outputs
    )
    return text, _written_since(start)


def test_the_notebook_has_a_papermill_parameter_cell() -> None:
    nb = json.loads(NOTEBOOK.read_text("utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1 and "".join(tagged[0]["source"]) == 'project_file = ""'
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for layer_id in ("checkpoints", "cameras", "arrests"):  # no layer id is assumed but as
        assert f'"{layer_id}"' not in code.replace('"upgrades", "checkpoints"', "")  # a default


def test_notebook_runs(tmp_path: Path) -> None:
    text, written = _run(tmp_path)
    assert "the border: yalu, land, tumen" in text
    assert (
        "pyproj agrees on all 6 point-to-point nearest distances of upgrades to checkpoints" in text
    )
    assert written == []  # nothing written into the repository


def test_notebook_runs_on_another_project(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "tests" / "data" / "own-project" / "articles", tmp_path / "articles")
    (tmp_path / "bordermap.toml").write_text(OTHER, "utf-8")
    text, written = _run(tmp_path, {"BORDERMAP_PROJECT": str(tmp_path / "bordermap.toml")})
    assert str(tmp_path / "bordermap.toml") in text and "Another project" in text
    assert "the border: mdl, tumen-ru, tumen" in text
    # The first two layers of places are compared (the default pair is absent; a layer
    # of lines has no point to check by hand), then the annotation.
    assert "A: dmz-places" in text and "B: tumen-places" in text and "B: posts" in text
    assert "point-to-point nearest distances of dmz-places to tumen-places" in text
    assert "mdl km" in text and "upgrades" not in text
    assert written == []
