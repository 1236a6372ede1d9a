"""``bordermap init``: a project of one's own that builds at once, never overwriting."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bordermap.cli import cli
from bordermap.config import load_config


def test_init_writes_a_project_that_builds(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote {folder / 'bordermap.toml'}",
        f"wrote {folder / 'articles' / 'example.md'}",
        f"wrote {folder / '.gitignore'}",
    ]
    assert (folder / ".gitignore").read_text() == "output/\n"
    config = load_config(folder / "bordermap.toml")
    assert config.corpus == ((folder / "articles").resolve(),)
    build = CliRunner().invoke(
        cli, ["build", "--config", str(folder / "bordermap.toml"), "--tiles", "none"]
    )
    assert build.exit_code == 0, build.output
    assert build.stderr == ""  # every rule of the starter layer matches the example article
    assert (folder / "output" / "crossings.html").exists()


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "bordermap.toml").write_text("# mine\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'bordermap.toml'}: a project file is already there; init never overwrites it\n"
    )
    assert (tmp_path / "bordermap.toml").read_text() == "# mine\n"


def test_init_keeps_an_existing_gitignore_and_articles(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "example.md").write_text("my own example")
    assert CliRunner().invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\noutput/\n"
    assert (tmp_path / "articles" / "example.md").read_text() == "my own example"


def test_the_starter_projects_commented_extents_are_valid_once_uncommented(tmp_path: Path) -> None:
    import re

    CliRunner().invoke(cli, ["init", str(tmp_path / "p")])
    toml = tmp_path / "p" / "bordermap.toml"
    text = toml.read_text("utf-8")
    start = text.index("# [extents]")
    block = text[start : text.index("\n\n", start)]
    toml.write_text(text.replace(block, re.sub(r"^# ", "", block, flags=re.M)), "utf-8")
    assert load_config(toml).extents == {"dandong-sinuiju": (124.2, 39.9, 124.6, 40.2)}
