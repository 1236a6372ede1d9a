"""A call in a forked child: its result, its errors and its death reach the parent (real processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bordermap.errors import BordermapError, OutputError
from bordermap.forked import SideError, _meminfo, room_for_a_copy, start


def test_two_jobs_run_the_call_in_another_process() -> None:
    side = start(os.getpid, jobs=2)
    assert side.result() != os.getpid()


def test_one_job_runs_the_call_here_at_once(tmp_path: Path) -> None:
    marker = tmp_path / "done"
    side = start(lambda: marker.write_text("x"), jobs=1)
    assert marker.exists()  # before result(): the call ran in start()
    assert side.result() == 1
    assert start(os.getpid, jobs=1).result() == os.getpid()


def test_the_child_sees_what_was_made_before_the_fork(tmp_path: Path) -> None:
    made = {"rows": list(range(100_000))}  # not pickled: inherited
    side = start(lambda: (tmp_path / "n").write_text(str(sum(made["rows"]))), jobs=2)
    side.result()
    assert (tmp_path / "n").read_text() == str(sum(range(100_000)))


def test_an_error_in_the_child_is_raised_in_the_parent() -> None:
    def fail() -> None:
        raise OutputError("/x/out: cannot write into the folder (read-only)")

    with pytest.raises(OutputError, match="read-only"):
        start(fail, jobs=2).result()


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickles, but cannot be made from its args
        super().__init__(f"{a}/{b}")


def test_an_error_that_does_not_pickle_still_says_what_it_was() -> None:
    def fail() -> None:
        raise _Unpicklable(1, 2)

    with pytest.raises(BordermapError, match=r"^_Unpicklable: 1/2$"):
        start(fail, jobs=2).result()


def test_a_child_that_dies_is_one_clear_error() -> None:
    with pytest.raises(SideError, match="stopped with exit status 3 before it finished"):
        start(lambda: os._exit(3), jobs=2).result()


def _wait_for(path: Path) -> int:
    deadline = time.monotonic() + 60
    while not path.exists() or not path.read_text():
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.01)
    return int(path.read_text())


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return True  # dead, not yet reaped by its parent
        time.sleep(0.01)
    return False


def _sleeper(pidfile: Path) -> None:
    pidfile.write_text(str(os.getpid()))
    time.sleep(120)


def test_cancel_stops_a_running_child(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    side = start(lambda: _sleeper(pidfile), jobs=2)
    pid = _wait_for(pidfile)
    side.cancel()
    assert _gone(pid)


def test_a_parent_killed_with_sigkill_takes_its_child_with_it(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    script = (
        "import os, signal, time, sys\n"
        "from pathlib import Path\n"
        "from bordermap.forked import start\n"
        "p = Path(sys.argv[1])\n"
        "side = start(lambda: (p.write_text(str(os.getpid())), time.sleep(120)), jobs=2)\n"
        "while not p.exists() or not p.read_text():\n"
        "    time.sleep(0.01)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(pidfile)], check=False)
    assert done.returncode == -signal.SIGKILL
    assert _gone(int(pidfile.read_text())), "the child outlived its killed parent"


@pytest.mark.skipif(not Path("/proc/meminfo").exists(), reason="Linux's /proc")
def test_the_memory_check_reads_this_machine() -> None:
    info = _meminfo()
    assert info["MemAvailable"] > 0 and 0 < info["VmRSS"] < info["MemTotal"]
    # This test process is small beside the machine's memory: there is room for a copy.
    assert room_for_a_copy()
