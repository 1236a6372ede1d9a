"""Streaming extraction: Parquet and files written as mentions come, a progress bar only on a TTY."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support import corpus_generator

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, gazetteer: Any) -> Path:
    path = tmp_path_factory.mktemp("stream")
    corpus_generator().write_corpus(path, 24)
    return path / "articles"


def run(*args: str, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bordermap", *args], capture_output=True, check=False, **kw
    )


def test_parquet_holds_the_jsonl_rows_and_is_the_same_whatever_the_jobs(
    folder: Path, tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    jsonl = run("extract", str(folder), "--format", "jsonl", "--no-cache")
    assert jsonl.returncode == 0, jsonl.stderr
    expected = [json.loads(line) for line in jsonl.stdout.decode().splitlines()]
    for jobs in ("1", "2"):
        done = run("extract", str(folder), "--format", "parquet", "-o", str(tmp_path / f"{jobs}.parquet"), "--jobs", jobs)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout == b""
    one, two = (tmp_path / "1.parquet").read_bytes(), (tmp_path / "2.parquet").read_bytes()
    assert one == two
    table = pq.read_table(tmp_path / "1.parquet")
    assert table.num_rows == len(expected) > 24 * 10
    assert str(table.schema.field("start").type) == "int64"
    assert str(table.schema.field("lat").type) == "double"
    assert table.to_pylist() == expected
    assert [f for f in os.listdir(tmp_path) if f.startswith(".")] == []  # no temporary left


def test_parquet_row_groups_stream(folder: Path, tmp_path: Path, monkeypatch: Any) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from bordermap import formats
    from bordermap.pipeline import extract_files

    monkeypatch.setattr(formats, "PARQUET_ROWS", 100)
    results = [r for r in extract_files([folder]) if not isinstance(r, Exception)]
    with open(tmp_path / "m.parquet", "wb") as fh:
        count = formats.write_parquet(results, fh)  # type: ignore[arg-type]
    meta = pq.ParquetFile(tmp_path / "m.parquet").metadata
    assert meta.num_rows == count
    assert meta.num_row_groups == -(-count // 100)


def test_an_empty_result_is_a_valid_empty_parquet_table(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    article = tmp_path / "a.md"
    article.write_text("nothing named here at all.\n", "utf-8")
    done = run("extract", str(article), "--format", "parquet", "-o", str(tmp_path / "e.parquet"))
    assert done.returncode == 0, done.stderr
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 0 and "sentence" in table.column_names


def test_parquet_needs_an_output_file(folder: Path) -> None:
    done = run("extract", str(folder), "--format", "parquet")
    assert done.returncode == 2
    assert b"--output FILE" in done.stderr and b"Traceback" not in done.stderr


def test_output_file_is_replaced_only_when_complete(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.jsonl"
    target.write_text("old\n", "utf-8")
    done = run("extract", str(folder), str(tmp_path / "missing.md"), "--format", "jsonl", "-o", str(target))  # fmt: skip
    assert done.returncode == 1  # the missing file is reported, the others written
    assert b"missing.md" in done.stderr
    same = run("extract", str(folder), "--format", "jsonl")
    assert target.read_bytes() == same.stdout
    blocked = run("extract", str(folder), "--format", "jsonl", "-o", str(tmp_path / "no" / "m.jsonl"))  # fmt: skip
    assert blocked.returncode == 1
    assert blocked.stderr.decode().count("\n") == 1 and b"cannot be written" in blocked.stderr


def _on_a_terminal(*args: str, cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run bordermap with stderr on a pseudo-terminal; stdout is a pipe."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bordermap", *args],
        stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, cwd=cwd,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    out = b""
    assert proc.stdout is not None
    while True:
        ready, _, _ = select.select([master, proc.stdout], [], [], 120)
        if not ready:
            break
        if master in ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            seen += chunk
        if proc.stdout in ready:
            data = proc.stdout.read1(65536)  # type: ignore[attr-defined]
            if not data and proc.poll() is not None:
                break
            out += data
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out, seen


def test_extract_shows_a_progress_bar_on_a_terminal_and_none_in_a_pipe(folder: Path) -> None:
    code, out, err = _on_a_terminal("extract", str(folder), "--format", "jsonl", "--no-cache")
    assert code == 0
    assert b"\rextract [" in err and b"24/24" in err
    assert b"extract" not in out  # the bar never reaches the data
    piped = run("extract", str(folder), "--format", "jsonl", "--no-cache")
    assert piped.stderr == b""
    assert piped.stdout == out


def test_build_shows_a_progress_bar_on_a_terminal_and_none_in_a_pipe(
    folder: Path, tmp_path: Path
) -> None:
    config = folder.parent / "bordermap.toml"
    code, out, err = _on_a_terminal("build", "--config", str(config), "--out", str(tmp_path / "t"))
    assert code == 0, err
    assert b"finding places [" in err and b"24/24" in err
    piped = run("build", "--config", str(config), "--out", str(tmp_path / "p"))
    assert piped.returncode == 0
    assert b"\r" not in piped.stderr and b"[" not in piped.stderr
