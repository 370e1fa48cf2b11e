"""A citable, reproducible snapshot of one edition: the built site as a byte-stable archive.

:func:`make_snapshot` exports the committed source (``git archive HEAD``, so nothing uncommitted or
untracked can slip in), builds the book from it with :func:`blina_analysis.publish.build.build_book` and
writes to ``dist/``::

    <name>-<version>.tar.gz              the site, every path under <name>-<version>/
    <name>-<version>.tar.gz.sha256       its checksum, in ``sha256sum`` format
    <name>-<version>.manifest.json       version, commit, dataset, lock-file hash, files, checksum

Two snapshots of the same commit from the same data are byte-identical: the build itself is
deterministic (``SOURCE_DATE_EPOCH`` is the commit's time) and :func:`write_archive` removes what a
plain ``tar czf`` would add from the machine and the moment (see its Notes).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
import stat
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from blina_analysis._version import __version__
from blina_analysis.errors import BlinaError

__all__ = ["NAME", "LOCK_FILE", "Snapshot", "make_snapshot", "write_archive", "sha256_file",
           "git_head", "dirty_files", "snapshot_stem"]

#: The slug that names the archive: ``<NAME>-<version>.tar.gz``.
NAME = "blina-living-publication"
#: The lock file whose hash the manifest records (exact versions of every dependency).
LOCK_FILE = "constraints.txt"

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Snapshot:
    """What :func:`make_snapshot` wrote."""

    archive: Path
    checksum_file: Path
    manifest_file: Path
    sha256: str
    files: int
    manifest: dict


def snapshot_stem(version: str = __version__) -> str:
    """``blina-living-publication-<version>``: the archive's file stem and its top folder."""
    return f"{NAME}-{version}"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# git


def _git(repo: Path, *args: str, binary: bool = False):
    try:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True,
                              text=not binary)
    except FileNotFoundError:
        raise BlinaError("git is not installed; a snapshot is made from a git checkout") from None
    except subprocess.CalledProcessError as exc:
        err = exc.stderr.decode(errors="replace") if binary else exc.stderr
        raise BlinaError(f"git {' '.join(args)} failed in {repo}: {err.strip()}") from None
    return proc.stdout


def git_head(repo: Path) -> str:
    """The full commit id of ``HEAD`` in ``repo``."""
    return _git(repo, "rev-parse", "--verify", "HEAD^{commit}").strip()


def dirty_files(repo: Path) -> list[str]:
    """Tracked files that differ from ``HEAD`` (``git status --porcelain --untracked-files=no``)."""
    out = _git(repo, "status", "--porcelain", "--untracked-files=no")
    return [line for line in out.splitlines() if line.strip()]


def _export_head(repo: Path, dest: Path) -> None:
    """Write the tree of ``HEAD`` (tracked, committed files only) into ``dest``."""
    archive = dest.parent / "head.tar"
    _git(repo, "archive", "--format=tar", "-o", str(archive), "HEAD", binary=True)
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: refuse unsafe members
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - git archive of our own HEAD
            tar.extractall(dest)
    archive.unlink()


# --------------------------------------------------------------------------------------------
# the archive


def _tarinfo(name: str, *, kind: bytes, mtime: int, mode: int, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.mtime = mtime
    info.mode = mode
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_archive(site: Path, archive: Path, *, prefix: str, mtime: int) -> int:
    """Pack the folder ``site`` into ``archive`` (``.tar.gz``) reproducibly; return the file count.

    Parameters
    ----------
    site : Path
        The folder to pack (the built HTML).
    archive : Path
        The ``.tar.gz`` to write (replaced atomically).
    prefix : str
        Top folder of every entry in the archive.
    mtime : int
        Modification time (Unix seconds) given to every entry: the build timestamp.

    Returns
    -------
    int
        Number of regular files packed.

    Raises
    ------
    BlinaError
        The site holds something other than folders and regular files (a link, a device).

    Notes
    -----
    What makes the bytes depend only on the files' paths and contents:

    * entries sorted by their POSIX path, folders included (so empty ones survive);
    * every entry's mtime set to ``mtime``; uid and gid 0, user and group names empty;
    * modes normalised: folders and executable files ``0755``, other files ``0644``;
    * GNU tar format, so no PAX headers (which would carry access and change times); long names
      use GNU long-name entries, which hold no times;
    * gzip header with mtime 0 and no file name, at a fixed compression level.
    """
    site = Path(site)
    archive = Path(archive)
    entries = sorted(site.rglob("*"), key=lambda p: p.relative_to(site).as_posix())
    tmp = archive.with_name(f".{archive.name}.tmp-{os.getpid()}")
    files = 0
    try:
        with open(tmp, "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9,
                              mtime=0) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
            tar.addfile(_tarinfo(prefix + "/", kind=tarfile.DIRTYPE, mtime=mtime, mode=0o755))
            for path in entries:
                rel = path.relative_to(site).as_posix()
                st = path.lstat()
                if stat.S_ISDIR(st.st_mode):
                    tar.addfile(_tarinfo(f"{prefix}/{rel}/", kind=tarfile.DIRTYPE, mtime=mtime,
                                         mode=0o755))
                elif stat.S_ISREG(st.st_mode):
                    mode = 0o755 if st.st_mode & 0o111 else 0o644
                    info = _tarinfo(f"{prefix}/{rel}", kind=tarfile.REGTYPE, mtime=mtime,
                                    mode=mode, size=st.st_size)
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                    files += 1
                else:
                    raise BlinaError(f"{path}: not a regular file or folder; the site must hold "
                                     f"only files and folders to be archived")
        tmp.replace(archive)
    finally:
        tmp.unlink(missing_ok=True)
    return files


# --------------------------------------------------------------------------------------------
# the snapshot


@contextlib.contextmanager
def _environ(**values: str):
    """Set environment variables for the duration of the block, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def make_snapshot(repo: Path | None = None, data_dir: Path | None = None,
                  dist_dir: Path | None = None, *, allow_dirty: bool = False,
                  echo=print) -> Snapshot:
    """Build the committed source into a reproducible, checksummed site archive.

    Parameters
    ----------
    repo : Path, optional
        The git checkout to snapshot; default: the checkout of this package.
    data_dir : Path, optional
        Dataset folder; default: ``data/synthetic`` as committed at ``HEAD``.
    dist_dir : Path, optional
        Where the archive, checksum and manifest go; default: ``<repo>/dist``.
    allow_dirty : bool, optional, default: False
        Snapshot ``HEAD`` even though tracked files differ from it. The build still uses only
        committed chapters, but the commit is recorded as ``<commit>+dirty`` and the manifest says
        ``"working_tree_clean": false``, because the running package may differ from ``HEAD``.
    echo : callable, optional, default: print
        Receives progress lines.

    Returns
    -------
    Snapshot
        Paths written, the archive's SHA-256, its file count and the manifest.

    Raises
    ------
    BlinaError
        Tracked files differ from ``HEAD`` (without ``allow_dirty``), ``repo`` is not a git
        checkout, the data are invalid (:class:`~blina_analysis.errors.DataValidationError`) or
        the build failed (:class:`~blina_analysis.errors.BuildError`).

    Notes
    -----
    The chapters are executed with ``PYTHONPATH`` set to the exported tree, so they import the
    package as committed; the build's orchestration and ``results.json`` come from the running
    package (the same code when the checkout is clean and installed in editable mode).
    ``SOURCE_DATE_EPOCH`` is the commit time (unless already set) and the commit id is passed to
    the build explicitly, since the exported tree is not a git checkout.
    """
    from blina_analysis.publish.build import build_book
    from blina_analysis.publish.provenance import COMMIT_ENV, DATE_ENV, build_timestamp, repo_root

    repo = Path(repo or repo_root()).resolve()
    dist_dir = Path(dist_dir or repo / "dist").resolve()
    head = git_head(repo)
    dirty = dirty_files(repo)
    if dirty and not allow_dirty:
        shown = "\n".join(f"  {line}" for line in dirty[:20])
        more = f"\n  ... and {len(dirty) - 20} more" if len(dirty) > 20 else ""
        raise BlinaError(
            f"{repo}: tracked files differ from HEAD ({head[:12]}); a snapshot is made from a "
            f"clean state. Commit or stash these changes, or pass --allow-dirty to snapshot HEAD "
            f"anyway:\n{shown}{more}")
    commit = head[:12] + ("+dirty" if dirty else "")
    epoch = build_timestamp(repo)
    stem = snapshot_stem()

    work = Path(tempfile.mkdtemp(prefix="blina-snapshot-"))
    try:
        source = work / "source"
        source.mkdir()
        echo(f"exporting {head[:12]} (git archive HEAD) to {source}")
        _export_head(repo, source)
        data = Path(data_dir).resolve() if data_dir else source / "data" / "synthetic"
        site = work / "site" / "html"
        pythonpath = os.pathsep.join(p for p in (str(source), os.environ.get("PYTHONPATH")) if p)
        with _environ(**{COMMIT_ENV: commit, DATE_ENV: str(epoch), "PYTHONPATH": pythonpath}):
            info = build_book(data, site, root=source, echo=echo)

        results = json.loads((site / "results.json").read_text(encoding="utf-8"))
        dataset = results["meta"]["dataset"]
        dist_dir.mkdir(parents=True, exist_ok=True)
        archive = dist_dir / f"{stem}.tar.gz"
        files = write_archive(site, archive, prefix=stem, mtime=epoch)
        digest = sha256_file(archive)
        checksum_file = archive.with_name(archive.name + ".sha256")
        checksum_file.write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
        lock = source / LOCK_FILE
        manifest = {
            "name": NAME,
            "version": __version__,
            "source_commit": head,
            "source_commit_label": commit,
            "working_tree_clean": not dirty,
            "source_date_epoch": epoch,
            "build_date": results["meta"].get("build_date"),
            "dataset": {
                "name": dataset.get("name"),
                "version": dataset.get("version"),
                "cutoff_date": dataset.get("cutoff_date"),
                "synthetic": dataset.get("synthetic"),
                "fingerprint": dataset.get("fingerprint"),
            },
            "lock_file": {"path": LOCK_FILE,
                          "sha256": sha256_file(lock) if lock.is_file() else None},
            "site": {"files": files, "pages": info.pages},
            "archive": {"file": archive.name, "sha256": digest, "bytes": archive.stat().st_size},
        }
        manifest_file = dist_dir / f"{stem}.manifest.json"
        manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                 encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Snapshot(archive, checksum_file, manifest_file, digest, files, manifest)
