"""Executing the chapters: the analysis computed once, every chapter in one warm kernel.

Left to itself, Jupyter Book executes each chapter in a kernel of its own, one after another, and
each kernel imports the package and recomputes the analysis that the previous one computed. A
build does this instead:

1. The build process computes the :class:`~blina_analysis.analyses.Analysis` of the dataset once
   (every result of ``results.json`` with it) and pickles it into the staging folder
   (:func:`save_analysis`). Chapters find it through ``$BLINA_ANALYSIS_PICKLE``:
   :func:`blina_analysis.report.book.analysis` loads it (:func:`load_analysis`) when its data
   fingerprint equals that of the files the build reads, and computes afresh otherwise.
2. Every chapter that the execution cache does not already hold is executed in **one** kernel
   (:func:`prime_cache`), started while the analysis is computed, each chapter in its own folder
   as Jupyter Book would. The executed notebooks are stored in the same jupyter-cache under the
   hash myst-nb computes (the notebook as myst-nb's reader reads it, no timing metadata), so
   Jupyter Book finds every chapter cached and only renders.

A chapter that fails here is left out of the cache: Jupyter Book then executes it in a kernel of
its own and reports the failure as usual (chapter, cell, exception), so the failure path is the one
the build has always had.
"""

from __future__ import annotations

import copy
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ANALYSIS_ENV", "ExecutionReport", "save_analysis", "load_analysis", "prime_cache"]

#: Environment variable naming the pickled analysis of this build.
ANALYSIS_ENV = "BLINA_ANALYSIS_PICKLE"
#: The jupyter-cache reader myst-nb uses for MyST Markdown notebooks.
_MYST_READER = {"type": "plugin", "name": "myst_nb_md"}


@dataclass
class ExecutionReport:
    """Which chapters were executed here, found in the cache, or left to Jupyter Book."""

    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def save_analysis(an, path: Path) -> Path:
    """Pickle ``an`` (with everything it has computed) with its data fingerprint to ``path``."""
    payload = {"fingerprint": an.dataset.fingerprint, "analysis": an}
    path.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load_analysis(path: str | os.PathLike, data_dir: Path):
    """The pickled analysis at ``path`` if it was computed from the files now in ``data_dir``.

    Returns ``None`` when there is no such file or the data changed since it was written.
    """
    try:
        payload = pickle.loads(Path(path).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    an = payload.get("analysis")
    if an is None or Path(an.dataset.path).resolve() != Path(data_dir).resolve():
        return None
    if an.dataset.fingerprint != payload.get("fingerprint"):  # re-reads the files
        return None
    return an


def _read_notebook(path: Path):
    import nbformat

    if path.suffix == ".md":
        from myst_nb.core.read import read_myst_markdown_notebook

        return read_myst_markdown_notebook(path.read_text(encoding="utf-8"),
                                           add_source_map=True, path=path)
    return nbformat.read(path, as_version=4)


class _WarmKernel:
    """One kernel, started on first use, in which notebooks run one after another."""

    def __init__(self, env: dict, cwd: Path):
        self._env, self._cwd, self._km = env, cwd, None

    def start(self) -> None:
        if self._km is None:
            from jupyter_client.manager import KernelManager

            # CurveZMQ-encrypted sockets: the kernel then has no reason to warn (on stderr, i.e.
            # to the user) that it runs over TCP in plain text
            self._km = KernelManager(kernel_name="python3", transport_encryption="auto")
            self._km.start_kernel(env=self._env, cwd=str(self._cwd))

    def run(self, nb, folder: Path, timeout: int) -> None:
        from nbclient import NotebookClient

        self.start()
        kc = self._km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            # each chapter in its own folder, as Jupyter Book runs it (silent: no cell numbers)
            kc.execute_interactive(f"import os as _os; _os.chdir({str(folder)!r}); del _os",
                                   silent=True, timeout=timeout)
        finally:
            kc.stop_channels()
        NotebookClient(nb, km=self._km, timeout=timeout, allow_errors=False,
                       record_timing=False).execute()
        code = [c for c in nb.cells if c.cell_type == "code"]
        for number, cell in enumerate(code, 1):  # as a kernel of its own would number them
            cell.execution_count = number
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = number

    def close(self) -> None:
        if self._km is not None:
            self._km.shutdown_kernel(now=True)


def prime_cache(notebooks: list[Path], cache_dir: Path, env: dict, *, timeout: int = 600,
                before_first: Callable[[], None] | None = None,
                echo: Callable[[str], None] = print, started: float | None = None,
                label: Callable[[Path], str] = str) -> ExecutionReport:
    """Execute in one kernel every notebook the cache at ``cache_dir`` does not hold; cache them.

    ``before_first`` runs after the kernel has been started and before the first notebook is
    executed (the build computes the analysis there, while the kernel imports). Stops at the first
    failing notebook: it and the ones after it are left to Jupyter Book.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    started = time.monotonic() if started is None else started
    report = ExecutionReport()
    cache = get_cache(str(cache_dir))
    todo = []
    for path in notebooks:
        nb = _read_notebook(path)
        if not any(cell.cell_type == "code" for cell in nb.cells):
            continue  # nothing to execute (myst-nb does not execute it either)
        try:
            cache.match_cache_notebook(nb)
            report.cached.append(label(path))
        except KeyError:
            todo.append((path, nb))
    kernel = _WarmKernel(env, cwd=notebooks[0].parent if notebooks else Path.cwd())
    try:
        if todo:
            kernel.start()
        if before_first is not None:
            before_first()
        for i, (path, nb) in enumerate(todo):
            echo(f"  [{time.monotonic() - started:5.1f} s] executing {label(path)}")
            executed = copy.deepcopy(nb)
            t0 = time.monotonic()
            try:
                kernel.run(executed, path.parent, timeout)
            except Exception:  # noqa: BLE001 - Jupyter Book re-runs it and reports the cell
                report.failed.extend(label(p) for p, _ in todo[i:])
                break
            record = cache.add_nb_to_project(str(path),
                                             read_data=_MYST_READER if path.suffix == ".md"
                                             else None)
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, record.uri,
                              data={"execution_seconds": time.monotonic() - t0}),
                check_validity=False, overwrite=True)
            report.executed.append(label(path))
            echo(f"  [{time.monotonic() - started:5.1f} s] executed {label(path)} "
                 f"in {time.monotonic() - t0:.1f} s")
    finally:
        kernel.close()
    return report
