"""The pipeline's parts: articles → mentions → layers and annotations, each on first use."""

from __future__ import annotations

from pathlib import Path

import pytest

from bordermap.config import load_config
from bordermap.errors import ArticleError, ConfigError, LayerError, UnknownLayerError
from bordermap.layers import Annotation, Layer
from bordermap.pipeline import Parts, extract_files, find_mentions, load, read_corpus
from bordermap.region import DEFAULT_FOCUS


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    write(
        corpus,
        "b.md",
        '---\nid: "b"\ntitle: "Bridge"\n---\nTrucks cross from Dandong to Sinuiju.\n',
    )
    write(corpus, "a.md", '---\nid: "a"\ntitle: "Market"\n---\nHyesan market is busy.\n')
    return write(
        tmp_path,
        "p.toml",
        '[project]\ntitle = "P"\ncorpus = ["articles"]\n'
        '[[layers]]\nid = "kp"\ntitle = "North Korean places"\ncountries = ["KP"]\n'
        '[[annotations]]\nid = "cams"\ntitle = "Cameras"\nline = "land"\nspacing_m = 5000\n'
        'articles = ["b"]\n',
    )


def test_parts_are_computed_on_first_use(tmp_path: Path, project: Path) -> None:
    parts = load(load_config(project))
    assert isinstance(parts, Parts) and vars(parts) == {
        "config": parts.config,
        "skip_bad": False,
        "jobs": 1,
        "cache": None,
        "tick": None,
    }
    assert parts.layer("cams").id == "cams"
    assert "mentions" not in vars(parts)  # an annotation needs no geoparsing
    assert list(parts.articles) == ["a", "b"]  # corpus order: files sorted by name
    layer = parts.layer("kp")
    assert isinstance(layer, Layer) and [f.name for f in layer.features] == ["Hyesan", "Sinuiju"]
    assert parts.layers["kp"] is layer and parts.mentions is parts.mentions


def test_layer_and_annotation_by_id(project: Path) -> None:
    parts = load(load_config(project))
    assert isinstance(parts.layer("cams"), Annotation)
    assert parts.layer("cams") is parts.annotations["cams"]
    with pytest.raises(UnknownLayerError) as caught:
        parts.layer("nope")
    assert isinstance(caught.value, LayerError)
    assert str(caught.value) == "unknown layer 'nope' in p.toml (known: cams, kp)"


def test_mentions_in_corpus_then_text_order(project: Path) -> None:
    parts = load(load_config(project))
    assert [(m.article, m.text) for m in parts.mentions] == [
        ("a", "Hyesan"), ("b", "Dandong"), ("b", "Sinuiju"),
    ]  # fmt: skip
    assert find_mentions(parts.articles.values(), DEFAULT_FOCUS) == parts.mentions


def test_a_missing_corpus_is_raised_when_the_articles_are_asked_for(tmp_path: Path) -> None:
    cfg = write(tmp_path, "p.toml", '[project]\ntitle = "P"\ncorpus = ["missing"]\n')
    parts = load(load_config(cfg))
    with pytest.raises(ConfigError, match=r"project.corpus\[0\]: no such file or folder"):
        _ = parts.articles


def test_a_bad_article_is_raised_when_the_articles_are_asked_for(tmp_path: Path) -> None:
    cfg = write(tmp_path, "p.toml", '[project]\ntitle = "P"\ncorpus = ["articles"]\n')
    (tmp_path / "articles").mkdir()
    write(tmp_path / "articles", "a.md", "")
    parts = load(load_config(cfg))
    with pytest.raises(ArticleError, match="a.md: the article is empty"):
        _ = parts.articles


def test_duplicated_article_ids(tmp_path: Path) -> None:
    one = write(tmp_path, "one.md", '---\nid: "x"\n---\nHyesan.\n')
    two = write(tmp_path, "two.md", '---\nid: "x"\n---\nManpo.\n')
    with pytest.raises(ArticleError) as caught:
        read_corpus([tmp_path])
    assert str(caught.value) == f"{two}: article id 'x' is also used by {one}"


def test_a_front_matter_key_meant_for_another_is_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(3):
        write(tmp_path, f"{n}.md", f"---\nDate: 2021-0{n + 1}\ncolour: red\n---\nHyesan.\n")
    write(tmp_path, "3.md", "---\nsource: Daily NK\n---\nManpo.\n")
    with caplog.at_level("WARNING", logger="bordermap"):
        assert len(read_corpus([tmp_path])) == 4
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / '0.md'} (and 2 more articles): front matter key 'Date' is not one "
        "bordermap reads; did you mean 'date'?",
        f"{tmp_path / '3.md'}: front matter key 'source' is not one bordermap reads; "
        "did you mean 'outlet'?",
    ]


def test_extract_files_yields_errors_in_place(tmp_path: Path) -> None:
    good = write(tmp_path, "good.md", "Hyesan market.")
    empty = write(tmp_path, "empty.md", "")
    items = list(extract_files([empty, good]))
    assert isinstance(items[0], ArticleError) and str(items[0]) == f"{empty}: the article is empty"
    article, mentions = items[1]
    assert article.id == "good" and [m.text for m in mentions] == ["Hyesan"]
