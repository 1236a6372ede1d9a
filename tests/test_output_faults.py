"""A build killed or refused midway: the output folder stays whole (real processes)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bordermap.cli import cli
from bordermap.files import STAGING_PREFIX

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "bordermap.toml"


def build_cmd(out: Path, tiles: str = "none") -> list[str]:
    return [sys.executable, "-m", "bordermap", "build", "--config", str(CONFIG),
            "--out", str(out), "--tiles", tiles]  # fmt: skip


#: The first build of a test that stops the second midway: other inputs (the tiles), so
#: that the second makes everything again instead of keeping the first's files.
FIRST = "OpenStreetMap"


def assert_consistent(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["files"], "the manifest lists the files"
    for entry in manifest["files"]:
        data = (out / entry["path"]).read_bytes()
        assert len(data) == entry["bytes"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    assert not list(out.glob(STAGING_PREFIX + "*"))


def test_sigkill_midway_then_rebuild(tmp_path: Path) -> None:
    out = tmp_path / "out"
    subprocess.run(build_cmd(out, FIRST), check=True, capture_output=True)
    assert_consistent(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    proc = subprocess.Popen(build_cmd(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    killed = False
    while time.monotonic() < deadline and proc.poll() is None:
        staging = [d for d in out.glob(STAGING_PREFIX + "*") if any(d.rglob("*.geojson"))]
        if staging:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.01)
    proc.wait()
    assert killed, "the build finished before it could be killed"
    assert list(out.glob(STAGING_PREFIX + "*")), "the killed build left its staging folder"
    after = {
        p: p.read_bytes() for p in out.rglob("*") if p.is_file() and STAGING_PREFIX not in str(p)
    }
    assert {p: b for p, b in after.items() if p.name != ".bordermap.lock"} == {
        p: b for p, b in before.items() if p.name != ".bordermap.lock"
    }, "a killed build changes nothing that was there"
    subprocess.run(build_cmd(out), check=True, capture_output=True)
    assert_consistent(out)


@pytest.mark.parametrize(
    ("signum", "said"), [(signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "Ctrl-C")]
)
def test_a_signal_midway_discards_the_staging_and_says_so(
    tmp_path: Path, signum: int, said: str
) -> None:
    out = tmp_path / "out"
    subprocess.run(build_cmd(out, FIRST), check=True, capture_output=True)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    proc = subprocess.Popen(build_cmd(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    sent = False
    while time.monotonic() < deadline and proc.poll() is None:
        if any(d for d in out.glob(STAGING_PREFIX + "*") if any(d.rglob("*.geojson"))):
            proc.send_signal(signum)
            sent = True
            break
        time.sleep(0.01)
    _, stderr = proc.communicate(timeout=120)
    assert sent, "the build finished before it could be stopped"
    assert proc.returncode == 1
    assert stderr.splitlines()[-1] == (
        f"Error: stopped by {said}; every output is as it was before this run"
    )
    assert "Traceback" not in stderr
    assert not list(out.glob(STAGING_PREFIX + "*")), "the staging folder is discarded"
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if p.name != ".bordermap.lock"} == {
        p: b for p, b in before.items() if p.name != ".bordermap.lock"
    }
    assert_consistent(out)


@pytest.mark.parametrize("where", ["/dev/null", "under-a-file"])
def test_an_output_that_cannot_be_a_folder_is_one_line_exit_1(tmp_path: Path, where: str) -> None:
    if where == "/dev/null":
        target, message = (
            Path(where),
            "/dev/null: is a file, not a folder; choose another output folder",
        )
    else:
        (tmp_path / "taken").write_text("x")
        target = tmp_path / "taken" / "out"
        message = f"{target}: cannot create the output folder (Not a directory); choose another one"
    result = CliRunner().invoke(cli, ["build", "--config", str(CONFIG), "--out", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system holding ``old/index.html`` (a real tmpfs mount; root only)."""
    where = tmp_path / "ro"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                             capture_output=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        (where / "old").mkdir()
        (where / "old" / "index.html").write_text("old map")
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_a_read_only_output_is_one_line_exit_1(read_only: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--config", str(CONFIG), "--out", str(read_only / "new")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {read_only / 'new'}: cannot create the output folder (Read-only file system); "
        "choose another one\n"
    )
    result = runner.invoke(cli, ["build", "--config", str(CONFIG), "--out", str(read_only / "old")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {read_only / 'old'}: cannot write into the folder (Read-only file system)\n"
    )
    assert (read_only / "old" / "index.html").read_text() == "old map"
    out = read_only / "old" / "cmp.html"
    result = runner.invoke(cli, ["compare", "--config", str(CONFIG), "upgrades", "checkpoints", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Error: {read_only / 'old'}: cannot write into the folder (Read-only file system)\n"
    )
