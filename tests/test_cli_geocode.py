"""``bordermap geocode`` through click's CliRunner."""

from __future__ import annotations

from click.testing import CliRunner

from bordermap.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_geocode_ranks_with_reasons() -> None:
    result = run("geocode", "Donggang", "--near", "Kaohsiung", "--limit", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Donggang:"
    assert "(city, TW)" in lines[1] and "km from Kaohsiung" in lines[1]
    assert "(city, CN)" in lines[2]


def test_geocode_unknown_names() -> None:
    result = run("geocode", "Qqzzyx")
    assert result.exit_code == 1
    assert result.stderr == "Qqzzyx: no place of that name in the gazetteer\n"
    result = run("geocode", "Dandong", "--near", "Qqzzyx")
    assert result.exit_code == 2
    assert "Invalid value for '--near': 'Qqzzyx' is not a place the gazetteer knows" in (
        result.stderr
    )
