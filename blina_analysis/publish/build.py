"""Building the book: validate, execute every chapter, build into a staging folder, then swap.

The previous site is replaced only after everything succeeded; if validation, a cell, a Sphinx
warning or Ctrl-C stops the build, the output folder is left exactly as it was.

Rebuilds are incremental but never stale:

* The book's sources (``_toc.yml``, the pages it lists, their folders, the bibliography) are
  copied into the staging folder and built from there, so nothing else in the checkout (caches,
  test output, data) can end up in the site.
* Chapters are executed through jupyter-cache (``execute_notebooks: cache``); the cache lives next
  to the output folder (``<out_dir>/../.jupyter_cache``, so ``_build/.jupyter_cache`` by default)
  and is never published. jupyter-cache matches a notebook by the source and metadata of its code
  cells (and its kernelspec) only, so every copied notebook gets a *build key* in the metadata of
  its first code cell: a SHA-256 of the data fingerprint, the source of the package the kernel
  imports, the book version, the source commit (which the chapters print), the Python version and
  every installed distribution's version. New data, new code or a new environment therefore
  re-execute every chapter; an unchanged rebuild executes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from blina_analysis._version import __version__
from blina_analysis.errors import BuildError
from blina_analysis.publish.execute import ANALYSIS_ENV, prime_cache, save_analysis

__all__ = ["BuildInfo", "build_book", "source_commit", "build_timestamp", "DATA_ENV", "repo_root",
           "book_sources", "build_key", "package_digest", "CACHE_DIR_NAME", "BUILD_KEY_METADATA"]

#: Environment variables through which a build tells the chapters what to read.
DATA_ENV = "BLINA_DATA_DIR"
COMMIT_ENV = "BLINA_SOURCE_COMMIT"
DATE_ENV = "SOURCE_DATE_EPOCH"
#: The earlier edition's results.json, when the build was given one (``--previous``).
PREVIOUS_ENV = "BLINA_PREVIOUS_RESULTS"
PREVIOUS_FILE = "previous_results.json"

#: The execution cache, a sibling of the output folder (never inside it: it is not published).
CACHE_DIR_NAME = ".jupyter_cache"
#: Cell-metadata key of the build key injected into each notebook's first code cell.
BUILD_KEY_METADATA = "blina_build_key"
#: Cached notebooks kept per notebook of the book (older ones are dropped, least recently used).
_CACHE_GENERATIONS = 4

# Never copied into the staging source tree.
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".pytest_cache",
                               ".hypothesis", ".jupyter_cache", "_build", ".DS_Store", "*.swp",
                               "*~")


#: The ``blina_analysis`` package folder (this module lives in its ``publish/``).
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def repo_root() -> Path:
    """The folder holding ``_config.yml`` and ``_toc.yml`` (the checkout of this package)."""
    return _PACKAGE_DIR.parent


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


def _footer(ds, commit: str, epoch: int) -> str:
    from blina_analysis.publish.editions import edition_id

    meta = ds.meta
    kind = "synthetic data" if meta.synthetic else "trial data"
    # the commit's date (SOURCE_DATE_EPOCH), not the build's: rebuilds stay byte-identical
    date = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d")
    text = (f"Edition {edition_id(meta.name, meta.version)} · version {__version__} · {kind}: "
            f"{meta.name} {meta.version}, cut-off {meta.cutoff_date:%Y-%m-%d}, SHA-256 "
            f"{ds.fingerprint[:16]} · source commit {commit}, dated {date}")
    return f'<p class="blina-footer">{html.escape(text)}</p>'


def _jupyter_book() -> str:
    candidate = Path(sys.executable).parent / "jupyter-book"
    return str(candidate) if candidate.exists() else (shutil.which("jupyter-book") or "jupyter-book")


# --- the book's sources -----------------------------------------------------------------------

def _toc_files(node) -> list[str]:
    """Every ``file:`` (and ``root:``) entry of a ``_toc.yml`` tree, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        for key in ("root", "file"):
            if isinstance(node.get(key), str):
                found.append(node[key])
        for value in node.values():
            if isinstance(value, (list, dict)):
                found.extend(_toc_files(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_toc_files(item))
    return found


def _resolve_page(root: Path, name: str) -> Path | None:
    for suffix in ("", ".md", ".ipynb", ".rst"):
        candidate = root / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def book_sources(root: Path, config: dict | None = None) -> list[Path]:
    """What the book is built from, relative to ``root`` (``_config.yml`` excluded: generated).

    ``_toc.yml``; each page of the table of contents at the top level; each folder holding a page
    (whole, for its images and includes); the bibliography files; ``logo``/``favicon``; and the
    ``_static``/``_templates`` folders if present.
    """
    root = Path(root)
    if config is None:
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    wanted: list[str] = ["_toc.yml"]
    for name in _toc_files(toc):
        page = _resolve_page(root, name)
        if page is None:
            continue  # jupyter-book reports the missing page itself
        rel = page.relative_to(root)
        wanted.append(rel.parts[0] if len(rel.parts) > 1 else str(rel))
    wanted += [str(b) for b in (config.get("bibtex_bibfiles") or [])]
    for value in (config.get("logo"), (config.get("html") or {}).get("favicon")):
        if value:
            wanted.append(str(value))
    wanted += ["_static", "_templates"]
    out: list[Path] = []
    for rel in dict.fromkeys(wanted):
        if (root / rel).exists() and Path(rel) not in out:
            out.append(Path(rel))
    return out


def _copy_sources(root: Path, dest: Path, config: dict) -> list[Path]:
    """Copy the book's sources into ``dest``; return the copied notebooks (pages with code)."""
    dest.mkdir(parents=True, exist_ok=True)
    for rel in book_sources(root, config):
        src, dst = root / rel, dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=_JUNK)
        else:
            shutil.copy2(src, dst)
    toc = yaml.safe_load((dest / "_toc.yml").read_text(encoding="utf-8")) or {}
    pages = [_resolve_page(dest, name) for name in _toc_files(toc)]
    return [p for p in dict.fromkeys(pages) if p is not None and p.suffix in (".md", ".ipynb")]


# --- the build key ----------------------------------------------------------------------------

def _digest_tree(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
            continue
        h.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _kernel_package(env: dict) -> Path:
    """The folder of the ``blina_analysis`` that a kernel with ``env`` imports (not importing it)."""
    probe = ("import importlib.util as u; s = u.find_spec('blina_analysis'); "
             "print(s.origin if s else '')")
    try:
        out = subprocess.run([sys.executable, "-c", probe], env=env, text=True,
                             capture_output=True, check=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return Path(out).parent if out else _PACKAGE_DIR


def package_digest(package_dir: Path | None = None) -> str:
    """SHA-256 of every file of the package (Python source, published data, style)."""
    return _digest_tree(Path(package_dir or _PACKAGE_DIR))


def _environment_digest() -> str:
    from importlib.metadata import distributions

    dists = sorted({(d.metadata["Name"] or "").lower(): d.version
                    for d in distributions()}.items())
    return hashlib.sha256(json.dumps([sys.version, platform.machine(), dists]).encode()).hexdigest()


def build_key(fingerprint: str, commit: str, package_dir: Path | None = None) -> str:
    """The key that an executed chapter is valid for (see the module docstring)."""
    parts = {"data": fingerprint, "package": package_digest(package_dir),
             "book_version": __version__, "commit": commit, "environment": _environment_digest()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-cell\}[^\n]*\n", re.M)


def _inject_key(notebook: Path, key: str) -> bool:
    """Put ``key`` in the metadata of the first code cell of ``notebook`` (``.md`` or ``.ipynb``)."""
    if notebook.suffix == ".ipynb":
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code":
                cell.setdefault("metadata", {})[BUILD_KEY_METADATA] = key
                notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
                return True
        return False
    text = notebook.read_text(encoding="utf-8")
    m = _FENCE.search(text)
    if m is None:
        return False
    at = m.end()
    if text.startswith("---\n", at):  # options as a YAML block: add a key inside it
        at += 4
        line = f"{BUILD_KEY_METADATA}: {key}\n"
    else:
        line = f":{BUILD_KEY_METADATA}: {key}\n"
    notebook.write_text(text[:at] + line + text[at:], encoding="utf-8")
    return True


def _limit_cache(cache_dir: Path, notebooks: int) -> None:
    """Keep the execution cache from growing without bound (least recently used are dropped)."""
    try:
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        cache.change_cache_limit(max(10, _CACHE_GENERATIONS * notebooks))
        cache.truncate_caches()
    except Exception:  # noqa: BLE001 - pruning is housekeeping, never a reason to fail a build
        pass


# --- running jupyter-book ---------------------------------------------------------------------

_EXEC_START = re.compile(r"(\S+\.(?:md|ipynb)): Executing notebook")
_EXEC_DONE = re.compile(r"(\S+\.(?:md|ipynb)): Executed notebook in ([\d.]+) seconds")
_CACHE_HIT = re.compile(r"(\S+\.(?:md|ipynb)): Using cached notebook")
_PROBLEM = re.compile(r"(WARNING|ERROR|Error|Exception|Traceback)")
_NOISE = re.compile(r"Kernel is running over TCP without encryption")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build_book(data_dir: Path, out_dir: Path, *, root: Path | None = None,
               echo=print, previous: Path | None = None) -> BuildInfo:
    """Build the book from the dataset in ``data_dir`` into ``out_dir``.

    ``previous`` is the ``results.json`` of an earlier edition or data cut: the book then shows
    what changed since (concordance chapter).

    Chapters whose build key and code are unchanged since a previous build with the same
    ``out_dir`` parent are taken from the execution cache (``<out_dir>/../.jupyter_cache``).

    Raises
    ------
    DataValidationError
        The dataset breaks the data contract (nothing is written).
    BuildError
        A chapter failed, Sphinx warned, or the build was interrupted; ``out_dir`` is untouched.
    """
    from blina_analysis.analyses import Analysis
    from blina_analysis.data.io import load

    root = (root or repo_root()).resolve()
    data_dir = Path(data_dir).resolve()
    out_dir = Path(out_dir).resolve()
    started = time.monotonic()
    ds = load(data_dir)  # raises before anything is written
    previous_text = _read_previous(previous) if previous is not None else None
    commit = source_commit(root)
    epoch = build_timestamp(root)
    echo(f"data: {data_dir} ({ds.meta.name} {ds.meta.version}, {len(ds.patients)} patients, "
         f"sha256 {ds.fingerprint[:12]})")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    cache_dir = out_dir.parent / CACHE_DIR_NAME
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    src = staging / "src"
    log = None
    try:
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
        config.setdefault("html", {})["extra_footer"] = _footer(ds, commit, epoch)
        from blina_analysis.publish.editions import configure_build, edition_options
        configure_build(config, ds, commit, epoch, root)  # edition bar, citation, switcher
        # relative to the staging folder (the cwd of jupyter-book), so that the configuration, and
        # with it Sphinx's .buildinfo, is the same whatever the output folder is called
        config.setdefault("execute", {})["cache"] = os.path.relpath(cache_dir, staging)
        env = dict(os.environ, **{DATA_ENV: str(data_dir), COMMIT_ENV: commit,
                                  DATE_ENV: str(epoch), "PYTHONHASHSEED": "0",
                                  "MPLBACKEND": "Agg"})
        # chapters show how the edition is published (the citation's address): part of the key
        fingerprint = ds.fingerprint + edition_options().to_env()
        if previous_text is not None:
            (staging / PREVIOUS_FILE).write_text(previous_text, encoding="utf-8")
            env[PREVIOUS_ENV] = str(staging / PREVIOUS_FILE)
            fingerprint += hashlib.sha256(previous_text.encode()).hexdigest()
        key = build_key(fingerprint, commit, _kernel_package(env))
        notebooks = _copy_sources(root, src, config)
        for nb in notebooks:
            _inject_key(nb, key)
        (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                         encoding="utf-8")
        mode = (config.get("execute") or {}).get("execute_notebooks")
        echo(f"execution: {mode}; cache {cache_dir} (build key {key[:12]})")
        # the analysis is computed once, here, while the one kernel of the chapters starts
        results: dict[str, str] = {}
        env[ANALYSIS_ENV] = str(staging / "analysis.pickle")

        def compute_once() -> None:
            an = Analysis(ds)
            results["json"] = _results_json(ds, commit, epoch, an)
            save_analysis(an, Path(env[ANALYSIS_ENV]))

        primed = prime_cache(notebooks, cache_dir, env, before_first=compute_once, echo=echo,
                             started=started, label=lambda p: _chapter(str(p.relative_to(src))),
                             timeout=int((config.get("execute") or {}).get("timeout", 600)))
        cmd = [_jupyter_book(), "build", str(src), "--path-output", str(staging),
               "--config", str(src / "_config.yml"), "--builder", "html",
               "--warningiserror", "--keep-going"]
        log = _run(cmd, env, staging / "build.log", started, echo, cwd=staging,
                   shown_root=(src, root), just_executed=set(primed.executed))
        html_dir = staging / "_build" / "html"
        if log.returncode != 0 or not (html_dir / "index.html").exists():
            raise BuildError(_failure_message(log.lines, staging / "build.log", out_dir))
        _restore_sources(html_dir, src, root, notebooks)
        (html_dir / "results.json").write_text(results["json"], encoding="utf-8")
        pages = len(list(html_dir.rglob("*.html")))
        _swap(html_dir, out_dir)
        _limit_cache(cache_dir, len(notebooks))
    except KeyboardInterrupt:
        raise BuildError(f"build interrupted; {out_dir} is unchanged") from None
    finally:
        if (staging / "build.log").exists():
            shutil.copy2(staging / "build.log", out_dir.parent / "build.log")
        shutil.rmtree(staging, ignore_errors=True)
    seconds = time.monotonic() - started
    return BuildInfo(out_dir, seconds, pages, f"{ds.meta.name} {ds.meta.version}", ds.fingerprint,
                     executed=tuple(primed.executed + log.executed),
                     cached=tuple(dict.fromkeys(
                         [*primed.cached, *(c for c in log.cached if c not in primed.executed)])),
                     build_key=key)


def _read_previous(path: Path) -> str:
    """The text of an earlier ``results.json``; BuildError if it is not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(f"--previous {path}: not a readable results.json ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict):
        raise BuildError(f"--previous {path}: not a results.json (no 'results' mapping)")
    return text


def _restore_sources(html_dir: Path, src: Path, root: Path, notebooks: list[Path]) -> None:
    """Publish the pages' sources as written (``_sources/``), without the injected build key."""
    for nb in notebooks:
        rel = nb.relative_to(src)
        for published in (html_dir / "_sources" / rel,
                          html_dir / "_sources" / rel.with_name(rel.name + ".txt")):
            if published.is_file() and (root / rel).is_file():
                shutil.copyfile(root / rel, published)


def _results_json(ds, commit: str, epoch: int, an=None) -> str:
    """``results.json`` as text (see :func:`blina_analysis.analyses.results.write_results`)."""
    from blina_analysis.analyses.results import write_results

    with tempfile.TemporaryDirectory() as tmp:
        path = write_results(ds, Path(tmp) / "results.json", commit=commit, epoch=epoch,
                             analysis=an)
        return path.read_text(encoding="utf-8")


@dataclass
class _Log:
    returncode: int
    lines: list[str]
    executed: list[str]
    cached: list[str]


def _run(cmd, env, log_path: Path, started: float, echo, *, cwd: Path | None = None,
         shown_root: tuple[Path, Path] | None = None, just_executed=()) -> _Log:
    """Run jupyter-book, echoing progress; paths in the staging copy are shown as in ``root``.

    Chapters in ``just_executed`` (executed by this build before jupyter-book ran) are cache hits
    that are not echoed as such.
    """
    lines: list[str] = []
    executed: list[str] = []
    cached: list[str] = []
    with open(log_path, "w", encoding="utf-8") as log, subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            bufsize=1, cwd=cwd) as proc:
        try:
            for line in proc.stdout:
                if shown_root is not None:
                    line = line.replace(str(shown_root[0]), str(shown_root[1]))
                log.write(line)
                line = _ANSI.sub("", line.rstrip("\n"))
                lines.append(line)
                if m := _EXEC_START.search(line):
                    echo(f"  [{time.monotonic() - started:5.1f} s] executing {_chapter(m.group(1))}")
                    executed.append(_chapter(m.group(1)))
                elif m := _EXEC_DONE.search(line):
                    echo(f"  [{time.monotonic() - started:5.1f} s] executed {_chapter(m.group(1))} "
                         f"in {float(m.group(2)):.1f} s")
                elif (m := _CACHE_HIT.search(line)) and _chapter(m.group(1)) in just_executed:
                    cached.append(_chapter(m.group(1)))
                elif m:
                    echo(f"  [{time.monotonic() - started:5.1f} s] cached {_chapter(m.group(1))} "
                         "(unchanged code, data and environment)")
                    cached.append(_chapter(m.group(1)))
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait()
            raise
        proc.wait()
    return _Log(proc.returncode, lines, executed, cached)


def _chapter(path: str) -> str:
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name == "chapters" else p.name


def _failure_message(lines: list[str], log_path: Path, out_dir: Path) -> str:
    problems = [ln for ln in lines if _PROBLEM.search(ln) and not _NOISE.search(ln)]
    shown = "\n".join(f"  {ln}" for ln in problems[-40:]) or "\n".join(lines[-20:])
    return (f"the book did not build; {out_dir} is unchanged.\n{shown}\n"
            f"(full log: {out_dir.parent / 'build.log'})")


def _swap(new: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``new`` with two renames on one file system."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(old)
    try:
        new.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
