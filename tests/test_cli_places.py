"""``bordermap places``: the corpus's places for review, as table, CSV and JSON Lines."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from click.testing import CliRunner

from bordermap.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "bordermap.toml"


def test_places_of_the_seeds_as_jsonl() -> None:
    result = CliRunner().invoke(cli, ["places", "--config", str(CONFIG), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in map(json.loads, result.stdout.splitlines())}
    dandong = rows["Dandong"]
    assert (dandong["kind"], dandong["precision"], dandong["country"]) == ("city", "town", "CN")
    assert dandong["articles"] == "001" and dandong["mentions"] == 7
    pyongyang = rows["Pyongyang"]
    assert "fuzzy" in pyongyang["match"] and pyongyang["score"] < 0.7  # "Pyongang" in seed 003
    assert rows["Philadelphia"]["runners_up"].startswith("Philadelphia (city, US, ")
    # The runners-up's scores are geocode's, beside the chosen place's score there.
    assert re.search(
        r", geocode score \d+\.\d\d vs \d+\.\d\d\)", rows["Philadelphia"]["runners_up"]
    )


def test_unresolved_and_low_confidence(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text(
        "Smugglers were seen near the Qqzzyx River and in Pyongang last week.\n"
    )
    config = tmp_path / "p.toml"
    config.write_text('[project]\ntitle = "P"\ncorpus = ["articles"]\n')
    runner = CliRunner()
    unresolved = runner.invoke(cli, ["places", "--config", str(config), "--show", "unresolved", "--format", "csv"])  # fmt: skip
    assert unresolved.exit_code == 0, unresolved.output
    rows = list(csv.DictReader(io.StringIO(unresolved.stdout)))
    assert [r["text"] for r in rows] == ["Qqzzyx River"]
    low = runner.invoke(cli, ["places", "--config", str(config), "--show", "low-confidence"])
    assert low.exit_code == 0, low.output
    assert "Pyongang" in low.stdout and low.stdout.endswith("1 low confidence\n")


def test_places_table_ends_with_a_count() -> None:
    result = CliRunner().invoke(cli, ["places", "--config", str(CONFIG)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["name", "kind", "precision"]
    assert result.stdout.rstrip().endswith(" places")


def test_unresolved_lists_what_reads_like_a_missed_place(tmp_path: Path) -> None:
    """A name the gazetteer lacks is flagged for review, with its sentence; resolved ones are not."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text(
        "---\nid: a\noutlet: Harbour Weekly\n---\n"
        "A trader who crosses at Zqwenhe told us about the fence near Hunchun.\n\n"
        "The photo is credited to Harbour Weekly. Visitors from the Vorlask observatory "
        "watched in May.\n"
    )
    config = tmp_path / "p.toml"
    config.write_text('[project]\ntitle = "P"\ncorpus = ["articles"]\n')
    result = CliRunner().invoke(
        cli, ["places", "--config", str(config), "--show", "unresolved", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["text"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(rows) == {"Zqwenhe", "Vorlask"}  # not Hunchun (found), the outlet, or May
    assert rows["Zqwenhe"]["why"] == "reads like a place; not in the gazetteer"
    assert rows["Zqwenhe"]["sentence"].startswith("A trader who crosses at Zqwenhe")
    assert rows["Vorlask"]["articles"] == "a"


def test_a_table_lists_three_articles_of_a_place_and_counts_the_rest(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    for n in range(5):
        (tmp_path / "articles" / f"a{n}.md").write_text(f"Trucks left Hyesan on day {n}.\n")
    config = tmp_path / "p.toml"
    config.write_text('[project]\ntitle = "P"\ncorpus = ["articles"]\n')
    table = CliRunner().invoke(cli, ["places", "--config", str(config)])
    assert table.exit_code == 0, table.output
    (hyesan,) = [x for x in table.stdout.splitlines() if x.startswith("Hyesan ")]
    assert " 5 " in hyesan and " a0; a1; a2 and 2 more " in hyesan
    rows = CliRunner().invoke(cli, ["places", "--config", str(config), "--format", "jsonl"])
    (row,) = [r for r in map(json.loads, rows.stdout.splitlines()) if r["name"] == "Hyesan"]
    assert row["articles"] == "a0; a1; a2; a3; a4"  # CSV and JSON Lines list them all
