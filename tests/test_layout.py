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


def imported(path: Path, top_level_only: bool, types: bool = True) -> set[str]:
    """bordermap modules ``path`` imports.

    ``top_level_only``: only those imported when the module is (not inside
    functions, not for type checkers); ``types``: include imports made for
    type checkers only (``if TYPE_CHECKING:``).
    """
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if (
                (top_level_only or not types)
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


#: The rooms in pipeline order (README, "How the code is laid out").
ORDER = ["errors", "collector", "forked", "region", "vocab", "files", "dates", "articles", "text", "hints", "origins", "gazetteer", "resolve", "recognise",
         "context", "geoparse", "cache", "corpus_cache", "workers", "distributed", "geocode", "formats", "evaluate", "toml_reader", "claims", "line_files", "config", "corrections", "geometry", "lines", "areas", "rules", "references", "layers", "coverage", "pipeline",
         "render", "maps", "provenance", "kml", "gpkg_provenance", "export", "as_of", "presenter", "browser", "snapshot", "pictures", "reuse", "build", "starter", "places", "layer_refs",
         "compare", "project"]  # fmt: skip


def test_every_module_has_its_place_in_the_order() -> None:
    rooms = {m.split(".")[1] for m in MODULES if m.count(".") >= 1} - {"cli", "__main__"}
    assert rooms == set(ORDER)


def test_no_room_calls_one_further_down_the_pipeline() -> None:
    rank = {f"bordermap.{m}": i for i, m in enumerate(ORDER)}

    def room(m: str) -> int | None:
        return rank.get(".".join(m.split(".")[:2]))

    upward = [
        f"{m} -> {n}"
        for m, p in MODULES.items()
        if room(m) is not None
        for n in imported(p, top_level_only=False, types=False)
        if (room(n) or 0) > (room(m) or 0)
    ]
    assert upward == []


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
