"""What a project file names that its corpus lacks warns, one line each (bordermap.references)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bordermap.config import load_config
from bordermap.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (ROOT / "bordermap.toml").read_text("utf-8")


def _warnings(
    tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture, name: str = "bordermap.toml"
) -> list[str]:
    """The warnings of building ``text``, its file named ``name`` from ``tmp_path`` (as the
    CLI names it by default: ``bordermap.toml``, in the project's folder)."""
    project = tmp_path / "bordermap.toml"
    project.write_text(text.replace('corpus = ["seeds"]', f'corpus = ["{ROOT / "seeds"}"]'),
                       "utf-8")  # fmt: skip
    with pytest.MonkeyPatch.context() as mp, caplog.at_level(logging.WARNING, logger="bordermap"):
        mp.chdir(tmp_path)
        assert load(load_config(name)).layers is not None
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


def test_a_pin_found_only_inside_a_longer_place_of_the_project_says_so(tmp_path, caplog) -> None:
    # "Yalu" stands once in the seeds, in "Yalu River", which the project names a place:
    # the longer name takes the span, so the pin changes nothing.
    text = SEEDS + (
        '\n[[places]]\nid = "yalu"\nname = "Yalu River"\nkind = "river"\nlat = 40.1\n'
        'lon = 124.4\n\n[[corrections]]\ntext = "Yalu"\nlat = 40.0\nlon = 124.3\n'
    )
    assert _warnings(tmp_path, text, caplog) == [
        'bordermap.toml: corrections[0].text: "Yalu" stands only inside "Yalu River", a '
        "longer name the project file gives a place to; the correction changes nothing"
    ]


def test_a_hint_among_many_values_looks_at_their_neighbours() -> None:
    from bordermap.hints import Nearest

    ids = [f"c{i:06d}" for i in range(100_000)]
    nearest = Nearest(ids)
    # A digit left out: the hint is an id that, with one of its characters left out, is it.
    said = nearest.hint("c04217").removeprefix(' (did you mean "').removesuffix('"?)')
    assert said in ids and any(said[:k] + said[k + 1 :] == "c04217" for k in range(len(said)))
    assert nearest.hint("x012345") == ' (did you mean "c012345"?)'  # its first letter wrong
    assert Nearest(["Hyesan", "Hoeryong"]).hint("Hyesna") == ' (did you mean "Hyesan"?)'


def test_a_claim_its_layer_draws_on_no_feature_warns_naming_the_claim(tmp_path, caplog) -> None:
    # Dandong is in the corpus (no typo), but the upgrades layer keeps only North Korean
    # towns: the legend would list the claim under the layer, and no feature carries it.
    text = SEEDS + (
        '\n[[claims]]\nid = "fence-dandong"\ntext = "A fence went up."\nlayer = "upgrades"\n'
        'places = ["Dandong"]\n[[claims.sources]]\narticle = "001"\n'
    )
    assert _warnings(tmp_path, text, caplog) == [
        'bordermap.toml: claims[6].places: claim "fence-dandong" is drawn on no feature of '
        'layer "upgrades": its places (Dandong) are not among the layer\'s features; add them '
        "to the layer's rules or fix the claim's places"
    ]
    features = load(load_config(tmp_path / "bordermap.toml")).layers["upgrades"].features
    assert not any("fence-dandong" in f.claim_props["claims"] for f in features)


def test_a_correction_in_an_unknown_article_names_the_id_and_never_suggests_itself(
    tmp_path, caplog
) -> None:
    text = SEEDS + '\n[[corrections]]\ntext = "Dandong"\narticles = ["0011"]\nexclude = true\n'
    assert _warnings(tmp_path, text, caplog) == [
        'bordermap.toml: corrections[0].text: no mention "Dandong" in any article of 0011, '
        "but in 001; the exclusion drops nothing",
        'bordermap.toml: corrections[0].articles[0]: no article "0011" in the corpus '
        '(did you mean "001"?); it selects nothing',
    ]


def test_a_hint_is_never_the_value_itself() -> None:
    from bordermap.hints import Nearest

    assert Nearest(["Gan", "Gans"]).hint("Gan") == ' (did you mean "Gans"?)'
    assert Nearest(["Gan"]).hint("Gan") == ""
    many = Nearest([f"c{i:05d}" for i in range(3000)] + ["Gan", "Gans"])  # neighbours only
    assert many.hint("Gan") == ' (did you mean "Gans"?)'


def test_warnings_name_the_file_as_it_was_named_as_errors_do(tmp_path, caplog) -> None:
    named = str(tmp_path / "bordermap.toml")
    text = SEEDS.replace('articles = ["003", "004"]', 'articles = ["003", "04"]')
    assert _warnings(tmp_path, text, caplog, name=named) == [
        f'{named}: layers[3].articles[1]: no article "04" in the corpus (did you mean "004"?); '
        "it selects nothing"
    ]
