"""benchmarks/corpus.py: the same corpus every time, grown corpora add files, a valid project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from bordermap.articles import read_article
from bordermap.config import load_config
from support import corpus_generator

ROOT = Path(__file__).resolve().parents[1]


corpus = corpus_generator()


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def test_same_arguments_same_bytes_and_a_grown_corpus_keeps_its_articles(
    tmp_path: Path, gazetteer: Any
) -> None:
    corpus.write_corpus(tmp_path / "a", 12)
    corpus.write_corpus(tmp_path / "b", 12)
    corpus.write_corpus(tmp_path / "c", 15)
    corpus.write_corpus(tmp_path / "d", 12, seed=1)
    a, b, c, d = (files(tmp_path / x) for x in "abcd")
    assert a == b and len(a) == 12
    assert {k: v for k, v in c.items() if k in a} == a and len(c) == 15
    assert d != a


def test_articles_are_news_sized_with_front_matter_and_border_places(
    tmp_path: Path, gazetteer: Any
) -> None:
    project = corpus.write_corpus(tmp_path, 5)
    config = load_config(project)
    assert list(config.corpus) == [tmp_path / "articles"]
    assert "checkpoints" in config.layer_ids
    border, world = corpus._places()
    assert len(border) > 500 and len(world) > 1000
    for path in sorted((tmp_path / "articles").rglob("*.md")):
        article = read_article(path)
        assert article.id == path.stem
        assert {"id", "title", "outlet", "date", "url"} <= set(article.meta)
        assert 5000 <= len(article.text.encode()) <= 7000
        assert sum(name in article.text for name in border) >= 10


def test_the_command_line(tmp_path: Path, gazetteer: Any) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(tmp_path), "--articles", "3"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wrote 3 articles" in done.stderr
    assert len(files(tmp_path)) == 3 and (tmp_path / "bordermap.toml").is_file()
