"""``bordermap extract`` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bordermap.cli import cli

KEYS = {"article", "start", "end", "text", "name", "kind", "country", "lat", "lon", "ref", "score"}


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_jsonl_has_one_object_per_mention(tmp_path: Path) -> None:
    p = write(tmp_path, "a.md", '---\nid: "a1"\n---\nTrucks cross from Dandong to Sinuiju.\n')
    result = run("extract", str(p), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["Dandong", "Sinuiju"]
    assert all(KEYS <= set(r) and r["article"] == "a1" for r in rows)


def test_article_id_falls_back_to_the_stem(tmp_path: Path) -> None:
    p = write(tmp_path, "hyesan-report.txt", "Hyesan is cold.")
    result = run("extract", str(p), "--format", "jsonl")
    assert json.loads(result.stdout)["article"] == "hyesan-report"


def test_unresolved_candidates_have_null_coordinates(tmp_path: Path) -> None:
    p = write(tmp_path, "a.md", "Guards watch the Qqzzyx River.")
    row = json.loads(run("extract", str(p), "--format", "jsonl").stdout)
    assert (row["text"], row["lat"], row["lon"]) == ("Qqzzyx River", None, None)


def test_stdin(tmp_path: Path) -> None:
    result = run("extract", "-", "--format", "jsonl", input="Smugglers met in Donggang.")
    row = json.loads(result.stdout)
    assert row["article"] == "stdin" and row["country"] == "CN"


def test_csv_and_geojson(tmp_path: Path) -> None:
    p = write(tmp_path, "a.md", "Cameras watch Manpo.")
    rows = list(csv.DictReader(io.StringIO(run("extract", str(p), "--format", "csv").stdout)))
    assert rows[0]["text"] == "Manpo" and rows[0]["country"] == "KP"
    fc = json.loads(run("extract", str(p), "--format", "geojson").stdout)
    assert fc["type"] == "FeatureCollection"
    assert fc["features"][0]["geometry"]["type"] == "Point"


def test_table_summary(tmp_path: Path) -> None:
    p = write(tmp_path, "a.md", "Cameras watch Manpo and Manpo.")
    out = run("extract", str(p)).stdout
    assert out.splitlines()[-1] == "2 mentions of 1 place"


def test_bad_files_get_one_line_each_and_others_still_run(tmp_path: Path) -> None:
    good = write(tmp_path, "good.md", "Hyesan market.")
    empty = write(tmp_path, "empty.md", "")
    binary = write(tmp_path, "pic.md", b"\x89PNG\x00\x00")
    latin1 = write(tmp_path, "old.txt", "Sinuiju caf\xe9".encode("latin-1"))
    emptydir = tmp_path / "nothing"
    emptydir.mkdir()
    missing = tmp_path / "missing.md"
    result = run(
        "extract", str(missing), str(empty), str(binary), str(latin1), str(emptydir), str(good),
        "--format", "jsonl",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {missing}: no such file or directory",
        f"Error: {empty}: the article is empty",
        f"Error: {binary}: looks like a binary file, not a text article",
        f"Error: {latin1}: is not valid UTF-8 (byte 11); re-save the article as UTF-8",
        f"Error: {emptydir}: no articles (*.md, *.txt) in this directory",
    ]
    assert "Traceback" not in result.output
    assert [json.loads(x)["text"] for x in result.stdout.splitlines()] == ["Hyesan"]


def test_a_newline_in_a_file_name_keeps_each_error_on_one_line(tmp_path: Path) -> None:
    odd = write(tmp_path, "two\nlines.md", "")
    good = write(tmp_path, "good.md", "Hyesan market.")
    result = run("extract", str(odd), str(good), "--format", "jsonl")
    assert result.exit_code == 1
    shown = str(odd).replace("\n", "\\n")
    assert result.stderr.splitlines() == [f"Error: {shown}: the article is empty"]


def test_usage_errors_exit_2() -> None:
    assert run("extract").exit_code == 2
    result = run("extract", "x.md", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_a_reader_that_stops_early_ends_it_quietly(tmp_path: Path) -> None:
    # `bordermap extract ... | head -1`: no "Error" line and no traceback, status 1.
    from support import corpus_generator

    corpus_generator().write_corpus(tmp_path / "c", 8)  # several times what a pipe holds
    env = {**os.environ, "BORDERMAP_CACHE": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "bordermap", "extract", str(tmp_path / "c" / "articles"),
           "--format", "jsonl"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"{")
    proc.stdout.close()  # as head does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1
    assert err == ""
