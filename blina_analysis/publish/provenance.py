"""What a build says about itself: the source commit, the build date, and how it tells the chapters.

The build passes these to the chapters' kernels through environment variables (the names below),
so the chapters print the same commit and date as the footer and ``results.json``. This module
imports nothing heavy: every chapter's kernel imports it.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
import time
from pathlib import Path

from blina_analysis._version import __version__

__all__ = ["DATA_ENV", "COMMIT_ENV", "DATE_ENV", "PREVIOUS_ENV", "HISTORY_ENV", "repo_root", "shipped_data_dir",
           "source_commit", "build_timestamp", "footer_html"]

#: Environment variables through which a build tells the chapters what to read.
DATA_ENV = "BLINA_DATA_DIR"
COMMIT_ENV = "BLINA_SOURCE_COMMIT"
DATE_ENV = "SOURCE_DATE_EPOCH"
#: The earlier edition's results.json, when the build was given one (``--previous``).
PREVIOUS_ENV = "BLINA_PREVIOUS_RESULTS"
#: The earlier editions of the site (``--history``): the "How the results changed" page.
HISTORY_ENV = "BLINA_HISTORY"

#: The ``blina_analysis`` package folder (this module lives in its ``publish/``).
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def repo_root() -> Path:
    """The folder holding ``_config.yml`` and ``_toc.yml`` (the checkout of this package)."""
    return PACKAGE_DIR.parent


def shipped_data_dir() -> Path:
    """The shipped synthetic dataset of this checkout (``data/synthetic``)."""
    return repo_root() / "data" / "synthetic"


def source_commit(root: Path | None = None) -> str:
    """The git commit of the source (``+dirty`` if tracked files changed), or ``unknown``."""
    if os.environ.get(COMMIT_ENV):
        return os.environ[COMMIT_ENV]
    root = root or repo_root()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, text=True,
                                capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               text=True, capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def build_timestamp(root: Path | None = None) -> int:
    """Build time: ``SOURCE_DATE_EPOCH`` if set, else the commit's time (so rebuilds are identical)."""
    if os.environ.get(DATE_ENV):
        return int(os.environ[DATE_ENV])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root or repo_root(),
                             text=True, capture_output=True, check=True).stdout.strip()
        return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return int(time.time())


def footer_html(ds, commit: str, epoch: int, lang: str = "en") -> str:
    """Every page's footer: edition, book version, dataset, its SHA-256, source commit and its
    date (the commit's date, ``SOURCE_DATE_EPOCH``, not the build's: rebuilds stay identical),
    in ``lang`` (the site's words, :mod:`.site_words`; Russian dates as DD.MM.YYYY)."""
    from blina_analysis.publish.editions import edition_id
    from blina_analysis.publish.site_words import words

    say = words(lang)
    meta = ds.meta
    kind = say("synthetic data") if meta.synthetic else say("trial data")
    day = "%Y-%m-%d" if lang == "en" else "%d.%m.%Y"
    date = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime(day)
    text = say("Edition {edition} · version {version} · {kind}: {dataset}, cut-off {cutoff}, "
             "SHA-256 {fingerprint} · source commit {commit}, dated {date}").format(
        edition=edition_id(meta.name, meta.version), version=__version__, kind=kind,
        dataset=f"{meta.name} {meta.version}", cutoff=f"{meta.cutoff_date:{day}}",
        fingerprint=ds.fingerprint[:16], commit=commit, date=date)
    return f'<p class="blina-footer">{html.escape(text)}</p>'
