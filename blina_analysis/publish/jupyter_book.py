"""Running Jupyter Book: execute the chapters and render the staged sources, echoing progress.

:func:`run_jupyter_book` is the one place the build executes the chapters; everything it needs
comes in as arguments, so another way of executing them can replace it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["JupyterBookRun", "run_jupyter_book"]

_EXEC_START = re.compile(r"(\S+\.(?:md|ipynb)): Executing notebook")
_EXEC_DONE = re.compile(r"(\S+\.(?:md|ipynb)): Executed notebook in ([\d.]+) seconds")
_CACHE_HIT = re.compile(r"(\S+\.(?:md|ipynb)): Using cached notebook")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class JupyterBookRun:
    """What one run of ``jupyter-book build`` did."""

    returncode: int
    lines: list[str] = field(default_factory=list)      # its output, colour codes removed
    executed: list[str] = field(default_factory=list)   # chapters executed
    cached: list[str] = field(default_factory=list)     # chapters taken from the cache


def _jupyter_book() -> str:
    candidate = Path(sys.executable).parent / "jupyter-book"
    return str(candidate) if candidate.exists() else (shutil.which("jupyter-book") or "jupyter-book")


def chapter_label(path: str) -> str:
    """How progress lines name a page: ``chapters/x.md`` or ``index.md``."""
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name == "chapters" else p.name


def run_jupyter_book(src: Path, staging: Path, env: dict, log_path: Path, *, started: float,
                     echo, shown_root: tuple[Path, Path] | None = None,
                     just_executed: frozenset[str] = frozenset()) -> JupyterBookRun:
    """Build the HTML of the sources in ``src`` into ``staging/_build/html``.

    Parameters
    ----------
    src : Path
        The staged sources, with their generated ``_config.yml``.
    staging : Path
        The staging folder (the working folder of jupyter-book; the output goes below it).
    env : dict
        The environment of jupyter-book and of the kernels it starts.
    log_path : Path
        Where the full output is written as it comes (without colour codes).
    started : float
        ``time.monotonic()`` at the start of the build (for the progress lines).
    echo : callable
        Receives progress lines.
    shown_root : (Path, Path), optional
        Paths under the first are logged as under the second (the staged copy as the sources).
    just_executed : frozenset of str, optional
        Chapters this build executed before Jupyter Book ran
        (:func:`blina_analysis.publish.execute.prime_cache`): found in the cache, but neither
        echoed nor counted as cached.
    """
    cmd = [_jupyter_book(), "build", str(src), "--path-output", str(staging),
           "--config", str(src / "_config.yml"), "--builder", "html",
           "--warningiserror", "--keep-going"]
    run = JupyterBookRun(returncode=-1)
    with open(log_path, "w", encoding="utf-8") as log, subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            bufsize=1, cwd=staging) as proc:
        try:
            for line in proc.stdout:
                if shown_root is not None:
                    line = line.replace(str(shown_root[0]), str(shown_root[1]))
                line = _ANSI.sub("", line.rstrip("\n"))  # colour codes: noise in a file
                log.write(line + "\n")
                run.lines.append(line)
                elapsed = f"[{time.monotonic() - started:5.1f} s]"
                if m := _EXEC_START.search(line):
                    echo(f"  {elapsed} executing {chapter_label(m.group(1))}")
                    run.executed.append(chapter_label(m.group(1)))
                elif m := _EXEC_DONE.search(line):
                    echo(f"  {elapsed} executed {chapter_label(m.group(1))} "
                         f"in {float(m.group(2)):.1f} s")
                elif (m := _CACHE_HIT.search(line)) and chapter_label(m.group(1)) in just_executed:
                    pass
                elif m:
                    echo(f"  {elapsed} cached {chapter_label(m.group(1))} "
                         "(unchanged code, data and environment)")
                    run.cached.append(chapter_label(m.group(1)))
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait()
            raise
        proc.wait()
    run.returncode = proc.returncode
    return run
