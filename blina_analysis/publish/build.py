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
from blina_analysis.publish.languages import (
    LANG_ENV,
    PRIMARY,
    book_languages,
    language_config,
    select_languages,
    site_prefix,
)
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
#: What each chapter's kernel imports while the build computes the analysis (it would otherwise
#: import it in its first chapter, after the analysis, with a core left idle meanwhile): the
#: package, pyplot, and the statistics libraries its figures' curves are computed with (the
#: package imports these only where it computes).
CHAPTER_IMPORTS = "import blina_analysis.book, matplotlib.pyplot, lifelines, scipy.stats"


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
    languages: tuple[str, ...] = ("en",)


def _protected(root: Path) -> list[Path]:
    """What an output folder may not be, contain or lie inside: the book's sources, the package."""
    found = [root / rel for rel in book_sources(root)]
    return [*found, root / "_config.yml", root / "blina_analysis", PACKAGE_DIR]


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl-C, or an error raised while Ctrl-C was being handled (a
    KeyboardInterrupt in the middle of a cache write surfaces as the database's own error,
    with the interrupt as its context)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def build_book(data_dir: Path, out_dir: Path, *, root: Path | None = None,
               echo=print, previous: Path | None = None,
               history: Path | None = None,
               languages: tuple[str, ...] | None = None) -> BuildInfo:
    """Build the book from the dataset in ``data_dir`` into ``out_dir``.

    ``previous`` is the ``results.json`` of an earlier edition or data cut: the book then shows
    what changed since (concordance chapter). ``history`` is the earlier editions of the site
    (``history.json``, written by ``blina publish``): the "How the results changed" page shows
    them beside this edition; without it, the page says there is no earlier edition.

    ``languages`` (``--lang``) are the languages to build, default every one ``_config.yml``
    lists (:mod:`.languages`): the book's own at ``out_dir``, each other at ``out_dir/<lang>/``.
    The analysis is computed once for all of them; each language's chapters are executed with
    ``$BLINA_LANG`` (their words) and rendered by a Sphinx of their own, side by side.

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
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    try:
        langs = select_languages(config, tuple(languages) if languages else None)
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    listed = book_languages(config)
    previous_text = _read_previous(previous) if previous is not None else None
    history_text = _read_history(history) if history is not None else None
    commit = source_commit(root)
    epoch = build_timestamp(root)
    key_now = site_key(root, data_dir, commit, epoch, _inputs_text(previous_text, history_text),
                       languages=langs)
    if (done := up_to_date(folders, key_now)) is not None:
        echo(f"up to date: {folders.out} was built from these data, sources, package and "
             "environment; nothing to do")
        return BuildInfo(folders.out, time.monotonic() - started, done["pages"], done["dataset"],
                         done["fingerprint"], cached=tuple(done["chapters"]),
                         build_key=done["build_key"], state_dir=folders.state,
                         languages=tuple(done.get("languages", langs)))
    check_translations()  # a new English sentence cannot ship untranslated
    from blina_analysis.data.io import load  # (pandas: not needed when up to date)

    ds = load(data_dir)  # raises before anything is written
    echo(f"data: {data_dir} ({ds.meta.name} {ds.meta.version}, {len(ds.patients)} patients, "
         f"sha256 {ds.fingerprint[:12]}); languages {', '.join(langs)}")

    with build_lock(folders):
        check_folders(folders, data_dir, root, _protected(root))  # still so, now that we hold it
        # the analysis is computed once, in this process, while the chapters' kernels start
        # (they import the package meanwhile); the chapters of every language load it instead
        # of recomputing it, and only render their words
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blina-analysis")
        staging = Path(tempfile.mkdtemp(prefix="staging-", dir=folders.state))
        try:
            pickled = staging / "analysis.pickle"
            stages = {}
            for lang in langs:
                # the book's own language in the staging folder itself (its pages, cache keys and
                # .buildinfo exactly as a one-language build has them), each other in one below
                where = staging if lang == listed[0] else staging / f"lang-{lang}"
                stages[lang] = _stage(where, root, ds, data_dir, commit, epoch, previous_text,
                                      folders.cache, echo, history_text, lang=lang,
                                      languages=listed, built=langs)
                stages[lang][1][ANALYSIS_ENV] = str(pickled)
            results = pool.submit(_analyse_once, ds, commit, epoch, pickled,
                                  history_text or "", listed[0])
            language_of = {nb: lang for lang, stage in stages.items() for nb in stage[3]}
            src_of = {nb: stage[0] for stage in stages.values() for nb in stage[3]}

            def label(nb: Path) -> str:
                name = chapter_label(str(nb.relative_to(src_of[nb])))
                return name if language_of[nb] == listed[0] else f"{name} [{language_of[nb]}]"

            first = stages[langs[0]]
            primed = prime_cache([nb for stage in stages.values() for nb in stage[3]],
                                 folders.cache, first[1], before_first=results.result,
                                 echo=echo, started=started, label=label,
                                 env_of=lambda nb: {LANG_ENV: language_of[nb]},
                                 warm_up=CHAPTER_IMPORTS)
            runs = _render(stages, listed, staging, folders, root, started, echo, primed)
            if len(langs) == 1 and langs[0] != listed[0]:  # only a further language was built
                html_dir = staging / "_build" / "html"
                html_dir.mkdir(parents=True, exist_ok=True)
                (html_dir / "index.html").write_text(
                    _redirect(f"{langs[0]}/index.html"), encoding="utf-8")
            html_dir = staging / "_build" / "html"
            for lang, (src, _env, _key, notebooks) in stages.items():
                lang_dir = html_dir / site_prefix(lang, listed)
                if lang != listed[0]:
                    (staging / f"lang-{lang}" / "_build" / "html").rename(lang_dir)
                restore_sources(lang_dir, src, root, notebooks)
                (lang_dir / "results.json").write_text(results.result(), encoding="utf-8")
            write_site_marker(html_dir)
            pages = len(list(html_dir.rglob("*.html")))
            swap(html_dir, folders)
            executed = [*primed.executed, *(c for r in runs for c in r.executed)]
            cached = list(dict.fromkeys([*primed.cached, *(c for r in runs for c in r.cached)]))
            record_site(folders, {
                "site_key": key_now, "build_key": first[2], "pages": pages,
                "dataset": f"{ds.meta.name} {ds.meta.version}", "fingerprint": ds.fingerprint,
                "chapters": list(dict.fromkeys([*executed, *cached])), "languages": list(langs)})
            limit_cache(folders.cache, sum(len(stage[3]) for stage in stages.values()))
        except BaseException as exc:
            if _interrupted(exc):
                raise BuildError(f"build interrupted; {folders.out} is unchanged") from None
            raise
        finally:
            # the analysis may still be writing into the staging folder (Ctrl-C, a failure)
            pool.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(staging, ignore_errors=True)
    seconds = time.monotonic() - started
    return BuildInfo(folders.out, seconds, pages, f"{ds.meta.name} {ds.meta.version}",
                     ds.fingerprint, executed=tuple(executed), cached=tuple(cached),
                     build_key=first[2], state_dir=folders.state, languages=langs)


def _render(stages: dict, listed: tuple[str, ...], staging: Path, folders: BuildFolders,
            root: Path, started: float, echo, primed) -> list:
    """Render every language's staged sources with Jupyter Book, side by side (each Sphinx run
    is one process); BuildError with the first failure (the book's own language first)."""
    def one(lang: str):
        src = stages[lang][0]
        where = staging if lang == listed[0] else staging / f"lang-{lang}"
        log = folders.log if lang == listed[0] else folders.state / f"build-{lang}.log"
        say = echo if lang == listed[0] else (lambda line: echo(f"{line} [{lang}]"))
        just = frozenset(c for c in primed.executed if not c.endswith("]")) \
            if lang == listed[0] else frozenset(
                c[:-len(f" [{lang}]")] for c in primed.executed if c.endswith(f" [{lang}]"))
        run = run_jupyter_book(src, where, stages[lang][1], log, started=started, echo=say,
                               shown_root=(src, root), just_executed=just)
        return lang, log, where, run

    with ThreadPoolExecutor(max_workers=len(stages), thread_name_prefix="blina-sphinx") as sphinx:
        done = list(sphinx.map(one, list(stages)))
    for _lang, log, where, run in done:
        if run.returncode != 0 or not (where / "_build" / "html" / "index.html").exists():
            raise BuildError(failure_message(run.lines, folders.out, log, root))
    return [run for *_, run in done]


def _redirect(target: str) -> str:
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={target}"><title>{target}</title>'
            f'</head><body><a href="{target}">{target}</a></body></html>\n')


#: The package's files (path, size, modification time) when its catalogs were last found
#: complete in this process: a process that builds again (a test session) checks them once.
_CATALOGS_COMPLETE: set[tuple] = set()


def check_translations() -> None:
    """Refuse to build while a translation catalog lags behind the code.

    Raises
    ------
    BuildError
        Naming every message missing, untranslated, fuzzy or stale in a catalog
        (:func:`blina_analysis.i18n.check_catalogs`), with its ``file:line``.
    """
    state = tuple(sorted((str(path), path.stat().st_size, path.stat().st_mtime_ns)
                         for path in PACKAGE_DIR.rglob("*")
                         if path.suffix in (".py", ".po", ".pot") and path.is_file()))
    if state in _CATALOGS_COMPLETE:
        return
    problems = check_catalogs()
    if problems:
        raise BuildError(catalog_report(problems))
    _CATALOGS_COMPLETE.add(state)


def _stage(staging: Path, root: Path, ds, data_dir: Path, commit: str, epoch: int,
           previous_text: str | None, cache: Path, echo,
           history_text: str | None = None, *, lang: str = PRIMARY,
           languages: tuple[str, ...] = (PRIMARY,), built: tuple[str, ...] = (PRIMARY,),
           ) -> tuple[Path, dict, str, list[Path]]:
    """Copy the book's sources into ``staging/src``, with the generated configuration of ``lang``
    (one of the book's ``languages``; ``built`` are those this build makes) and the build key in
    every notebook; return the sources, the kernels' environment, the key and the notebooks."""
    src = staging / "src"
    staging.mkdir(parents=True, exist_ok=True)  # a further language's stage is a new folder
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("html", {})["extra_footer"] = footer_html(ds, commit, epoch, lang)
    configure_build(config, ds, commit, epoch, root)  # edition bar, citation, switcher
    language_config(config, lang, languages, built)
    # relative to the staging folder (the cwd of jupyter-book), so that the configuration, and
    # with it Sphinx's .buildinfo, is the same whatever the output folder is called
    config.setdefault("execute", {})["cache"] = os.path.relpath(cache, staging)
    env = dict(os.environ, **{DATA_ENV: str(data_dir), COMMIT_ENV: commit, DATE_ENV: str(epoch),
                              "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", LANG_ENV: lang})
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
    if lang != languages[0]:  # another language's chapters are other notebooks in the cache
        fingerprint += f"+lang={lang}"
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


def _analyse_once(ds, commit: str, epoch: int, pickled: Path, history: str, lang: str) -> str:
    """The analysis of ``ds``, pickled for the chapters to ``pickled``; ``results.json`` as text
    (see :func:`blina_analysis.analyses.results.write_results`).

    Every page's text values are computed too, in the book's own language ``lang``, before the
    analysis is pickled: the chapters of every language then find the analyses behind them done
    (the transplant chapter's models and curves: about 2 s per language at 10,000 patients), and
    those of ``lang`` their sentences too. A page whose values fail is left to its chapter, which
    reports the failure as a failed cell.
    """
    from blina_analysis.analyses import Analysis
    from blina_analysis.analyses.results import write_results
    from blina_analysis.i18n import use_language
    from blina_analysis.publish.editions import build_facts
    from blina_analysis.report.text import PAGES, page_values
    from blina_analysis.report.text.reasons import explain

    an = Analysis(ds)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_results(ds, Path(tmp) / "results.json", commit=commit, epoch=epoch,
                             explain=explain, analysis=an)
        text = path.read_text(encoding="utf-8")
    facts = build_facts(ds.meta, commit, history)
    with use_language(lang):
        for page in PAGES:
            try:
                page_values(page, an, facts)
            except Exception:  # noqa: BLE001 - the chapter computes it again and reports it
                pass
    save_analysis(an, pickled)
    return text
