"""Geoparser quality on the labelled test set (texts written for the project).

The dev split was used while tuning; the held-out split never was. Both must
reach F1 >= 0.95 (a resolved place counts within 10 km of the right one).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from quality import evaluate  # noqa: E402


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_f1_at_least_095(split: str) -> None:
    score = evaluate(split)
    assert score.f1 >= 0.95, "\n".join(score.errors)
    assert score.tp >= 120
