"""The shape of the code, checked: module sizes, import direction, no cycles.

See README "How the code is laid out": rooms by pipeline stage, no room below
reaches up, the CLI is a thin layer, and project.py is only the API façade.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "bordermap"
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imported(path: Path, top_level_only: bool) -> set[str]:
    """bordermap modules ``path`` imports (at import time only, with ``top_level_only``)."""
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if (
                top_level_only
                and isinstance(child, ast.If)
                and "TYPE_CHECKING" in ast.unparse(child.test)
            ):
                continue  # imports for type checkers only never run
            deeper = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                names = [f"{child.module}.{a.name}" for a in child.names] + [child.module]
            if names and (top or not top_level_only):
                found.update(n for n in names if n in MODULES)
            visit(child, deeper)

    visit(ast.parse(path.read_text("utf-8")), True)
    found.discard(module_name(path))
    return found


def test_no_module_is_over_600_lines() -> None:
    files = [*SRC.rglob("*.py"), *(SRC / "assets").glob("*.js"), *(SRC / "assets").glob("*.css")]
    long = {
        str(p.relative_to(SRC)): n
        for p in files
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_import_cycle_at_import_time() -> None:
    graph = {m: imported(p, top_level_only=True) for m, p in MODULES.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                raise AssertionError(" -> ".join([*path, m, n]))
            if n not in state:
                visit(n, [*path, m])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [])


def test_only_the_facade_and_the_cli_know_project_py() -> None:
    users = {
        m for m, p in MODULES.items() if "bordermap.project" in imported(p, top_level_only=False)
    }
    assert users <= {"bordermap"} | {m for m in MODULES if m.startswith("bordermap.cli")}


def test_the_front_half_does_not_reach_into_the_back_half() -> None:
    front = [
        "articles",
        "text",
        "gazetteer",
        "resolve",
        "geoparse",
        "region",
        "vocab",
        "errors",
        "files",
    ]
    back = {"bordermap." + m for m in ["layers", "maps", "pipeline", "build", "export", "compare", "layer_refs", "snapshot", "presenter", "project", "render"]}  # fmt: skip
    for name in front:
        path = MODULES[f"bordermap.{name}"]
        assert not {
            m
            for m in imported(path, top_level_only=False)
            if m.split(".")[0:2] and ".".join(m.split(".")[:2]) in back
        }, name
