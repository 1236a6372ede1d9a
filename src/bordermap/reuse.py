"""What a rebuild can take from the last build: outputs whose inputs did not change.

A build records, beside its files, the key of each output's inputs (a hash
of what the output is made from, and of bordermap's own code and the
libraries that shape it) in a hidden file of the output folder,
:data:`INPUTS`; it is not one of the outputs (the manifest does not list it),
so a rebuild writes the same files as a build into an empty folder.  The
next build into the same folder:

* takes a file whose key is unchanged as it is (:meth:`Previous.take`: a
  hard link into the staging folder, a copy where links are refused), once
  its bytes still have the SHA-256 the last manifest lists; a file edited
  or removed since is written again;
* takes every file, and computes nothing more, when nothing the outputs are made
  from changed (:func:`build_key`: the project file, the articles' files, their
  mentions' inputs, the code) and every file is intact (:meth:`Previous.take_all`);
* continues a table whose rows come in corpus order (``mentions.csv``,
  ``places.csv``) from the rows of the last build, when the articles the
  last build wrote are, with the same inputs, the first of this corpus
  (:meth:`Previous.prefix`): the corpus grew at its end.

Keys are hashes of the objects' contents (pickled without memo, so equal
contents give equal keys whatever objects share them); a key that differs
for equal contents only costs a rewrite.  The staging and the all-or-nothing
move of the output folder are :mod:`bordermap.files`'s.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import pickle
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from bordermap.files import Staging, file_entry, inside, staged, write_atomic

__all__ = [
    "INPUTS",
    "Prefix",
    "Previous",
    "Said",
    "build_key",
    "chain_keys",
    "code_key",
    "content_key",
    "keep_all",
    "write_inputs",
]

log = logging.getLogger("bordermap")

#: The hidden file of an output folder that records each output's input key.
INPUTS = ".bordermap-inputs.json"
#: Libraries whose versions change what the pages and exports hold.
_LIBRARIES = ("folium", "branca", "xstatic-leaflet", "pyogrio", "geopandas", "shapely", "pyproj",
              "pyarrow")  # fmt: skip


@lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of bordermap's package files (code, assets, templates, data) and library versions."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=\0".encode())
    return h.hexdigest()


def content_key(*parts: Any) -> str:
    """A SHA-256 of ``parts``' contents and :func:`code_key` (pickled without memo)."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)
    pickler.fast = True  # no memo: shared and equal objects pickle alike
    pickler.dump((code_key(), parts))
    return hashlib.sha256(buf.getvalue()).hexdigest()


@dataclass
class Prefix:
    """A table continued from the last build: its ``rows`` so far, for ``articles`` articles."""

    articles: int
    rows: int


@dataclass
class Previous:
    """The last build's files in ``out``: their input keys and manifest entries."""

    out: Path
    keys: dict[str, Any] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    #: The last manifest as read ({} when there is none).
    manifest: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def recorded(out: Path) -> dict[str, Any]:
        """The input keys the last build into ``out`` recorded ({} when unreadable)."""
        try:
            keys = json.loads((out / INPUTS).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return keys if isinstance(keys, dict) else {}

    @classmethod
    def load(cls, out: Path, tracked: str = "manifest.json") -> Previous:
        """What ``out`` holds (nothing when it has no readable manifest or inputs file)."""
        try:
            keys = json.loads((out / INPUTS).read_text("utf-8"))
            manifest = json.loads((out / tracked).read_text("utf-8"))
            sha = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
            if not isinstance(keys, dict):
                raise TypeError("not an object")
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(out)
        return cls(out, keys, sha, manifest)

    def _intact(self, name: str) -> bool:
        path = self.out / name
        if name not in self.sha256 or not path.is_file() or path.is_symlink():
            return False
        return file_entry(path, name)["sha256"] == self.sha256[name]

    def _link(self, stage: Staging, name: str) -> Path:
        target = stage.path(name)
        try:
            os.link(self.out / name, target)
        except OSError:
            shutil.copyfile(self.out / name, target)
        return target

    def take(self, stage: Staging, name: str, key: str) -> bool:
        """Stage the last build's ``name`` if its inputs had ``key`` and it is intact."""
        if self.keys.get(name) != key or not self._intact(name):
            return False
        self._link(stage, name)
        return True

    def take_all(self, stage: Staging, tracked: str = "manifest.json") -> bool:
        """Stage every file of the last build and its manifest ``tracked`` if each one is
        intact (the manifest with the SHA-256 the inputs file recorded for it, the others
        with those the manifest lists, every one a plain path inside the folder); stage
        nothing otherwise."""
        names = sorted(self.sha256)
        manifest = self.out / tracked
        if not names or not manifest.is_file() or manifest.is_symlink():
            return False
        if file_entry(manifest, tracked)["sha256"] != self.keys.get(tracked):
            return False  # edited since (it does not list itself)
        if not all(inside(self.out, name) for name in names):
            return False
        if not all(self._intact(name) for name in names):
            return False
        for name in [*names, tracked]:
            self._link(stage, name)
        return True

    def prefix(self, name: str, chain: list[str]) -> Prefix | None:
        """How much of the last ``name`` this build can keep: the last build wrote the rows
        of its first ``articles`` articles, whose keys chained were ``chain[articles - 1]``."""
        entry = self.keys.get(name)
        if not isinstance(entry, dict):
            return None
        n, rows = entry.get("articles"), entry.get("rows")
        if not (isinstance(n, int) and isinstance(rows, int) and 0 < n <= len(chain)):
            return None
        if entry.get("chain") != chain[n - 1] or not self._intact(name):
            return None
        return Prefix(n, rows)

    def copy(self, stage: Staging, name: str) -> Path:
        """A copy of the last ``name`` in the staging folder, to append to (never a link)."""
        target = stage.path(name)
        shutil.copyfile(self.out / name, target)
        return target


def build_key(config: Any, articles: list[Any], mention_keys: list[str], tiles: str | None) -> str:
    """The key of everything a build's outputs are made from: the project file as read
    (its lines' geometry included), each article's id, path, file SHA-256 and front matter,
    the keys of their mentions (text, focus, geoparser, gazetteer, places, corrections),
    the tiles asked for, and :func:`code_key`."""
    files = [(a.id, a.path, a.sha256, sorted(a.meta.items())) for a in articles]
    return content_key("build", config, files, mention_keys, tiles)


class Said(logging.Handler):
    """The warnings logged on the ``bordermap`` logger while installed (``with Said()``),
    so that a build that keeps every file says them again (:attr:`lines`)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def __enter__(self) -> Said:
        logging.getLogger("bordermap").addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger("bordermap").removeHandler(self)


def keep_all(
    out: Path, whole: str, then: Callable[[Staging, dict[str, Any]], None]
) -> dict[str, Any] | None:
    """The last build's manifest, every one of its files kept, if that build into ``out``
    had the inputs ``whole`` (:func:`build_key`) and its files are intact; else None (and
    nothing changed). ``then(stage, manifest)`` runs before the kept files move back in;
    the warnings that build logged are logged again."""
    if Previous.recorded(out).get("build") != whole:  # most builds: only this file read
        return None
    try:
        with staged(out, tracked="manifest.json") as stage:
            previous = Previous.load(out)  # now that the folder is locked
            if previous.keys.get("build") != whole or not previous.take_all(stage):
                raise _Changed
            write_inputs(stage, previous.keys)
            manifest = previous.manifest  # checked by take_all against its recorded SHA-256
            then(stage, manifest)
    except _Changed:
        return None
    for line in previous.keys.get("warnings") or []:
        log.warning("%s", line)
    log.info("%s: nothing changed since its last build, every file kept", out)
    return manifest


class _Changed(Exception):
    """The output folder changed between the look at it and the lock on it."""


def chain_keys(keys: list[str]) -> list[str]:
    """Running hashes of ``keys`` and :func:`code_key`: item i stands for the first i + 1."""
    out, h = [], code_key()
    for k in keys:
        h = hashlib.sha256(f"{h}\0{k}".encode()).hexdigest()
        out.append(h)
    return out


def write_inputs(stage: Staging, keys: dict[str, Any]) -> None:
    """Record ``keys`` in the staged output folder (moved in with the outputs)."""
    write_atomic(stage.path(INPUTS), (json.dumps(keys, sort_keys=True, indent=1) + "\n").encode())
