"""Fixtures that build the whole book (slow: each build executes every chapter).

A session builds the shipped dataset once (``built_site``) and, for the tests that check that new
data give new numbers, a second, different dataset once (``other_site``).
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from blina_analysis.data import synthetic
from blina_analysis.publish.build import build_book

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "synthetic"


def _build(data_dir: Path, out: Path, previous: Path | None = None):
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    info = build_book(data_dir, out, echo=lambda *_: None, previous=previous)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return info, results


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The book built from the shipped data: ``(html_dir, results_json)``."""
    out = tmp_path_factory.mktemp("site") / "html"
    _, results = _build(SHIPPED, out)
    return out, results


@pytest.fixture(scope="session")
def other_dataset(tmp_path_factory) -> Path:
    """A second valid dataset with different counts (99 synthetic patients, another seed)."""
    folder = tmp_path_factory.mktemp("other-data")
    synthetic.write_dataset(folder, seed=11, n_patients=99)
    return folder


@pytest.fixture(scope="session")
def other_site(tmp_path_factory, other_dataset, built_site):
    """The book built from :func:`other_dataset`, given the shipped build's results.json as the
    earlier edition (``--previous``): ``(html_dir, results_json)``."""
    out = tmp_path_factory.mktemp("other-site") / "html"
    _, results = _build(other_dataset, out, previous=built_site[0] / "results.json")
    return out, results


def page_text(html_dir: Path, page: str) -> str:
    """The visible text of a built page (tags stripped, entities decoded, spaces folded)."""
    import html
    import re

    raw = (html_dir / page).read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def copy_site(tmp_path):
    """Copy a built site to a private folder (for tests that rebuild over it)."""
    def _copy(src: Path) -> Path:
        dst = tmp_path / "html"
        shutil.copytree(src, dst)
        return dst
    return _copy
