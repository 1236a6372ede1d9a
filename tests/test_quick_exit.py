"""The console entry point's quick exit (bordermap.cli.quick_exit), in real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bordermap.cli import quick_exit

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_unarmed_keeps_nothing_and_exits_as_usual() -> None:
    quick_exit.keep_until_exit(object())  # not armed in this process: nothing kept
    assert quick_exit._kept == []
    with pytest.raises(SystemExit) as done:
        quick_exit.finish(3)
    assert done.value.code == 3


@pytest.mark.parametrize(("code", "status", "err"), [("0", 0, ""), ("3", 3, ""),
                                                     ("None", 0, ""), ("'no good'", 1, "no good")])  # fmt: skip
def test_armed_exit_flushes_and_keeps_the_status(code: str, status: int, err: str) -> None:
    # Buffered output on pipes, a log record and the status survive os._exit.
    proc = _python(
        "import logging, sys\n"
        "from bordermap.cli import quick_exit as q\n"
        "logging.basicConfig(stream=sys.stderr, format='%(message)s')\n"
        "q.arm(); q.keep_until_exit([object() for _ in range(10)])\n"
        "print('said', end=''); logging.warning('logged')\n"
        f"q.finish({code})\n"
    )
    assert proc.returncode == status
    assert proc.stdout == "said"
    assert proc.stderr.splitlines() == ["logged", *([err] if err else [])]


def test_armed_without_anything_kept_is_a_normal_exit() -> None:
    # atexit handlers run: the process went through sys.exit.
    proc = _python(
        "import atexit\nfrom bordermap.cli import quick_exit as q\n"
        "atexit.register(lambda: print('atexit ran'))\nq.arm(); q.finish(4)\n"
    )
    assert (proc.returncode, proc.stdout) == (4, "atexit ran\n")


def test_a_build_ends_with_its_summary_and_status(tmp_path: Path) -> None:
    # The build command keeps its parts to the end: its summary still reaches a pipe,
    # the folder is whole, and a bad project file still exits 2 with one line.
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "bordermap", "build", "--config", str(ROOT / "bordermap.toml"),
           "--out", str(out), "--tiles", "none", "--no-cache"]  # fmt: skip
    # The quick exit was taken: an atexit hook of the process never ran.
    script = ("import atexit, sys\natexit.register(print, 'atexit ran')\n"
              f"sys.argv = {['bordermap', *cmd[3:]]!r}\nfrom bordermap.cli import main\nmain()\n")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("wrote ") and str(out) in proc.stdout
    assert "atexit ran" not in proc.stdout
    assert (out / "manifest.json").is_file() and (out / "index.html").is_file()
    bad = tmp_path / "bad.toml"
    bad.write_text("title = [", "utf-8")
    proc = subprocess.run([*cmd[:5], str(bad), *cmd[6:]], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "bad.toml" in proc.stderr
