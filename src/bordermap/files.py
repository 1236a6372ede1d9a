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

from bordermap.errors import DataError, OutputError

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
    """``data`` as the manifest's JSON: sorted keys, indented, UTF-8, one final newline.

    Strict JSON: a NaN or infinity raises ``ValueError`` rather than writing
    ``NaN``/``Infinity``, which JSON parsers other than Python's refuse.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode()


def inside(out: Path, name: str) -> bool:
    """Whether ``name`` (a manifest's path) is a file's place inside the folder ``out``:
    a plain relative path that, links resolved, does not leave it."""
    target = (out / name).resolve()
    return target.parent.is_relative_to(out.resolve()) and target != out.resolve()


STAGING_PREFIX = ".bordermap-build-"
LOCK_NAME = ".bordermap.lock"


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _prepare(out: Path) -> None:
    """Make ``out`` a folder, or say in one line why it cannot be one."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; choose another output folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot create the output folder ({_why(exc)}); choose another one"
        ) from None


class Staging:
    """Files written into a hidden folder inside the output, moved in at the end.

    The output folder changes all at once or not at all:

    * while a stage is open it holds a lock on the folder, so a second build
      into the same folder fails at once with a clear line;
    * staging folders left by killed builds are removed when the next opens;
    * :meth:`commit` moves the old version of every file aside before moving
      the new one in, and puts everything back if any move fails;
    * with ``tracked`` (the manifest's name), files that the previous build
      listed in its manifest and this one did not write are removed; files a
      user put there are never touched.
    """

    def __init__(self, out: Path, tracked: str | None = None) -> None:
        _prepare(out)
        self.out = out
        self.tracked = tracked
        self._lock = self._acquire(out)
        try:
            for stale in out.glob(STAGING_PREFIX + "*"):
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
            self.dir = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
        except OSError as exc:
            self._release()
            raise OutputError(f"{out}: cannot write into the folder ({_why(exc)})") from None
        self.names: list[str] = []
        #: Files of the folder that :meth:`commit` removes too, when this build did not
        #: write them (outputs of the last build that no longer stand for anything).
        self.retired: list[str] = []

    @staticmethod
    def _acquire(out: Path) -> int | None:
        import fcntl

        lock = out / LOCK_NAME
        while True:
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(f"{out}: cannot write into the folder ({_why(exc)})") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise OutputError(
                    f"{out}: another bordermap build is writing into this folder; "
                    "wait for it to finish or choose another output folder"
                ) from None
            # The holder before us removes the lock file when it is done: make
            # sure the file we locked is still the one at that name.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock))
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)

    def _release(self) -> None:
        if self._lock is not None:
            # Remove the lock file while still holding the lock, so the folder
            # is left with nothing of ours in it; then drop the lock.
            (self.out / LOCK_NAME).unlink(missing_ok=True)
            os.close(self._lock)
            self._lock = None

    def path(self, name: str) -> Path:
        """Where to write ``name`` (a relative path with / separators) while staging."""
        p = self.dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if name not in self.names:
            self.names.append(name)
        return p

    def write(self, name: str, data: bytes) -> None:
        self.path(name).write_bytes(data)

    def written(self) -> list[str]:
        """The names staged so far whose files exist (a writer may decline to write one)."""
        return [n for n in self.names if (self.dir / n).is_file()]

    def entries(self) -> Iterator[dict[str, Any]]:
        for name in sorted(self.written()):
            yield file_entry(self.dir / name, name)

    def _previous(self) -> list[str]:
        """Files the last build listed in its manifest (none when there is no readable one)."""
        if self.tracked is None:
            return []
        try:
            old = json.loads((self.out / self.tracked).read_text("utf-8"))
            names = [str(f["path"]) for f in old.get("files", [])]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return []
        return [name for name in names if inside(self.out, name)]

    def commit(self) -> None:
        """Move every staged file into place, all or nothing; then remove what is obsolete."""
        backup = self.dir / ".previous"
        names = self.written()
        obsolete = [n for n in dict.fromkeys([*self._previous(), *self.retired]) if n not in names]
        done: list[tuple[str, bool]] = []  # (name, had an old version)
        try:
            for name in obsolete:
                old = self.out / name
                if old.is_file() or old.is_symlink():
                    (backup / name).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(old, backup / name)
                    done.append((name, True))
            for name in names:
                target = self.out / name
                had = target.exists() or target.is_symlink()
                if had:
                    if target.is_dir() and not target.is_symlink():
                        raise OutputError(
                            f"{target}: is a folder where bordermap writes a file; "
                            "move it away and build again"
                        )
                    (backup / name).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(target, backup / name)
                target.parent.mkdir(parents=True, exist_ok=True)
                done.append((name, had))
                os.replace(self.dir / name, target)
        except BaseException as exc:
            self._rollback(done, backup, set(obsolete))
            self.discard()
            if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                raise OutputError(
                    f"{self.out}: could not move the new files in ({_why(exc)}); "
                    "the folder is as it was"
                ) from None
            raise
        self.discard()

    def _rollback(self, done: list[tuple[str, bool]], backup: Path, obsolete: set[str]) -> None:
        for name, had in reversed(done):
            target = self.out / name
            if name not in obsolete and (target.is_file() or target.is_symlink()):
                target.unlink(missing_ok=True)
            if had and (backup / name).exists():
                os.replace(backup / name, target)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self._release()


@contextmanager
def staged(out: Path, tracked: str | None = None) -> Iterator[Staging]:
    """A :class:`Staging` committed when the block succeeds, discarded when it raises."""
    stage = Staging(out, tracked)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    stage.commit()
