"""A citable, reproducible snapshot of one edition: its site, sources and data as a byte-stable archive.

:func:`make_snapshot` exports the committed source (``git archive HEAD``, so nothing uncommitted or
untracked can slip in), builds the edition from it (:func:`~.edition_build.build_edition`: the book and,
by default, its PDF) and writes to ``dist/``::

    <name>-<edition>.tar.gz              every path under <name>-<edition>/ (see below)
    <name>-<edition>.tar.gz.sha256       its checksum, in ``sha256sum`` format
    <name>-<edition>.manifest.json       edition, commit, dataset, lock-file hash, files, checksum

The archive holds what it takes to rebuild the edition (``blina verify``)::

    <name>-<edition>/edition.json         what was built from what, and how (the manifest's core)
    <name>-<edition>/site/                the built edition: what readers read (and the PDF)
    <name>-<edition>/source/              the committed source tree (constraints.txt included)
    <name>-<edition>/data/                the dataset (left out for real, non-synthetic data)
    <name>-<edition>/previous_results.json  the earlier edition's results, if the build had one
    <name>-<edition>/history.json          the site's earlier editions, if the build had them

``<edition>`` is the edition identifier (:func:`~.editions.edition_id`), so a new data cut or a new
version never lands on an earlier edition's archive, and an archive that exists is never
overwritten. Two snapshots of the same commit from the same data are byte-identical: the
build itself is deterministic (``SOURCE_DATE_EPOCH`` is the commit's time) and
:func:`write_archive` removes what a plain ``tar czf`` would add from the machine and the moment
(see its Notes).
"""

from __future__ import annotations

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

__all__ = ["NAME", "LOCK_FILE", "EDITION_FILE", "HISTORY_FILE", "Snapshot", "make_snapshot", "write_archive",
           "sha256_file", "git_head", "dirty_files", "snapshot_stem"]

#: The slug that names the archive: ``<NAME>-<edition>.tar.gz``.
NAME = "blina-living-publication"
#: The archive's own description of the edition (inside ``<NAME>-<edition>/``).
EDITION_FILE = "edition.json"
#: The site's earlier editions inside an archive, when the edition was built with them.
HISTORY_FILE = "history.json"
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


def snapshot_stem(edition: str) -> str:
    """``blina-living-publication-<edition>``: the archive's file stem and its top folder."""
    return f"{NAME}-{edition}"


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


def make_snapshot(repo: Path | None = None, data_dir: Path | None = None,
                  dist_dir: Path | None = None, *, allow_dirty: bool = False,
                  previous: Path | None = None, history: Path | None = None, options=None,
                  echo=print) -> Snapshot:
    """Build the committed source into a reproducible, checksummed archive of one edition.

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
    previous : Path, optional
        The earlier edition's ``results.json``: the edition lists what changed since (it is kept
        in the archive, so that the edition can be rebuilt).
    history : Path, optional
        The site's earlier editions (``history.json``, see
        :func:`blina_analysis.report.text.history.history_document`): the edition's "How the
        results changed" page shows them (kept in the archive too).
    options : EditionOptions, optional
        How the edition is published (:class:`~.editions.EditionOptions`); default: a standalone
        edition with its PDF.
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
        checkout, the data are invalid (:class:`~blina_analysis.errors.DataValidationError`), the
        build failed (:class:`~blina_analysis.errors.BuildError`), or ``dist_dir`` already holds
        this edition's archive (it is never overwritten).

    Notes
    -----
    The edition is built by the exported source's own code (``PYTHONPATH`` set to the exported
    tree, :func:`~.edition_build.build_edition` run in a subprocess), so the archive can be rebuilt
    by ``blina verify`` exactly as it was made. ``SOURCE_DATE_EPOCH`` is the commit time (unless
    already set) and the commit id is passed to the build explicitly, since the exported tree is
    not a git checkout.
    """
    from blina_analysis.data.io import load
    from blina_analysis.publish.editions import EditionOptions, edition_id, pdf_name
    from blina_analysis.publish.provenance import build_timestamp, repo_root

    options = options or EditionOptions(pdf=True)
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

    work = Path(tempfile.mkdtemp(prefix="blina-snapshot-"))
    try:
        tree = work / "tree"
        source = tree / "source"
        source.mkdir(parents=True)
        echo(f"exporting {head[:12]} (git archive HEAD) to {source}")
        _export_head(repo, source)
        data = Path(data_dir).resolve() if data_dir else source / "data" / "synthetic"
        ds = load(data)  # invalid data stop here, before anything is built
        edition = edition_id(ds.meta.name, ds.meta.version)
        stem = snapshot_stem(edition)
        archive = dist_dir / f"{stem}.tar.gz"
        if archive.exists():
            raise BlinaError(
                f"{archive} exists: edition {edition} has been archived already, and an "
                f"edition's archive is never overwritten. A new data cut needs a new dataset "
                f"version, new code a new book version; to archive this edition again, move the "
                f"old archive away yourself.")
        included = bool(ds.meta.synthetic)
        if included:
            shutil.copytree(data, tree / "data")
        if previous is not None:
            shutil.copyfile(previous, tree / "previous_results.json")
        if history is not None:
            shutil.copyfile(history, tree / HISTORY_FILE)
        description = {
            "name": NAME,
            "edition": edition,
            "version": __version__,
            "source_commit": head,
            "source_commit_label": commit,
            "working_tree_clean": not dirty,
            "source_date_epoch": epoch,
            "options": json.loads(options.to_env()),
            "data_included": included,
            "previous_results": "previous_results.json" if previous is not None else None,
            "history": HISTORY_FILE if history is not None else None,
            "pdf": pdf_name(edition) if options.pdf else None,
            "rebuild": "blina verify <archive> (python -m blina_analysis.publish.edition_build)",
        }
        site = tree / "site"
        build_work = work / "build"
        build_work.mkdir()
        # the build runs the exported code on a copy, so that the archived source stays clean,
        # and writes beside it (its cache and log are not part of the edition)
        build_source = build_work / "source"
        shutil.copytree(source, build_source)
        _run_edition_build(build_source, tree / "data" if included else data,
                           build_work / "out" / "site",
                           tree / "previous_results.json" if previous is not None else None,
                           commit=commit, epoch=epoch, options=options, echo=echo,
                           history=tree / HISTORY_FILE if history is not None else None)
        shutil.move(str(build_work / "out" / "site"), site)

        results = json.loads((site / "results.json").read_text(encoding="utf-8"))
        dataset = results["meta"]["dataset"]
        lock = source / LOCK_FILE
        description.update({
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
            "site": {"files": sum(1 for p in site.rglob("*") if p.is_file()),
                     "pages": len(list(site.rglob("*.html")))},
        })
        (tree / EDITION_FILE).write_text(json.dumps(description, indent=2, sort_keys=True) + "\n",
                                         encoding="utf-8")
        dist_dir.mkdir(parents=True, exist_ok=True)
        fresh = work / f"{stem}.tar.gz"
        files = write_archive(tree, fresh, prefix=stem, mtime=epoch)
        digest = sha256_file(fresh)
        if archive.exists():  # appeared while building (another snapshot): keep it
            raise BlinaError(f"{archive} appeared during the build; it is left as it is")
        shutil.move(str(fresh), archive)
        checksum_file = archive.with_name(archive.name + ".sha256")
        checksum_file.write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
        manifest = dict(description,
                        archive={"file": archive.name, "sha256": digest,
                                 "bytes": archive.stat().st_size, "files": files})
        manifest_file = dist_dir / f"{stem}.manifest.json"
        manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                 encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Snapshot(archive, checksum_file, manifest_file, digest, files, manifest)


def _run_edition_build(source: Path, data: Path, site: Path, previous: Path | None, *,
                       commit: str, epoch: int, options, echo,
                       history: Path | None = None, archived_site: Path | None = None) -> None:
    """Build the edition with the code of ``source`` (a subprocess importing it first);
    ``archived_site``: the archived site that ``blina verify`` compares the rebuild with."""
    import sys

    from blina_analysis.errors import BuildError
    from blina_analysis.publish.editions import EDITION_ENV
    from blina_analysis.publish.pdf import ARCHIVED_SITE_ENV
    from blina_analysis.publish.provenance import COMMIT_ENV, DATE_ENV

    pythonpath = os.pathsep.join(p for p in (str(source), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, **{COMMIT_ENV: commit, DATE_ENV: str(epoch), "PYTHONPATH": pythonpath,
                              EDITION_ENV: options.to_env(), "PYTHONDONTWRITEBYTECODE": "1"})
    env.pop(ARCHIVED_SITE_ENV, None)
    if archived_site is not None:
        env[ARCHIVED_SITE_ENV] = str(archived_site)
    cmd = [sys.executable, "-m", "blina_analysis.publish.edition_build", "--data", str(data),
           "--out", str(site), "--root", str(source)]
    if previous is not None:
        cmd += ["--previous", str(previous)]
    if history is not None:
        cmd += ["--history", str(history)]
    with subprocess.Popen(cmd, env=env, cwd=source, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, bufsize=1) as proc:
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            echo(line.rstrip("\n"))
        proc.wait()
    if proc.returncode != 0:
        raise BuildError("building the edition failed:\n" + "\n".join(lines[-30:]))
