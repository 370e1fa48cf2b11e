"""A failed rebuild leaves the last good site untouched, and says why."""

import filecmp
import shutil

import pytest
from click.testing import CliRunner

from blina_analysis.publish.build import build_book
from blina_analysis.cli import main
from blina_analysis.errors import BuildError, DataValidationError

from .conftest import ROOT, SHIPPED

pytestmark = pytest.mark.slow


def _snapshot(folder):
    return sorted((p.relative_to(folder), p.read_bytes()) for p in folder.rglob("*") if p.is_file())


def test_bad_data_exits_1_and_leaves_the_site_untouched(built_site, copy_site, tmp_path):
    site = copy_site(built_site[0])
    before = _snapshot(site)
    bad = tmp_path / "bad"
    shutil.copytree(SHIPPED, bad)
    text = (bad / "patients.csv").read_text().replace("SYN-002,", "SYN-001,", 1)
    (bad / "patients.csv").write_text(text)
    result = CliRunner().invoke(main, ["build", "--data", str(bad), "--out", str(site)])
    assert result.exit_code == 1
    assert "patient_id" in result.output and "unique" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(site) == before


def test_a_failing_chapter_leaves_the_site_untouched_and_is_named(built_site, copy_site,
                                                                  tmp_path):
    site = copy_site(built_site[0])
    before = _snapshot(site)
    book = tmp_path / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(
        "_build", ".venv", "venv", ".git", "tests", "dist", ".pytest_cache", ".hypothesis"))
    chapter = book / "chapters" / "safety.md"
    chapter.write_text(chapter.read_text().replace(
        'book.glue_text(an, "chapters/safety")',
        'book.glue_text(an, "chapters/safety")\nraise RuntimeError("deliberate failure")', 1))
    with pytest.raises(BuildError) as err:
        build_book(SHIPPED, site, root=book, echo=lambda *_: None)
    message = str(err.value)
    assert "safety" in message and "deliberate failure" in message
    assert "unchanged" in message
    assert _snapshot(site) == before


def test_a_missing_glue_key_fails_the_build(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(
        "_build", ".venv", "venv", ".git", "tests", "dist", ".pytest_cache", ".hypothesis"))
    chapter = book / "chapters" / "safety.md"
    chapter.write_text(chapter.read_text() + "\nA missing value: {glue:text}`no_such_key`.\n")
    with pytest.raises(BuildError, match="no_such_key"):
        build_book(SHIPPED, tmp_path / "out" / "html", root=book, echo=lambda *_: None)
    assert not (tmp_path / "out" / "html").exists()


def test_validation_error_is_raised_before_anything_is_written(tmp_path):
    with pytest.raises(DataValidationError):
        build_book(tmp_path / "missing", tmp_path / "out" / "html", echo=lambda *_: None)
    assert not (tmp_path / "out").exists()
