"""Extraction on a real Dask LocalCluster with two worker processes: the local path's bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="the dask extra is part of the test extras")

from bordermap.distributed import corpus_targets, extract_dask  # noqa: E402
from bordermap.errors import ArticleError, ClusterError  # noqa: E402
from bordermap.region import DEFAULT_FOCUS  # noqa: E402
from support import corpus_generator  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, gazetteer: Any) -> Path:
    """Forty generated articles, one bad file among them, and a folder named twice."""
    path = tmp_path_factory.mktemp("dask")
    corpus_generator().write_corpus(path, 40)
    (path / "articles" / "000" / "c000017-bad.md").write_bytes(b"\x00\x01 not text")
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1",
    ) as c:  # fmt: skip
        yield c


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bordermap", *args], capture_output=True, check=False
    )


def test_the_targets_are_the_local_paths_files_in_the_same_order(folder: Path) -> None:
    from bordermap.articles import iter_articles

    paths = [folder / "articles", folder / "articles" / "000" / "c000003.md"]
    targets = corpus_targets(paths)
    good = [a.path for a in iter_articles(paths) if not isinstance(a, ArticleError)]
    assert [v for _, v in targets if not v.endswith("-bad.md")] == good
    assert len(targets) == 41  # the file named twice is read once


def test_cli_on_a_scheduler_address_writes_the_local_bytes(folder: Path, cluster: Any) -> None:
    local = run("extract", str(folder / "articles"), "--format", "jsonl", "--jobs", "1",
                "--no-cache")  # fmt: skip
    remote = run("extract", str(folder / "articles"), "--format", "jsonl",
                 "--scheduler", cluster.scheduler_address)  # fmt: skip
    assert local.returncode == remote.returncode == 1  # the bad file, reported by both
    assert remote.stdout == local.stdout
    assert remote.stderr.splitlines() == local.stderr.splitlines()
    assert b"c000017-bad.md" in remote.stderr
    lines = remote.stdout.decode().splitlines()
    assert len({json.loads(line)["article"] for line in lines}) == 40


def test_library_with_small_partitions_keeps_the_corpus_order(folder: Path, cluster: Any) -> None:
    from bordermap.pipeline import extract_files

    def flat(items: Any) -> list[Any]:
        return [
            str(i) if isinstance(i, ArticleError) else (i[0].id, [m.as_dict() for m in i[1]])
            for i in items
        ]

    local = flat(extract_files([folder / "articles"], DEFAULT_FOCUS))
    remote = flat(
        extract_dask([folder / "articles"], DEFAULT_FOCUS, cluster.scheduler_address, partition=3)
    )
    assert remote == local


def test_cli_on_a_local_cluster_of_two_workers(folder: Path) -> None:
    one = folder / "articles" / "000" / "c000001.md"
    local = run("extract", str(one), str(folder / "articles" / "000" / "c000002.md"),
                "--format", "csv", "--no-cache")  # fmt: skip
    dask = run("extract", str(one), str(folder / "articles" / "000" / "c000002.md"),
               "--format", "csv", "--dask-local", "2")  # fmt: skip
    assert dask.returncode == local.returncode == 0, dask.stderr
    assert dask.stdout == local.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:1", "--dask-local", "2"], "not both"),
        (["--dask-local", "2", "--jobs", "2"], "--jobs is for this machine"),
    ],
)
def test_bad_option_combinations_are_usage_errors(
    folder: Path, args: list[str], message: str
) -> None:
    done = run("extract", str(folder / "articles"), *args)
    assert done.returncode == 2
    assert message in done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_standard_input_cannot_go_to_a_cluster() -> None:
    done = run("extract", "-", "--dask-local", "2")
    assert done.returncode == 2
    assert "standard input" in done.stderr.decode()


def test_an_unreachable_scheduler_is_one_line_and_exit_1(folder: Path) -> None:
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    done = subprocess.run(
        [sys.executable, "-m", "bordermap", "extract", str(folder / "articles"),
         "--scheduler", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, check=False, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(ClusterError):
        list(extract_dask([folder / "articles"], DEFAULT_FOCUS, "tcp://127.0.0.1:9"))
