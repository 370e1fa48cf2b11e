"""Where a build writes, and the rules that keep everything else safe.

A build writes into exactly two folders, both named after the output folder ``OUT``:

``OUT``
    The site. Replaced as a whole, by a rename, only after everything succeeded. It carries a
    marker file, ``.blina-build``, saying that ``blina build`` wrote it.
``OUT.blina-state`` (a sibling of ``OUT``)
    The build's own state, never published: the execution cache (``cache/``), the log of the last
    build (``build.log``), the lock (``lock``), and while a build runs its staging folder. Marked
    by ``.blina-state``. For the default output ``_build/html`` this is ``_build/html.blina-state``.

Before any work, a build refuses (:class:`~blina_analysis.errors.BuildError`, naming the folder
and why) unless each of the two folders is absent, empty, or carries its marker; and unless
neither is, contains or lies inside the data folder, the package or any of the book's sources, and
neither is or contains the book's source folder. Paths are compared after resolving symbolic
links. Two builds into the same output cannot interleave: the second is refused while the first
holds the lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from blina_analysis.errors import BuildError

__all__ = ["SITE_MARKER", "STATE_MARKER", "STATE_SUFFIX", "SITE_RECORD", "BuildFolders",
           "check_folders", "record_site", "up_to_date",
           "build_lock", "write_site_marker", "swap"]

#: The marker file in a site written by ``blina build``.
SITE_MARKER = ".blina-build"
#: The marker file of a build's state folder.
STATE_MARKER = ".blina-state"
#: The state folder of output ``OUT`` is ``OUT`` + this suffix, beside it.
STATE_SUFFIX = ".blina-state"

_SITE_NOTE = ("Written by `blina build`. The next build replaces this whole folder: keep no files "
              "of your own here.")
_STATE_NOTE = ("The state of `blina build` for the site beside this folder: execution cache, "
               "build.log, lock. Safe to delete when no build is running.")


@dataclass(frozen=True)
class BuildFolders:
    """The folders of a build into ``out`` (all absolute, symbolic links resolved)."""

    out: Path
    state: Path

    @classmethod
    def for_output(cls, out: Path) -> BuildFolders:
        out = Path(out).resolve()
        if out.parent == out:
            raise BuildError(f"--out {out}: refused, the root of the file system cannot be the "
                             "output folder")
        return cls(out, out.with_name(out.name + STATE_SUFFIX))

    @property
    def cache(self) -> Path:
        """The execution cache (jupyter-cache)."""
        return self.state / "cache"

    @property
    def log(self) -> Path:
        """The full log of the last build."""
        return self.state / "build.log"

    @property
    def lock(self) -> Path:
        return self.state / "lock"


# --- refusing before any work ----------------------------------------------------------------

def _within(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies inside it."""
    return path == folder or folder in path.parents


def _marked(folder: Path, marker: str) -> bool:
    file = folder / marker
    if file.is_symlink() or not file.is_file():
        return False
    try:
        return json.loads(file.read_text(encoding="utf-8")).get("written_by") == "blina build"
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return False


def _unowned_reason(folder: Path, marker: str) -> str | None:
    """Why ``blina build`` may not replace ``folder``, or ``None`` if it may."""
    if not folder.exists() and not folder.is_symlink():
        return None
    if not folder.is_dir():
        return "it exists and is not a folder"
    entries = sorted(p.name for p in folder.iterdir())
    if not entries or _marked(folder, marker):
        return None
    shown = ", ".join(repr(n) for n in entries[:5])
    more = f" and {len(entries) - 5} more" if len(entries) > 5 else ""
    hint = (" (a site built by an older `blina build` has no marker: delete it yourself)"
            if marker == SITE_MARKER else "")
    return (f"it holds files that `blina build` did not write ({shown}{more}; no {marker} "
            f"marker). Choose a new or empty folder, or move those files away yourself{hint}")


def check_folders(folders: BuildFolders, data_dir: Path, root: Path,
                  protected: list[Path] = ()) -> None:
    """Refuse (BuildError) if writing ``folders`` could destroy anything but an earlier build.

    Parameters
    ----------
    folders : BuildFolders
        The output and state folders of the build.
    data_dir : Path
        The dataset the build reads.
    root : Path
        The book's source folder (the repository root).
    protected : list of Path
        Further paths that the folders may not be, contain or lie inside: the book's sources
        (chapters, ``_toc.yml``, ...), the package.
    """
    data_dir, root = Path(data_dir).resolve(), Path(root).resolve()
    guarded = [(data_dir, "the data folder"),
               *((Path(p).resolve(), "one of the book's sources") for p in protected)]
    labelled = (("--out", folders.out, SITE_MARKER),
                (f"the state folder of --out {folders.out},", folders.state, STATE_MARKER))
    for label, folder, _ in labelled:
        if _within(root, folder):
            relation = "is" if root == folder else "contains"
            raise BuildError(f"{label} {folder}: refused, it {relation} the book's source folder "
                             f"(the repository) {root}, which a build would replace. Choose a "
                             "folder apart from the sources, e.g. _build/html (the default)")
        for path, name in guarded:
            if _within(path, folder) or _within(folder, path):
                relation = ("is" if path == folder else "contains" if _within(path, folder)
                            else "lies inside")
                raise BuildError(f"{label} {folder}: refused, it {relation} {name} {path}. "
                                 "Choose a folder apart from the data and the book's sources")
    for label, folder, marker in labelled:
        reason = _unowned_reason(folder, marker)
        if reason is not None:
            raise BuildError(f"{label} {folder}: refused, {reason}")


# --- the lock and the state folder -----------------------------------------------------------

def _write_marker(folder: Path, marker: str, note: str) -> None:
    text = json.dumps({"written_by": "blina build", "note": note}, indent=1) + "\n"
    (folder / marker).write_text(text, encoding="utf-8")


#: In the state folder: what the site beside it was built from (:func:`up_to_date`).
SITE_RECORD = "site.json"


def record_site(folders: BuildFolders, record: dict) -> None:
    """Note, in the state folder, the key and summary of the site just swapped in."""
    (folders.state / SITE_RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n",
                                             encoding="utf-8")


def up_to_date(folders: BuildFolders, key: str) -> dict | None:
    """The record of the site in ``folders`` if it was built under ``key`` (else ``None``)."""
    if not (_marked(folders.out, SITE_MARKER) and (folders.out / "index.html").is_file()):
        return None
    try:
        record = json.loads((folders.state / SITE_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("site_key") == key else None


def write_site_marker(site: Path) -> None:
    """Mark ``site`` as written by ``blina build`` (same bytes every build: reproducible)."""
    _write_marker(site, SITE_MARKER, _SITE_NOTE)


@contextlib.contextmanager
def build_lock(folders: BuildFolders):
    """Create the state folder (marked) and hold its lock for the ``with`` block.

    Raises BuildError at once if another build holds it (``fcntl.flock``, released by the
    operating system even if that build is killed). Leftovers of an earlier build that was killed
    (staging folders, a previous site being deleted) are removed once the lock is held.
    """
    import fcntl

    folders.state.mkdir(parents=True, exist_ok=True)
    if not _marked(folders.state, STATE_MARKER):
        _write_marker(folders.state, STATE_MARKER, _STATE_NOTE)
    with open(folders.lock, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildError(
                f"--out {folders.out}: another `blina build` ({holder}) is writing this site now "
                f"(lock {folders.lock}). Wait for it to finish, or build into another folder"
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
            for leftover in [*folders.state.glob("staging-*"), *folders.state.glob("old-site-*")]:
                shutil.rmtree(leftover, ignore_errors=True)
            yield folders
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- the swap --------------------------------------------------------------------------------

def swap(new: Path, folders: BuildFolders) -> None:
    """Replace the output folder by ``new`` with two renames on one file system.

    The old site is moved into the state folder first (never beside the output), then deleted.
    """
    out = folders.out
    old = None
    if out.exists() or out.is_symlink():
        old = folders.state / f"old-site-{os.getpid()}"
        out.rename(old)
    try:
        new.rename(out)
    except OSError:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
