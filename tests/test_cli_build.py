"""``bordermap build`` through click's CliRunner: output line, bad project files and articles."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bordermap.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_cli_build_and_bad_project_file(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--config", str(ROOT / "bordermap.toml"),
                                 "--out", str(tmp_path / "o"), "--tiles", "none"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote 7 maps and 10 data files to {tmp_path / 'o'}\n"
    bad = tmp_path / "bad.toml"
    bad.write_text('[project]\ntitle = "x"\n[[layers]]\nid = "a"\ntitle = "A"\ncolor = 5\n')
    result = runner.invoke(cli, ["build", "--config", str(bad), "--out", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert (
        result.stderr == f'Error: {bad}: layers[0].color: expected a colour like "#d62728", got 5\n'
    )
    assert not (tmp_path / "b").exists()


def test_bad_article_in_corpus_fails_cleanly(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.md").write_bytes(b"\x00\x01binary")
    cfg = tmp_path / "p.toml"
    cfg.write_text('[project]\ntitle = "x"\ncorpus = ["articles"]\n')
    result = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {corpus / 'a.md'}: looks like a binary file, not a text article\n"
    )
    assert not (tmp_path / "output").exists()
