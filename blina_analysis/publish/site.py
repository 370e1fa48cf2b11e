"""``blina publish --site DIR``: add the current edition to a versioned, multi-edition site.

The site folder::

    DIR/<edition>/          one folder per edition: its pages, PDF, downloads, results.json
    DIR/latest/             a copy of the newest edition
    DIR/index.html          goes to latest/
    DIR/versions.json       every edition, newest first (identifier, date, data cut-off, URL,
                            archive and its SHA-256, a withdrawal with its date and reason);
                            read by the pages' edition switcher and banners
    DIR/feed.xml            an Atom 1.0 feed: an entry per edition and per withdrawal
    DIR/archives/           each edition's archive, checksum and manifest (``blina verify``)
    DIR/.nojekyll           GitHub Pages serves folders starting with ``_`` as they are
    DIR/.blina-site         marks a folder this command created (it writes into no other)

Publishing an edition never rewrites an earlier edition's folder or archive: only
``versions.json``, ``feed.xml``, ``latest/`` and ``index.html`` change, so a cited address keeps
showing what was cited. The new edition's pages are the pages inside its archive, byte for byte;
its "How the results changed" page is made from the earlier editions' ``results.json``
(``history.json`` in its archive).

Withdrawal (:func:`withdraw_edition`) works as journals retract: the edition stays readable and
its archive stays; ``versions.json`` records the date and the reason, and the pages show a banner
read from it at view time, so no archived file is rewritten. ``latest/`` is always the newest
edition not withdrawn.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from blina_analysis.errors import BlinaError, BuildError

__all__ = ["MARKER", "VERSIONS_FILE", "FEED_FILE", "LATEST", "ARCHIVES", "Published",
           "publish_site", "prepare_site_folder", "read_versions", "withdraw_edition",
           "reinstate_edition", "feed_xml", "today"]

#: The file marking a site folder that ``blina publish`` created.
MARKER = ".blina-site"
VERSIONS_FILE = "versions.json"
FEED_FILE = "feed.xml"
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
            f"<link rel=\"canonical\" href=\"{t}\">\n"
            f"<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{FEED_FILE}\">\n"
            "</head>\n"
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
    BuildError
        Ctrl-C while the edition was built or printed: no edition was added to the site.
    """
    from blina_analysis.data.io import load
    from blina_analysis.publish.provenance import repo_root
    from blina_analysis.publish.editions import EditionOptions, edition_id
    from blina_analysis.publish.snapshot import make_snapshot

    site = prepare_site_folder(site)
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    with _site_lock(site):
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
        standing = [e for e in entries if not e.get("withdrawn")]
        if standing:
            latest = _results_path(site, standing[0])
            if latest.is_file():
                previous = latest
                echo(f"the new edition lists what changed since {standing[0]['version']}")
        history = _write_history(site, entries)
        options = EditionOptions(versioned=True, site_url=base_url, pdf=True)
        try:
            snap = make_snapshot(repo, data_dir, site / ARCHIVES, allow_dirty=allow_dirty,
                                 previous=previous, history=history, options=options, echo=echo)
        except KeyboardInterrupt:  # Ctrl-C while the edition is built or printed
            raise BuildError(f"publishing interrupted; no edition was added to {site}") from None
        finally:
            history.unlink(missing_ok=True)
        if snap.manifest["edition"] != edition:  # data changed under us; never publish a mix
            raise BlinaError(f"the archive is edition {snap.manifest['edition']}, not {edition}")
        _extract_site(snap.archive, folder)
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
        others = [e for e in entries if e["version"] != edition]
        versions = _mark_preferred([entry, *others])
        _write_site_files(site, versions)
    echo(f"published edition {edition} in {folder} ({len(versions)} editions; latest/ is it)")
    return Published(site, edition, folder, snap.archive, snap.sha256, len(versions))


# --- the site's own files ---------------------------------------------------------------------


@contextlib.contextmanager
def _site_lock(site: Path):
    """Hold the site's lock (one ``blina publish`` at a time writes a site)."""
    lock = site / _LOCK
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        raise BlinaError(f"{lock} exists: another `blina publish` is writing this site (if none "
                         f"is running, remove the lock file)") from None
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _results_path(site: Path, entry: dict) -> Path:
    return site / entry.get("path", entry["version"] + "/") / "results.json"


def _write_history(site: Path, entries: list[dict]) -> Path:
    """``history.json`` of the editions already in the site (oldest first), for the new one."""
    from blina_analysis.report.text.history import history_document

    earlier = []
    for e in reversed(entries):
        path = _results_path(site, e)
        if path.is_file():
            earlier.append((json.loads(path.read_text(encoding="utf-8")), e.get("withdrawn")))
    fd, name = tempfile.mkstemp(prefix="blina-history-", suffix=".json")
    os.close(fd)
    out = Path(name)
    out.write_text(history_document(earlier), encoding="utf-8")
    return out


def _mark_preferred(versions: list[dict]) -> list[dict]:
    """The newest edition not withdrawn is the preferred one (``latest/``)."""
    newest = next((e["version"] for e in versions if not e.get("withdrawn")), None)
    return [dict(e, preferred=e["version"] == newest) for e in versions]


def _write_site_files(site: Path, versions: list[dict]) -> None:
    """``versions.json``, ``feed.xml``, ``index.html``, ``.nojekyll``; ``latest/`` made the
    preferred edition if it is not already."""
    preferred = next(e for e in versions if e["preferred"])
    folder = site / preferred.get("path", preferred["version"] + "/")
    if _edition_of_folder(site / LATEST) != preferred["version"]:
        _replace_tree(folder, site / LATEST)
    _write_atomic(site / VERSIONS_FILE, json.dumps(versions, indent=2) + "\n")
    _write_atomic(site / FEED_FILE, feed_xml(site, versions))
    _write_atomic(site / "index.html", _redirect_page(f"{LATEST}/index.html"))
    (site / ".nojekyll").touch()


def _edition_of_folder(folder: Path) -> str | None:
    path = folder / "results.json"
    if not path.is_file():
        return None
    from blina_analysis.publish.editions import edition_of

    return edition_of(json.loads(path.read_text(encoding="utf-8")))


def today() -> str:
    """The date of a withdrawal: ``SOURCE_DATE_EPOCH``'s day if set (reproducible), else today
    (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch
              else dt.datetime.now(dt.timezone.utc))
    return moment.strftime("%Y-%m-%d")


# --- withdrawal ---------------------------------------------------------------------------------


def _find(site: Path, versions: list[dict], edition: str) -> dict:
    found = next((e for e in versions if e["version"] == edition), None)
    if found is None:
        listed = ", ".join(e["version"] for e in versions) or "none"
        raise BlinaError(f"{site}: edition {edition} is not published in this site (its editions: "
                         f"{listed})")
    return found


def withdraw_edition(site: Path, edition: str, reason: str, *, date: str | None = None,
                     echo=print) -> dict:
    """Mark ``edition`` as withdrawn in ``versions.json``, with ``reason`` and ``date``.

    Its folder and archive are left as they are (its pages read the withdrawal from
    ``versions.json``); ``latest/`` moves to the newest edition not withdrawn if it was this one;
    the feed gets an entry for the withdrawal. Returns the edition's new entry.

    Raises
    ------
    BlinaError
        No reason, the folder is not a site, the edition is not in it, it is already withdrawn,
        or no other edition would remain for readers (the only edition, say).
    """
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise BlinaError('a withdrawal needs its reason: --reason "..." (readers see it on every '
                         'page of the edition)')
    site = _existing_site(site)
    with _site_lock(site):
        versions = read_versions(site)
        entry = _find(site, versions, edition)
        if entry.get("withdrawn"):
            raise BlinaError(f"edition {edition} was already withdrawn on "
                             f"{entry['withdrawn'].get('date')}")
        if not any(e["version"] != edition and not e.get("withdrawn") for e in versions):
            raise BlinaError(
                f"edition {edition} is the only edition of {site} not withdrawn: withdrawing it "
                f"would leave readers no edition. Publish a corrected edition first, then "
                f"withdraw this one.")
        when = date or today()
        marked = [dict(e, withdrawn={"date": when, "reason": reason})
                  if e["version"] == edition else e for e in versions]
        marked = [{k: v for k, v in e.items() if k != "reinstated"} if e["version"] == edition
                  else e for e in marked]
        versions = _mark_preferred(marked)
        _write_site_files(site, versions)
    echo(f"withdrew edition {edition} on {when}; latest/ is "
         f"{next(e['version'] for e in versions if e['preferred'])}")
    return _find(site, versions, edition)


def reinstate_edition(site: Path, edition: str, *, date: str | None = None, echo=print) -> dict:
    """Undo :func:`withdraw_edition`: the edition is no longer withdrawn (the feed says so).

    Raises
    ------
    BlinaError
        The folder is not a site, the edition is not in it, or it is not withdrawn.
    """
    site = _existing_site(site)
    with _site_lock(site):
        versions = read_versions(site)
        entry = _find(site, versions, edition)
        if not entry.get("withdrawn"):
            raise BlinaError(f"edition {edition} is not withdrawn; there is nothing to reinstate")
        when = date or today()
        changed = []
        for e in versions:
            if e["version"] == edition:
                e = {k: v for k, v in e.items() if k != "withdrawn"}
                e["reinstated"] = {"date": when, "withdrawn": entry["withdrawn"]}
            changed.append(e)
        versions = _mark_preferred(changed)
        _write_site_files(site, versions)
    echo(f"reinstated edition {edition} on {when}; latest/ is "
         f"{next(e['version'] for e in versions if e['preferred'])}")
    return _find(site, versions, edition)


def _existing_site(site: Path) -> Path:
    site = Path(site).resolve()
    if not (site / MARKER).is_file() or not (site / VERSIONS_FILE).is_file():
        raise BlinaError(f"{site}: not a site of `blina publish` (no {MARKER} and "
                         f"{VERSIONS_FILE}); there is no edition to withdraw or reinstate")
    return site


# --- the feed -----------------------------------------------------------------------------------

_ATOM = "http://www.w3.org/2005/Atom"


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _entry_id(entry: dict, event: str = "") -> str:
    url = entry.get("url", "")
    if url.startswith(("http://", "https://")):
        return url + (f"#{event}" if event else "")
    return f"urn:blina-edition:{entry['version']}" + (f":{event}" if event else "")


def feed_xml(site: Path, versions: list[dict]) -> str:
    """The Atom 1.0 feed of the site: an entry per edition (title, data cut-off, link, date,
    its largest changes by reader labels) and per withdrawal or reinstatement; newest first.

    Deterministic: made only from ``versions.json`` and the editions' ``results.json``, its
    ``updated`` the newest entry's date.
    """
    from xml.sax.saxutils import escape, quoteattr

    from blina_analysis.report.text import history as words

    oldest_first = list(reversed(versions))
    events = []  # (date, order, xml)
    previous_doc = None
    for order, e in enumerate(oldest_first):
        path = _results_path(site, e)
        doc = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        cutoff = e.get("data_cutoff", "")
        summary = words.feed_summary(previous_doc, doc) if doc else ""
        if doc is not None:
            previous_doc = doc
        events.append((e.get("date", ""), order, 0, _feed_entry(
            _entry_id(e), words.feed_title(e["version"], cutoff), e.get("url", ""),
            e.get("date", ""), summary)))
        if e.get("withdrawn"):
            w = e["withdrawn"]
            events.append((w["date"], order, 1, _feed_entry(
                _entry_id(e, "withdrawn"), words.withdrawal_title(e["version"]),
                e.get("url", ""), w["date"],
                words.withdrawal_summary(e["version"], w["date"], w["reason"]))))
        if e.get("reinstated"):
            r = e["reinstated"]
            events.append((r["date"], order, 2, _feed_entry(
                _entry_id(e, "reinstated"), words.reinstatement_title(e["version"]),
                e.get("url", ""), r["date"], words.reinstatement_summary(e["version"], r["date"]))))
    events.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    preferred = next((e for e in versions if e.get("preferred")), versions[0])
    base = preferred.get("url", "")[: -len(preferred.get("path", ""))] \
        if preferred.get("url", "").endswith(preferred.get("path", "")) else ""
    updated = max((item[0] for item in events if item[0]), default="1970-01-01")
    feed_id = (base + FEED_FILE) if base.startswith(("http://", "https://")) \
        else "urn:blina-living-publication:editions"
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{_ATOM}">',
        f"  <title>{escape(words.FEED_TITLE)}</title>",
        f"  <subtitle>{escape(words.FEED_SUBTITLE)}</subtitle>",
        f"  <id>{escape(feed_id)}</id>",
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + FEED_FILE)}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + LATEST + '/')}/>",
        f"  <author><name>{escape(_authors())}</name></author>",
    ]
    return "\n".join([*head, *(item[3] for item in events), "</feed>"]) + "\n"


def _feed_entry(entry_id: str, title: str, url: str, day: str, summary: str) -> str:
    from xml.sax.saxutils import escape, quoteattr

    lines = ["  <entry>", f"    <title>{escape(title)}</title>", f"    <id>{escape(entry_id)}</id>",
             f"    <updated>{_stamp(day or '1970-01-01')}</updated>"]
    if url:
        lines.append(f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>")
    if summary:
        lines.append(f"    <summary>{escape(summary)}</summary>")
    return "\n".join([*lines, "  </entry>"])


def _authors() -> str:
    from blina_analysis.publish.editions import citation_metadata
    from blina_analysis.publish.provenance import repo_root

    authors = citation_metadata(repo_root())["authors"]
    names = [" ".join(p for p in (a["given"], a["family"]) if p) for a in authors]
    return ", ".join(n for n in names if n) or "Blinatumomab living publication"
