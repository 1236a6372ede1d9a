"""A call run in a forked copy of this process while this one goes on (a build's second core).

A build's last stage writes files that do not depend on each other: the
GeoPackage on one side, the map pages on the other.  :func:`start` runs a
call in a child forked from this process, so the child sees everything made so
far (the layers, the articles) without their being copied or pickled, writes
its files and sends back only a small result; :meth:`Side.result` waits for it
and raises what the child raised.  With one job, or where ``fork`` is not
available, the call runs here at once, so the files are the same bytes whatever
the number of jobs.

>>> side = start(lambda: write_gpkg(path, layers, annotations, refs), jobs=2)  # doctest: +SKIP
>>> pages = render_pages(...)          # meanwhile, in this process   # doctest: +SKIP
>>> side.result()                      # the child's result, or its error   # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from bordermap.errors import BordermapError

__all__ = ["Side", "room_for_a_copy", "start"]

T = TypeVar("T")

log = logging.getLogger("bordermap")


class SideError(BordermapError):
    """A forked part of a build stopped without saying why (killed, or out of memory)."""


def _die_with(parent: int) -> None:
    """In the child: be killed when ``parent`` dies (a build killed with SIGKILL leaves no
    writer behind holding its output folder's lock); Linux only, elsewhere nothing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _run(call: Callable[[], Any], send: Any, parent: int) -> None:
    """In the child: the call's result, or its exception, down the pipe."""
    _die_with(parent)
    try:
        message: tuple[bool, Any] = (True, call())
    except BaseException as exc:  # noqa: BLE001 - every error goes back to the parent
        message = (False, exc)
    try:
        data = pickle.dumps(message)
        pickle.loads(data)  # an exception whose class cannot be made again from its args
    except Exception as exc:  # did not pickle: its type and text, as a BordermapError
        what = message[1] if not message[0] else exc
        data = pickle.dumps((False, BordermapError(f"{type(what).__name__}: {what}")))
    try:
        send.send_bytes(data)
    finally:
        send.close()


class Side(Generic[T]):
    """A call started by :func:`start`: in a child process, or already done here."""

    def __init__(self, call: Callable[[], T], forked: bool) -> None:
        self._process: Any = None
        self._recv: Any = None
        self._done: tuple[bool, Any] | None = None
        if not forked:
            try:
                self._done = (True, call())
            except BaseException as exc:
                self._done = (False, exc)
            return
        context = multiprocessing.get_context("fork")
        self._recv, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(call, send, os.getpid()), daemon=True)
        self._process.start()
        send.close()  # the child holds its end: a child that dies gives EOF here

    def result(self) -> T:
        """The call's result; raises what it raised (:class:`SideError` if the child died)."""
        if self._done is None:
            try:
                self._done = pickle.loads(self._recv.recv_bytes())
            except EOFError:
                self._process.join()
                self._done = (False, SideError(
                    f"a build process stopped with exit status {self._process.exitcode} "
                    "before it finished; nothing was written: build again "
                    "(with --jobs 1 if this machine is short of memory)"
                ))  # fmt: skip
            finally:
                self._recv.close()
                self._process.join()
        ok, value = self._done
        if not ok:
            raise value
        return cast(T, value)

    def cancel(self) -> None:
        """Stop the child if it is still running (its files are discarded with the stage)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()
        if self._recv is not None:
            self._recv.close()


def _meminfo() -> dict[str, int]:
    """``/proc/meminfo`` and this process's ``VmRSS`` in bytes (empty where there is none)."""
    out = {}
    for path in ("/proc/meminfo", "/proc/self/status"):
        try:
            with open(path, encoding="ascii") as fh:
                for line in fh:
                    key, _, value = line.partition(":")
                    parts = value.split()
                    if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
                        out[key] = int(parts[0]) * 1024
        except OSError:
            continue
    return out


def room_for_a_copy() -> bool:
    """Whether the memory available could hold a second copy of this process: the child
    shares this one's pages, but writes into those of every object it reads (their
    reference counts), so at worst it copies them all."""
    info = _meminfo()
    if "MemAvailable" not in info or "VmRSS" not in info:
        return True  # not Linux: nothing to go by
    return info["MemAvailable"] > info["VmRSS"]


def start(call: Callable[[], T], jobs: int) -> Side[T]:
    """``call`` in a forked child when ``jobs`` > 1, ``fork`` is available and the memory
    available could hold a copy of this process (:func:`room_for_a_copy`); else here now."""
    forked = jobs > 1 and "fork" in multiprocessing.get_all_start_methods()
    if forked and not room_for_a_copy():
        log.info("writing on one core: too little memory available for a second process")
        forked = False
    return Side(call, forked)
