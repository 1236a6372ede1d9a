"""A new project: ``bordermap init`` writes a commented project file and an example article.

The templates ship in ``bordermap/templates/``. Nothing that is already
there is overwritten: an existing project file is an error, an existing
``.gitignore`` gains the output folder if it lacks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bordermap.errors import OutputError
from bordermap.files import shipped_text, write_atomic

__all__ = ["Started", "init"]


@dataclass(frozen=True)
class Started:
    """What :func:`init` wrote (paths), in the order written."""

    folder: Path
    written: tuple[Path, ...]


def init(folder: Path) -> Started:
    """Start a project in ``folder`` (created if missing).

    Writes ``bordermap.toml``, ``articles/example.md`` and a ``.gitignore``
    that ignores ``output/``.

    Raises
    ------
    OutputError
        If ``folder`` already holds a ``bordermap.toml`` or cannot be written.
    """
    project = folder / "bordermap.toml"
    if project.exists():
        raise OutputError(f"{project}: a project file is already there; init never overwrites it")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder")
    written = []
    try:
        write_atomic(project, shipped_text("bordermap", "templates", "bordermap.toml").encode())
        written.append(project)
        example = folder / "articles" / "example.md"
        if not example.exists():
            write_atomic(example, shipped_text("bordermap", "templates", "example.md").encode())
            written.append(example)
        ignore = folder / ".gitignore"
        lines = ignore.read_text("utf-8").splitlines() if ignore.exists() else []
        if not {"output", "output/", "/output", "/output/"} & {x.strip() for x in lines}:
            write_atomic(ignore, ("\n".join([*lines, "output/"]) + "\n").encode())
            written.append(ignore)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write the project ({exc.strerror or exc})") from None
    return Started(folder, tuple(written))
