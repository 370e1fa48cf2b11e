"""Building the book: validate, execute every chapter, build into a staging folder, then swap.

The previous site is replaced only after everything succeeded; if validation, a cell, a Sphinx
warning or Ctrl-C stops the build, the output folder is left exactly as it was. The jobs of a build
each have their module in this package:

* :mod:`.output` — where a build writes: the output folder ``OUT`` (marked ``.blina-build``) and
  its state folder ``OUT.blina-state`` beside it (execution cache ``cache/``, ``build.log``, the
  lock, the staging folder), the checks that refuse any other folder before any work, the lock
  that keeps two builds from interleaving, and the swap;
* :mod:`.provenance` — source commit, build date, footer, and the environment variables that
  tell the chapters what to read;
* :mod:`.sources` — what the book is built from, copied into the staging folder (so nothing else
  in the checkout can end up in the site);
* :mod:`.cache_key` — the build key under which executed chapters are cached (data, package
  source, book version, commit, environment): new data or code re-execute every chapter, an
  unchanged rebuild executes none;
* :mod:`.jupyter_book` — running Jupyter Book (the one function that executes the chapters);
* :mod:`.failure` — what a failed build says first (the chapter, the cell, the exception).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from blina_analysis.errors import BuildError
from blina_analysis.i18n import catalog_report, check_catalogs

# Names that lived in this module before it was split are still importable from it (noqa: F401).
from blina_analysis.publish.editions import configure_build, edition_options
from blina_analysis.publish.cache_key import (  # noqa: F401
    BUILD_KEY_METADATA,
    build_key,
    inject_key,
    kernel_package,
    limit_cache,
    package_digest,
    site_key,
)
from blina_analysis.publish.failure import failure_message
from blina_analysis.publish.execute import ANALYSIS_ENV, prime_cache, save_analysis
from blina_analysis.publish.jupyter_book import chapter_label, run_jupyter_book
from blina_analysis.publish.output import (
    BuildFolders,
    build_lock,
    check_folders,
    record_site,
    swap,
    up_to_date,
    write_site_marker,
)
from blina_analysis.publish.provenance import (  # noqa: F401
    COMMIT_ENV,
    DATA_ENV,
    DATE_ENV,
    HISTORY_ENV,
    PACKAGE_DIR,
    PREVIOUS_ENV,
    build_timestamp,
    footer_html,
    repo_root,
    source_commit,
)
from blina_analysis.publish.sources import book_sources, copy_sources, restore_sources

__all__ = ["BuildInfo", "build_book", "check_translations"]

#: The earlier edition's results.json, copied into the staging folder for the chapters.
PREVIOUS_FILE = "previous_results.json"
#: The earlier editions of the site (``--history``), copied into the staging folder.
HISTORY_FILE = "history.json"


@dataclass(frozen=True)
class BuildInfo:
    """What a finished build produced."""

    out_dir: Path
    seconds: float
    pages: int
    dataset: str
    fingerprint: str
    executed: tuple[str, ...] = ()
    cached: tuple[str, ...] = ()
    build_key: str = ""
    state_dir: Path | None = None


def _protected(root: Path) -> list[Path]:
    """What an output folder may not be, contain or lie inside: the book's sources, the package."""
    found = [root / rel for rel in book_sources(root)]
    return [*found, root / "_config.yml", root / "blina_analysis", PACKAGE_DIR]


def build_book(data_dir: Path, out_dir: Path, *, root: Path | None = None,
               echo=print, previous: Path | None = None,
               history: Path | None = None) -> BuildInfo:
    """Build the book from the dataset in ``data_dir`` into ``out_dir``.

    ``previous`` is the ``results.json`` of an earlier edition or data cut: the book then shows
    what changed since (concordance chapter). ``history`` is the earlier editions of the site
    (``history.json``, written by ``blina publish``): the "How the results changed" page shows
    them beside this edition; without it, the page says there is no earlier edition.

    ``out_dir`` must be absent, empty or a site written by an earlier build, and apart from the
    data and the book's sources (see :mod:`blina_analysis.publish.output`); the build's state
    (execution cache, ``build.log``, lock) lives in ``<out_dir>.blina-state`` beside it. Chapters
    whose build key and code are unchanged since an earlier build into the same ``out_dir`` are
    taken from the execution cache.

    Raises
    ------
    BuildError
        ``out_dir`` or its state folder may not be written (checked first, before anything else),
        a translation catalog lags behind the code (:func:`check_translations`), another build
        into ``out_dir`` is running, a chapter failed, Sphinx warned, or the build was
        interrupted; ``out_dir`` is untouched.
    DataValidationError
        The dataset breaks the data contract (nothing is written).
    """
    root = (root or repo_root()).resolve()
    data_dir = Path(data_dir).resolve()
    folders = BuildFolders.for_output(out_dir)
    check_folders(folders, data_dir, root, _protected(root))  # before any work
    started = time.monotonic()
    previous_text = _read_previous(previous) if previous is not None else None
    history_text = _read_history(history) if history is not None else None
    commit = source_commit(root)
    epoch = build_timestamp(root)
    key_now = site_key(root, data_dir, commit, epoch, _inputs_text(previous_text, history_text))
    if (done := up_to_date(folders, key_now)) is not None:
        echo(f"up to date: {folders.out} was built from these data, sources, package and "
             "environment; nothing to do")
        return BuildInfo(folders.out, time.monotonic() - started, done["pages"], done["dataset"],
                         done["fingerprint"], cached=tuple(done["chapters"]),
                         build_key=done["build_key"], state_dir=folders.state)
    check_translations()  # a new English sentence cannot ship untranslated
    from blina_analysis.data.io import load  # (pandas: not needed when up to date)

    ds = load(data_dir)  # raises before anything is written
    echo(f"data: {data_dir} ({ds.meta.name} {ds.meta.version}, {len(ds.patients)} patients, "
         f"sha256 {ds.fingerprint[:12]})")

    with build_lock(folders):
        check_folders(folders, data_dir, root, _protected(root))  # still so, now that we hold it
        # the analysis is computed once, in this process, while the chapters' kernels start
        # (they import the package meanwhile); the chapters load it instead of recomputing it
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blina-analysis")
        staging = Path(tempfile.mkdtemp(prefix="staging-", dir=folders.state))
        try:
            src, env, key, notebooks = _stage(staging, root, ds, data_dir, commit, epoch,
                                              previous_text, folders.cache, echo,
                                              history_text)
            env[ANALYSIS_ENV] = str(staging / "analysis.pickle")
            results = pool.submit(_analyse_once, ds, commit, epoch, Path(env[ANALYSIS_ENV]))
            primed = prime_cache(notebooks, folders.cache, env, before_first=results.result,
                                 echo=echo, started=started,
                                 label=lambda nb: chapter_label(str(nb.relative_to(src))))
            run = run_jupyter_book(src, staging, env, folders.log, started=started, echo=echo,
                                   shown_root=(src, root),
                                   just_executed=frozenset(primed.executed))
            html_dir = staging / "_build" / "html"
            if run.returncode != 0 or not (html_dir / "index.html").exists():
                raise BuildError(failure_message(run.lines, folders.out, folders.log, root))
            restore_sources(html_dir, src, root, notebooks)
            (html_dir / "results.json").write_text(results.result(), encoding="utf-8")
            write_site_marker(html_dir)
            pages = len(list(html_dir.rglob("*.html")))
            swap(html_dir, folders)
            record_site(folders, {
                "site_key": key_now, "build_key": key, "pages": pages,
                "dataset": f"{ds.meta.name} {ds.meta.version}", "fingerprint": ds.fingerprint,
                "chapters": list(dict.fromkeys([*primed.executed, *primed.cached, *run.executed,
                                                *run.cached]))})
            limit_cache(folders.cache, len(notebooks))
        except KeyboardInterrupt:
            raise BuildError(f"build interrupted; {folders.out} is unchanged") from None
        finally:
            # the analysis may still be writing into the staging folder (Ctrl-C, a failure)
            pool.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(staging, ignore_errors=True)
    seconds = time.monotonic() - started
    return BuildInfo(folders.out, seconds, pages, f"{ds.meta.name} {ds.meta.version}",
                     ds.fingerprint, executed=tuple(primed.executed + run.executed),
                     cached=tuple(dict.fromkeys([*primed.cached, *run.cached])),
                     build_key=key, state_dir=folders.state)


def check_translations() -> None:
    """Refuse to build while a translation catalog lags behind the code.

    Raises
    ------
    BuildError
        Naming every message missing, untranslated, fuzzy or stale in a catalog
        (:func:`blina_analysis.i18n.check_catalogs`), with its ``file:line``.
    """
    problems = check_catalogs()
    if problems:
        raise BuildError(catalog_report(problems))


def _stage(staging: Path, root: Path, ds, data_dir: Path, commit: str, epoch: int,
           previous_text: str | None, cache: Path, echo,
           history_text: str | None = None) -> tuple[Path, dict, str, list[Path]]:
    """Copy the book's sources into ``staging/src``, with the generated configuration and the
    build key in every notebook; return the sources, the kernels' environment, the key and the
    notebooks."""
    src = staging / "src"
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("html", {})["extra_footer"] = footer_html(ds, commit, epoch)
    configure_build(config, ds, commit, epoch, root)  # edition bar, citation, switcher
    # relative to the staging folder (the cwd of jupyter-book), so that the configuration, and
    # with it Sphinx's .buildinfo, is the same whatever the output folder is called
    config.setdefault("execute", {})["cache"] = os.path.relpath(cache, staging)
    env = dict(os.environ, **{DATA_ENV: str(data_dir), COMMIT_ENV: commit, DATE_ENV: str(epoch),
                              "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"})
    # chapters show how the edition is published (the citation's address): part of the key
    fingerprint = ds.fingerprint + edition_options().to_env()
    if previous_text is not None:
        (staging / PREVIOUS_FILE).write_text(previous_text, encoding="utf-8")
        env[PREVIOUS_ENV] = str(staging / PREVIOUS_FILE)
        fingerprint += hashlib.sha256(previous_text.encode()).hexdigest()
    env.pop(HISTORY_ENV, None)
    if history_text is not None:
        (staging / HISTORY_FILE).write_text(history_text, encoding="utf-8")
        env[HISTORY_ENV] = str(staging / HISTORY_FILE)
        fingerprint += "history" + hashlib.sha256(history_text.encode()).hexdigest()
    key = build_key(fingerprint, commit, kernel_package(env))
    notebooks = copy_sources(root, src, config)
    for nb in notebooks:
        inject_key(nb, key)
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    mode = (config.get("execute") or {}).get("execute_notebooks")
    echo(f"execution: {mode}; cache {cache} (build key {key[:12]})")
    return src, env, key, notebooks


def _read_json(path: Path, option: str, name: str) -> tuple[str, object]:
    """The text of the JSON file given as ``option`` and what it holds; BuildError if unreadable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        return text, json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(f"{option} {path}: not a readable {name} ({exc})") from None


def _read_previous(path: Path) -> str:
    """The text of an earlier ``results.json``; BuildError if it is not one."""
    text, doc = _read_json(path, "--previous", "results.json")
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict):
        raise BuildError(f"--previous {path}: not a results.json (no 'results' mapping)")
    return text


def _inputs_text(previous_text: str | None, history_text: str | None) -> str | None:
    """What a site depends on beyond its data and sources: the earlier edition and history."""
    if history_text is None:
        return previous_text
    return (previous_text or "") + "\0history\0" + history_text


def _read_history(path: Path) -> str:
    """The text of a ``history.json`` (earlier editions); BuildError if it is not one."""
    text, doc = _read_json(path, "--history", "history.json")
    editions = doc.get("editions") if isinstance(doc, dict) else None
    if not isinstance(editions, list) or not all(
            isinstance(e, dict) and isinstance(e.get("results"), dict)
            and isinstance(e["results"].get("results"), dict) for e in editions):
        raise BuildError(f"--history {path}: not a history.json (an 'editions' list, each with "
                         f"the 'results' of an earlier edition's results.json)")
    return text


def _analyse_once(ds, commit: str, epoch: int, pickled: Path) -> str:
    """The analysis of ``ds``, pickled for the chapters to ``pickled``; ``results.json`` as text
    (see :func:`blina_analysis.analyses.results.write_results`)."""
    from blina_analysis.analyses import Analysis
    from blina_analysis.analyses.results import write_results
    from blina_analysis.report.text.reasons import explain

    an = Analysis(ds)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_results(ds, Path(tmp) / "results.json", commit=commit, epoch=epoch,
                             explain=explain, analysis=an)
        text = path.read_text(encoding="utf-8")
    save_analysis(an, pickled)
    return text
