"""Files in and out, once: shipped data, atomic writes, staged output folders.

* :func:`shipped_text` / :func:`shipped_bytes` read files installed with a
  package through :mod:`importlib.resources` (bordermap's ``data/`` and
  ``assets/``, Leaflet's files from ``xstatic``);
* :func:`data_text` reads bordermap's own data, raising :class:`DataError`
  with what to do when the installation is broken;
* :func:`write_atomic` replaces one file all at once;
* :class:`Staging` / :func:`staged` make a whole output folder change all at
  once or not at all; :func:`file_entry` and :func:`manifest_bytes` describe
  what was written.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from bordermap.errors import DataError

__all__ = [
    "shipped_text",
    "shipped_bytes",
    "data_text",
    "write_atomic",
    "file_entry",
    "manifest_bytes",
    "Staging",
    "staged",
]


def shipped_text(package: str, *parts: str) -> str:
    """A UTF-8 text file installed with ``package`` (``parts`` are path components)."""
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def shipped_bytes(package: str, *parts: str) -> bytes:
    """A binary file installed with ``package``."""
    return resources.files(package).joinpath(*parts).read_bytes()


def data_text(name: str) -> str:
    """``bordermap/data/<name>``; raises :class:`DataError` when it is missing."""
    try:
        return shipped_text("bordermap", "data", name)
    except (FileNotFoundError, OSError) as exc:
        raise DataError(f"bordermap data file {name} is missing; reinstall bordermap") from exc


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # open(..., "xb") rather than mkstemp: the file gets the usual umask-based
    # mode instead of mkstemp's owner-only 0600.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def file_entry(path: Path, name: str) -> dict[str, Any]:
    """Size and sha256 of a written file, for the manifest."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"path": name, "bytes": path.stat().st_size, "sha256": h.hexdigest()}


def manifest_bytes(data: dict[str, Any]) -> bytes:
    """``data`` as the manifest's JSON: sorted keys, indented, UTF-8, one final newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


class Staging:
    """Files written into a hidden folder beside the output, moved in at the end.

    A build that fails leaves the output folder as it was: nothing half
    written, nothing that was there before lost.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=".bordermap-build-", dir=out))
        self.names: list[str] = []

    def path(self, name: str) -> Path:
        """Where to write ``name`` (a relative path with / separators) while staging."""
        p = self.dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if name not in self.names:
            self.names.append(name)
        return p

    def write(self, name: str, data: bytes) -> None:
        self.path(name).write_bytes(data)

    def entries(self) -> Iterator[dict[str, Any]]:
        for name in sorted(self.names):
            yield file_entry(self.dir / name, name)

    def commit(self) -> None:
        for name in self.names:
            target = self.out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.dir / name, target)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def staged(out: Path) -> Iterator[Staging]:
    """A :class:`Staging` committed when the block succeeds, discarded when it raises."""
    stage = Staging(out)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    stage.commit()
