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
        ours = path.parent == NOTEBOOK.parent or "checkpoints-vs-cameras" in path.name
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


def test_notebook_runs(tmp_path: Path) -> None:
    nbclient = pytest.importorskip("nbclient")
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
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("output_type") == "error"
    ]
    assert errors == []
    text = "".join(
        out.get("text", "") for c in nb.cells if c.cell_type == "code" for out in c.outputs
    )
    assert "Dandong–Sinuiju: 3." in text
    assert _written_since(start) == []  # nothing written into the repository
