"""The corpus mention file: one file read instead of an entry per article, never wrong.

Real corpora (``benchmarks/corpus.py``), real caches in temporary folders and
real builds: a rebuild after the corpus grew, changed in the middle, lost an
article, had a file touched but not changed, or had a file changed within the
same second (same size, same modification time) writes exactly what a cold
build writes into an empty folder with no cache; a damaged corpus file is
ignored and written again. Blocks are made small here (``BLOCK``) so that a
corpus of a few dozen articles has several.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import bordermap.corpus_cache as corpus_cache
from bordermap.articles import Article, iter_articles
from bordermap.build import build
from bordermap.cache import MentionCache
from bordermap.config import load_config
from bordermap.corpus_cache import CorpusMentions
from bordermap.errors import ArticleError
from bordermap.pipeline import load
from bordermap.region import DEFAULT_FOCUS
from bordermap.workers import parse_all
from support import corpus_generator

corpus = corpus_generator()


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus_cache, "BLOCK", 4)


def articles(folder: Path) -> list[Article]:
    out = []
    for item in iter_articles([folder / "articles"]):
        assert not isinstance(item, ArticleError)
        out.append(item)
    return out


def rows(results: list[Any]) -> list[str]:
    return [json.dumps(m.as_dict(), sort_keys=True) for _, ms in results for m in ms]


def corpus_files(cache: Path) -> list[Path]:
    return sorted((cache / "corpora").glob("*.mentions"))


def without_entries(cache: Path) -> None:
    """Remove every per-article entry, so that only the corpus file can serve."""
    for sub in cache.iterdir():
        if sub.is_dir() and sub.name != "corpora":
            shutil.rmtree(sub)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, gazetteer: Any) -> Path:
    path = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(path, 22)
    return path


@pytest.fixture(scope="module")
def fresh(base: Path) -> list[str]:
    return rows(list(parse_all(articles(base), DEFAULT_FOCUS)))


def test_the_corpus_file_serves_an_unchanged_corpus_and_is_not_rewritten(
    base: Path, fresh: list[str], tmp_path: Path
) -> None:
    first = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(base), DEFAULT_FOCUS, 1, first))) == fresh
    [file] = corpus_files(tmp_path)
    stat = file.stat()
    without_entries(tmp_path)
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(base), DEFAULT_FOCUS, 1, again))) == fresh
    assert (again.hits, again.misses) == (22, 0)  # all from the one file
    assert (file.stat().st_ino, file.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_grown_corpus_copies_the_whole_blocks_and_encodes_the_rest(
    base: Path, tmp_path: Path, jobs: int
) -> None:
    grown = tmp_path / "grown"
    shutil.copytree(base, grown)
    cache = tmp_path / "cache"
    list(parse_all(articles(grown), DEFAULT_FOCUS, 1, MentionCache(cache, DEFAULT_FOCUS)))
    [file] = corpus_files(cache)
    old = file.read_bytes()
    corpus.write_corpus(grown, 25)
    without_entries(cache)  # the old articles can only come from the corpus file
    again = MentionCache(cache, DEFAULT_FOCUS)
    found = rows(list(parse_all(articles(grown), DEFAULT_FOCUS, jobs, again)))
    assert found == rows(list(parse_all(articles(grown), DEFAULT_FOCUS)))
    assert (again.hits, again.misses) == (22, 3)
    # 22 articles were five blocks of four and one of two: the five are copied as
    # they were, the last two are encoded again with the three new ones.
    new = file.read_bytes()
    index = json.loads(new.splitlines()[-2])
    assert [len(b["keys"]) for b in index["blocks"]] == [4, 4, 4, 4, 4, 4, 1]
    for block in index["blocks"][:5]:
        data = new[block["offset"] : block["offset"] + block["length"]]
        assert data in old
    third = MentionCache(cache, DEFAULT_FOCUS)
    without_entries(cache)
    assert rows(list(parse_all(articles(grown), DEFAULT_FOCUS, 1, third))) == found
    assert (third.hits, third.misses) == (25, 0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_edited_removed_or_moved_article_is_not_taken_from_the_file(
    base: Path, tmp_path: Path, jobs: int
) -> None:
    folder = tmp_path / "c"
    shutil.copytree(base, folder)
    cache = tmp_path / "cache"
    list(parse_all(articles(folder), DEFAULT_FOCUS, 1, MentionCache(cache, DEFAULT_FOCUS)))
    paths = [Path(a.path) for a in articles(folder)]
    paths[9].write_text(paths[9].read_text("utf-8") + "\nTrucks left Dandong.\n", "utf-8")
    paths[14].unlink()
    moved = articles(folder)
    moved = moved[:3] + moved[12:] + moved[3:12]  # blocks out of their order
    again = MentionCache(cache, DEFAULT_FOCUS)
    # With two jobs the edited one is known to be missing before anything is read
    # (CorpusMentions.missing) and parsed by a worker meanwhile.
    assert CorpusMentions(MentionCache(cache, DEFAULT_FOCUS)).missing(moved) == [
        a for a in moved if a.path == str(paths[9])
    ]
    found = list(parse_all(moved, DEFAULT_FOCUS, jobs, again))
    assert rows(found) == rows(list(parse_all(moved, DEFAULT_FOCUS)))
    assert (again.hits, again.misses) == (20, 1)  # the edited one is parsed again
    edited = next(ms for a, ms in found if a.path == str(paths[9]))  # type: ignore[misc]
    assert edited[-1].name == "Dandong"


@pytest.mark.parametrize(
    "how", ["truncated", "a block's byte changed", "garbage", "the index's byte changed", "empty"]
)
def test_a_damaged_corpus_file_is_ignored_and_written_again(
    base: Path, fresh: list[str], tmp_path: Path, how: str
) -> None:
    list(parse_all(articles(base), DEFAULT_FOCUS, 1, MentionCache(tmp_path, DEFAULT_FOCUS)))
    [file] = corpus_files(tmp_path)
    data = bytearray(file.read_bytes())
    index = json.loads(bytes(data).splitlines()[-2])
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "a block's byte changed":
        at = index["blocks"][2]["offset"] + 40
        data[at] = ord("7") if data[at] != ord("7") else ord("8")
    elif how == "garbage":
        data = bytearray(b"\x00\xff not a corpus file")
    elif how == "the index's byte changed":
        at = data.rindex(b'"sha256"', 0, len(data) - 200)
        data[at + 12] = ord("0") if data[at + 12] != ord("0") else ord("1")
    else:
        data = bytearray()
    file.write_bytes(bytes(data))
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(base), DEFAULT_FOCUS, 1, again))) == fresh
    assert again.misses == 0  # the entries are still there
    without_entries(tmp_path)
    third = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(base), DEFAULT_FOCUS, 1, third))) == fresh
    assert (third.hits, third.misses) == (22, 0)  # written again, whole


def test_a_damaged_block_found_only_when_read_is_parsed_again_with_two_jobs(
    base: Path, fresh: list[str], tmp_path: Path
) -> None:
    list(parse_all(articles(base), DEFAULT_FOCUS, 1, MentionCache(tmp_path, DEFAULT_FOCUS)))
    [file] = corpus_files(tmp_path)
    data = bytearray(file.read_bytes())
    index = json.loads(bytes(data).splitlines()[-2])
    at = index["blocks"][2]["offset"] + 40  # its key is in the index: "not missing"
    data[at] = ord("7") if data[at] != ord("7") else ord("8")
    file.write_bytes(bytes(data))
    without_entries(tmp_path)
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert CorpusMentions(MentionCache(tmp_path, DEFAULT_FOCUS)).missing(articles(base)) == []
    assert rows(list(parse_all(articles(base), DEFAULT_FOCUS, 2, again))) == fresh
    assert (again.hits, again.misses) == (8, 14)  # two blocks of four, then the rest


def test_a_corpus_file_of_another_focus_is_not_used(base: Path, tmp_path: Path) -> None:
    list(parse_all(articles(base), DEFAULT_FOCUS, 1, MentionCache(tmp_path, DEFAULT_FOCUS)))
    elsewhere = (124.0, 39.0, 126.0, 41.0)
    other = MentionCache(tmp_path, elsewhere)
    found = rows(list(parse_all(articles(base), elsewhere, 1, other)))
    assert (other.hits, other.misses) == (0, 22)
    assert found == rows(list(parse_all(articles(base), elsewhere)))
    assert len(corpus_files(tmp_path)) == 2


def test_a_corpus_file_that_cannot_be_written_is_no_failure(
    base: Path, fresh: list[str], tmp_path: Path
) -> None:
    cache = MentionCache(tmp_path, DEFAULT_FOCUS)
    (tmp_path / "corpora").write_text("a file where the folder should be", "utf-8")
    assert rows(list(parse_all(articles(base), DEFAULT_FOCUS, 1, cache))) == fresh
    assert not list(tmp_path.glob("corpora/*")) and not list(tmp_path.glob(".corpus-*"))


# Rebuilds: the same bytes as a cold build into an empty folder with no cache.


def outputs(out: Path) -> dict[str, bytes]:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    files = {f["path"]: (out / f["path"]).read_bytes() for f in manifest["files"]}
    return files | {"manifest.json": (out / "manifest.json").read_bytes()}


def _grow(folder: Path) -> None:
    corpus.write_corpus(folder, 24)


def _edit_middle(folder: Path) -> None:
    path = corpus.article_path(folder, 7)
    path.write_text(path.read_text("utf-8") + "\nTrucks left Dandong for Sinuiju.\n", "utf-8")


def _lose_one(folder: Path) -> None:
    corpus.article_path(folder, 12).unlink()


def _touch(folder: Path) -> None:
    path = corpus.article_path(folder, 5)
    path.write_bytes(path.read_bytes())  # the same bytes, a new modification time
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))


def _same_second(folder: Path) -> None:
    # Another text of the same size, the modification time set back as it was: what a
    # tool that trusted sizes and times would miss.
    path = corpus.article_path(folder, 3)
    before = path.stat()
    text = path.read_text("utf-8")
    changed = text[::-1].replace("a", "e", 3)[::-1]  # in the body, near its end
    assert changed != text and len(changed) == len(text)
    path.write_text(changed, "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize(
    "change",
    [_grow, _edit_middle, _lose_one, _touch, _same_second],
    ids=["grew", "changed in the middle", "lost an article", "touched", "changed in a second"],
)
def test_a_rebuild_writes_what_a_cold_build_writes(base: Path, tmp_path: Path, change: Any) -> None:
    folder = tmp_path / "c"
    shutil.copytree(base, folder)
    project = folder / "bordermap.toml"
    text = project.read_text("utf-8")
    cache, out, cold = tmp_path / "cache", tmp_path / "out", tmp_path / "cold"

    def parts(with_cache: bool) -> Any:
        config = load_config(project)
        return load(config, cache=MentionCache(cache, config.focus) if with_cache else None)

    build(parts(True), out, tiles="none")
    change(folder)
    project.write_text(text, "utf-8")  # the project file as it was (its title names the size)
    rebuilt = parts(True)
    build(rebuilt, out, tiles="none")
    build(parts(False), cold, tiles="none")
    warm, fresh = outputs(out), outputs(cold)
    assert sorted(warm) == sorted(fresh)
    assert [n for n in warm if warm[n] != fresh[n]] == []
    changed = {_grow: 2, _edit_middle: 1, _lose_one: 0, _touch: 0, _same_second: 1}[change]
    assert rebuilt.cache.misses == changed  # only new or changed articles were parsed


def test_a_killed_runs_unfinished_file_is_swept_and_a_live_one_kept(
    base: Path, fresh: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "corpora"
    folder.mkdir()
    dead, live = folder / ".corpus-dead.tmp", folder / ".corpus-live.tmp"
    dead.write_bytes(b"half a file")
    live.write_bytes(b"being written")
    hours_ago = dead.stat().st_mtime - 2 * corpus_cache.STALE_SECONDS
    os.utime(dead, (hours_ago, hours_ago))
    cache = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(base), DEFAULT_FOCUS, 1, cache))) == fresh
    assert not dead.exists() and live.exists()  # the next corpus file's writer swept it
    assert len(corpus_files(tmp_path)) == 1
