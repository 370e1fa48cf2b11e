"""`blina build` never destroys a user's files: it replaces only what an earlier build wrote.

Every refusal happens before any work (before the data are read), so these tests build nothing
and are fast. Each one leaves a "victim" (someone's file, a copy of the repository, a dataset) and
asserts it is byte-identical afterwards, and that the refused command wrote nothing at all.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blina_analysis.cli import main
from blina_analysis.errors import BuildError
from blina_analysis.publish.build import build_book
from blina_analysis.publish.output import (
    SITE_MARKER,
    STATE_MARKER,
    BuildFolders,
    build_lock,
    check_folders,
    swap,
    write_site_marker,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "synthetic"


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` (files with their bytes, folders and links as None)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() and not p.is_symlink()
                                               else None)
            for p in sorted(folder.rglob("*"))}


def _never_reads_data(monkeypatch):
    """Fail the test if the build gets as far as reading the dataset: refusals come first."""
    import blina_analysis.data.io as io

    def load(*_a, **_k):
        raise AssertionError("the build read the data before refusing")

    monkeypatch.setattr(io, "load", load)


def _refused(args: list[str]) -> str:
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "refused" in result.output
    return result.output


def _dataset(folder: Path) -> Path:
    shutil.copytree(SHIPPED, folder)
    return folder


def test_a_folder_with_someone_elses_file_is_refused(tmp_path, monkeypatch):
    _never_reads_data(monkeypatch)
    victim = tmp_path / "thesis"
    victim.mkdir()
    (victim / "chapter1.docx").write_bytes(b"two years of work")
    before = _tree(tmp_path)
    out = _refused(["--out", str(victim)])
    assert str(victim) in out and "chapter1.docx" in out and SITE_MARKER in out
    assert _tree(tmp_path) == before


def test_a_file_is_not_an_output_folder(tmp_path, monkeypatch):
    _never_reads_data(monkeypatch)
    (tmp_path / "notes").write_text("mine", encoding="utf-8")
    before = _tree(tmp_path)
    with pytest.raises(BuildError, match="not a folder"):
        build_book(SHIPPED, tmp_path / "notes", echo=lambda *_: None)
    assert _tree(tmp_path) == before


def test_out_dot_in_a_copy_of_the_repository_is_refused(tmp_path, monkeypatch):
    """`blina build --out .` run inside a clone: the clone (with its .git) stays as it was."""
    _never_reads_data(monkeypatch)
    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=shutil.ignore_patterns(
        ".venv", "venv", "_build", "__pycache__", ".pytest_cache", ".hypothesis", "dist", ".git"))
    (clone / ".git").mkdir()
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = _tree(tmp_path)
    monkeypatch.chdir(clone)
    _refused(["--out", "."])                     # the clone is not this package's checkout
    with pytest.raises(BuildError, match="is the book's source folder"):
        build_book(SHIPPED, clone, root=clone, echo=lambda *_: None)   # ... and when it is
    with pytest.raises(BuildError, match="contains the book's source folder"):
        build_book(SHIPPED, tmp_path, root=clone, echo=lambda *_: None)
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("where", ["chapters", "chapters/site", "index.md", "blina_analysis/x"])
def test_out_may_not_be_or_lie_inside_the_books_sources(tmp_path, monkeypatch, where):
    _never_reads_data(monkeypatch)
    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=shutil.ignore_patterns(
        ".venv", "venv", "_build", "__pycache__", ".pytest_cache", ".hypothesis", "dist", ".git",
        "tests"))
    before = _tree(tmp_path)
    with pytest.raises(BuildError, match="refused"):
        build_book(SHIPPED, clone / where, root=clone, echo=lambda *_: None)
    assert _tree(tmp_path) == before


def test_out_equal_to_the_data_folder_is_refused(tmp_path, monkeypatch):
    """`blina build --data D --out D` once deleted the patient data it was reading."""
    _never_reads_data(monkeypatch)
    data = _dataset(tmp_path / "trial")
    before = _tree(tmp_path)
    out = _refused(["--data", str(data), "--out", str(data)])
    assert f"it is the data folder {data}" in out
    assert _tree(tmp_path) == before


def test_out_inside_the_data_folder_is_refused(tmp_path, monkeypatch):
    _never_reads_data(monkeypatch)
    data = _dataset(tmp_path / "trial")
    before = _tree(tmp_path)
    out = _refused(["--data", str(data), "--out", str(data / "site")])
    assert "lies inside the data folder" in out
    assert _tree(tmp_path) == before


def test_out_containing_the_data_folder_is_refused_even_if_it_is_an_old_site(tmp_path,
                                                                            monkeypatch):
    """A site folder of an earlier build, in which someone then put the data: the marker alone
    does not make it replaceable."""
    _never_reads_data(monkeypatch)
    site = tmp_path / "site"
    site.mkdir()
    write_site_marker(site)
    data = _dataset(site / "data")
    before = _tree(tmp_path)
    out = _refused(["--data", str(data), "--out", str(site)])
    assert "contains the data folder" in out
    assert _tree(tmp_path) == before


def test_a_symbolic_link_to_the_data_is_resolved(tmp_path, monkeypatch):
    _never_reads_data(monkeypatch)
    data = _dataset(tmp_path / "trial")
    (tmp_path / "innocent-looking").symlink_to(data, target_is_directory=True)
    before = _tree(tmp_path)
    out = _refused(["--data", str(data), "--out", str(tmp_path / "innocent-looking")])
    assert "is the data folder" in out
    assert _tree(tmp_path) == before


def test_a_state_folder_holding_other_files_is_refused(tmp_path, monkeypatch):
    """The state folder beside the output is the build's too: someone's folder of that name is
    not taken over."""
    _never_reads_data(monkeypatch)
    (tmp_path / "site.blina-state").mkdir()
    (tmp_path / "site.blina-state" / "mine.txt").write_text("keep", encoding="utf-8")
    before = _tree(tmp_path)
    out = _refused(["--out", str(tmp_path / "site")])
    assert "state folder" in out and "mine.txt" in out
    assert _tree(tmp_path) == before


def test_absent_empty_and_marked_folders_are_accepted(tmp_path):
    for name in ("absent", "empty", "marked"):
        folders = BuildFolders.for_output(tmp_path / name)
        if name != "absent":
            folders.out.mkdir()
        if name == "marked":
            write_site_marker(folders.out)
            (folders.out / "index.html").write_text("<p>an old site</p>", encoding="utf-8")
        check_folders(folders, SHIPPED, ROOT, [ROOT / "chapters"])  # no exception
        assert folders.state == tmp_path / f"{name}.blina-state"
    marker = json.loads((tmp_path / "marked" / SITE_MARKER).read_text(encoding="utf-8"))
    assert marker["written_by"] == "blina build"


def test_a_hand_made_or_broken_marker_is_not_enough(tmp_path):
    folders = BuildFolders.for_output(tmp_path / "site")
    folders.out.mkdir()
    (folders.out / "data.csv").write_text("id\n1\n", encoding="utf-8")
    for text in ("", "not json", '{"written_by": "someone else"}', "[1, 2]"):
        (folders.out / SITE_MARKER).write_text(text, encoding="utf-8")
        with pytest.raises(BuildError, match="did not write"):
            check_folders(folders, SHIPPED, ROOT)


def test_the_default_output_is_accepted_by_the_checks():
    """``_build/html`` lies inside the repository, but apart from its sources."""
    from blina_analysis.publish.build import _protected

    folders = BuildFolders.for_output(ROOT / "_build" / "html")
    if (folders.out.exists() and any(folders.out.iterdir())
            and not (folders.out / SITE_MARKER).is_file()):
        pytest.skip("this checkout's _build/html predates the marker")
    check_folders(folders, SHIPPED, ROOT, _protected(ROOT))


# --- two builds at once ----------------------------------------------------------------------

def test_a_second_build_into_the_same_output_is_refused_while_the_first_runs(tmp_path):
    folders = BuildFolders.for_output(tmp_path / "site")
    with build_lock(folders):
        assert (folders.state / STATE_MARKER).is_file()
        assert folders.lock.read_text(encoding="utf-8").strip() == f"pid {os.getpid()}"
        with pytest.raises(BuildError, match="another `blina build`") as err:
            with build_lock(BuildFolders.for_output(tmp_path / "site")):
                pytest.fail("two builds held the lock at once")
        assert str(folders.out) in str(err.value) and f"pid {os.getpid()}" in str(err.value)
        # another output folder is another lock
        with build_lock(BuildFolders.for_output(tmp_path / "other")):
            pass
    with build_lock(folders):  # released when the first build ends, also if it failed
        pass


def test_the_lock_is_held_while_a_build_runs(tmp_path, monkeypatch):
    """build_book takes the lock before it executes anything and holds it while the chapters
    execute and while Sphinx renders (both stubbed)."""
    import blina_analysis.publish.build as build
    from blina_analysis.publish.execute import ExecutionReport

    seen = {}

    def fake_prime(notebooks, cache_dir, env, *, before_first=None, **_):
        with pytest.raises(BuildError, match="another `blina build`"):
            with build_lock(BuildFolders.for_output(tmp_path / "site")):
                pass
        seen["executed"] = len(notebooks)
        if before_first is not None:
            before_first()  # the analysis, computed meanwhile
        return ExecutionReport()

    def fake_run(src, staging, env, log_path, **_):
        with pytest.raises(BuildError, match="another `blina build`"):
            with build_lock(BuildFolders.for_output(tmp_path / "site")):
                pass
        if log_path.name == "build.log":  # the book's own language (the others run beside it,
            seen["staging"] = staging     # one folder below, with logs of their own)
        log_path.write_text("stub\n", encoding="utf-8")
        from blina_analysis.publish.jupyter_book import JupyterBookRun

        return JupyterBookRun(returncode=1, lines=["stub"])

    monkeypatch.setattr(build, "prime_cache", fake_prime)
    monkeypatch.setattr(build, "run_jupyter_book", fake_run)
    with pytest.raises(BuildError, match="did not build"):
        build_book(SHIPPED, tmp_path / "site", echo=lambda *_: None)
    assert seen["executed"], "the chapters were to be executed under the lock"
    state = tmp_path / "site.blina-state"
    assert seen["staging"].parent == state, "the staging folder lives in the state folder"
    assert not seen["staging"].exists(), "and is removed when the build ends"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.blina-state"]
    assert (state / "build.log").read_text(encoding="utf-8") == "stub\n"


def test_swap_keeps_the_old_site_out_of_the_parent_folder(tmp_path):
    folders = BuildFolders.for_output(tmp_path / "site")
    folders.out.mkdir()
    (folders.out / "old.html").write_text("old", encoding="utf-8")
    folders.state.mkdir()
    new = folders.state / "staging-x"
    new.mkdir()
    (new / "new.html").write_text("new", encoding="utf-8")
    swap(new, folders)
    assert sorted(p.name for p in folders.out.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.blina-state"]
    assert list(folders.state.iterdir()) == []


# --- nothing changed: nothing to do ---------------------------------------------------------

def test_the_site_key_changes_with_everything_a_site_depends_on(tmp_path):
    from blina_analysis.publish.cache_key import site_key
    from blina_analysis.publish.provenance import repo_root

    root, data = repo_root(), _dataset(tmp_path / "data")
    base = site_key(root, data, "abc", 1700000000, None)
    assert site_key(root, data, "abc", 1700000000, None) == base
    assert site_key(root, data, "abd", 1700000000, None) != base, "commit"
    assert site_key(root, data, "abc", 1700000001, None) != base, "build date"
    assert site_key(root, data, "abc", 1700000000, "{}") != base, "earlier edition"
    with open(data / "patients.csv", "a", encoding="utf-8") as f:
        f.write("\n")
    assert site_key(root, data, "abc", 1700000000, None) != base, "data"


def test_an_up_to_date_site_is_recognised_only_with_its_marker_and_key(tmp_path):
    from blina_analysis.publish.output import record_site, up_to_date

    folders = BuildFolders.for_output(tmp_path / "html")
    folders.state.mkdir()
    folders.out.mkdir()
    (folders.out / "index.html").write_text("<html></html>")
    record = {"site_key": "k1", "build_key": "b", "pages": 1, "dataset": "d 1",
              "fingerprint": "f", "chapters": ["index.md"]}
    record_site(folders, record)
    assert up_to_date(folders, "k1") is None, "no marker: not a site this build wrote"
    write_site_marker(folders.out)
    assert up_to_date(folders, "k1") == record
    assert up_to_date(folders, "k2") is None
    (folders.out / "index.html").unlink()
    assert up_to_date(folders, "k1") is None
