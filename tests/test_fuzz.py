"""Fuzzing the CLI's edges: hypothesis-made project files, articles and path names.

Whatever comes in, the CLI answers with an exit status of 0, 1 or 2 and at
most one-line errors, never a traceback.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bordermap.cli import cli

ARTICLE = "---\ntitle: Checkpoints\noutlet: Test\ndate: 2024-05-01\n---\nA 5G checkpoint in Dandong, across the Yalu from Sinuiju.\n"
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def toml_value(value: Any) -> str:
    """A TOML literal for ``value`` (inline tables and arrays, any nesting)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(doc: dict[str, Any]) -> str:
    return "\n".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in doc.items()) + "\n"


scalars = st.one_of(
    st.text(max_size=12), st.integers(-10**6, 10**6), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["yalu", "tumen", "KP", "CN", "#d62728", "index", "border", "seeds"]),
)  # fmt: skip
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)  # fmt: skip
LAYER_KEYS = ["id", "title", "color", "source", "places", "kinds", "countries", "articles", "keywords", "rest", "within_focus", "claim", "notes"]  # fmt: skip
ANN_KEYS = ["id", "title", "color", "line", "spacing_m", "offset_m", "side", "articles", "claim"]
good_layer = {"id": "towns", "title": "Towns", "places": ["Dandong"]}
good_ann = {"id": "cams", "title": "Cameras", "line": "yalu", "spacing_m": 1000}


def table(keys: list[str], base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with some keys replaced or added by arbitrary values."""
    return st.dictionaries(st.sampled_from(keys + ["bogus"]), values, max_size=3).map(
        lambda extra: {**base, **extra}
    )


projects = st.fixed_dictionaries(
    {
        "project": st.one_of(st.just({"title": "Fuzz", "corpus": ["articles"]}), table(["title", "corpus", "output"], {"title": "Fuzz", "corpus": ["articles"]})),
        "layers": st.lists(table(LAYER_KEYS, good_layer), max_size=2),
        "annotations": st.lists(table(ANN_KEYS, good_ann), max_size=1),
    },
    optional={"focus": table(["bbox"], {}), "basemap": table(["tiles"], {}), "maps": st.lists(table(["id", "title", "layers"], {"id": "m"}), max_size=1), "extents": values},
)  # fmt: skip


def assert_clean(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) <= 1 or result.exit_code == 1, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a1.md").write_text(ARTICLE, "utf-8")
    return tmp_path


@FUZZ
@given(doc=projects)
@example(
    doc={
        "project": {"title": "Fuzz", "corpus": ["articles"]},
        "layers": [good_layer],
        "annotations": [{**good_ann, "spacing_m": math.nan}],
    }
)
@example(
    doc={
        "project": {"title": "Fuzz", "corpus": ["articles"]},
        "layers": [{**good_layer, "places": ["Hoeryng"]}],
        "annotations": [],
    }
)
def test_fuzzed_project_files_never_crash(folder: Path, doc: dict[str, Any]) -> None:  # fmt: skip
    config = folder / "p.toml"
    config.write_text(toml_document(doc), "utf-8")
    out = Path(tempfile.mkdtemp(dir=folder)) / "out"  # hypothesis reuses ``folder``
    result = CliRunner().invoke(
        cli, ["build", "--config", str(config), "--out", str(out), "--tiles", "none"]
    )
    assert_clean(result)
    if result.exit_code != 0:
        assert not out.exists() or not any(p.suffix == ".html" for p in out.iterdir())


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzzed_project_text_never_crashes(folder: Path, text: str) -> None:
    config = folder / "p.toml"
    config.write_text(text, "utf-8")
    result = CliRunner().invoke(
        cli, ["build", "--config", str(config), "--out", str(folder / "out")]
    )
    assert_clean(result)


front = st.lists(st.tuples(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8), st.text(max_size=20)), max_size=4)  # fmt: skip
encodings = st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]
)


@FUZZ
@given(meta=front, body=st.text(max_size=400), codec=encodings, raw=st.binary(max_size=64), mode=st.sampled_from(["text", "bytes", "both"]))  # fmt: skip
def test_fuzzed_articles_never_crash(tmp_path: Path, meta: list[tuple[str, str]], body: str, codec: str, raw: bytes, mode: str) -> None:  # fmt: skip
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in meta) + "---\n" + body if meta else body
    try:
        encoded = text.encode(codec)
    except UnicodeEncodeError:
        encoded = text.encode("utf-8")
    data = {"text": encoded, "bytes": raw, "both": encoded + raw}[mode]
    path = tmp_path / "article.md"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "jsonl"])
    assert_clean(result)
    assert result.exit_code in (0, 1)


HOSTILE = ['<img src=x onerror=alert(1)>.md', 'quote"and\'apos.md', "new\nline.md", "tab\tname.md",
           "ünïcödé 丹东.md", "-dash-first.md", "space name .md", "back\\slash.md", "%s%n{}.md"]  # fmt: skip


def test_hostile_file_names_are_escaped_in_every_output(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for name in HOSTILE:
        (corpus / name).write_text(
            ARTICLE.replace("title: Checkpoints", f"title: {name.replace(chr(10), ' ')}"), "utf-8"
        )
    config = tmp_path / "p.toml"
    config.write_text('[project]\ntitle = "Hostile"\ncorpus = ["articles"]\n[[layers]]\nid = "towns"\ntitle = "Towns"\nplaces = ["Dandong"]\n', "utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["build", "--config", str(config), "--out", str(tmp_path / "o u t"), "--tiles", "none"])  # fmt: skip
    assert_clean(result)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "o u t" / "towns.html").read_text("utf-8")
    assert "<img src=x" not in page
    extract = CliRunner().invoke(cli, ["extract", str(corpus), "--format", "csv"])
    assert extract.exit_code == 0
