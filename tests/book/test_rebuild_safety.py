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
    text = chapter.read_text()
    chapter.write_text(text.replace(
        'book.glue_text(an, "chapters/safety")',
        'book.glue_text(an, "chapters/safety")\nraise RuntimeError(\'deliberate failure\')', 1))
    line = text[:text.index('book.glue_text(an, "chapters/safety")')].count("\n") + 2
    with pytest.raises(BuildError) as err:
        build_book(SHIPPED, site, root=book, echo=lambda *_: None)
    message = str(err.value).splitlines()
    # the first lines: the chapter (and the line in it), the cell, the exception and its message
    assert message[0] == f"chapters/safety.md, line {line}: a cell failed with RuntimeError"
    assert any(m.endswith('| book.glue_text(an, "chapters/safety")') for m in message[1:4])
    cell = [m for m in message if m.startswith("  ->")]
    assert cell == [f"  -> {line:4d} | raise RuntimeError('deliberate failure')"]
    assert "  RuntimeError: deliberate failure" in message[1:7]
    # what follows from it is one line, and nothing points into the deleted staging folder
    assert not [m for m in message if "No key" in m or "undefined label" in m]
    assert not [m for m in message if "err.log" in m or "staging" in m]
    log = site.with_name(site.name + ".blina-state") / "build.log"
    assert message[-1] == f"the book did not build; {site} is unchanged. Full log: {log}"
    assert "RuntimeError: deliberate failure" in log.read_text(encoding="utf-8")
    assert len(message) <= 12, "\n".join(message)
    assert _snapshot(site) == before


def test_a_missing_glue_key_fails_the_build(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(
        "_build", ".venv", "venv", ".git", "tests", "dist", ".pytest_cache", ".hypothesis"))
    chapter = book / "chapters" / "safety.md"
    chapter.write_text(chapter.read_text() + "\nA missing value: {glue:text}`no_such_key`.\n")
    with pytest.raises(BuildError, match="no_such_key"):  # (one language: the key is in all)
        build_book(SHIPPED, tmp_path / "out" / "html", root=book, echo=lambda *_: None,
                   languages=("en",))
    assert not (tmp_path / "out" / "html").exists()


def test_validation_error_is_raised_before_anything_is_written(tmp_path):
    with pytest.raises(DataValidationError):
        build_book(tmp_path / "missing", tmp_path / "out" / "html", echo=lambda *_: None)
    assert not (tmp_path / "out").exists()  # neither the site nor its state folder
