"""Rebuilds: what did not change is taken from the last build, and the bytes are a cold build's.

A corpus grows at its end (ten more articles, as an archive does); the
rebuild into the same folder must write exactly the files a build into an
empty folder writes, while taking the unchanged pages as they are and
continuing mentions.csv and places.csv instead of writing them again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import bordermap.build
from bordermap.build import build
from bordermap.config import load_config
from bordermap.pipeline import load
from bordermap.reuse import INPUTS
from support import corpus_generator


def outputs(out: Path) -> dict[str, bytes]:
    """Every file the manifest lists, and the manifest, by name."""
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    files = {f["path"]: (out / f["path"]).read_bytes() for f in manifest["files"]}
    return files | {"manifest.json": (out / "manifest.json").read_bytes()}


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A build of 30 generated articles, then a rebuild into it after 5 more, and a cold build."""
    corpus = corpus_generator()
    root = tmp_path_factory.mktemp("grown")
    small = corpus.write_corpus(root / "c", 30)
    out, cold = root / "out", root / "cold"
    build(load(load_config(small)), out, tiles="none")
    before = {p.name: p.stat().st_ino for p in out.glob("*.html")}
    written: list[int] = []
    real = bordermap.build.write_mentions_csv

    def counting(results: Any, *args: Any, **kwargs: Any) -> int:
        count = real(results, *args, **kwargs)
        written.append(count)
        return count

    mp = pytest.MonkeyPatch()
    mp.setattr(bordermap.build, "write_mentions_csv", counting)  # the real writer, counted
    try:
        project = small.read_text("utf-8")
        big = corpus.write_corpus(root / "c", 35)
        big.write_text(project, "utf-8")  # the same project file (its title names the size)
        parts = load(load_config(big))
        build(parts, out, tiles="none")
    finally:
        mp.undo()
    build(load(load_config(big)), cold, tiles="none")
    return {"out": out, "cold": cold, "before": before, "written": written, "parts": parts}


def test_a_rebuild_after_more_articles_is_byte_identical_to_a_cold_build(grown) -> None:
    warm, cold = outputs(grown["out"]), outputs(grown["cold"])
    assert sorted(warm) == sorted(cold)
    assert [n for n in warm if warm[n] != cold[n]] == []
    assert (grown["out"] / INPUTS).read_bytes() == (grown["cold"] / INPUTS).read_bytes()
    assert INPUTS not in warm  # a record of the inputs, not an output


def test_the_rebuild_continues_the_mention_tables(grown) -> None:
    parts = grown["parts"]
    new = list(parts.articles)[30:]
    assert len(new) == 5
    # Only the new articles' mentions were written; the rest came from the last file.
    assert grown["written"] == [sum(1 for m in parts.mentions if m.article in new)]


def test_unchanged_pages_are_taken_as_they_were(grown, tmp_path: Path) -> None:
    out, before = grown["out"], grown["before"]
    assert (out / "index.html").stat().st_ino != before["index.html"]  # drawn again
    # Every page says what the corpus does not cover, so a grown corpus may redraw
    # them all; built again from the same corpus, each page is the same file.
    project = corpus_generator().write_corpus(tmp_path / "c", 5)
    build(load(load_config(project)), tmp_path / "out", tiles="none")
    first = {p.name: p.stat().st_ino for p in (tmp_path / "out").glob("*.html")}
    build(load(load_config(project)), tmp_path / "out", tiles="none")
    assert first and {p.name: p.stat().st_ino for p in (tmp_path / "out").glob("*.html")} == first


def test_an_edited_output_is_written_again(tmp_path: Path) -> None:
    project = corpus_generator().write_corpus(tmp_path / "c", 5)
    out = tmp_path / "out"
    build(load(load_config(project)), out, tiles="none")
    page = (out / "border.html").read_bytes()
    (out / "border.html").write_text("edited by hand")
    with (out / "mentions.csv").open("a") as fh:
        fh.write("a stray line\n")
    build(load(load_config(project)), out, tiles="none")
    assert (out / "border.html").read_bytes() == page
    assert "a stray line" not in (out / "mentions.csv").read_text("utf-8")


def test_place_keys_are_place_key_of_each_mention_once(grown) -> None:
    from bordermap.formats import place_key, place_keys
    from bordermap.geoparse import Mention

    unresolved = Mention("x", 0, 5, "Ongju", None, "town", None, None, None, None, 0.3,
                         "Ongju.", "unresolved")  # fmt: skip
    mentions = [unresolved, *grown["parts"].mentions, unresolved]
    one_by_one = [k for k in dict.fromkeys(map(place_key, mentions)) if k is not None]
    assert place_keys(mentions) == one_by_one
    assert len(one_by_one) > 10 and place_key(unresolved) is None


def test_a_build_with_nothing_changed_keeps_every_file_and_parses_nothing(tmp_path: Path) -> None:
    project = corpus_generator().write_corpus(tmp_path / "c", 5)
    out = tmp_path / "out"
    build(load(load_config(project)), out, tiles="none")
    first = outputs(out)
    inodes = {name: (out / name).stat().st_ino for name in first}
    parts = load(load_config(project))
    manifest = build(parts, out, tiles="none")
    # Neither the mentions nor the layers were asked for: the files are the last ones.
    assert "mentions" not in vars(parts) and "layers" not in vars(parts)
    assert outputs(out) == first
    assert {name: (out / name).stat().st_ino for name in first} == inodes
    assert manifest == json.loads(first["manifest.json"])


def _article(folder: Path) -> Path:
    return sorted((folder / "c").rglob("*.md"))[2]


CHANGES = {
    "an article's text": lambda root: _article(root).write_text(
        _article(root).read_text("utf-8") + "\nGuards were seen in Sinuiju.\n", "utf-8"),
    "an article's front matter": lambda root: _article(root).write_text(
        _article(root).read_text("utf-8").replace("title: ", "title: Updated: ", 1), "utf-8"),
    "the project file": lambda root: (root / "c" / "bordermap.toml").write_text(
        (root / "c" / "bordermap.toml").read_text("utf-8").replace('title = "', 'title = "New ', 1),
        "utf-8"),
    "an output": lambda root: (root / "out" / "index.html").write_text("edited", "utf-8"),
    "the manifest": lambda root: (root / "out" / "manifest.json").write_text(
        (root / "out" / "manifest.json").read_text("utf-8").replace('"maps"', '"mapz"'), "utf-8"),
}  # fmt: skip


@pytest.mark.parametrize("change", [*CHANGES, "the tiles"])
def test_any_change_builds_again_as_a_cold_build_would(tmp_path: Path, change: str) -> None:
    project = corpus_generator().write_corpus(tmp_path / "c", 5)
    out = tmp_path / "out"
    build(load(load_config(project)), out, tiles="none")
    tiles = "OpenStreetMap" if change == "the tiles" else "none"
    if change in CHANGES:
        CHANGES[change](tmp_path)
    parts = load(load_config(project))
    build(parts, out, tiles=tiles)
    assert "mentions" in vars(parts)  # made again
    build(load(load_config(project)), tmp_path / "cold", tiles=tiles)
    warm, cold = outputs(out), outputs(tmp_path / "cold")
    assert [name for name in warm if warm[name] != cold.get(name)] == []


def test_a_kept_build_says_the_warnings_of_the_build_it_keeps(tmp_path: Path, caplog) -> None:
    import logging

    project = corpus_generator().write_corpus(tmp_path / "c", 5)
    text = project.read_text("utf-8")
    project.write_text(text.replace("[[layers]]", '[[layers]]\nnotes = { "Sinuju" = "x" }', 1),
                       "utf-8")  # fmt: skip
    said = []
    for _ in range(2):
        caplog.clear()
        parts = load(load_config(project))
        with caplog.at_level(logging.WARNING, logger="bordermap"):
            build(parts, tmp_path / "out", tiles="none")
        said.append([r.getMessage() for r in caplog.records])
    assert "mentions" not in vars(parts)  # the second build kept the first's files
    assert any('"Sinuju"' in line for line in said[0]) and said[1] == said[0]


@pytest.mark.parametrize("maps", ['"index.html"', '["../index.html", "index.html"]', "null"])
def test_an_odd_manifest_retires_no_picture(maps: str) -> None:
    from bordermap import pictures

    assert pictures.stale(json.loads(maps), []) == []


def test_a_manifest_naming_a_file_outside_the_folder_keeps_nothing(tmp_path: Path) -> None:
    from bordermap.files import staged
    from bordermap.reuse import Previous

    project = corpus_generator().write_corpus(tmp_path / "c", 5)
    out = tmp_path / "out"
    build(load(load_config(project)), out, tiles="none")
    (tmp_path / "elsewhere").write_bytes((out / "index.html").read_bytes())  # intact, but outside
    previous = Previous.load(out)
    previous.sha256["../elsewhere"] = previous.sha256["index.html"]
    with staged(out, tracked="manifest.json") as stage:
        assert not previous.take_all(stage)
        assert stage.names == []
