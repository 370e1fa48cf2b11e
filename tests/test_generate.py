"""`blina generate` never overwrites a user's data.

It writes into a new or empty folder; leaves a folder that already holds the same synthetic files
as it is (so `blina generate` keeps the shipped data/synthetic as it is); replaces a different
synthetic dataset only with --force; and refuses, even with --force, a folder holding anything
else and every dataset not marked ``synthetic: true``. Each refused folder is byte-identical
afterwards.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blina_analysis.cli import main
from blina_analysis.data import synthetic

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "synthetic"


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def _generate(*args: str):
    return CliRunner().invoke(main, ["generate", *map(str, args)])


def _real_dataset(folder: Path) -> Path:
    """A copy of the shipped data declared real (``synthetic: false``), with one edited value."""
    shutil.copytree(SHIPPED, folder)
    meta = folder / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("synthetic: true", "synthetic: false"),
                    encoding="utf-8")
    return folder


def test_generate_writes_into_a_new_or_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    for name in ("new/nested", "empty"):
        result = _generate(tmp_path / name)
        assert result.exit_code == 0, result.output
        assert _tree(tmp_path / name) == _tree(SHIPPED)


def test_generating_the_same_cohort_again_changes_nothing(tmp_path):
    """`blina generate` on the shipped data (the default folder) is a no-op, not a refusal."""
    data = tmp_path / "synthetic"
    shutil.copytree(SHIPPED, data)
    before = _tree(data)
    result = _generate(data)
    assert result.exit_code == 0, result.output
    assert "nothing written" in result.output
    assert _tree(data) == before
    assert synthetic.regenerate(data) == "unchanged"


def test_a_different_synthetic_dataset_is_replaced_only_with_force(tmp_path):
    data = tmp_path / "synthetic"
    shutil.copytree(SHIPPED, data)
    before = _tree(data)
    result = _generate(data, "--seed", 7)
    assert result.exit_code == 1 and "--force" in result.output and "Traceback" not in result.output
    assert _tree(data) == before
    result = _generate(data, "--seed", 7, "--force")
    assert result.exit_code == 0, result.output
    synthetic.write_dataset(tmp_path / "seed7", seed=7)
    assert _tree(data) == _tree(tmp_path / "seed7")


@pytest.mark.parametrize("force", [False, True])
def test_real_data_are_never_overwritten(tmp_path, force):
    data = _real_dataset(tmp_path / "trial")
    before = _tree(tmp_path)
    result = _generate(data, *(["--force"] if force else []))
    assert result.exit_code == 1
    assert "synthetic: false" in result.output and str(data) in result.output
    assert "Traceback" not in result.output
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("meta", ["name: x\n", "synthetic: maybe\n", "synthetic: [\n", None])
def test_a_dataset_not_marked_synthetic_is_never_overwritten(tmp_path, meta):
    data = tmp_path / "trial"
    shutil.copytree(SHIPPED, data)
    if meta is None:
        (data / "dataset.yaml").unlink()
    else:
        (data / "dataset.yaml").write_text(meta, encoding="utf-8")
    before = _tree(tmp_path)
    result = _generate(data, "--force")
    assert result.exit_code == 1 and "refused" in result.output, result.output
    assert _tree(tmp_path) == before


def test_a_folder_holding_other_files_is_refused_even_with_force(tmp_path):
    """Pointed at the wrong folder: someone's documents, or a synthetic dataset with notes."""
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "letter.txt").write_text("dear colleague", encoding="utf-8")
    notes = tmp_path / "synthetic"
    shutil.copytree(SHIPPED, notes)
    (notes / "notes.md").write_text("my notes", encoding="utf-8")
    before = _tree(tmp_path)
    for folder in (docs, notes):
        result = _generate(folder, "--force", "--seed", 3)
        assert result.exit_code == 1, result.output
        assert "does not write" in result.output and str(folder) in result.output
    assert _tree(tmp_path) == before


def test_a_link_in_place_of_a_dataset_file_is_refused(tmp_path):
    """A link could lead the writes to a file elsewhere (real data)."""
    real = _real_dataset(tmp_path / "trial")
    data = tmp_path / "synthetic"
    shutil.copytree(SHIPPED, data)
    (data / "patients.csv").unlink()
    (data / "patients.csv").symlink_to(real / "patients.csv")
    before = _tree(real)
    result = _generate(data, "--force", "--seed", 3)
    assert result.exit_code == 1, result.output
    assert _tree(real) == before


def test_a_file_is_not_a_dataset_folder(tmp_path):
    (tmp_path / "patients.csv").write_text("patient_id\n", encoding="utf-8")
    result = _generate(tmp_path / "patients.csv")
    assert result.exit_code in (1, 2)  # click refuses a file for a folder argument
    assert (tmp_path / "patients.csv").read_text(encoding="utf-8") == "patient_id\n"
