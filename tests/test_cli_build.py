"""``bordermap build`` through click's CliRunner: output line, bad project files and articles."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bordermap.cli import cli
from bordermap.export import ARTICLE_PROVENANCE

ROOT = Path(__file__).resolve().parents[1]


def test_cli_build_and_bad_project_file(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--config", str(ROOT / "bordermap.toml"),
                                 "--out", str(tmp_path / "o"), "--tiles", "none"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote 7 maps and 14 data files to {tmp_path / 'o'}\n"
    again = runner.invoke(cli, ["build", "--config", str(ROOT / "bordermap.toml"),
                                "--out", str(tmp_path / "o"), "--tiles", "none"])  # fmt: skip
    assert again.stdout == (
        f"kept 7 maps and 14 data files in {tmp_path / 'o'}: nothing changed since the last build\n"
    )
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


GOOD_ARTICLE = (
    "---\ntitle: Checkpoints\n---\nA 5G checkpoint in Dandong, across the Yalu from Sinuiju.\n"
)


def project_with(tmp_path: Path, files: dict[str, bytes], layers: str = "") -> Path:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    cfg = tmp_path / "p.toml"
    cfg.write_text('[project]\ntitle = "x"\ncorpus = ["articles"]\n' + layers)
    return cfg


def test_every_bad_article_is_listed_and_nothing_is_written(tmp_path: Path) -> None:
    cfg = project_with(
        tmp_path, {"a.md": b"\x00\x01binary", "b.md": b"", "c.md": GOOD_ARTICLE.encode()}
    )
    result = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    corpus = tmp_path / "articles"
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 2 bad articles (nothing was written; fix them, or build with --skip-bad to "
        f"leave them out):\n  {corpus / 'a.md'}: looks like a binary file, not a text article\n"
        f"  {corpus / 'b.md'}: the article is empty\n"
    )
    assert not (tmp_path / "output").exists()


def test_skip_bad_leaves_bad_articles_out_with_a_warning_each(tmp_path: Path) -> None:
    cfg = project_with(
        tmp_path, {"a.md": b"\x00\x01binary", "b.md": b"", "c.md": GOOD_ARTICLE.encode()}
    )
    result = CliRunner().invoke(
        cli, ["build", "--config", str(cfg), "--skip-bad", "--tiles", "none"]
    )
    corpus = tmp_path / "articles"
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"bordermap: skipped {corpus / 'a.md'}: looks like a binary file, not a text article",
        f"bordermap: skipped {corpus / 'b.md'}: the article is empty",
    ]
    manifest = (tmp_path / "output" / "manifest.json").read_text()
    assert '"id": "c"' in manifest


def test_a_layer_matching_nothing_warns_and_builds_empty(tmp_path: Path) -> None:
    layers = '[[layers]]\nid = "towns"\ntitle = "Towns"\nplaces = ["Dandon"]\ncountries = ["RU"]\n'
    cfg = project_with(tmp_path, {"c.md": GOOD_ARTICLE.encode()}, layers)
    result = CliRunner().invoke(cli, ["build", "--config", str(cfg), "--tiles", "none"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"bordermap: {cfg}: layer 'towns' matches nothing (places: no mention of \"Dandon\" (did you mean "
        '"Dandong"?); countries: no mention with "RU"); it is built empty\n'
    )
    out = tmp_path / "output"
    assert (out / "towns.html").exists()
    assert (out / "layers" / "towns.geojson").read_text() == (
        '{"type":"FeatureCollection","article_provenance":'
        + json.dumps(ARTICLE_PROVENANCE.format(layer="towns"))
        + ',"claim":"","title":"Towns","features":[\n]}\n'
    )


def test_unknown_kinds_and_country_codes_are_errors_listing_the_valid_ones(
    tmp_path: Path,
) -> None:
    for rule, message in (
        ('kinds = ["citty"]', "layers[0].kinds[0]: expected one of 'bridge', 'city', "),
        ('countries = ["cn"]', "layers[0].countries[0]: expected an ISO 3166-1 alpha-2 code"),
        ('countries = ["XX"]', "such as 'CN', 'KP', 'KR' or 'RU', got 'XX'\n"),
    ):
        folder = tmp_path / rule.split()[0] / rule[-4:-2]
        folder.mkdir(parents=True)
        layers = f'[[layers]]\nid = "towns"\ntitle = "Towns"\n{rule}\n'
        cfg = project_with(folder, {"c.md": GOOD_ARTICLE.encode()}, layers)
        result = CliRunner().invoke(cli, ["build", "--config", str(cfg), "--tiles", "none"])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and result.stderr.startswith("Error: ")
        assert len(result.stderr.splitlines()) == 1 and not (folder / "output").exists()
    ok = '[[layers]]\nid = "v"\ntitle = "V"\nkinds = ["village"]\n'
    ok += '[[places]]\nid = "q"\nname = "Quanhe"\nkind = "village"\ncountry = "CN"\n'
    ok += "lat = 42.566\nlon = 130.512\n"
    cfg = project_with(tmp_path, {"c.md": GOOD_ARTICLE.encode()}, ok)  # a project's own kind
    assert (
        CliRunner().invoke(cli, ["build", "--config", str(cfg), "--tiles", "none"]).exit_code == 0
    )


def test_a_typo_in_a_drawn_layer_warns_for_that_name(tmp_path: Path) -> None:
    layers = '[[layers]]\nid = "towns"\ntitle = "Towns"\nplaces = ["Dandong", "Sinuju"]\n'
    cfg = project_with(tmp_path, {"c.md": GOOD_ARTICLE.encode()}, layers)
    result = CliRunner().invoke(cli, ["build", "--config", str(cfg), "--tiles", "none"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"bordermap: {cfg}: layer 'towns': places: no mention of \"Sinuju\" passes the layer's rules "
        '(did you mean "Sinuiju"?); the layer is drawn without it\n'
    )
    towns = json.loads((tmp_path / "output" / "layers" / "towns.geojson").read_text())
    assert [f["properties"]["name"] for f in towns["features"]] == ["Dandong"]


def test_a_missing_corpus_path_is_a_project_file_error(tmp_path: Path) -> None:
    cfg = tmp_path / "p.toml"
    cfg.write_text('[project]\ntitle = "x"\ncorpus = ["nowhere"]\n')
    result = CliRunner().invoke(cli, ["build", "--config", str(cfg)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {cfg.resolve()}: project.corpus[0]: no such file or folder "
        f"{str((tmp_path / 'nowhere').resolve())!r}; corpus paths are relative to the project file\n"
    )


def test_a_removed_layer_leaves_no_files_behind(tmp_path: Path) -> None:
    two = '[[layers]]\nid = "towns"\ntitle = "Towns"\nplaces = ["Dandong"]\n'
    two += '[[layers]]\nid = "river"\ntitle = "River"\nplaces = ["Yalu"]\n'
    cfg = project_with(tmp_path, {"c.md": GOOD_ARTICLE.encode()}, two)
    out = tmp_path / "output"
    assert (
        CliRunner().invoke(cli, ["build", "--config", str(cfg), "--tiles", "none"]).exit_code == 0
    )
    assert (out / "river.html").exists() and (out / "layers" / "river.geojson").exists()
    (out / "my-notes.txt").write_text("kept")
    cfg.write_text(cfg.read_text().split('[[layers]]\nid = "river"')[0])
    assert (
        CliRunner().invoke(cli, ["build", "--config", str(cfg), "--tiles", "none"]).exit_code == 0
    )
    assert not (out / "river.html").exists() and not (out / "layers" / "river.geojson").exists()
    assert (out / "towns.html").exists() and (out / "my-notes.txt").read_text() == "kept"


def test_a_newline_in_the_project_file_name_keeps_the_error_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "two\nlines"
    folder.mkdir()
    bad = folder / "bad.toml"
    bad.write_text('[project]\ntitle = "x"\n[[layers]]\nid = "a"\ntitle = "A"\ncolor = 5\n')
    result = CliRunner().invoke(cli, ["build", "--config", str(bad), "--out", str(tmp_path / "b")])
    assert result.exit_code == 2
    shown = str(bad).replace("\n", "\\n")
    assert result.stderr == (
        f'Error: {shown}: layers[0].color: expected a colour like "#d62728", got 5\n'
    )


def test_bad_articles_list_one_line_per_article_whatever_their_names() -> None:
    from bordermap.errors import BadArticles

    lines = str(BadArticles(["a\nb.md: the article is empty", "c.md: looks like a binary file"]))
    assert lines.splitlines()[1:] == [
        "  a\\nb.md: the article is empty",
        "  c.md: looks like a binary file",
    ]


def test_a_within_focus_layer_whose_places_all_lie_outside_says_so(tmp_path: Path) -> None:
    layers = '[[layers]]\nid = "far"\ntitle = "Far"\nplaces = ["Dandong"]\nwithin_focus = true\n'
    cfg = project_with(tmp_path, {"c.md": GOOD_ARTICLE.encode()}, layers)
    cfg.write_text(cfg.read_text() + "[focus]\nbbox = [0.0, 0.0, 10.0, 10.0]\n")
    result = CliRunner().invoke(cli, ["build", "--config", str(cfg), "--tiles", "none"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"bordermap: {cfg}: layer 'far': every place it selects lies outside focus.bbox "
        "(within_focus); it is built empty\n"
    )
