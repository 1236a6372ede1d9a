"""Parsing with several processes gives what one process gives, byte for byte (real processes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bordermap.articles import read_article
from bordermap.region import DEFAULT_FOCUS
from bordermap.workers import MIN_ARTICLES_PER_JOB, parse_all

ROOT = Path(__file__).resolve().parents[1]
TESTSET = ROOT / "tests" / "data" / "testset"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty articles (the labelled test texts, each twice under another id) and one bad file."""
    folder = tmp_path_factory.mktemp("corpus")
    texts = sorted(TESTSET.rglob("*.md"))
    assert len(texts) >= 2 * MIN_ARTICLES_PER_JOB
    for i, path in enumerate(texts * 2):
        body = read_article(path).text
        (folder / f"a{i:03d}.md").write_text(f"---\nid: a{i:03d}\n---\n{body}", "utf-8")
    (folder / "a020-bad.md").write_bytes(b"\x00\x01 not text")
    return folder


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bordermap", *args], capture_output=True, check=False
    )


def test_extract_with_two_jobs_is_byte_identical(corpus: Path) -> None:
    one = run("extract", str(corpus), "--format", "jsonl", "--jobs", "1")
    two = run("extract", str(corpus), "--format", "jsonl", "--jobs", "2")
    assert one.returncode == two.returncode == 1  # the bad file, reported by both
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert len({json.loads(line)["article"] for line in one.stdout.splitlines()}) == 2 * len(
        sorted(TESTSET.rglob("*.md"))
    )


def test_build_with_two_jobs_is_byte_identical(corpus: Path, tmp_path: Path) -> None:
    (corpus / "a020-bad.md").unlink()
    config = tmp_path / "p.toml"
    config.write_text(f'[project]\ntitle = "Jobs"\ncorpus = ["{corpus}"]\n[[layers]]\nid = "towns"\ntitle = "Towns"\nkinds = ["city"]\n')  # fmt: skip
    for jobs in ("1", "2"):
        done = run("build", "--config", str(config), "--out", str(tmp_path / jobs), "--tiles", "none", "--jobs", jobs)  # fmt: skip
        assert done.returncode == 0, done.stderr
    for path in sorted((tmp_path / "1").rglob("*")):
        if path.is_file():
            assert (
                path.read_bytes()
                == (tmp_path / "2" / path.relative_to(tmp_path / "1")).read_bytes()
            ), path


def test_a_small_batch_is_parsed_in_this_process(corpus: Path) -> None:
    articles = [read_article(p) for p in sorted(corpus.glob("a00*.md"))[:3]]
    got = list(parse_all(articles, DEFAULT_FOCUS, jobs=4))
    assert [a.id for a, _ in got] == [a.id for a in articles]  # type: ignore[union-attr]


def test_jobs_must_be_positive() -> None:
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        list(parse_all([], DEFAULT_FOCUS, jobs=0))


_CACHED_RUN = """
import json, sys
from pathlib import Path
import bordermap.gazetteer as gazetteer
from bordermap.articles import iter_articles
from bordermap.cache import MentionCache
from bordermap.region import DEFAULT_FOCUS
from bordermap.workers import parse_all
cache = MentionCache(Path(sys.argv[1]), DEFAULT_FOCUS)
got = list(parse_all(iter_articles([sys.argv[2]]), DEFAULT_FOCUS, int(sys.argv[3]), cache))
rows = [m.as_dict() for _, ms in got for m in ms]
print(json.dumps({"loaded": gazetteer._LOADED is not None, "hits": cache.hits,
                  "misses": cache.misses, "rows": rows}))
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_mentions_all_from_the_cache_never_load_the_gazetteer(
    corpus: Path, tmp_path: Path, jobs: int
) -> None:
    (corpus / "a020-bad.md").unlink(missing_ok=True)
    folder = tmp_path / "mentions"

    def child() -> dict:
        done = subprocess.run(
            [sys.executable, "-c", _CACHED_RUN, str(folder), str(corpus), str(jobs)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(done.stdout)

    cold = child()  # an empty cache: every article parsed, the gazetteer loaded
    warm = child()
    assert cold["loaded"] and cold["misses"] == len(sorted(corpus.glob("*.md")))
    assert not warm["loaded"] and warm["misses"] == 0 and warm["hits"] == cold["misses"]
    assert warm["rows"] == cold["rows"]
