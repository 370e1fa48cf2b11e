"""``blina publish --site DIR``: add the current edition to a versioned, multi-edition site.

The site folder::

    DIR/<edition>/          one folder per edition: its pages, PDF, downloads, results.json
    DIR/latest/             a copy of the newest edition
    DIR/index.html          goes to latest/
    DIR/versions.json       every edition, newest first (identifier, date, data cut-off, URL,
                            archive and its SHA-256); read by the pages' edition switcher
    DIR/archives/           each edition's archive, checksum and manifest (``blina verify``)
    DIR/.nojekyll           GitHub Pages serves folders starting with ``_`` as they are
    DIR/.blina-site         marks a folder this command created (it writes into no other)

Publishing an edition never rewrites an earlier edition's folder or archive: only
``versions.json``, ``latest/`` and ``index.html`` change, so a cited address keeps showing what
was cited. The new edition's pages are the pages inside its archive, byte for byte.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from blina_analysis.errors import BlinaError

__all__ = ["MARKER", "VERSIONS_FILE", "LATEST", "ARCHIVES", "Published", "publish_site",
           "prepare_site_folder", "read_versions"]

#: The file marking a site folder that ``blina publish`` created.
MARKER = ".blina-site"
VERSIONS_FILE = "versions.json"
LATEST = "latest"
ARCHIVES = "archives"
_LOCK = ".blina-site.lock"


@dataclass(frozen=True)
class Published:
    """What :func:`publish_site` added."""

    site: Path
    edition: str
    folder: Path
    archive: Path
    sha256: str
    editions: int


def prepare_site_folder(site: Path) -> Path:
    """Create ``site`` (with its marker) or accept it if it is one; refuse any other folder."""
    site = Path(site).resolve()
    if site.exists() and not site.is_dir():
        raise BlinaError(f"{site}: not a folder")
    if site.is_dir() and not (site / MARKER).is_file():
        # a fresh checkout of the site's own branch (gh-pages) holds only its .git entry
        if any(p.name != ".git" for p in site.iterdir()):
            raise BlinaError(
                f"{site}: this folder holds files that blina publish did not write (no {MARKER} "
                f"marker); it writes only into a site folder it created. Choose a new or empty "
                f"folder.")
    site.mkdir(parents=True, exist_ok=True)
    marker = site / MARKER
    if not marker.is_file():
        marker.write_text("A versioned site written by `blina publish`; this file lets it add "
                          "editions here.\n", encoding="utf-8")
    return site


def read_versions(site: Path) -> list[dict]:
    """The entries of ``versions.json`` (newest first); empty for a new site."""
    path = Path(site) / VERSIONS_FILE
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BlinaError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "version" in e
                                                for e in entries):
        raise BlinaError(f"{path}: not a list of editions")
    return entries


def _redirect_page(target: str) -> str:
    t = html.escape(target, quote=True)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            f"<title>Blinatumomab in adult B-ALL: a living publication</title>\n"
            f"<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n"
            f"<link rel=\"canonical\" href=\"{t}\">\n</head>\n"
            f"<body><p>The latest edition is at <a href=\"{t}\">{t}</a>.</p></body></html>\n")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _extract_site(archive: Path, dest: Path) -> None:
    """Unpack the archive's ``site/`` into ``dest`` (which must not exist)."""
    staging = dest.with_name(f".{dest.name}.unpack-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers()
                       if m.name.split("/", 2)[1:2] == ["site"] and m.name.count("/") >= 2
                       and m.name.split("/", 2)[2]]
            for m in members:
                m.name = m.name.split("/", 2)[2]
            tar.extractall(staging, members=members, filter="data")
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace_tree(src: Path, dest: Path) -> None:
    """Make ``dest`` a copy of ``src``, swapping folders by rename."""
    fresh = dest.with_name(f".{dest.name}.new-{os.getpid()}")
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(src, fresh)
    if dest.exists():
        dest.rename(old)
    fresh.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def publish_site(site: Path, *, repo: Path | None = None, data_dir: Path | None = None,
                 base_url: str = "", allow_dirty: bool = False, echo=print) -> Published:
    """Build the current edition and add it to the versioned site in ``site``.

    Parameters
    ----------
    site : Path
        The site folder: created (with its marker) if absent or empty; otherwise it must be one
        this command created.
    repo, data_dir, allow_dirty
        As for :func:`~.snapshot.make_snapshot`.
    base_url : str, optional
        The site's public address (e.g. ``https://owner.github.io/repo/``): editions then carry
        their permanent address in citations, canonical links and Open Graph tags.
    echo : callable, optional, default: print
        Receives progress lines.

    Raises
    ------
    BlinaError
        The folder is not a site folder, the edition is already published there (its pages are
        never rewritten), another ``blina publish`` is running on it, or the build failed.
    """
    from blina_analysis.data.io import load
    from blina_analysis.publish.provenance import repo_root
    from blina_analysis.publish.editions import EditionOptions, edition_id
    from blina_analysis.publish.snapshot import make_snapshot

    site = prepare_site_folder(site)
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    lock = site / _LOCK
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        raise BlinaError(f"{lock} exists: another `blina publish` is writing this site (if none "
                         f"is running, remove the lock file)") from None
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    try:
        repo = Path(repo or repo_root()).resolve()
        ds = load(Path(data_dir) if data_dir else repo / "data" / "synthetic")
        edition = edition_id(ds.meta.name, ds.meta.version)
        folder = site / edition
        if folder.exists() or edition == LATEST:
            raise BlinaError(
                f"{folder}: edition {edition} is already published in this site, and a "
                f"published edition's pages are never rewritten. A new data cut needs a new "
                f"dataset version; new code, a new book version.")
        entries = read_versions(site)
        previous = None
        if entries:
            latest = site / entries[0].get("path", entries[0]["version"] + "/") / "results.json"
            if latest.is_file():
                previous = latest
                echo(f"the new edition lists what changed since {entries[0]['version']}")
        options = EditionOptions(versioned=True, site_url=base_url, pdf=True)
        snap = make_snapshot(repo, data_dir, site / ARCHIVES, allow_dirty=allow_dirty,
                             previous=previous, options=options, echo=echo)
        if snap.manifest["edition"] != edition:  # data changed under us; never publish a mix
            raise BlinaError(f"the archive is edition {snap.manifest['edition']}, not {edition}")
        _extract_site(snap.archive, folder)
        _replace_tree(folder, site / LATEST)
        ds_meta = snap.manifest["dataset"]
        entry = {
            "version": edition,
            "name": f"{edition} (data cut-off {ds_meta['cutoff_date']})",
            "path": f"{edition}/",
            "url": f"{base_url}{edition}/" if base_url else f"{edition}/",
            "date": (snap.manifest.get("build_date") or "")[:10],
            "data_cutoff": ds_meta["cutoff_date"],
            "dataset": f"{ds_meta['name']} {ds_meta['version']}",
            "source_commit": snap.manifest["source_commit_label"],
            "archive": f"{ARCHIVES}/{snap.archive.name}",
            "sha256": snap.sha256,
            "preferred": True,
        }
        others = [dict(e, preferred=False) for e in entries if e["version"] != edition]
        versions = [entry, *others]
        _write_atomic(site / VERSIONS_FILE, json.dumps(versions, indent=2) + "\n")
        _write_atomic(site / "index.html", _redirect_page(f"{LATEST}/index.html"))
        (site / ".nojekyll").touch()
    finally:
        lock.unlink(missing_ok=True)
    echo(f"published edition {edition} in {folder} ({len(versions)} editions; latest/ is it)")
    return Published(site, edition, folder, snap.archive, snap.sha256, len(versions))
