"""The GeoPackage written through Arrow is the file written a feature at a time (issue 13).

``write_gpkg`` hands pyogrio its tables as Arrow batches when it can
(:func:`bordermap.export.can_write_arrow`), which costs about a fifth less CPU;
a build must give the same bytes on an install without pyarrow, so both ways are
written here and compared byte for byte: the shipped project (lines, areas,
annotations, claims), a corpus with a correction and a layer that selects nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bordermap.config import load_config
from bordermap.export import can_write_arrow, write_gpkg
from bordermap.pipeline import Parts, load
from bordermap.provenance import References, article_rows
from support import many_sources_project

pytestmark = pytest.mark.skipif(not can_write_arrow(), reason="needs pyarrow and GDAL >= 3.8")


def _both_ways(parts: Parts, tmp_path: Path) -> tuple[bytes, bytes]:
    layers = [*parts.layers.values(), parts.coverage.layer()]
    annotations = list(parts.covered_annotations.values())
    out = []
    for arrow in (False, True):
        refs = References(article_rows(parts.articles, parts.origins))
        for m in parts.mentions:
            refs.sentences.add(m.sentence)
        path = tmp_path / f"arrow-{arrow}.gpkg"
        write_gpkg(path, layers, annotations, refs, arrow=arrow)
        out.append(path.read_bytes())
    return out[0], out[1]


def test_the_shipped_project_is_the_same_file(project: Any, tmp_path: Path) -> None:
    plain, arrow = _both_ways(project.parts, tmp_path)
    assert len(plain) > 100_000
    assert arrow == plain


def test_a_correction_and_an_empty_layer_are_the_same_file(tmp_path: Path) -> None:
    path = many_sources_project(tmp_path, 5)
    path.write_text(
        path.read_text("utf-8")
        + '[[layers]]\nid = "none"\ntitle = "Nothing"\nplaces = ["Pyongyang"]\n'
        + '\n[[corrections]]\ntext = "Sinuiju"\nlat = 40.1\nlon = 124.4\n',
        encoding="utf-8",
    )
    parts = load(load_config(path))
    assert not parts.layers["none"].features
    plain, arrow = _both_ways(parts, tmp_path)
    assert arrow == plain
