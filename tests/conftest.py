"""Shared test fixtures (kept minimal)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

#: The shipped synthetic dataset (the only valid full-size dataset in the repository).
SYNTHETIC = Path(__file__).resolve().parent.parent / "data" / "synthetic"


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped synthetic dataset, free to break."""
    return Path(shutil.copytree(SYNTHETIC, tmp_path / "dataset"))
