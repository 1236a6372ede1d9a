"""What the benchmarks that compare this checkout with a git revision share.

* :func:`export`: the ``src`` folder of a revision, unpacked (``git archive``),
  to put first on ``PYTHONPATH``;
* :func:`child`: run a snippet of Python in a fresh process and read the JSON
  it prints last;
* :func:`differing`: the files two output folders do not share byte for byte
  (the hidden inputs file, whose keys hash the code, aside);
* :data:`TIMED`: the start of a child snippet that times functions of the library.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ".bordermap-inputs.json"

#: The start of a :func:`child` snippet: ``timed(owner, name, what=name)`` replaces
#: ``owner.name`` by a wrapper that adds each call's wall and CPU seconds, and the call,
#: to ``spent[what]`` (``(wall, cpu, calls)``).
TIMED = """
import time
spent = {}
def timed(owner, name, what=None):
    inner, what = getattr(owner, name), what or name
    def call(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            wall, used, n = spent.get(what, (0.0, 0.0, 0))
            spent[what] = (wall + time.perf_counter() - start, used + time.process_time() - cpu,
                           n + 1)
    setattr(owner, name, call)
"""


def export(rev: str, into: Path) -> Path:
    """The ``src`` folder of revision ``rev`` of this repository, unpacked under ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / "src.tar"
    with open(archive, "wb") as fh:
        subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, stdout=fh, check=True)
    shutil.rmtree(into / "src", ignore_errors=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def child(code: str, args: list[str], env: dict[str, str]) -> Any:
    """Run ``code`` with ``args`` in a fresh Python; the JSON of its last line of output."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.splitlines()[-1])


def differing(a: Path, b: Path) -> list[str]:
    """Files of either folder that the other lacks or holds with other bytes."""
    names = {
        str(p.relative_to(root))
        for root in (a, b)
        for p in root.rglob("*")
        if p.is_file() and p.name != INPUTS
    }
    return sorted(
        n
        for n in names
        if not ((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, False))
    )
