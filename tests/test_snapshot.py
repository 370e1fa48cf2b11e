"""``blina snapshot``: a byte-reproducible, checksummed archive of one edition built from HEAD.

Works on a temporary clone of this repository (its committed HEAD), so the checkout being tested
may have uncommitted changes. Two full builds without the PDF (``slow``; the PDF and rebuilding
from the archive are tested in tests/book/test_publish.py); the refusals build nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blina_analysis._version import __version__
from blina_analysis.cli import main
from blina_analysis.errors import BlinaError
from blina_analysis.publish.editions import EditionOptions
from blina_analysis.publish.snapshot import NAME, make_snapshot, snapshot_stem, write_archive

ROOT = Path(__file__).resolve().parent.parent
EDITION = f"{__version__}+blina-synthetic-1.0"
STEM = snapshot_stem(EDITION)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh clone of this repository's committed HEAD."""
    dest = tmp_path_factory.mktemp("clone") / "repo"
    _git(ROOT, "rev-parse", "--verify", "HEAD")  # this checkout is a git repository with commits
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(dest)], check=True)
    # the clone checks out the branch HEAD points to; pin it to exactly this checkout's HEAD
    _git(dest, "checkout", "--quiet", "--detach", _git(ROOT, "rev-parse", "HEAD"))
    return dest


@pytest.fixture(scope="module")
def two_snapshots(clone, tmp_path_factory):
    """Two snapshots of the same commit and data, into two separate dist folders."""
    dists = [tmp_path_factory.mktemp(f"dist{i}") for i in (1, 2)]
    snaps = [make_snapshot(clone, None, d, echo=lambda *_: None,
                           options=EditionOptions(pdf=False)) for d in dists]
    return clone, snaps


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: (tar.extractfile(m).read() if m.isfile() else b"") for m in tar}


def _diff_report(a: Path, b: Path) -> str:
    """Which files differ between two archives, and where (for the failure message)."""
    ma, mb = _members(a), _members(b)
    lines = [f"only in first: {n}" for n in sorted(set(ma) - set(mb))]
    lines += [f"only in second: {n}" for n in sorted(set(mb) - set(ma))]
    for name in sorted(set(ma) & set(mb)):
        if ma[name] != mb[name]:
            x, y = ma[name], mb[name]
            i = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]), min(len(x), len(y)))
            lines.append(f"{name}: differs at byte {i}: {x[max(0, i - 60):i + 60]!r} vs "
                         f"{y[max(0, i - 60):i + 60]!r}")
    return "\n".join(lines) or "same members and contents (the tar/gzip metadata differ)"


@pytest.mark.slow
def test_two_snapshots_of_one_commit_are_byte_identical(two_snapshots):
    _, (s1, s2) = two_snapshots
    assert s1.archive.name == f"{NAME}-{EDITION}.tar.gz"
    assert s1.archive.read_bytes() == s2.archive.read_bytes(), _diff_report(s1.archive, s2.archive)
    assert s1.manifest_file.read_bytes() == s2.manifest_file.read_bytes()


@pytest.mark.slow
def test_checksum_file_matches_the_archive(two_snapshots):
    _, (snap, _) = two_snapshots
    digest = hashlib.sha256(snap.archive.read_bytes()).hexdigest()
    assert snap.sha256 == digest
    assert snap.checksum_file.name == f"{STEM}.tar.gz.sha256"
    assert snap.checksum_file.read_text(encoding="utf-8") == f"{digest}  {STEM}.tar.gz\n"
    # sha256sum -c accepts it
    check = subprocess.run(["sha256sum", "-c", snap.checksum_file.name],
                           cwd=snap.checksum_file.parent, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.slow
def test_manifest_records_what_was_built_from_what(two_snapshots):
    clone, (snap, _) = two_snapshots
    m = json.loads((snap.archive.parent / f"{STEM}.manifest.json").read_text(encoding="utf-8"))
    assert m["name"] == NAME and m["version"] == __version__ and m["edition"] == EDITION
    assert m["source_commit"] == _git(clone, "rev-parse", "HEAD")
    assert m["working_tree_clean"] is True
    expected_epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git(clone, "log", "-1", "--format=%ct")
    assert m["source_date_epoch"] == int(expected_epoch)
    ds = m["dataset"]
    assert ds["name"] == "blina-synthetic" and ds["version"] == "1.0"
    assert len(ds["fingerprint"]) == 64
    lock = hashlib.sha256((clone / "constraints.txt").read_bytes()).hexdigest()
    assert m["lock_file"] == {"path": "constraints.txt", "sha256": lock}
    assert m["archive"]["sha256"] == snap.sha256
    assert m["archive"]["file"] == snap.archive.name
    with tarfile.open(snap.archive) as tar:
        members = tar.getmembers()
    site_files = sum(1 for t in members if t.isfile() and t.name.startswith(f"{STEM}/site/"))
    assert m["site"]["files"] == site_files > 0
    assert m["archive"]["files"] == sum(1 for t in members if t.isfile())
    assert m["site"]["pages"] >= 1
    assert m["data_included"] is True and m["previous_results"] is None and m["pdf"] is None
    inner = json.loads(_members(snap.archive)[f"{STEM}/edition.json"])
    assert inner == {k: v for k, v in m.items() if k != "archive"}


@pytest.mark.slow
def test_archive_entries_are_normalised(two_snapshots):
    _, (snap, _) = two_snapshots
    epoch = snap.manifest["source_date_epoch"]
    with tarfile.open(snap.archive) as tar:
        members = tar.getmembers()
        names = [t.name for t in members]
        results = json.loads(tar.extractfile(f"{STEM}/site/results.json").read())
    assert names == sorted(names, key=lambda n: n.rstrip("/"))
    assert all(n == STEM or n.startswith(STEM + "/") for n in names)
    assert {f"{STEM}/site/index.html", f"{STEM}/edition.json", f"{STEM}/source/constraints.txt",
            f"{STEM}/source/blina_analysis/cli.py", f"{STEM}/data/dataset.yaml",
            f"{STEM}/data/patients.csv"} <= set(names)
    assert not [n for n in names if "__pycache__" in n or ".jupyter_cache" in n
                or n.endswith("build.log")]
    assert {t.mtime for t in members} == {epoch}
    assert {(t.uid, t.gid, t.uname, t.gname) for t in members} == {(0, 0, "", "")}
    assert {t.mode for t in members if t.isdir()} == {0o755}
    assert {t.mode for t in members if t.isfile()} <= {0o644, 0o755}
    raw = snap.archive.read_bytes()
    assert raw[4:8] == b"\0\0\0\0" and not raw[3] & 0x08  # gzip: mtime 0, no file name
    assert results["meta"]["book_version"] == __version__
    assert results["meta"]["source_commit"] == snap.manifest["source_commit_label"]


@pytest.mark.slow
def test_dirty_tree_is_refused(clone, tmp_path):
    readme = clone / "README.md"
    original = readme.read_bytes()
    readme.write_bytes(original + b"\nan uncommitted edit\n")
    try:
        with pytest.raises(BlinaError, match="--allow-dirty") as info:
            make_snapshot(clone, None, tmp_path / "dist", echo=lambda *_: None)
        assert "README.md" in str(info.value)
        result = CliRunner().invoke(main, ["snapshot", "--repo", str(clone),
                                           "--dist", str(tmp_path / "dist")])
        assert result.exit_code == 1
        assert "tracked files differ from HEAD" in result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "dist").exists()
    finally:
        readme.write_bytes(original)
    assert _git(clone, "status", "--porcelain", "--untracked-files=no") == ""


def test_an_existing_archive_is_never_overwritten(clone, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    earlier = dist / f"{STEM}.tar.gz"
    earlier.write_bytes(b"an earlier build of this edition")
    with pytest.raises(BlinaError, match="never overwritten"):
        make_snapshot(clone, None, dist, echo=lambda *_: None)
    assert earlier.read_bytes() == b"an earlier build of this edition"
    assert [p.name for p in dist.iterdir()] == [earlier.name]


def test_write_archive_is_deterministic_and_normalised(tmp_path):
    """The archive writer alone (no build): same tree, different mtimes and modes, same bytes."""

    def tree(root: Path, mtime: int, mode: int) -> Path:
        (root / "b" / "c").mkdir(parents=True)
        (root / "empty").mkdir()
        (root / "a.html").write_text("<p>a</p>", encoding="utf-8")
        (root / "b" / "c" / ("long-" + "x" * 120 + ".js")).write_text("1", encoding="utf-8")
        (root / "run.sh").write_text("#!/bin/sh\n")
        os.chmod(root / "run.sh", 0o700)
        os.chmod(root / "a.html", mode)
        for p in [*root.rglob("*"), root]:
            os.utime(p, (mtime, mtime))
        return root

    one = tree(tmp_path / "one", 1_000_000, 0o600)
    two = tree(tmp_path / "two", 2_000_000, 0o664)
    n1 = write_archive(one, tmp_path / "one.tar.gz", prefix="site", mtime=123)
    n2 = write_archive(two, tmp_path / "two.tar.gz", prefix="site", mtime=123)
    assert n1 == n2 == 3
    assert (tmp_path / "one.tar.gz").read_bytes() == (tmp_path / "two.tar.gz").read_bytes()
    with tarfile.open(tmp_path / "one.tar.gz") as tar:
        info = {t.name: t for t in tar.getmembers()}
        assert info["site/run.sh"].mode == 0o755 and info["site/a.html"].mode == 0o644
        assert "site/empty/" in info or "site/empty" in info
        assert {t.mtime for t in info.values()} == {123}
        assert not any(t.pax_headers for t in info.values())
    raw = io.BytesIO((tmp_path / "one.tar.gz").read_bytes()).read(10)
    assert raw[4:8] == b"\0\0\0\0"
