"""Fixtures and helpers shared by the test modules (imported explicitly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bordermap.gazetteer import Gazetteer, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()
