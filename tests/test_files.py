"""Tests for bordermap.files: an output folder changes all at once or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bordermap.errors import OutputError
from bordermap.files import LOCK_NAME, STAGING_PREFIX, Staging, manifest_bytes, staged


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (but the lock) with its bytes (None for folders)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
        if p.name != LOCK_NAME
    }


def build(out: Path, files: dict[str, bytes]) -> None:
    with staged(out, tracked="manifest.json") as stage:
        for name, data in files.items():
            stage.write(name, data)
        stage.write("manifest.json", manifest_bytes({"files": list(stage.entries())}))


def test_a_failed_move_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(out, {"a.html": b"old a", "layers/x.geojson": b"old x", "mentions.csv": b"old m"})
    (out / "mentions.csv").unlink()
    (out / "mentions.csv").mkdir()  # a folder in the way of a file
    (out / "mentions.csv" / "mine.txt").write_text("a user's file")
    before = snapshot(out)
    with pytest.raises(OutputError) as info:
        build(out, {"a.html": b"new a", "layers/x.geojson": b"new x", "mentions.csv": b"new"})
    assert str(info.value) == (
        f"{out / 'mentions.csv'}: is a folder where bordermap writes a file; "
        "move it away and build again"
    )
    assert snapshot(out) == before


def test_files_of_the_last_build_that_are_gone_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(out, {"a.html": b"a", "old-layer.html": b"o", "layers/old-layer.geojson": b"o"})
    (out / "notes.txt").write_text("mine")
    build(out, {"a.html": b"a2"})
    assert set(snapshot(out)) == {"a.html", "layers", "manifest.json", "notes.txt"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["path"] for f in manifest["files"]] == ["a.html"]


def test_a_manifest_cannot_make_a_build_delete_outside_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    files = [{"path": "../precious.txt"}, {"path": str(outside)}]
    (out / "manifest.json").write_text(json.dumps({"files": files}))
    build(out, {"a.html": b"a"})
    assert outside.read_text() == "keep"


def test_staging_folders_of_killed_builds_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / f"{STAGING_PREFIX}dead1" / "layers").mkdir(parents=True)
    (out / f"{STAGING_PREFIX}dead1" / "index.html").write_text("half")
    build(out, {"a.html": b"a"})
    assert not list(out.glob(STAGING_PREFIX + "*"))


def test_a_second_build_into_the_same_folder_fails_clearly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = Staging(out)
    try:
        with pytest.raises(OutputError) as info:
            Staging(out)
        assert str(info.value) == (
            f"{out}: another bordermap build is writing into this folder; "
            "wait for it to finish or choose another output folder"
        )
    finally:
        first.discard()
    build(out, {"a.html": b"a"})  # the lock is gone with the first stage


@pytest.mark.parametrize("name", ["a-file", "/dev/null"])
def test_an_output_that_is_a_file(tmp_path: Path, name: str) -> None:
    out = tmp_path / name if name == "a-file" else Path(name)
    if name == "a-file":
        out.write_text("x")
    with pytest.raises(OutputError) as info:
        Staging(out)
    assert str(info.value) == f"{out}: is a file, not a folder; choose another output folder"


def test_an_output_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    out = tmp_path / "f" / "out"
    with pytest.raises(OutputError) as info:
        Staging(out)
    assert (
        str(info.value)
        == f"{out}: cannot create the output folder (Not a directory); choose another one"
    )
