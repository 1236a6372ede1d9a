"""``bordermap origins``: stated origins, and near-duplicates proposed with a derived_from line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bordermap.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_the_seeds_have_four_origins_for_five_articles() -> None:
    result = CliRunner().invoke(cli, ["origins", "--config", str(ROOT / "bordermap.toml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["5 articles, 4 origins", "  origin 003: 003, 004"]


def _project(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    story = " ".join(
        f"Trucks crossed the bridge at Sinuiju on day {i} of the month." for i in range(40)
    )
    (tmp_path / "a" / "one.md").write_text(f'---\nid: "one"\ndate: "2022-03"\n---\n{story}\n')
    retold = story.replace("day 7 ", "the seventh day ")
    (tmp_path / "a" / "two.md").write_text(f'---\nid: "two"\ndate: "2022-04"\n---\n{retold}\n')
    (tmp_path / "a" / "three.md").write_text("Something else entirely happened in Hyesan.\n")
    config = tmp_path / "p.toml"
    config.write_text('[project]\ntitle = "P"\ncorpus = ["a"]\n')
    return config


def test_a_near_duplicate_is_proposed_with_its_derived_from_line(tmp_path: Path) -> None:
    config = _project(tmp_path)
    result = CliRunner().invoke(cli, ["origins", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "3 articles, 3 origins"  # proposed, not merged
    pair = [x for x in result.stdout.splitlines() if x.startswith("  two ~ one")]
    assert len(pair) == 1 and pair[0].endswith(
        f'add to {tmp_path / "a" / "two.md"}: derived_from: "one"'
    )
    rows = [json.loads(x) for x in CliRunner().invoke(
        cli, ["origins", "--config", str(config), "--format", "jsonl"]).stdout.splitlines()]  # fmt: skip
    (p,) = [r for r in rows if "similarity" in r]
    assert (p["earlier"], p["later"], p["stated"]) == ("one", "two", False)
    assert 0.8 < p["similarity"] < 1


def test_a_bad_threshold_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["origins", "--config", str(_project(tmp_path)), "--threshold", "2"])  # fmt: skip
    assert result.exit_code == 2 and "--threshold" in result.output


def test_an_unknown_derived_from_id_is_said_once(tmp_path: Path) -> None:
    config = _project(tmp_path)
    three = tmp_path / "a" / "three.md"
    three.write_text("---\nderived_from: [nine]\n---\n" + three.read_text())
    result = CliRunner().invoke(cli, ["origins", "--config", str(config)])
    assert result.exit_code == 0, result.output
    said = [x for x in result.stderr.splitlines() if "no article 'nine'" in x]
    assert said == [
        f"bordermap: {three}: front matter derived_from: no article 'nine' in the corpus; ignored"
    ]
