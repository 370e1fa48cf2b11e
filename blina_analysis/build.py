"""Building the book: validate, execute every chapter, build into a staging folder, then swap.

The previous site is replaced only after everything succeeded; if validation, a cell, a Sphinx
warning or Ctrl-C stops the build, the output folder is left exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import html
import os
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

__all__ = ["BuildInfo", "build_book", "source_commit", "build_timestamp", "DATA_ENV", "repo_root"]

#: Environment variables through which a build tells the chapters what to read.
DATA_ENV = "BLINA_DATA_DIR"
COMMIT_ENV = "BLINA_SOURCE_COMMIT"
DATE_ENV = "SOURCE_DATE_EPOCH"


def repo_root() -> Path:
    """The folder holding ``_config.yml`` and ``_toc.yml`` (the checkout of this package)."""
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildInfo:
    """What a finished build produced."""

    out_dir: Path
    seconds: float
    pages: int
    dataset: str
    fingerprint: str


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
    meta = ds.meta
    kind = "synthetic data" if meta.synthetic else "trial data"
    date = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d")
    text = (f"Version {__version__} · {kind}: {meta.name} {meta.version}, cut-off "
            f"{meta.cutoff_date:%Y-%m-%d}, SHA-256 {ds.fingerprint[:16]} · source commit {commit} "
            f"· built {date}")
    return f'<p class="blina-footer">{html.escape(text)} · <a href="/results.json">results.json</a></p>'


def _jupyter_book() -> str:
    candidate = Path(sys.executable).parent / "jupyter-book"
    return str(candidate) if candidate.exists() else (shutil.which("jupyter-book") or "jupyter-book")


_EXEC_START = re.compile(r"(\S+\.(?:md|ipynb)): Executing notebook")
_EXEC_DONE = re.compile(r"(\S+\.(?:md|ipynb)): Executed notebook in ([\d.]+) seconds")
_PROBLEM = re.compile(r"(WARNING|ERROR|Error|Exception|Traceback)")
_NOISE = re.compile(r"Kernel is running over TCP without encryption")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build_book(data_dir: Path, out_dir: Path, *, root: Path | None = None,
               echo=print) -> BuildInfo:
    """Build the book from the dataset in ``data_dir`` into ``out_dir``.

    Raises
    ------
    DataValidationError
        The dataset breaks the data contract (nothing is written).
    BuildError
        A chapter failed, Sphinx warned, or the build was interrupted; ``out_dir`` is untouched.
    """
    from blina_analysis.io import load
    from blina_analysis.results import write_results

    root = (root or repo_root()).resolve()
    data_dir = Path(data_dir).resolve()
    out_dir = Path(out_dir).resolve()
    started = time.monotonic()
    ds = load(data_dir)  # raises before anything is written
    commit = source_commit(root)
    epoch = build_timestamp(root)
    echo(f"data: {data_dir} ({ds.meta.name} {ds.meta.version}, {len(ds.patients)} patients, "
         f"sha256 {ds.fingerprint[:12]})")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
        config.setdefault("html", {})["extra_footer"] = _footer(ds, commit, epoch)
        (staging / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                             encoding="utf-8")
        env = dict(os.environ, **{DATA_ENV: str(data_dir), COMMIT_ENV: commit,
                                  DATE_ENV: str(epoch), "PYTHONHASHSEED": "0",
                                  "MPLBACKEND": "Agg"})
        cmd = [_jupyter_book(), "build", str(root), "--path-output", str(staging),
               "--config", str(staging / "_config.yml"), "--builder", "html",
               "--warningiserror", "--nitpick", "--keep-going"]
        log = _run(cmd, env, staging / "build.log", started, echo)
        html_dir = staging / "_build" / "html"
        if log.returncode != 0 or not (html_dir / "index.html").exists():
            raise BuildError(_failure_message(log.lines, staging / "build.log", out_dir))
        write_results(ds, html_dir / "results.json", commit=commit, epoch=epoch)
        pages = len(list(html_dir.rglob("*.html")))
        _swap(html_dir, out_dir)
    except KeyboardInterrupt:
        raise BuildError(f"build interrupted; {out_dir} is unchanged") from None
    finally:
        if (staging / "build.log").exists():
            shutil.copy2(staging / "build.log", out_dir.parent / "build.log")
        shutil.rmtree(staging, ignore_errors=True)
    seconds = time.monotonic() - started
    return BuildInfo(out_dir, seconds, pages, f"{ds.meta.name} {ds.meta.version}", ds.fingerprint)


@dataclass
class _Log:
    returncode: int
    lines: list[str]


def _run(cmd, env, log_path: Path, started: float, echo) -> _Log:
    lines: list[str] = []
    with open(log_path, "w", encoding="utf-8") as log, subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            bufsize=1) as proc:
        try:
            for line in proc.stdout:
                log.write(line)
                line = _ANSI.sub("", line.rstrip("\n"))
                lines.append(line)
                if m := _EXEC_START.search(line):
                    echo(f"  [{time.monotonic() - started:5.1f} s] executing {_chapter(m.group(1))}")
                elif m := _EXEC_DONE.search(line):
                    echo(f"  [{time.monotonic() - started:5.1f} s] executed {_chapter(m.group(1))} "
                         f"in {float(m.group(2)):.1f} s")
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait()
            raise
        proc.wait()
    return _Log(proc.returncode, lines)


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
