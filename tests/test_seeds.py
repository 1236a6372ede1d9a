"""Every place the five seed digests name is found and resolved, with no false positive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bordermap.articles import article_paths, read_article
from bordermap.evaluate import score_article
from bordermap.geoparse import extract

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "tests/data/seeds_gold.json").read_text("utf-8"))
SEEDS = article_paths(ROOT / "seeds")


def test_there_are_five_seed_digests() -> None:
    assert [read_article(p).id for p in SEEDS] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_places_found_and_resolved(path: Path, gazetteer) -> None:
    article = read_article(path)
    mentions = extract(article, gazetteer)
    score = score_article(article.id, article.text, mentions, GOLD[article.id])
    assert score.errors == []
    assert score.fn == 0 and score.fp == 0 and score.tp > 0


def test_misspelt_pyongyang_resolves_with_lower_confidence(gazetteer) -> None:
    article = read_article(next(p for p in SEEDS if p.name.startswith("003")))
    by_text = {m.text: m for m in extract(article, gazetteer)}
    assert by_text["Pyongang"].name == "Pyongyang"
    assert by_text["Pyongang"].match == "fuzzy"
    assert by_text["Pyongang"].score < by_text["Nampo"].score
