"""The per-article mention cache: used when it can be, identical to a fresh parse, never fatal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bordermap.articles import Article, iter_articles
from bordermap.cache import MentionCache
from bordermap.errors import ArticleError
from bordermap.region import DEFAULT_FOCUS
from bordermap.workers import parse_all
from support import corpus_generator

ROOT = Path(__file__).resolve().parents[1]


corpus = corpus_generator()


def articles(folder: Path) -> list[Article]:
    out = []
    for item in iter_articles([folder / "articles"]):
        assert not isinstance(item, ArticleError)
        out.append(item)
    return out


def entries_only(folder: Path) -> None:
    """Remove the corpus mention file (bordermap.corpus_cache), which would otherwise
    serve every article of an unchanged corpus: the tests below are about the entries."""
    shutil.rmtree(folder / "corpora")


def rows(results: list[Any]) -> list[str]:
    return [json.dumps(m.as_dict(), sort_keys=True) for _, ms in results for m in ms]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, gazetteer: Any) -> Path:
    path = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(path, 20)
    return path


@pytest.fixture(scope="module")
def fresh(folder: Path) -> list[str]:
    """The mentions parsed without any cache."""
    return rows(list(parse_all(articles(folder), DEFAULT_FOCUS)))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_second_run_parses_nothing_and_gives_the_same_mentions(
    folder: Path, fresh: list[str], tmp_path: Path, jobs: int
) -> None:
    first = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(folder), DEFAULT_FOCUS, jobs, first))) == fresh
    assert (first.hits, first.misses) == (0, 20)
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(folder), DEFAULT_FOCUS, jobs, again))) == fresh
    assert (again.hits, again.misses) == (20, 0)


def test_a_grown_corpus_parses_only_its_new_articles(
    folder: Path, tmp_path: Path, gazetteer: Any
) -> None:
    grown = tmp_path / "grown"
    corpus.write_corpus(grown, 20)
    cache = MentionCache(tmp_path / "cache", DEFAULT_FOCUS)
    list(parse_all(articles(grown), DEFAULT_FOCUS, 1, cache))
    corpus.write_corpus(grown, 23)  # three more articles; the first twenty unchanged
    again = MentionCache(tmp_path / "cache", DEFAULT_FOCUS)
    cached = rows(list(parse_all(articles(grown), DEFAULT_FOCUS, 1, again)))
    assert (again.hits, again.misses) == (20, 3)
    assert cached == rows(list(parse_all(articles(grown), DEFAULT_FOCUS)))


def test_an_edited_article_or_another_focus_is_parsed_again(folder: Path, tmp_path: Path) -> None:
    one = articles(folder)[:2]
    cache = MentionCache(tmp_path, DEFAULT_FOCUS)
    list(parse_all(one, DEFAULT_FOCUS, 1, cache))
    edited = [one[0], Article(one[1].id, one[1].text + "\nTrucks left Dandong.\n", one[1].meta)]
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    found = list(parse_all(edited, DEFAULT_FOCUS, 1, again))
    assert (again.hits, again.misses) == (1, 1)
    assert found[1][1][-1].name == "Dandong"  # type: ignore[index]
    elsewhere = MentionCache(tmp_path, (0.0, 0.0, 10.0, 10.0))
    list(parse_all(one, (0.0, 0.0, 10.0, 10.0), 1, elsewhere))
    assert (elsewhere.hits, elsewhere.misses) == (0, 2)


def test_damaged_entries_are_ignored_and_rewritten(
    folder: Path, fresh: list[str], tmp_path: Path
) -> None:
    corpus_articles = articles(folder)
    cache = MentionCache(tmp_path, DEFAULT_FOCUS)
    list(parse_all(corpus_articles, DEFAULT_FOCUS, 1, cache))
    a, b, c, d = (cache.path(x) for x in corpus_articles[:4])
    a.write_bytes(a.read_bytes()[: len(a.read_bytes()) // 2])  # truncated
    b.write_bytes(b"\x00\xff not json")  # garbage
    c.write_bytes(d.read_bytes())  # another article's entry: does not fit
    d.write_text('{"sentences": [], "mentions": [[1]]}', "utf-8")  # valid JSON, wrong shape
    entries_only(tmp_path)
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(corpus_articles, DEFAULT_FOCUS, 1, again))) == fresh
    assert (again.hits, again.misses) == (16, 4)
    third = MentionCache(tmp_path, DEFAULT_FOCUS)
    list(parse_all(corpus_articles, DEFAULT_FOCUS, 1, third))
    assert (third.hits, third.misses) == (20, 0)  # rewritten


def test_a_cache_in_the_way_of_a_file_is_not_fatal(
    folder: Path, fresh: list[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    cache = MentionCache(blocker, DEFAULT_FOCUS)
    assert rows(list(parse_all(articles(folder), DEFAULT_FOCUS, 1, cache))) == fresh
    assert cache.misses == 20


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bordermap", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def _empty_cache(cache: Path) -> dict[str, str]:
    """The environment of a process whose mention cache is ``cache``, empty but for the
    gazetteer's index (linked in, not rebuilt)."""
    from bordermap.gazetteer import cache_path

    cache.mkdir()
    (cache / cache_path().name).symlink_to(cache_path())
    return {**os.environ, "BORDERMAP_CACHE": str(cache)}


def test_build_after_ten_new_articles_parses_ten_and_writes_what_a_fresh_build_writes(
    tmp_path: Path, gazetteer: Any
) -> None:
    project = corpus.write_corpus(tmp_path / "p", 30)
    env = _empty_cache(tmp_path / "cache")
    first = run("-v", "build", "--config", str(project), "--out", str(tmp_path / "a"), env=env)
    assert first.returncode == 0, first.stderr
    assert "geoparsed 30 articles, 0 more from the cache" in first.stderr
    project = corpus.write_corpus(tmp_path / "p", 40)
    grown = ("-v", "build", "--config", str(project), "--jobs", "2")
    second = run(*grown, "--out", str(tmp_path / "b"), env=env)
    assert second.returncode == 0, second.stderr
    assert "geoparsed 10 articles, 30 more from the cache" in second.stderr
    cold = run(*grown, "--no-cache", "--out", str(tmp_path / "c"), env=env)
    assert cold.returncode == 0, cold.stderr
    assert "from the cache" not in cold.stderr
    names = sorted(
        p.relative_to(tmp_path / "c") for p in (tmp_path / "c").rglob("*") if p.is_file()
    )
    assert len(names) > 5
    for name in names:
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name


def test_places_and_compare_read_the_mentions_a_build_cached(
    tmp_path: Path, gazetteer: Any
) -> None:
    project = corpus.write_corpus(tmp_path / "p", 12)
    env = _empty_cache(tmp_path / "cache")
    built = run("build", "--config", str(project), "--out", str(tmp_path / "o"), env=env)
    assert built.returncode == 0, built.stderr
    places = run("-v", "places", "--config", str(project), env=env)
    assert places.returncode == 0, places.stderr
    assert "geoparsed 0 articles, 12 more from the cache" in places.stderr
    again = run("-v", "places", "--no-cache", "--config", str(project), env=env)
    assert "from the cache" not in again.stderr and again.stdout == places.stdout
    layers = [line.split('"')[1] for line in project.read_text().splitlines()
              if line.startswith("id = ")][:2]  # fmt: skip
    out = tmp_path / "cmp.html"
    compared = run("-v", "compare", *layers, "--config", str(project), "-o", str(out), env=env)
    assert compared.returncode == 0, compared.stderr
    assert "geoparsed 0 articles, 12 more from the cache" in compared.stderr


def test_cached_mentions_share_the_strings_of_their_places(folder: Path, tmp_path: Path) -> None:
    cache = MentionCache(tmp_path / "m", DEFAULT_FOCUS)
    first = list(parse_all(articles(folder), DEFAULT_FOCUS, 1, cache))
    again = list(parse_all(articles(folder), DEFAULT_FOCUS, 1, cache))
    assert cache.hits == len(again) and rows(again) == rows(first)
    by_ref: dict[str, Any] = {}
    shared = 0
    for _, ms in again:
        for m in ms:
            if m.ref is None:
                continue
            seen = by_ref.setdefault(m.ref, m)
            if seen is not m:
                assert seen.name is m.name and seen.ref is m.ref and seen.kind is m.kind
                shared += 1
    assert shared > 0  # the corpus names places more than once


def _bent(entry: dict[str, Any], how: str) -> dict[str, Any]:
    """A real entry made wrong in one way that still parses as JSON."""
    if how == "negative index":
        entry["name"][0] = -1
    elif how == "index past the strings":
        entry["kind"][-1] = len(entry["strings"])
    elif how == "sentence past the sentences":
        entry["sentence"][0] = len(entry["sentences"])
    elif how == "a column shorter":
        entry["lat"] = entry["lat"][:-1]
    elif how == "a number among the strings":
        entry["strings"][0] = 7
    elif how == "a sentence that is no string":
        entry["sentences"][0] = None
    elif how == "offsets off by one":
        entry["start"] = [s + 1 for s in entry["start"]]
    elif how == "a column missing":
        del entry["ref"]
    return entry


@pytest.mark.parametrize(
    "how",
    ["negative index", "index past the strings", "sentence past the sentences", "a column shorter",
     "a number among the strings", "a sentence that is no string", "offsets off by one",
     "a column missing"],
)  # fmt: skip
def test_an_entry_of_the_wrong_layout_is_ignored_and_rewritten(
    folder: Path, fresh: list[str], tmp_path: Path, how: str
) -> None:
    corpus_articles = articles(folder)
    cache = MentionCache(tmp_path, DEFAULT_FOCUS)
    list(parse_all(corpus_articles, DEFAULT_FOCUS, 1, cache))
    path = cache.path(corpus_articles[3])
    good = path.read_bytes()
    entry = json.loads(good)
    assert entry["start"]  # the article names places
    path.write_text(json.dumps(_bent(entry, how)), "utf-8")
    entries_only(tmp_path)
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(corpus_articles, DEFAULT_FOCUS, 1, again))) == fresh
    assert (again.hits, again.misses) == (19, 1)
    assert path.read_bytes() == good  # rewritten as it was


def test_two_jobs_read_the_cache_here_and_parse_only_what_it_lacks(
    folder: Path, fresh: list[str], tmp_path: Path
) -> None:
    corpus_articles = articles(folder)
    cache = MentionCache(tmp_path, DEFAULT_FOCUS)
    list(parse_all(corpus_articles, DEFAULT_FOCUS, 1, cache))
    lacking = [corpus_articles[i] for i in (0, 7, 8, 19)]  # scattered over the chunks
    for article in lacking:
        cache.path(article).unlink()
    entries_only(tmp_path)
    again = MentionCache(tmp_path, DEFAULT_FOCUS)
    assert rows(list(parse_all(corpus_articles, DEFAULT_FOCUS, 2, again))) == fresh
    assert (again.hits, again.misses) == (16, 4)
    assert all(cache.path(a).exists() for a in lacking)  # stored by the workers
