"""What a project file names that its corpus lacks warns, one line each (bordermap.references)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bordermap.config import load_config
from bordermap.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (ROOT / "bordermap.toml").read_text("utf-8")


def _warnings(tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    project = tmp_path / "bordermap.toml"
    project.write_text(text.replace('corpus = ["seeds"]', f'corpus = ["{ROOT / "seeds"}"]'),
                       "utf-8")  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="bordermap"):
        assert load(load_config(project)).layers is not None
    return [r.getMessage() for r in caplog.records]


def test_the_seeds_project_names_nothing_its_corpus_lacks(tmp_path: Path, caplog) -> None:
    assert 'corpus = ["seeds"]' in SEEDS
    assert _warnings(tmp_path, SEEDS, caplog) == []


def test_each_typo_is_one_line_naming_the_key_and_the_nearest_value(tmp_path: Path, caplog) -> None:
    text = (
        SEEDS.replace('articles = ["003", "004"]', 'articles = ["003", "04"]')
        .replace('Dandong = "Described', 'Dandongg = "Described')
        .replace('places = ["Tonghua", "Dandong"]\nperiod', 'places = ["Tonghwa", "Dandong"]\nperiod')
        + '\n[[corrections]]\ntext = "Sinuju"\nexclude = true\n'
        + '\n[[corrections]]\ntext = "Dandong"\narticles = ["001", "009"]\nlat = 40.13\nlon = 124.39\n'
    )  # fmt: skip
    lines = _warnings(tmp_path, text, caplog)
    assert (
        'bordermap.toml: corrections[0].text: no mention "Sinuju" in any article (did you mean "Sinuiju"?); the exclusion drops nothing'
        in lines
    )
    assert (
        'bordermap.toml: layers[3].articles[1]: no article "04" in the corpus (did you mean "004"?); it selects nothing'
        in lines
    )
    assert (
        'bordermap.toml: corrections[1].articles[1]: no article "009" in the corpus (did you mean "004"?); it selects nothing'
        in lines
    )
    assert (
        'bordermap.toml: claims[2].places[0]: no mention of "Tonghwa" in the corpus (did you mean "Tonghua"?); the claim is on no place there'
        in lines
    )
    assert (
        'bordermap.toml: layers[1].notes: no mention of "Dandongg" in the corpus (did you mean "Dandong"?); its note is shown nowhere'
        in lines
    )
    # The correction that pins Dandong in 001 did something: it does not warn.
    assert not any("corrections[1].text" in line for line in lines)


def test_a_pin_whose_text_stands_nowhere_says_so(tmp_path: Path, caplog) -> None:
    text = SEEDS + '\n[[corrections]]\ntext = "Sinuju"\nlat = 40.1\nlon = 124.4\n'
    assert _warnings(tmp_path, text, caplog) == [
        'bordermap.toml: corrections[0].text: "Sinuju" stands in no article (did you mean '
        '"Sinuiju"?); the correction changes nothing'
    ]


def test_a_hint_among_many_values_looks_at_their_neighbours() -> None:
    from bordermap.references import Nearest

    ids = [f"c{i:06d}" for i in range(100_000)]
    nearest = Nearest(ids)
    # A digit left out: the hint is an id that, with one of its characters left out, is it.
    said = nearest.hint("c04217").removeprefix(' (did you mean "').removesuffix('"?)')
    assert said in ids and any(said[:k] + said[k + 1 :] == "c04217" for k in range(len(said)))
    assert nearest.hint("x012345") == ' (did you mean "c012345"?)'  # its first letter wrong
    assert Nearest(["Hyesan", "Hoeryong"]).hint("Hyesna") == ' (did you mean "Hyesan"?)'
