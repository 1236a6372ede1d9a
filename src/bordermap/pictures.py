"""A build's pictures of its maps (``build --snapshots``), taken before anything moves in.

The pictures go into the build's staging folder beside the maps they show, so
both change together, under the build's lock, or not at all. They are not
outputs the manifest lists: a build without ``--snapshots`` leaves earlier
pictures alone, except those of maps the project no longer draws
(:func:`stale`), which no map stands behind any more. Other files in
``snapshots/`` are never touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bordermap.files import Staging

__all__ = ["names", "shoot", "stale"]


def names(page: str) -> tuple[str, str]:
    """The picture of the map ``page`` and its alt text, in the output folder."""
    stem = Path(page).stem
    return f"snapshots/{stem}.png", f"snapshots/{stem}.txt"


def _pages(maps: Any) -> list[str]:
    """``maps`` if it is a manifest's list of map pages (plain ``.html`` names), else none."""
    if not isinstance(maps, list):
        return []
    ok = all(isinstance(p, str) and p.endswith(".html") and "/" not in p and "\\" not in p
             and not p.startswith(".") for p in maps)  # fmt: skip
    return list(maps) if ok else []


def stale(last: Any, maps: list[str]) -> list[str]:
    """The pictures (and alt texts) of maps the last build drew (``last``: the ``maps`` of
    its manifest, as read) and this one, drawing ``maps``, does not."""
    return [name for page in _pages(last) if page not in maps for name in names(page)]


def shoot(stage: Staging, maps: Any) -> None:
    """Each staged map of ``maps`` as a picture, with its alt text, in the staging folder.
    An alt text the snapshotter did not write (a map with none) is removed with the move,
    so that an older one does not stand beside the new picture."""
    from bordermap.snapshot import snapshot_many

    pairs, alts = [], []
    for page in _pages(maps):
        png, alt = names(page)
        stage.path(alt)  # written beside the picture by the snapshotter
        alts.append(alt)
        pairs.append((stage.dir / page, stage.path(png)))
    snapshot_many(pairs)
    stage.retired += [alt for alt in alts if not (stage.dir / alt).is_file()]
